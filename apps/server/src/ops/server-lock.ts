import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * The mark a running server leaves in its data directory: `<dataDir>/running/<pid>@<host>.json`,
 * one file per server process (several may share a PostgreSQL database and a data directory),
 * holding its pid, host, start time and address. It is removed when the server stops; one left
 * by a server that was killed is recognised as stale (no such process on this host) and removed
 * by whoever finds it. `kalaja restore` refuses while a live server holds the data directory,
 * and commands that print links find the running server's address here.
 */

export interface RunningServer {
  pid: number;
  host: string;
  startedAt: string;
  /** The address the server prints and its links use. */
  url: string;
  /** The mark's file, to name in messages. */
  file: string;
}

const folder = (dataDir: string) => join(dataDir, 'running');

/** Whether process `pid` exists on this machine (one of another user counts). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Marks the data directory as held by this process; returns the function that removes the mark
 * (also run when the process exits).
 */
export function holdDataDir(dataDir: string, url: string): () => void {
  mkdirSync(folder(dataDir), { recursive: true, mode: 0o700 });
  const file = join(folder(dataDir), `${process.pid}@${hostname()}.json`);
  const mark = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), url };
  writeFileSync(file, `${JSON.stringify(mark)}\n`, { mode: 0o600 });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    rmSync(file, { force: true });
    process.removeListener('exit', release);
  };
  process.on('exit', release);
  return release;
}

/**
 * The servers that hold the data directory now. Marks of processes gone from this host are
 * removed on the way; a mark from another host is believed (its process cannot be checked here).
 */
export function runningServers(dataDir: string): RunningServer[] {
  let names: string[];
  try {
    names = readdirSync(folder(dataDir));
  } catch {
    return [];
  }
  const found: RunningServer[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = join(folder(dataDir), name);
    let mark: Partial<RunningServer>;
    try {
      mark = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunningServer>;
    } catch {
      continue;
    }
    if (typeof mark.pid !== 'number' || typeof mark.host !== 'string') continue;
    if (mark.host === hostname() && !alive(mark.pid)) {
      rmSync(file, { force: true });
      continue;
    }
    found.push({
      pid: mark.pid,
      host: mark.host,
      startedAt: String(mark.startedAt ?? ''),
      url: String(mark.url ?? ''),
      file,
    });
  }
  return found;
}

/** "the server (pid 4242 on vm, started …)" for messages. */
export function describeServer(s: RunningServer): string {
  return `pid ${s.pid}${s.host === hostname() ? '' : ` on ${s.host}`}, started ${s.startedAt}`;
}
