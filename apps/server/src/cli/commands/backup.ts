import { parseArgs } from 'node:util';
import { createBackup } from '../../ops/backup.js';
import { asCliErrors, joinFlagValues } from '../../ops/cli.js';
import { opsConfig } from '../../ops/instance.js';
import { flags, HELP, required } from '../args.js';
import { count, EXIT, type CliIo } from '../io.js';

export const backupUsage = `Usage: kalaja backup --out FILE

Writes an encrypted backup of this instance — the database and the evidence files — to FILE
(which must not exist), while the server keeps running: SQLite is copied with VACUUM INTO,
PostgreSQL with pg_dump (the PostgreSQL client tools must be installed).

The backup is encrypted with a key derived from the key-encryption key: it can be restored
only with that key, so keep the key file (or KALAJA_KEY) backed up separately, and keep an
old key for as long as you keep backups made with it.

  --out FILE   where to write the backup
`;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export async function backup(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { values } = flags(() =>
    parseArgs({ args: joinFlagValues(argv, ['out']), strict: true, options: { out: { type: 'string' }, ...HELP } }),
  );
  if (values.help) {
    io.stdout(backupUsage);
    return EXIT.ok;
  }
  const out = required(values.out, 'out');
  return asCliErrors(async () => {
    const r = await createBackup(opsConfig(env), out);
    io.stdout(
      `Backed up the ${r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database (${size(r.databaseBytes)}) and ` +
        `${count(r.evidenceFiles, 'evidence file')} to ${r.file}: ${size(r.bytes)}, encrypted, in ${duration(r.milliseconds)}.\n`,
    );
    return EXIT.ok;
  });
}
