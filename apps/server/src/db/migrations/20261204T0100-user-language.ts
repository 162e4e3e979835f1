import type { Kysely } from 'kysely';

/**
 * A person's language (issue 16): `en`, `sq`, `sr-Latn` or `sr-Cyrl`, chosen in the app and
 * remembered on the account, so the interface follows them from one browser to the next. Null
 * until they choose; the app then follows the browser's language.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('language', 'text').execute();
}
