import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Passkeys and account recovery (decision 7).
 *
 * - `passkeys`: WebAuthn credentials, per user. The public key is not a secret, but the table
 *   is still per account and goes with it (cascade).
 * - `sessions.webauthn_challenge`: the challenge of the ceremony under way in this session
 *   (one at a time), with when it was issued, so it expires and cannot be used twice.
 * - `sessions.mfa_method`: which second factor completed the session (`totp`, `recovery_code`,
 *   `passkey`), so that requiring passkeys can end the sessions that did not use one.
 * - `sessions.proof_at`: a second factor was proven in this session, but the account must still
 *   add a passkey before the session is complete (passkeys required, or after a recovery code).
 * - `users.recovery_token_hash` / `recovery_expires_at`: a one-time recovery link an instance admin
 *   issued after resetting someone's second factors. While it is pending, enrolling a new factor
 *   needs both the password and the link: neither the admin nor a password thief can do it alone.
 *
 * Never edit after it lands; add a new migration instead.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('passkeys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
  await s.createIndex('passkeys_user').on('passkeys').column('user_id').execute();

  await s.alterTable('sessions').addColumn('webauthn_challenge', 'text').execute();
  await s.alterTable('sessions').addColumn('webauthn_challenge_at', 'bigint').execute();
  await s.alterTable('sessions').addColumn('mfa_method', 'text').execute();
  await s.alterTable('sessions').addColumn('proof_at', 'bigint').execute();
  await s.alterTable('users').addColumn('recovery_token_hash', 'text').execute();
  await s.alterTable('users').addColumn('recovery_expires_at', 'bigint').execute();
}
