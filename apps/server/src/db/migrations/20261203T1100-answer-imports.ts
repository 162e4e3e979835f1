import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Answer imports as jobs (decision 0010). `answer_imports` is one import into one round: its
 * layer, who asked, how far it got and how it ended. `answer_import_rows` holds the import's
 * sealed answers until they are applied: staged in bounded transactions, then applied
 * assessment by assessment, so that a large file never holds the database for long. An
 * assessment with `import_id` set is being written by that import: it cannot be submitted or
 * validated until the import has reached it.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('answer_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('layer', 'text', (c) => c.notNull())
    // checking → staging → applying → done, or failed (with `error`, and the file's problems
    // as JSON in `problems`) before it reached applying.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows_total', 'integer', (c) => c.notNull())
    .addColumn('rows_done', 'integer', (c) => c.notNull())
    .addColumn('organisations', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('problems', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // The process working on it touches this; a job left without a heartbeat is taken over.
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('answer_imports_round').on('answer_imports').columns(['round_id', 'status']).execute();
  await db.schema
    .createTable('answer_import_rows')
    .addColumn('import_id', 'text', (c) => c.notNull().references('answer_imports.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessments.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('sealed', binary)
    .addPrimaryKeyConstraint('answer_import_rows_pk', ['import_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('answer_import_rows_assessment')
    .on('answer_import_rows')
    .columns(['import_id', 'assessment_id'])
    .execute();
  await db.schema.alterTable('assessments').addColumn('import_id', 'text').execute();
}
