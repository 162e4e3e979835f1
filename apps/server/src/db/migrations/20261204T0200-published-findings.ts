import type { Kysely } from 'kysely';

/**
 * What observers see of the ethical hackers' findings (issue 20): the cohort's counts as they
 * stood when a round's results were published, over the organisations of that version and with
 * no cell from fewer than k of them, frozen beside the figures. Null for versions published
 * before findings were counted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('publications').addColumn('findings', 'text').execute();
}
