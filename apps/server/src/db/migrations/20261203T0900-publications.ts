import type { Kysely } from 'kysely';

/**
 * Published versions of a round's results, the only figures observers see (threat model, T9).
 * `figures` is the version as observers read it (the engine's PublishedRound, JSON, rounded to
 * display precision). `sets` and `members` hold, per figure and per organisation, keyed
 * fingerprints of what each organisation contributed (HMAC under the instance's publication
 * key, never a score): the next version is checked against them so that no two versions
 * together isolate fewer than k organisations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('publications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('organisations', 'integer', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('sets', 'text', (c) => c.notNull())
    .addColumn('members', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .execute();
  // One version number per round: two managers publishing at once cannot both make version 2.
  await db.schema
    .createIndex('publications_round_version')
    .on('publications')
    .columns(['round_id', 'version'])
    .unique()
    .execute();
  await db.schema.createIndex('publications_programme').on('publications').column('programme_id').execute();
}
