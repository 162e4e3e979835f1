// A private, throwaway PostgreSQL cluster for the benchmarks and the crash test: `initdb` from
// Debian's PostgreSQL packages (/usr/lib/postgresql/N/bin) into a temporary directory, its own
// port on 127.0.0.1 and its own unix socket directory, trust authentication, default `fsync` and
// `synchronous_commit`. The machine's own PostgreSQL is never touched. PostgreSQL refuses to run
// as root, so a root caller runs its programs as the `postgres` user.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort, removeDir, tempDir } from './server-fixture.js';

const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The directory holding initdb, pg_ctl and postgres: `dir` if given, else the newest /usr/lib/postgresql/N/bin; null when none. */
export function postgresBin(dir) {
  const has = (d) => ['initdb', 'pg_ctl', 'postgres'].every((p) => existsSync(join(d, p)));
  if (dir) return has(dir) ? dir : null;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.map((v) => join(root, v, 'bin')).find(has) ?? null;
}

/**
 * Creates and starts a cluster with a `kalaja` database. `settings` are extra server settings
 * (`-c name=value`). `keep` leaves the directory behind at exit. Throws when there is no
 * `postgres` user to run as root.
 */
export async function privateCluster(bin, { prefix = 'kalaja-pg-', keep = false, settings = {} } = {}) {
  let owner = {};
  if (process.getuid?.() === 0) {
    try {
      owner = {
        uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
        gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
      };
    } catch {
      throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as');
    }
  }
  const dir = tempDir(prefix);
  if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await freePort();
  const options = { ...owner, cwd: dir, env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } };
  const pgctl = (...a) => run(join(bin, 'pg_ctl'), ['-D', data, ...a], options);
  const serverOptions = [
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
  ].join(' ');
  await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], options);
  const url = (db) => `postgres://postgres@127.0.0.1:${port}/${db}`;

  let running = false;
  // A script that stops early must not leave the cluster behind, running or on disk.
  const stopAtExit = () => {
    if (running) spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], options);
    if (!keep) removeDir(dir);
  };
  process.on('exit', stopAtExit);

  /** Resolves when the database accepts a query (polled every 10 ms). */
  const ready = async (limitMs = 60_000) => {
    const started = performance.now();
    for (;;) {
      const c = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 1000 });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.query('select 1');
        return;
      } catch (e) {
        if (performance.now() - started > limitMs) throw new Error(`PostgreSQL did not come up: ${e.message}`);
      } finally {
        await c.end().catch(() => undefined);
      }
      await sleep(10);
    }
  };

  const cluster = {
    dir,
    port,
    url,
    log,
    /** Starts the database without waiting: `ready()` says when it answers. */
    async start() {
      await pgctl('-l', log, '-o', serverOptions, '-W', 'start');
      running = true;
    },
    ready,
    /** Stops the database as a crash would (immediate: no checkpoint, crash recovery at the next start). */
    async crash() {
      await pgctl('-m', 'immediate', 'stop');
      running = false;
    },
    /** Stops the database cleanly; the directory is removed unless `keep`. */
    async stop() {
      if (running) await pgctl('-m', 'fast', 'stop');
      running = false;
      process.off('exit', stopAtExit);
      if (!keep) removeDir(dir);
    },
    async sql(db, text, params) {
      const c = new pg.Client({ connectionString: url(db) });
      await c.connect();
      try {
        return await c.query(text, params);
      } finally {
        await c.end();
      }
    },
    /** pg_amcheck of every table and index of the database (installs amcheck if needed); 'ok' or its report. */
    async amcheck(db) {
      const tool = join(bin, 'pg_amcheck');
      if (!existsSync(tool)) return 'not run (no pg_amcheck)';
      try {
        const r = await run(
          tool,
          ['-h', dir, '-p', String(port), '-U', 'postgres', '--install-missing', '--heapallindexed', db],
          options,
        );
        return r.stdout.trim() ? r.stdout.trim().slice(0, 500) : 'ok';
      } catch (e) {
        return `${e.stdout ?? ''}${e.stderr ?? e.message}`.trim().slice(0, 500);
      }
    },
  };
  await cluster.start();
  await ready();
  await cluster.sql('postgres', 'create database kalaja');
  return cluster;
}
