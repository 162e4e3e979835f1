import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { systemActor } from '../modules/access/access-types.js';
import { BackupDecryptor, BackupError, readArchive } from './backup-format.js';
import { storedEvidence } from './backup.js';
import {
  BACKUP_FORMAT,
  EVIDENCE_ID,
  MANIFEST_ENTRY,
  PGDUMP_ENTRY,
  SQLITE_ENTRY,
  type BackupManifest,
} from './backup.js';
import { describeServer, runningServers } from './server-lock.js';
import { configuredKek, hasInstanceTable, OpsError, opsStores, requireMatchingKek } from './instance.js';
import { syncDirectory, syncFile } from '../durable.js';
import { requirePgTool, runPgTool } from './postgres.js';
import { SHRED_ACTION, shredKey } from './shred.js';

/**
 * Restores a backup made by `createBackup` into the configured instance: the SQLite file and
 * the evidence folder, or the PostgreSQL database (`pg_restore --clean --if-exists`, in one
 * transaction) and the evidence folder. Stop the server first.
 *
 * Everything is decrypted and verified into a working folder before anything is replaced:
 * a backup made with another key, altered or cut short changes nothing. An instance that
 * holds data is replaced only with `force`; then the organisations crypto-shredded in it are
 * shredded again in what is restored, so an older backup does not bring them back.
 *
 * Every session in what is restored is deleted (and with it any WebAuthn challenge under way,
 * which lives on the session row): the backup cannot know which of them were ended after it
 * was made (a sign-out, a password change, a disabled account, a second-factor reset), so none
 * comes back, and everyone signs in again.
 */

export interface RestoreResult {
  dialect: 'sqlite' | 'postgres';
  /** When the backup was made. */
  createdAt: string;
  evidenceFiles: number;
  /** Organisations shredded in the replaced instance and shredded again after the restore. */
  reshredded: string[];
  /** Sessions the backup held, all ended: everyone signs in again. */
  endedSessions: number;
  milliseconds: number;
}

const MAX_MANIFEST_BYTES = 64 * 1024;

/** The key-encryption key for a restore, with a message fit for a lost data directory. */
function restoreKek(config: Config): Buffer {
  if (config.key.kind === 'file' && !existsSync(config.key.path)) {
    throw new OpsError(
      `the key file ${config.key.path} is missing: put the instance's key file back there from your key backup, or set KALAJA_KEY or KALAJA_KEY_FILE`,
    );
  }
  return configuredKek(config);
}

function openConfigured(config: Config, file?: string): Database {
  return openDatabase(file ? { kind: 'sqlite', file } : config.database);
}

/** What the instance holds now: whether it has any data, and the organisations shredded in it. */
async function currentState(config: Config): Promise<{ hasData: boolean; shredded: string[] }> {
  const evidenceDir = join(config.dataDir, 'evidence');
  const evidence = existsSync(evidenceDir) && readdirSync(evidenceDir).length > 0;
  let hasData = evidence;
  if (config.database.kind === 'sqlite') {
    // Anything in the data directory but the key file (and an empty evidence folder) is data.
    if (existsSync(config.dataDir)) {
      const keyFile =
        config.key.kind === 'file' && resolve(dirname(config.key.path)) === resolve(config.dataDir)
          ? basename(config.key.path)
          : undefined;
      hasData ||= readdirSync(config.dataDir).some(
        (n) => n !== keyFile && n !== 'evidence' && !n.startsWith('.restore-') && !n.startsWith('.backup-'),
      );
    }
    if (!existsSync(config.database.file)) return { hasData, shredded: [] };
  }
  const database = openConfigured(config);
  try {
    if (!(await hasInstanceTable(database.db))) return { hasData, shredded: [] };
    const stores = opsStores(database);
    hasData ||= await stores.settings.any();
    return { hasData, shredded: await stores.audit.organisationsWith(SHRED_ACTION) };
  } finally {
    await database.close();
  }
}

async function writeStaged(path: string, bytes: AsyncIterable<Buffer>, encoding: 'gzip' | undefined): Promise<void> {
  const target = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  if (encoding === 'gzip') await pipeline(Readable.from(bytes), createGunzip(), target);
  else await pipeline(Readable.from(bytes), target);
  syncFile(path);
}

/** Decrypts and unpacks the backup into `work`; returns its manifest. */
async function unpack(from: string, kek: Buffer, work: string): Promise<{ manifest: BackupManifest; dbFile: string }> {
  let manifestText: string | undefined;
  let dbFile: string | undefined;
  mkdirSync(join(work, 'evidence'), { mode: 0o700 });
  await pipeline(createReadStream(from), new BackupDecryptor(kek), async (source) => {
    await readArchive(source as AsyncIterable<Buffer>, async (entry, bytes) => {
      if (entry.name === MANIFEST_ENTRY) {
        if (entry.size > MAX_MANIFEST_BYTES) throw new BackupError('the backup manifest is too large');
        const pieces: Buffer[] = [];
        for await (const piece of bytes) pieces.push(piece);
        manifestText = Buffer.concat(pieces).toString('utf8');
      } else if (entry.name === SQLITE_ENTRY || entry.name === PGDUMP_ENTRY) {
        if (dbFile) throw new BackupError('the backup holds two databases');
        dbFile = join(work, basename(entry.name));
        await writeStaged(dbFile, bytes, entry.encoding);
      } else if (entry.name.startsWith('evidence/') && EVIDENCE_ID.test(entry.name.slice('evidence/'.length))) {
        await writeStaged(join(work, entry.name), bytes, entry.encoding);
      } else {
        throw new BackupError(`the backup holds an unexpected entry ${JSON.stringify(entry.name)}`);
      }
    });
  });
  if (manifestText === undefined || dbFile === undefined)
    throw new BackupError('the backup lacks its manifest or its database');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(manifestText) as BackupManifest;
  } catch {
    throw new BackupError('the backup manifest is damaged');
  }
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`unknown backup format ${String(manifest.format)}`);
  return { manifest, dbFile };
}

/**
 * Checks the restored database against the key, shreds again what was shredded in the
 * instance it replaces (each with its own audit row), and ends every session it holds.
 */
async function settle(
  database: Database,
  kek: Buffer,
  shredded: string[],
): Promise<{ reshredded: string[]; endedSessions: number }> {
  await requireMatchingKek(database.db, kek).catch((e: unknown) => {
    if (e instanceof OpsError)
      throw new OpsError(`the restored database does not open with the configured key: ${e.message}`);
    throw e;
  });
  const stores = opsStores(database);
  const again: string[] = [];
  for (const id of shredded) {
    await database.db.transaction().execute(async (tx) => {
      if (!(await shredKey(stores, systemActor('restore'), id, Date.now(), tx))) return;
      again.push((await stores.programmes.organisationName(id, tx)) ?? id);
    });
  }
  // A session ended after the backup was made (docs/threat-model.md, T1 and T3) must not come
  // back with it; the backup cannot tell which were, so none does. The WebAuthn challenges
  // under way are columns of these rows and go with them.
  const ended = await database.db.deleteFrom('sessions').executeTakeFirst();
  return { reshredded: again, endedSessions: Number(ended.numDeletedRows) };
}

/** Puts the staged evidence folder in place of the current one. */
function swapEvidence(config: Config, work: string): void {
  const live = join(config.dataDir, 'evidence');
  if (existsSync(live)) renameSync(live, join(work, 'evidence-replaced'));
  renameSync(join(work, 'evidence'), live);
  syncDirectory(config.dataDir);
}

export async function restoreBackup(config: Config, from: string, options: { force: boolean }): Promise<RestoreResult> {
  const started = performance.now();
  const source = resolve(from);
  if (!existsSync(source) || !statSync(source).isFile()) throw new OpsError(`${source}: no such backup file`);
  // A running server would go on writing to what is replaced, and those writes would be lost.
  const running = runningServers(config.dataDir);
  if (running.length > 0) {
    throw new OpsError(
      `a Kalaja server is running on ${config.dataDir} (${running.map(describeServer).join('; ')}): stop it first, then restore. ` +
        `If no server is running there any more, remove ${running.map((r) => r.file).join(' and ')}`,
    );
  }
  const kek = restoreKek(config);
  if (config.database.kind === 'postgres') requirePgTool('pg_restore');
  const state = await currentState(config);
  if (state.hasData && !options.force) {
    throw new OpsError(
      config.database.kind === 'sqlite'
        ? `the data directory ${config.dataDir} is not empty; stop the server and add --force to replace what it holds`
        : `the database (DATABASE_URL) or the evidence folder in ${config.dataDir} holds data; stop the server and add --force to replace it`,
    );
  }

  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const work = join(config.dataDir, `.restore-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(work, { mode: 0o700 });
  try {
    const { manifest, dbFile } = await unpack(source, kek, work);
    if (manifest.dialect !== config.database.kind) {
      throw new OpsError(
        manifest.dialect === 'sqlite'
          ? 'this is a backup of an instance on SQLite: restore it without DATABASE_URL'
          : 'this is a backup of an instance on PostgreSQL: restore it with DATABASE_URL set',
      );
    }
    let settled: { reshredded: string[]; endedSessions: number };
    let inDatabase = 0;
    if (config.database.kind === 'sqlite') {
      const staged = openConfigured(config, dbFile);
      try {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(staged.db);
        if (check.rows[0]?.integrity_check !== 'ok') throw new OpsError('the database in the backup is damaged');
        settled = await settle(staged, kek, state.shredded);
      } finally {
        await staged.close();
      }
      // The replaced database's write-ahead log must not be replayed into the restored one.
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${config.database.file}${suffix}`, { force: true });
      renameSync(dbFile, config.database.file);
    } else {
      await runPgTool('pg_restore', config.database.url, [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--no-privileges',
        '--single-transaction',
        '--exit-on-error',
        '--no-password',
        dbFile,
      ]);
      const restored = openConfigured(config);
      try {
        settled = await settle(restored, kek, state.shredded);
        inDatabase = await storedEvidence(restored.db);
      } finally {
        await restored.close();
      }
    }
    swapEvidence(config, work);
    return {
      dialect: manifest.dialect,
      createdAt: manifest.createdAt,
      evidenceFiles: readdirSync(join(config.dataDir, 'evidence')).length + inDatabase,
      ...settled,
      milliseconds: performance.now() - started,
    };
  } catch (e) {
    if (e instanceof BackupError) throw new OpsError(`cannot restore ${source}: ${e.message}`);
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
