import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Answers carried over to confirm (issue 13). When a round after the first opens, each
 * organisation's answers that counted in the round before (the validated one where there is
 * one, else its own, with its note) are put beside its new questions, sealed under the
 * organisation's key in `answers.carried_sealed`. They are a proposal, not an answer: nothing
 * scores or counts them until the organisation confirms one (its own answer then holds the same)
 * or changes it.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  await db.schema.alterTable('answers').addColumn('carried_sealed', binary).execute();
}
