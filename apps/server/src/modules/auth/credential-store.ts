import type { Db, Executor } from '../../db/database.js';

/**
 * Second factors besides TOTP (which is a column of the account): passkeys (`passkeys`, the
 * public key and WebAuthn id as base64url text) and one-time recovery codes
 * (`recovery_codes`, SHA-256 of each).
 */
export function credentialStore(db: Db) {
  return {
    async passkeyCount(userId: string, tx: Executor = db): Promise<number> {
      const { n } = await tx
        .selectFrom('passkeys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    async addPasskey(
      p: {
        id: string;
        userId: string;
        credentialId: string;
        publicKey: string;
        counter: number;
        transports: string;
        name: string;
        at: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('passkeys')
        .values({
          id: p.id,
          user_id: p.userId,
          credential_id: p.credentialId,
          public_key: p.publicKey,
          counter: p.counter,
          transports: p.transports,
          name: p.name,
          created_at: p.at,
          last_used_at: null,
        })
        .execute();
    },

    /** The account's passkeys as the account page lists them, oldest first. */
    async passkeysOf(userId: string, tx: Executor = db) {
      return tx
        .selectFrom('passkeys')
        .select(['id', 'name', 'created_at', 'last_used_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute();
    },

    /** Whether the passkey with this id is the account's. */
    async ownsPasskey(userId: string, passkeyId: string, tx: Executor = db): Promise<boolean> {
      const key = await tx
        .selectFrom('passkeys')
        .select('id')
        .where('id', '=', passkeyId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return key !== undefined;
    },

    async removePasskey(passkeyId: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('passkeys').where('id', '=', passkeyId).execute();
    },

    /** The account's passkeys as WebAuthn names them (credential id and transports JSON). */
    async credentialsOf(userId: string, tx: Executor = db) {
      return tx.selectFrom('passkeys').select(['credential_id', 'transports']).where('user_id', '=', userId).execute();
    },

    /** The account's passkey with this WebAuthn credential id. */
    async passkeyByCredential(userId: string, credentialId: string, tx: Executor = db) {
      return tx
        .selectFrom('passkeys')
        .selectAll()
        .where('user_id', '=', userId)
        .where('credential_id', '=', credentialId)
        .executeTakeFirst();
    },

    /** Whether any account has registered this WebAuthn credential. */
    async credentialTaken(credentialId: string, tx: Executor = db): Promise<boolean> {
      const taken = await tx
        .selectFrom('passkeys')
        .select('id')
        .where('credential_id', '=', credentialId)
        .executeTakeFirst();
      return taken !== undefined;
    },

    /** A passkey signed in: its new signature counter and the time. */
    async passkeyUsed(passkeyId: string, counter: number, at: number, tx: Executor = db): Promise<void> {
      await tx.updateTable('passkeys').set({ counter, last_used_at: at }).where('id', '=', passkeyId).execute();
    },

    /** Replaces the account's recovery codes with new ones (their hashes). */
    async replaceRecoveryCodes(
      userId: string,
      codes: { id: string; hash: string }[],
      tx: Executor = db,
    ): Promise<void> {
      await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      await tx
        .insertInto('recovery_codes')
        .values(codes.map((c) => ({ id: c.id, user_id: userId, code_hash: c.hash, used_at: null })))
        .execute();
    },

    async hasUnusedRecoveryCode(userId: string, hash: string, tx: Executor = db): Promise<boolean> {
      const unused = await tx
        .selectFrom('recovery_codes')
        .select('id')
        .where('user_id', '=', userId)
        .where('code_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return unused !== undefined;
    },

    /** Uses a recovery code; false when it was used already (by a request a moment earlier). */
    async useRecoveryCode(userId: string, hash: string, at: number, tx: Executor = db): Promise<boolean> {
      const used = await tx
        .updateTable('recovery_codes')
        .set({ used_at: at })
        .where('user_id', '=', userId)
        .where('code_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(used.numUpdatedRows) === 1;
    },

    /** Removes every passkey and recovery code of the account (an admin's reset). */
    async removeAllOf(userId: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('passkeys').where('user_id', '=', userId).execute();
      await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    },
  };
}

export type CredentialStore = ReturnType<typeof credentialStore>;
