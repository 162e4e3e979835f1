import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Technical findings (docs/contracts.md, §14; issue 20): what an assessor found testing an
 * organisation, its review, the plan item it became and its retest. What a finding says in words
 * (title, description, how it was found, recommendation, CVSS vector, retest notes) is sealed
 * under the organisation's data key in `texts_sealed`; severity, target, status and dates are in
 * clear, for the programme's counts. Evidence files and history as for plan items.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  const serial = dialect === 'postgres' ? sql`bigserial` : sql`integer`;
  const s = db.schema;

  await s
    .createTable('findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // YYYY-MM-DD.
    .addColumn('found_on', 'text', (c) => c.notNull())
    // JSON arrays of framework question ids and catalogue intervention ids.
    .addColumn('questions', 'text', (c) => c.notNull())
    .addColumn('interventions', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('reviewer_id', 'text')
    .addColumn('approved_at', 'bigint')
    .addColumn('plan_item_id', 'text', (c) => c.references('plan_items.id').onDelete('set null'))
    // The latest retest: YYYY-MM-DD, its outcome and who did it.
    .addColumn('retest_on', 'text')
    .addColumn('retest_by', 'text')
    .addColumn('texts_sealed', binary, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('findings_organisation').on('findings').columns(['programme_id', 'organisation_id']).execute();
  await s.createIndex('findings_plan_item').on('findings').column('plan_item_id').execute();

  await s
    .createTable('finding_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('finding_id', 'text', (c) => c.notNull().references('findings.id').onDelete('cascade'))
    .addColumn('name_sealed', binary, (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('finding_evidence_finding').on('finding_evidence').column('finding_id').execute();

  // Who changed what when; a reviewer's comment is sealed under the organisation's key.
  await s
    .createTable('finding_events')
    .addColumn('seq', serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('finding_id', 'text', (c) => c.notNull().references('findings.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('comment_sealed', binary)
    .execute();
  await s.createIndex('finding_events_finding').on('finding_events').column('finding_id').execute();
}
