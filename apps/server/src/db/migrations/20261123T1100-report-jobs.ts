import type { Kysely } from 'kysely';

/**
 * Reports generated in the app, one row per request: what was asked for, the job's status and
 * progress, and when it finished. The report itself is not in the database: it is a sealed
 * file in `<dataDir>/reports/<id>` (an organisation's report under that organisation's data
 * key, a programme report under the instance key), with its HTML preview beside it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('size', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('reports_programme').on('reports').columns(['programme_id', 'created_at']).execute();
  // Finding unfinished jobs when a server starts.
  await db.schema.createIndex('reports_status').on('reports').column('status').execute();
}
