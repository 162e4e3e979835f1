import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Organisations' plans (docs/contracts.md, §7): the items an assessor or manager picked from the
 * ranking, or wrote themselves, each with its owner, due date and status; their evidence files;
 * and each item's history. What an item says in words (an own item's title, notes, the reason it
 * was dropped) is sealed under the organisation's data key in `texts_sealed`; which intervention,
 * its status and dates are in clear, for the programme's counts.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  const serial = dialect === 'postgres' ? sql`bigserial` : sql`integer`;
  const s = db.schema;

  await s
    .createTable('plan_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    // The round whose gap the item answers.
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    // The catalogue's intervention id; null for the team's own item.
    .addColumn('intervention_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    // YYYY-MM-DD, or null.
    .addColumn('due_on', 'text')
    .addColumn('done_at', 'bigint')
    .addColumn('texts_sealed', binary, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('plan_items_organisation')
    .on('plan_items')
    .columns(['programme_id', 'organisation_id'])
    .execute();
  // An intervention is picked once per round of an organisation's plan.
  await s
    .createIndex('plan_items_once')
    .on('plan_items')
    .columns(['programme_id', 'organisation_id', 'round_id', 'intervention_id'])
    .unique()
    .where(sql.ref('intervention_id'), 'is not', null)
    .execute();

  await s
    .createTable('plan_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
    .addColumn('name_sealed', binary, (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('plan_evidence_item').on('plan_evidence').column('item_id').execute();

  // Who changed what when: field names and clear values (status, owner, due date), never a sealed text.
  await s
    .createTable('plan_item_events')
    .addColumn('seq', serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('item_id', 'text', (c) => c.notNull().references('plan_items.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('plan_item_events_item').on('plan_item_events').column('item_id').execute();
}
