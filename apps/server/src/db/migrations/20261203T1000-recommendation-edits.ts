import type { Kysely } from 'kysely';

/**
 * The programme team's review of the drafted recommendations: per programme and recommendation
 * id, whether it is dropped, its priority, and the team's title and text by language (JSON). A
 * recommendation the team added has an id starting `team:`. Reports apply these when they are
 * made (engine: report/recommendation-edits.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recommendation_edits')
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('recommendation_id', 'text', (c) => c.notNull())
    .addColumn('dropped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('priority', 'text')
    .addColumn('texts', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_edits_pk', ['programme_id', 'recommendation_id'])
    .execute();
}
