import type { Db, Executor } from './database.js';

/**
 * The instance's named settings (`instance`: key → text): the key check, the first-run setup
 * token's hash, the passkey rule. One row per key; nothing else in the server writes the table.
 *
 * @example
 *   const settings = settingsStore(db);
 *   await settings.put('require_passkeys', 'admins_managers', tx);
 *   (await settings.get('require_passkeys')) === 'admins_managers';
 */
export function settingsStore(db: Db) {
  return {
    /** The setting's value; undefined when it was never set. */
    async get(key: string, tx: Executor = db): Promise<string | undefined> {
      const row = await tx.selectFrom('instance').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value;
    },

    /** Sets (or replaces) one setting. */
    async put(key: string, value: string, tx: Executor = db): Promise<void> {
      await tx
        .insertInto('instance')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },

    /** Sets a setting that must not exist yet; false when another process set it first. */
    async add(key: string, value: string, tx: Executor = db): Promise<boolean> {
      const added = await tx
        .insertInto('instance')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      return added !== undefined;
    },

    async remove(key: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('instance').where('key', '=', key).execute();
    },

    /** Whether the instance holds any setting at all: a database Kalaja has started on. */
    async any(tx: Executor = db): Promise<boolean> {
      return (await tx.selectFrom('instance').select('key').limit(1).executeTakeFirst()) !== undefined;
    },
  };
}

export type SettingsStore = ReturnType<typeof settingsStore>;
