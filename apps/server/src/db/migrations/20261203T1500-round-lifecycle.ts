import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Rounds that open and close (issue 13). `rounds.opened_at` is when a round opened (by a
 * manager, or by itself on its start date); `rounds.closed_at` when it was closed, null while it
 * is open or after it was reopened. A closed round is read-only; every assessment of it carries
 * the same moment in `assessments.round_closed_at`, so that a save reads the round's state on
 * the row it already locks (a close that commits first wins, as a submit does). `round_events`
 * keeps who opened, closed and reopened a round, when, and why it was reopened.
 *
 * Rounds that existed before could all be answered: they start open, as of their programme's
 * creation.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const serial = dialect === 'postgres' ? sql`bigserial` : sql`integer`;
  await db.schema.alterTable('rounds').addColumn('opened_at', 'bigint').execute();
  await db.schema.alterTable('rounds').addColumn('closed_at', 'bigint').execute();
  await db.schema.alterTable('assessments').addColumn('round_closed_at', 'bigint').execute();
  await sql`update rounds set opened_at = (select created_at from programmes where programmes.id = rounds.programme_id)`.execute(
    db,
  );
  await db.schema
    .createTable('round_events')
    // The history's order: steps taken in the same millisecond stay in the order they were taken.
    .addColumn('seq', serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    // open | close | reopen
    .addColumn('action', 'text', (c) => c.notNull())
    // Why a closed round was reopened, in the manager's words; null for the other actions.
    .addColumn('reason', 'text')
    // The manager, or null when the round opened by itself on its start date.
    .addColumn('actor_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('round_events_round').on('round_events').columns(['round_id', 'seq']).execute();
}
