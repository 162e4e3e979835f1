import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { settingsStore } from '../db/settings-store.js';
import { SETUP_TOKEN_FIELD, SETUP_TOKEN_ROW, SETUP_TOKEN_SEALED } from '../modules/auth/sign-in-service.js';
import { userStore } from '../modules/users/user-store.js';
import { organisationKeyStore } from './organisation-key-store.js';
import { KEY_BYTES, SealError, open, seal } from './seal.js';
import { Vault } from './vault.js';

/**
 * Rotation of the key-encryption key (KEK). The KEK encrypts little: each organisation's data
 * key (`organisation_keys.wrapped_key`, sealed with associated data `orgkey:<id>`), the
 * instance secrets sealed under a key derived from it (`Vault#sealInstance`: users' TOTP
 * secrets, the publications' fingerprint key, the setup token kept until the first account exists) and the key check (`instance.key_check`). Rotation re-wraps all of them under a new
 * KEK in one transaction; answers, notes and evidence stay as they are, sealed under the data
 * keys, which do not change. The server keeps running meanwhile; it is then restarted with the
 * new key (until then it serves the organisations whose keys it holds in memory).
 *
 * Resumable: anything already under the new KEK is left alone, so running the rotation again
 * with the same two keys re-wraps only what was sealed under the old one in the meantime (an
 * organisation created, or a TOTP enrolled, by a server that still ran with the old key).
 *
 * What it does not do: the data keys themselves stay the same, so someone who already holds a
 * copy of the database together with the old KEK can still read it. Rotation protects against
 * a key that leaks from now on, and retires the old key once backups made with it expire.
 */

/**
 * Every field sealed with `Vault#sealInstance`, by its associated-data field name. A new use of
 * `sealInstance` must be re-sealed here too; a test fails when one is missing.
 */
export const INSTANCE_SEALED_FIELDS = [
  'users.totp',
  'instance.publication_key',
  'instance.setup_token',
  'instance.reporting_team_key',
] as const;

/** The setting that holds the publications' fingerprint key, sealed (modules/publications). */
export const PUBLICATION_KEY_SETTING = 'publication_key';
/** The setting that holds the reporting team's key, sealed (modules/reporting): it wraps every report's key. */
export const REPORTING_KEY_SETTING = 'reporting_team_key';

export class RotationError extends Error {
  override readonly name = 'RotationError';
}

export interface RotationResult {
  /** Organisation data keys re-wrapped under the new KEK in this run. */
  organisationKeys: number;
  /** Instance secrets (TOTP secrets) re-sealed under the new KEK in this run. */
  instanceSecrets: number;
  /** Items that were already under the new KEK (a resumed rotation). */
  alreadyRotated: number;
}

/** Must match the Vault's wrapping of data keys. */
const wrapAad = (organisationId: string) => `orgkey:${organisationId}`;

function tryOpen(key: Buffer, sealed: Uint8Array, aad: string): Buffer | undefined {
  try {
    return open(key, sealed, aad);
  } catch (error) {
    if (error instanceof SealError) return undefined;
    throw error;
  }
}

function tryOpenInstance(vault: Vault, field: string, rowId: string, sealed: Uint8Array): Buffer | undefined {
  try {
    return vault.openInstance(field, rowId, sealed);
  } catch (error) {
    if (error instanceof SealError) return undefined;
    throw error;
  }
}

/**
 * Re-wraps everything sealed under `oldKek` under `newKek`, in one transaction: either every
 * key is re-wrapped and the key check replaced, or nothing changes. Throws RotationError when
 * the old key does not open the instance, or when an item opens under neither key (then
 * nothing is written).
 */
export async function rotateKeyEncryptionKey(
  database: Database,
  oldKek: Buffer,
  newKek: Buffer,
): Promise<RotationResult> {
  if (oldKek.length !== KEY_BYTES || newKek.length !== KEY_BYTES)
    throw new RotationError(`both keys must be ${KEY_BYTES} bytes`);
  if (Buffer.compare(oldKek, newKek) === 0)
    throw new RotationError('the new key is the key already in use; generate a new one with --generate');
  const noStore = {
    getWrappedKey: () => Promise.resolve(undefined),
    putWrappedKey: () => Promise.reject(new Error('unused')),
  };
  const oldVault = new Vault(oldKek, noStore);
  const newVault = new Vault(newKek, noStore);
  const keys = organisationKeyStore(database.db, settingsStore(database.db));
  const users = userStore(database.db);

  return database.db.transaction().execute(async (tx) => {
    // Take the write lock first. On SQLite a transaction that reads before its first write
    // fails when a running server commits in between; a write up front waits its turn
    // (busy_timeout) instead. On PostgreSQL the tables are locked against writers (readers
    // go on), so no key can be added under the old KEK while this runs.
    if (database.dialect === 'postgres') {
      await sql`lock table instance, organisation_keys, users in share row exclusive mode`.execute(tx);
    } else {
      await tx
        .updateTable('instance')
        .set({ value: sql`value` })
        .where('key', '=', 'key_check')
        .execute();
    }

    const checkBytes = await keys.keyCheck(tx);
    if (!checkBytes) throw new RotationError('this instance has no key check yet: start the server once first');
    const resumed = newVault.verifyCheck(checkBytes);
    if (!resumed && !oldVault.verifyCheck(checkBytes)) {
      throw new RotationError(
        'the configured key-encryption key does not open this instance\u2019s data (nor does the new key): check KALAJA_KEY or the key file',
      );
    }

    const result: RotationResult = { organisationKeys: 0, instanceSecrets: 0, alreadyRotated: 0 };

    for (const k of await keys.all(tx)) {
      const aad = wrapAad(k.organisation_id);
      const wrapped = new Uint8Array(k.wrapped_key);
      const already = tryOpen(newKek, wrapped, aad);
      if (already) {
        already.fill(0);
        result.alreadyRotated += 1;
        continue;
      }
      const dataKey = tryOpen(oldKek, wrapped, aad);
      if (!dataKey)
        throw new RotationError(
          `the data key of organisation ${k.organisation_id} opens under neither key; nothing was changed`,
        );
      await keys.rewrap(k.organisation_id, seal(newKek, dataKey, aad), tx);
      dataKey.fill(0);
      result.organisationKeys += 1;
    }

    // users.totp (INSTANCE_SEALED_FIELDS)
    for (const u of await users.withTotpSecret(tx)) {
      const sealed = new Uint8Array(u.totp_sealed!);
      const already = tryOpenInstance(newVault, 'users.totp', u.id, sealed);
      if (already) {
        already.fill(0);
        result.alreadyRotated += 1;
        continue;
      }
      const secret = tryOpenInstance(oldVault, 'users.totp', u.id, sealed);
      if (!secret)
        throw new RotationError(`the TOTP secret of user ${u.id} opens under neither key; nothing was changed`);
      await users.setTotpSecret(u.id, newVault.sealInstance('users.totp', u.id, secret), tx);
      secret.fill(0);
      result.instanceSecrets += 1;
    }

    // Keys kept in `instance` settings, sealed under the instance key (INSTANCE_SEALED_FIELDS): each
    // must survive rotation unchanged. The publications' fingerprint key, or every organisation
    // would look changed to the next publication's differencing check; the reporting team's key,
    // which wraps every report's own key.
    const settings = settingsStore(database.db);
    const sealedSettings = [
      {
        setting: PUBLICATION_KEY_SETTING,
        field: 'instance.publication_key',
        what: 'the publications\u2019 fingerprint key',
      },
      { setting: REPORTING_KEY_SETTING, field: 'instance.reporting_team_key', what: 'the reporting team\u2019s key' },
    ] as const;
    for (const { setting, field, what } of sealedSettings) {
      const stored = await settings.get(setting, tx);
      if (stored === undefined) continue;
      const sealed = new Uint8Array(Buffer.from(stored, 'base64'));
      const already = tryOpenInstance(newVault, field, setting, sealed);
      if (already) {
        already.fill(0);
        result.alreadyRotated += 1;
        continue;
      }
      const secret = tryOpenInstance(oldVault, field, setting, sealed);
      if (!secret) throw new RotationError(`${what} opens under neither key; nothing was changed`);
      await settings.put(setting, Buffer.from(newVault.sealInstance(field, setting, secret)).toString('base64'), tx);
      secret.fill(0);
      result.instanceSecrets += 1;
    }

    // instance.setup_token (INSTANCE_SEALED_FIELDS): kept in `instance` until the first account exists.
    const setupToken = await settings.get(SETUP_TOKEN_SEALED, tx);
    if (setupToken !== undefined) {
      const sealed = new Uint8Array(Buffer.from(setupToken, 'base64'));
      const already = tryOpenInstance(newVault, SETUP_TOKEN_FIELD, SETUP_TOKEN_ROW, sealed);
      const token = already ?? tryOpenInstance(oldVault, SETUP_TOKEN_FIELD, SETUP_TOKEN_ROW, sealed);
      if (!already && token) {
        const resealed = newVault.sealInstance(SETUP_TOKEN_FIELD, SETUP_TOKEN_ROW, token);
        await settings.put(SETUP_TOKEN_SEALED, Buffer.from(resealed).toString('base64'), tx);
      }
      // One that opens under neither key is replaced by a new token at the next start.
      token?.fill(0);
    }

    if (!resumed) await keys.replaceKeyCheck(newVault.checkValue(), tx);
    return result;
  });
}
