import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * The threat landscape frozen with each publication is decided against the ones frozen before
 * (docs/contracts.md §10, "Differencing between publications"): `threat_publications.sets` holds
 * the sets of contributions behind the counts it shows, as JSON, the organisations and their
 * counts known only by keyed fingerprints. Landscapes frozen before have none (null): the next
 * one is checked against what there is.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('threat_publications').addColumn('sets', 'text').execute();
}
