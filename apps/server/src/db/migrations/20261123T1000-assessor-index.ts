import type { Kysely } from 'kysely';

/**
 * Every signed-in request loads the user's assessor assignments by user; the primary key
 * starts with the programme, so that lookup scanned the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('programme_assessors_user').on('programme_assessors').column('user_id').execute();
}
