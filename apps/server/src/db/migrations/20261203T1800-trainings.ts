import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Trainings (issue 14): a programme's sessions of a training module, their participants, the
 * one-time links participants take their knowledge checks with, and what each participant gave
 * in each phase (pre, post, a follow-up). A participant's name and role, and everything they
 * answered (answers, confidence, reaction, follow-up), are sealed under their organisation's data
 * key; only counts, dates and states are in clear. Links are kept as hashes only, like session
 * tokens; the short code under a keyed hash, since eight characters could be guessed from a copy
 * of the database.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  const s = db.schema;

  await s
    .createTable('training_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('module_id', 'text', (c) => c.notNull())
    .addColumn('module_version', 'text', (c) => c.notNull())
    // The session's own title; '' for the module's title in the session's language.
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('online', 'integer', (c) => c.notNull())
    .addColumn('online_link', 'text', (c) => c.notNull())
    .addColumn('trainers', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    // none | pre | post | closed
    .addColumn('check_state', 'text', (c) => c.notNull())
    .addColumn('links_issued_at', 'bigint')
    .addColumn('links_expire_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('training_sessions_programme')
    .on('training_sessions')
    .columns(['programme_id', 'starts_at'])
    .execute();

  await s
    .createTable('training_participants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('training_sessions.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    // The order participants were added in.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('attended', 'integer', (c) => c.notNull())
    // Name or pseudonym and role, sealed together.
    .addColumn('texts_sealed', binary, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('training_participants_session')
    .on('training_participants')
    .columns(['session_id', 'position'])
    .execute();

  await s
    .createTable('training_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('training_sessions.id').onDelete('cascade'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('training_participants.id').onDelete('cascade'))
    // check (pre and post) | follow-up
    .addColumn('kind', 'text', (c) => c.notNull())
    // A follow-up's days after the session (30 or 90); null for a check link.
    .addColumn('days', 'integer')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    // SHA-256 of the token a short code is exchanged for (derived from the link's, so nothing is
    // written when a code is typed).
    .addColumn('code_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await s.createIndex('training_links_participant').on('training_links').column('participant_id').execute();

  await s
    .createTable('training_results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('training_sessions.id').onDelete('cascade'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('training_participants.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    // pre | post | follow-up-30 | follow-up-90: once each per participant.
    .addColumn('phase', 'text', (c) => c.notNull())
    // link | paper | import
    .addColumn('via', 'text', (c) => c.notNull())
    // Answers, score, confidence, reaction, practices: sealed together.
    .addColumn('body_sealed', binary, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('training_results_once', ['participant_id', 'phase'])
    .execute();
  await s.createIndex('training_results_session').on('training_results').column('session_id').execute();
}
