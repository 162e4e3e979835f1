import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { BackupEncryptor, writeArchive, type ArchiveSource } from './backup-format.js';
import { syncDirectory, syncFile } from '../durable.js';
import { configuredKek, OpsError, openExistingDatabase, requireMatchingKek } from './instance.js';
import { requirePgTool, runPgTool } from './postgres.js';

/**
 * Online backups (see `backup-format.ts` for the file). The server keeps running: SQLite is
 * copied with `VACUUM INTO` — a consistent snapshot taken in one read transaction — and
 * PostgreSQL with `pg_dump`, which reads one snapshot too. The evidence files are copied
 * after the database: a file uploaded meanwhile is left out (its row is not in the copy
 * either), one deleted meanwhile is skipped (its row then points at nothing, which the
 * server answers as a missing file). Evidence files are already sealed; the whole archive is
 * encrypted under a key derived from the key-encryption key.
 */

export const BACKUP_FORMAT = 'kalaja-backup/1';
export const SQLITE_ENTRY = 'database/kalaja.sqlite';
export const PGDUMP_ENTRY = 'database/kalaja.pgdump';
export const MANIFEST_ENTRY = 'manifest.json';
/** What the server names evidence files (`newId`); anything else in the folder is not evidence. */
export const EVIDENCE_ID = /^[A-Za-z0-9_-]{10,64}$/;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  database: string;
  evidence: number;
}

export interface BackupResult {
  file: string;
  /** Size of the backup file. */
  bytes: number;
  /** Size of the database copy, before compression. */
  databaseBytes: number;
  evidenceFiles: number;
  dialect: 'sqlite' | 'postgres';
  milliseconds: number;
}

/** Temporary working folder inside the data directory, which only Kalaja's user can read. */
function workDirectory(config: Config, prefix: string): string {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return mkdtempSync(join(config.dataDir, prefix));
}

function fileSource(name: string, path: string, size: number): ArchiveSource {
  return { name, size, read: () => createReadStream(path) };
}

/**
 * The evidence files present now, each opened before it is listed so that a file deleted
 * meanwhile is skipped rather than failing the backup.
 */
async function* evidenceSources(dir: string, counted: { files: number }): AsyncGenerator<ArchiveSource> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => EVIDENCE_ID.test(n)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const name of names) {
    let handle;
    try {
      handle = await open(join(dir, name), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const size = (await handle.stat()).size;
    counted.files += 1;
    // Stored files are written once under their name and never changed, only removed; the
    // open handle reads the file even if it is removed meanwhile.
    yield { name: `evidence/${name}`, size, read: () => handle.createReadStream({ autoClose: true }) };
  }
}

/** How many evidence files the database itself holds (PostgreSQL: stored_files). */
export async function storedEvidence(db: Db): Promise<number> {
  const r = await db
    .selectFrom('stored_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('bucket', '=', 'evidence')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Copies the SQLite database into `target` with VACUUM INTO, beside a running server. */
function snapshotSqlite(file: string, target: string): void {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
}

/**
 * Writes an encrypted backup of the configured instance to `out`, which must not exist yet.
 * The key-encryption key must open the instance (a backup under another key would restore
 * data its own server refuses).
 */
export async function createBackup(config: Config, out: string): Promise<BackupResult> {
  const started = performance.now();
  const target = resolve(out);
  if (existsSync(target)) throw new OpsError(`${target} already exists; a backup never replaces a file`);
  if (!existsSync(dirname(target))) throw new OpsError(`the folder ${dirname(target)} does not exist`);
  const kek = configuredKek(config);
  const database = await openExistingDatabase(config);
  // On PostgreSQL the evidence files are rows of the database (stored_files): pg_dump copies
  // them with the rest. They are counted here, for the message.
  let evidenceInDatabase = 0;
  try {
    await requireMatchingKek(database.db, kek);
    if (config.database.kind === 'postgres') evidenceInDatabase = await storedEvidence(database.db);
  } finally {
    await database.close();
  }
  if (config.database.kind === 'postgres') requirePgTool('pg_dump');

  const work = workDirectory(config, '.backup-');
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    let dbEntry: ArchiveSource;
    let databaseBytes: number;
    if (config.database.kind === 'sqlite') {
      const copy = join(work, 'kalaja.sqlite');
      snapshotSqlite(config.database.file, copy);
      databaseBytes = (await stat(copy)).size;
      await pipeline(
        createReadStream(copy),
        createGzip({ level: 6 }),
        createWriteStream(`${copy}.gz`, { mode: 0o600 }),
      );
      dbEntry = { ...fileSource(SQLITE_ENTRY, `${copy}.gz`, (await stat(`${copy}.gz`)).size), encoding: 'gzip' };
    } else {
      const copy = join(work, 'kalaja.pgdump');
      await runPgTool('pg_dump', config.database.url, ['--format=custom', '--no-password', `--file=${copy}`]);
      dbEntry = fileSource(PGDUMP_ENTRY, copy, (await stat(copy)).size);
      databaseBytes = dbEntry.size;
    }
    const counted = { files: evidenceInDatabase };
    const dialect = config.database.kind;
    async function* sources(): AsyncGenerator<ArchiveSource> {
      yield dbEntry;
      yield* evidenceSources(join(config.dataDir, 'evidence'), counted);
      const manifest: BackupManifest = {
        format: BACKUP_FORMAT,
        createdAt: new Date().toISOString(),
        dialect,
        database: dbEntry.name,
        evidence: counted.files,
      };
      const bytes = Buffer.from(JSON.stringify(manifest), 'utf8');
      yield { name: MANIFEST_ENTRY, size: bytes.length, read: () => Readable.from([bytes]) };
    }

    await pipeline(
      Readable.from(writeArchive(sources())),
      new BackupEncryptor(kek),
      createWriteStream(temporary, { flags: 'wx', mode: 0o600 }),
    );
    syncFile(temporary);
    // A hard link fails when the target appeared meanwhile; rename would replace it.
    try {
      linkSync(temporary, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new OpsError(`${target} already exists; a backup never replaces a file`);
      // Some file systems have no hard links.
      if (existsSync(target)) throw new OpsError(`${target} already exists; a backup never replaces a file`);
      renameSync(temporary, target);
    }
    syncDirectory(dirname(target));
    return {
      file: target,
      bytes: (await stat(target)).size,
      databaseBytes,
      evidenceFiles: counted.files,
      dialect,
      milliseconds: performance.now() - started,
    };
  } finally {
    rmSync(temporary, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
