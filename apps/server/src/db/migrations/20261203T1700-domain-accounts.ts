import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * The qualitative reassessment (issue 13): per assessment of a round after the first and per
 * domain, the assessor's account of what changed since the round before and why (interview
 * notes, observed practice), and the organisation's own account. One of each per domain, each
 * sealed under the organisation's data key and versioned like an answer; the reports show them
 * beside the numbers.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('domain_accounts')
    .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessments.id').onDelete('cascade'))
    .addColumn('domain_id', 'text', (c) => c.notNull())
    // assessor | organisation
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('body_sealed', binary, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('domain_accounts_pk', ['assessment_id', 'domain_id', 'author'])
    .execute();
}
