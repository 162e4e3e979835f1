import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { KeyError, loadKeyEncryptionKey } from '../crypto/kek.js';
import { organisationKeyStore } from '../crypto/organisation-key-store.js';
import { Vault } from '../crypto/vault.js';
import { openDatabase, type Database, type Db } from '../db/database.js';
import { settingsStore } from '../db/settings-store.js';
import { auditStore } from '../modules/audit/audit-store.js';
import { programmeStore } from '../modules/programmes/programme-store.js';

/**
 * What the operations commands (audit verify, keys rotate, backup, restore) share: reading the
 * configuration, opening an existing instance's database without changing it (no migrations,
 * no first-run setup, unlike the server's start), and loading the key-encryption key without
 * ever creating one.
 */

/** A failure of an operation the operator can act on; the message says what to do. */
export class OpsError extends Error {
  override readonly name = 'OpsError';
}

/** The configuration, as the server reads it; a bad variable becomes an OpsError. */
export function opsConfig(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) throw new OpsError(e.message);
    throw e;
  }
}

/** Where the data lives, for messages. */
export function describeDatabase(config: Config): string {
  return config.database.kind === 'sqlite' ? `SQLite at ${config.database.file}` : 'PostgreSQL (DATABASE_URL)';
}

/**
 * The configured key-encryption key. Unlike the server's first start, an operation never
 * creates a key file: a missing one means the wrong configuration, not a new instance.
 */
export function configuredKek(config: Config): Buffer {
  try {
    return loadKeyEncryptionKey(config.key.kind === 'file' ? { ...config.key, create: false } : config.key);
  } catch (e) {
    if (e instanceof KeyError) throw new OpsError(e.message);
    throw e;
  }
}

/**
 * Opens the database of an existing instance: the SQLite file must exist (opening would
 * otherwise create an empty one) and the schema must be there.
 */
export async function openExistingDatabase(config: Config): Promise<Database> {
  if (config.database.kind === 'sqlite' && !existsSync(config.database.file)) {
    throw new OpsError(
      `there is no Kalaja instance at ${config.database.file}: check KALAJA_DATA_DIR (or DATABASE_URL for PostgreSQL)`,
    );
  }
  const database = openDatabase(config.database);
  try {
    if (!(await hasInstanceTable(database.db))) {
      throw new OpsError(`${describeDatabase(config)} holds no Kalaja instance yet: start the server once first`);
    }
    return database;
  } catch (e) {
    await database.close();
    throw e;
  }
}

/** True when the schema has been created (the `instance` table exists). */
export async function hasInstanceTable(db: Db): Promise<boolean> {
  try {
    await sql`select 1 from instance limit 1`.execute(db);
    return true;
  } catch (e) {
    // A connection failure is not "no instance"; only a missing table is.
    const message = String((e as Error).message);
    if (/no such table|does not exist/i.test(message)) return false;
    throw e;
  }
}

/** A vault for checks and instance secrets only: it has no organisation keys. */
export function keylessVault(kek: Buffer): Vault {
  return new Vault(kek, {
    getWrappedKey: () => Promise.resolve(undefined),
    putWrappedKey: () => Promise.reject(new Error('this vault stores no keys')),
  });
}

/** The stores an operation works through, over the database it opened. */
export function opsStores(database: Database) {
  const settings = settingsStore(database.db);
  return {
    settings,
    keys: organisationKeyStore(database.db, settings),
    audit: auditStore(database.db, database.dialect),
    programmes: programmeStore(database.db),
  };
}

/** Refuses a key-encryption key that does not open the instance's data. */
export async function requireMatchingKek(db: Db, kek: Buffer): Promise<void> {
  const check = await organisationKeyStore(db, settingsStore(db)).keyCheck();
  if (check === undefined) throw new OpsError('this instance has no key check yet: start the server once first');
  if (!keylessVault(kek).verifyCheck(check)) {
    throw new OpsError(
      'the key-encryption key does not open this instance\u2019s data: check KALAJA_KEY or the key file',
    );
  }
}
