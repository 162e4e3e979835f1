import { spawn, spawnSync } from 'node:child_process';
import { OpsError } from './instance.js';

/**
 * Running PostgreSQL's client tools (`pg_dump`, `pg_restore`) for backups. The password never
 * goes on the command line, where other users could read it in the process list: it is
 * handed over in PGPASSWORD, and the connection string is passed without it.
 */

export type PgTool = 'pg_dump' | 'pg_restore';

/** The tool's version line; an OpsError saying what to install when it is missing. */
export function requirePgTool(tool: PgTool): string {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new OpsError(
      `${tool} was not found: install the PostgreSQL client tools (the same major version as the server or newer) and make sure ${tool} is on PATH`,
    );
  }
  return r.stdout.trim();
}

/** The connection string without its password, and the password. */
function connection(url: string): { dbname: string; password: string | undefined } {
  const u = new URL(url);
  const password = u.password === '' ? undefined : decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), password };
}

/** Runs the tool against the database at `url`; an OpsError with its messages when it fails. */
export function runPgTool(tool: PgTool, url: string, args: string[]): Promise<void> {
  const { dbname, password } = connection(url);
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${dbname}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...(password !== undefined && { PGPASSWORD: password }) },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    child.on('error', (error) =>
      reject(new OpsError(`${tool} could not be run (${(error as NodeJS.ErrnoException).code ?? error.message})`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const said = stderr.trim() ? `:\n${stderr.trim()}` : '';
      reject(new OpsError(`${tool} failed (${signal ?? `exit code ${code}`})${said}`));
    });
  });
}
