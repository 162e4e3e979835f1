import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Session management (threat model, T1): people list and end their own sessions, and hear about a
 * sign-in from a device they have not used before.
 *
 * - `sessions.handle`: a random, opaque name for a session that the API can show and take
 *   back. The primary key is the SHA-256 of the cookie token and must never leave the server.
 *   Sessions that exist when this runs get a handle here. SQLite cannot add a NOT NULL column
 *   without a constant default, so NOT NULL is enforced on PostgreSQL and by the one insert
 *   (`createSession`) on SQLite; the unique index holds on both.
 * - `known_devices`: per user, the SHA-256 of a user agent and address family seen at a
 *   completed sign-in. No addresses are stored.
 * - `notices`: in-app notices to one user (today: a sign-in from a new device), shown until
 *   read. `params` is JSON for the message; the text itself is translated by the web app.
 *
 * Never edit after it lands; add a new migration instead.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const s = db.schema;

  await s.alterTable('sessions').addColumn('handle', 'text').execute();
  const existing = await sql<{ id: string }>`select id from sessions`.execute(db);
  for (const row of existing.rows) {
    await sql`update sessions set handle = ${randomBytes(16).toString('base64url')} where id = ${row.id}`.execute(db);
  }
  if (dialect === 'postgres') await sql`alter table sessions alter column handle set not null`.execute(db);
  await s.createIndex('sessions_handle').on('sessions').column('handle').unique().execute();

  await s
    .createTable('known_devices')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('known_devices_pk', ['user_id', 'fingerprint'])
    .execute();

  await s
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await s.createIndex('notices_user').on('notices').columns(['user_id', 'created_at']).execute();
}
