import type { Db, Executor } from '../db/database.js';
import type { SettingsStore } from '../db/settings-store.js';
import type { KeyStore } from './vault.js';

/** The setting that holds the key check (see `Vault.checkValue`), base64. */
const KEY_CHECK = 'key_check';

/**
 * Where keys live in the database: each organisation's data key, wrapped under the
 * key-encryption key (`organisation_keys`), and the key check that proves which
 * key-encryption key sealed the instance. Deleting an organisation's row crypto-shreds it.
 * The vault reads and adds wrapped keys through `vaultKeys`.
 */
export function organisationKeyStore(db: Db, settings: SettingsStore) {
  return {
    async wrappedKey(organisationId: string, tx: Executor = db): Promise<Uint8Array | undefined> {
      const row = await tx
        .selectFrom('organisation_keys')
        .select('wrapped_key')
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      return row ? new Uint8Array(row.wrapped_key) : undefined;
    },

    /** Several organisations' wrapped keys, by organisation (those without a key are absent). */
    async wrappedKeys(organisationIds: readonly string[], tx: Executor = db): Promise<Map<string, Uint8Array>> {
      const out = new Map<string, Uint8Array>();
      for (let i = 0; i < organisationIds.length; i += 500) {
        const rows = await tx
          .selectFrom('organisation_keys')
          .select(['organisation_id', 'wrapped_key'])
          .where('organisation_id', 'in', organisationIds.slice(i, i + 500))
          .execute();
        for (const r of rows) out.set(r.organisation_id, new Uint8Array(r.wrapped_key));
      }
      return out;
    },

    /** Adds an organisation's wrapped key; an insert, so a second key for one organisation fails. */
    async add(organisationId: string, wrapped: Uint8Array, at: number, tx: Executor = db): Promise<void> {
      await tx
        .insertInto('organisation_keys')
        .values({ organisation_id: organisationId, wrapped_key: wrapped, created_at: at })
        .execute();
    },

    /** Deletes an organisation's key (crypto-shredding); false when it had none. */
    async remove(organisationId: string, tx: Executor = db): Promise<boolean> {
      const r = await tx
        .deleteFrom('organisation_keys')
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    /** Which of these organisations still have a key (the others were crypto-shredded). */
    async keyed(organisationIds: readonly string[], tx: Executor = db): Promise<Set<string>> {
      if (organisationIds.length === 0) return new Set();
      const rows = await tx
        .selectFrom('organisation_keys')
        .select('organisation_id')
        .where('organisation_id', 'in', [...new Set(organisationIds)])
        .execute();
      return new Set(rows.map((r) => r.organisation_id));
    },

    /** Every wrapped key, in organisation order: what a rotation re-wraps. */
    async all(tx: Executor = db) {
      return tx
        .selectFrom('organisation_keys')
        .select(['organisation_id', 'wrapped_key'])
        .orderBy('organisation_id')
        .execute();
    },

    async rewrap(organisationId: string, wrapped: Uint8Array, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('organisation_keys')
        .set({ wrapped_key: wrapped })
        .where('organisation_id', '=', organisationId)
        .execute();
    },

    /** The stored key check; undefined before the instance's first start. */
    async keyCheck(tx: Executor = db): Promise<Uint8Array | undefined> {
      const value = await settings.get(KEY_CHECK, tx);
      return value === undefined ? undefined : Buffer.from(value, 'base64');
    },

    /** Stores the first key check; false when another process stored one first. */
    addKeyCheck: (check: Uint8Array, tx: Executor = db) =>
      settings.add(KEY_CHECK, Buffer.from(check).toString('base64'), tx),

    replaceKeyCheck: (check: Uint8Array, tx: Executor = db) =>
      settings.put(KEY_CHECK, Buffer.from(check).toString('base64'), tx),
  };
}

export type OrganisationKeyStore = ReturnType<typeof organisationKeyStore>;

/** The vault's view of the key store: wrapped keys read and added, with the clock for `created_at`. */
export function vaultKeys(
  keys: Pick<OrganisationKeyStore, 'wrappedKey' | 'wrappedKeys' | 'add'>,
  now: () => number,
): KeyStore {
  return {
    getWrappedKey: (organisationId) => keys.wrappedKey(organisationId),
    getWrappedKeys: (organisationIds) => keys.wrappedKeys(organisationIds),
    putWrappedKey: (organisationId, wrapped) => keys.add(organisationId, wrapped, now()),
  };
}
