import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * What keeps cohort results quick at the size of a region:
 *
 * - `assessments.answers_version`: bumped in the same transaction as every write to the
 *   assessment's answers (answer-store.ts), so one read of the assessments tells which
 *   assessments changed since results were last computed, without reading any answer.
 * - `assessment_choices`: each assessment's answers that count, as the engine's choices,
 *   sealed under the organisation's key like the answers themselves (associated data
 *   `org:<id>|assessment_choices.sealed|<assessment>`), with the answers version they were
 *   made from. A server that starts, or another server process, opens one value per
 *   assessment instead of every answer; a snapshot of an older version is never used.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  await db.schema
    .alterTable('assessments')
    .addColumn('answers_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('assessment_choices')
    .addColumn('assessment_id', 'text', (c) => c.primaryKey().references('assessments.id').onDelete('cascade'))
    .addColumn('answers_version', 'integer', (c) => c.notNull())
    .addColumn('sealed', binary, (c) => c.notNull())
    .execute();
}
