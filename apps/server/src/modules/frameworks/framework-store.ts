import type { Db, Executor } from '../../db/database.js';

/** Framework versions as imported (`frameworks`): the source text is kept, and never changed. */
export function frameworkStore(db: Db) {
  return {
    async source(id: string, tx: Executor = db) {
      return tx.selectFrom('frameworks').select(['source', 'source_format']).where('id', '=', id).executeTakeFirst();
    },

    /** The stored version of a framework key, if that version was imported before. */
    async version(key: string, version: string, tx: Executor = db) {
      return tx
        .selectFrom('frameworks')
        .select(['id', 'source'])
        .where('framework_key', '=', key)
        .where('version', '=', version)
        .executeTakeFirst();
    },

    /** A stored version's source with new translations (same questions and English; see the service). */
    async replaceSource(id: string, source: string, tx: Executor = db): Promise<void> {
      await tx.updateTable('frameworks').set({ source }).where('id', '=', id).execute();
    },

    async insert(
      row: {
        id: string;
        key: string;
        version: string;
        title: string;
        source: string;
        format: 'yaml' | 'json';
        at: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('frameworks')
        .values({
          id: row.id,
          framework_key: row.key,
          version: row.version,
          title: row.title,
          source: row.source,
          source_format: row.format,
          imported_at: row.at,
        })
        .execute();
    },

    /** Every version's id, by key and then in the order they were imported. */
    async ids(tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectFrom('frameworks')
        .select('id')
        .orderBy('framework_key')
        .orderBy('imported_at')
        .execute();
      return rows.map((r) => r.id);
    },

    async any(tx: Executor = db): Promise<boolean> {
      return (await tx.selectFrom('frameworks').select('id').limit(1).executeTakeFirst()) !== undefined;
    },
  };
}

export type FrameworkStore = ReturnType<typeof frameworkStore>;
