import type { Db, Executor } from '../../db/database.js';
import type { Role } from '../access/access-types.js';

/** The columns an account is listed with (never its password hash or second factors). */
const SUMMARY = ['id', 'email', 'display_name', 'is_instance_admin', 'disabled_at', 'created_at'] as const;

/**
 * Accounts and their roles: `users` (with the password hash and the TOTP and recovery-link
 * columns) and `memberships` (a role in a programme or an organisation).
 */
export function userStore(db: Db) {
  return {
    async byId(id: string, tx: Executor = db) {
      return tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async byEmail(email: string, tx: Executor = db) {
      return tx.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    },

    /** Whether the instance has any account yet. */
    async any(tx: Executor = db): Promise<boolean> {
      return (await tx.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
    },

    /** A new account: a password, no second factor yet. */
    async insert(
      u: { id: string; email: string; displayName: string; passwordHash: string; isInstanceAdmin: boolean; at: number },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('users')
        .values({
          id: u.id,
          email: u.email,
          display_name: u.displayName,
          password_hash: u.passwordHash,
          totp_sealed: null,
          totp_enabled_at: null,
          totp_last_step: null,
          is_instance_admin: u.isInstanceAdmin ? 1 : 0,
          disabled_at: null,
          created_at: u.at,
        })
        .execute();
    },

    /** Every account as admins list them, by email. */
    async list(tx: Executor = db) {
      return tx.selectFrom('users').select(SUMMARY).orderBy('email').execute();
    },

    async summary(id: string, tx: Executor = db) {
      return tx.selectFrom('users').select(SUMMARY).where('id', '=', id).executeTakeFirst();
    },

    async instanceAdmins(tx: Executor = db): Promise<string[]> {
      const rows = await tx.selectFrom('users').select('id').where('is_instance_admin', '=', 1).execute();
      return rows.map((r) => r.id);
    },

    async setPassword(id: string, passwordHash: string, tx: Executor = db): Promise<void> {
      await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },

    async setLanguage(id: string, language: string, tx: Executor = db): Promise<void> {
      await tx.updateTable('users').set({ language }).where('id', '=', id).execute();
    },

    /** Disables the account since `at`, or enables it again (null). */
    async setDisabled(id: string, at: number | null, tx: Executor = db): Promise<void> {
      await tx.updateTable('users').set({ disabled_at: at }).where('id', '=', id).execute();
    },

    /** Keeps a TOTP secret (sealed) for an enrolment under way; not active until `enableTotp`. */
    async setTotpSecret(id: string, sealed: Uint8Array | null, tx: Executor = db): Promise<void> {
      await tx.updateTable('users').set({ totp_sealed: sealed }).where('id', '=', id).execute();
    },

    /**
     * Activates the TOTP secret with the step of its first code, and ends any pending recovery
     * link; false when TOTP was active already (someone finished the same set-up meanwhile).
     */
    async enableTotp(id: string, at: number, step: number, tx: Executor = db): Promise<boolean> {
      const r = await tx
        .updateTable('users')
        .set({ totp_enabled_at: at, totp_last_step: step, recovery_token_hash: null, recovery_expires_at: null })
        .where('id', '=', id)
        .where('totp_enabled_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Records a TOTP step as used; false when it (or a later one) was used already: no replay. */
    async claimTotpStep(id: string, step: number, tx: Executor = db): Promise<boolean> {
      const r = await tx
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Removes the account's TOTP and sets a recovery link (its token's hash) valid until `expiresAt`. */
    async setRecoveryLink(id: string, tokenHash: string, expiresAt: number, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('users')
        .set({
          totp_sealed: null,
          totp_enabled_at: null,
          totp_last_step: null,
          recovery_token_hash: tokenHash,
          recovery_expires_at: expiresAt,
        })
        .where('id', '=', id)
        .execute();
    },

    async clearRecoveryLink(id: string, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('users')
        .set({ recovery_token_hash: null, recovery_expires_at: null })
        .where('id', '=', id)
        .execute();
    },

    /** Every account with a TOTP secret: what a key rotation re-seals. */
    async withTotpSecret(tx: Executor = db) {
      return tx
        .selectFrom('users')
        .select(['id', 'totp_sealed'])
        .where('totp_sealed', 'is not', null)
        .orderBy('id')
        .execute();
    },

    async memberships(userId: string, tx: Executor = db) {
      return tx
        .selectFrom('memberships')
        .select(['role', 'programme_id', 'organisation_id'])
        .where('user_id', '=', userId)
        .execute();
    },

    /** Whether the account has this role in the programme (any programme when none is named). */
    async hasRole(userId: string, role: Role, programmeId?: string, tx: Executor = db): Promise<boolean> {
      let q = tx.selectFrom('memberships').select('id').where('user_id', '=', userId).where('role', '=', role);
      if (programmeId !== undefined) q = q.where('programme_id', '=', programmeId);
      return (await q.executeTakeFirst()) !== undefined;
    },

    async addMemberships(
      rows: {
        id: string;
        userId: string;
        role: Role;
        programmeId: string | null;
        organisationId: string | null;
        at: number;
      }[],
      tx: Executor = db,
    ): Promise<void> {
      if (rows.length === 0) return;
      await tx
        .insertInto('memberships')
        .values(
          rows.map((m) => ({
            id: m.id,
            user_id: m.userId,
            role: m.role,
            programme_id: m.programmeId,
            organisation_id: m.organisationId,
            created_at: m.at,
          })),
        )
        .execute();
    },

    /** An organisation's admins and members (accounts not disabled), by name: who can own its plan items. */
    async organisationPeople(organisationId: string, tx: Executor = db) {
      return tx
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['users.id', 'users.display_name'])
        .distinct()
        .where('memberships.organisation_id', '=', organisationId)
        .where('memberships.role', 'in', ['org_admin', 'org_member'])
        .where('users.disabled_at', 'is', null)
        .orderBy('users.display_name')
        .orderBy('users.id')
        .execute();
    },

    /** Display names of these accounts. */
    async names(ids: readonly string[], tx: Executor = db): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await tx.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },

    /** The people with a role in the programme or one of its organisations, by name. */
    async membersOf(programmeId: string, organisationIds: readonly string[], tx: Executor = db) {
      return tx
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['users.id', 'users.display_name', 'users.email', 'memberships.role', 'memberships.organisation_id'])
        .where((eb) =>
          eb.or([
            eb('memberships.programme_id', '=', programmeId),
            ...(organisationIds.length ? [eb('memberships.organisation_id', 'in', organisationIds)] : []),
          ]),
        )
        .orderBy('users.display_name')
        .execute();
    },
  };
}

export type UserStore = ReturnType<typeof userStore>;
