import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { transaction, type Context } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import { ROLES, type Actor, type Membership, type Role } from '../access/access-types.js';
import { appendAudit } from '../audit/audit-store.js';
import { rememberDevice } from '../sessions/devices.js';
import { checkPasswordPolicy, hashPassword, verifyAgainstDummy, verifyPassword } from './auth-passwords.js';
import { hashRecoveryCode, hashToken, newRecoveryCodes, newToken, safeEqual } from './auth-tokens.js';
import { passkeyCeremonies, relyingParty } from './auth-passkeys.js';
import { newTotpSecret, totpUri, verifyTotp } from './auth-totp.js';
import type { passkeyAssertion, passkeyAttestation } from '@kalaja/contracts';
import type { z } from 'zod';

type Assertion = z.infer<typeof passkeyAssertion>;
type Attestation = z.infer<typeof passkeyAttestation>;

/** A session ends after 30 minutes without a request, and 12 hours after sign-in whatever happens. */
export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
/** Sign-in throttling: this many failures in the window, per account and per address, then wait. */
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 60_000;
/** Each further block of MAX_FAILURES doubles the wait (1, 2, 4, 8 minutes…), up to this. */
export const MAX_THROTTLE_MS = 15 * 60_000;
/** How long failures count towards the growing waits. */
export const FAILURE_MEMORY_MS = 24 * 60 * 60_000;
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;
/** last_seen_at is written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 60_000;

export type SessionNext = 'done' | 'mfa' | 'enrol_totp' | 'enrol_passkey' | 'recover';
export type Factor = 'totp' | 'passkey' | 'recovery_code';
export type SecondFactorInput = { code: string } | { recoveryCode: string } | { assertion: Assertion };

/** A proof (a code, a recovery code, a recovery link) opens the way to adding a passkey for this long. */
export const PROOF_TTL_MS = 10 * 60_000;
/** An admin-issued recovery link works once, within this time. */
export const RECOVERY_LINK_TTL_MS = 24 * 60 * 60_000;

export interface SessionInfo {
  id: string;
  userId: string;
  mfa: boolean;
  /** When the password and second factor were last entered in this session. */
  reauthAt?: number;
  /** The second factor that completed the session. */
  mfaMethod?: Factor | null;
  /** When a factor or recovery link was proven in a session that must still add a new factor. */
  proofAt?: number | null;
}

/** Exports, downloads, MFA changes, key operations and deletions need a sign-in this recent. */
export const STEP_UP_MS = 5 * 60_000;

const WRONG_CREDENTIALS = 'That email and password do not match an account.';

/**
 * Accounts and sessions: first-run setup with a console token, sign-in with throttling,
 * TOTP as the second factor for every account, recovery codes, invitations by link, and
 * opaque session tokens stored only as hashes.
 */
export function authService(ctx: Context, options: { publicUrl: string }) {
  const ceremonies = passkeyCeremonies(ctx, relyingParty(options.publicUrl));

  /** Whether the instance requires passkeys of this account: instance admins and programme managers, when set. */
  async function needsPasskey(db: Executor, userId: string): Promise<boolean> {
    const rule = await db
      .selectFrom('instance')
      .select('value')
      .where('key', '=', 'require_passkeys')
      .executeTakeFirst();
    if (rule?.value !== 'admins_managers') return false;
    const user = await db.selectFrom('users').select('is_instance_admin').where('id', '=', userId).executeTakeFirst();
    if (user?.is_instance_admin === 1) return true;
    const manager = await db
      .selectFrom('memberships')
      .select('id')
      .where('user_id', '=', userId)
      .where('role', '=', 'programme_manager')
      .executeTakeFirst();
    return manager !== undefined;
  }

  /** What stands between this account and a complete session. */
  async function accountState(db: Executor, userId: string) {
    const user = await db
      .selectFrom('users')
      .select(['totp_enabled_at', 'recovery_token_hash'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const keys = await db
      .selectFrom('passkeys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    const passkeys = Number(keys.n);
    const totp = user.totp_enabled_at !== null;
    return {
      totp,
      passkeys,
      hasFactor: totp || passkeys > 0,
      recoveryPending: user.recovery_token_hash !== null,
      needsPasskey: await needsPasskey(db, userId),
    };
  }
  type AccountState = Awaited<ReturnType<typeof accountState>>;

  /** The step a session with only the password takes next, and the factors it may use there. */
  function nextAfterPassword(a: AccountState): { next: SessionNext; factors?: Factor[] } {
    if (!a.hasFactor) {
      if (a.recoveryPending) return { next: 'recover' };
      return { next: a.needsPasskey ? 'enrol_passkey' : 'enrol_totp' };
    }
    // With passkeys required, a code proves enough only to add a passkey, and once one exists
    // only the passkey (or a recovery code, to replace a lost one) is accepted.
    const factors: Factor[] =
      a.needsPasskey && a.passkeys > 0
        ? ['passkey', 'recovery_code']
        : [...(a.totp ? (['totp'] as const) : []), ...(a.passkeys > 0 ? (['passkey'] as const) : []), 'recovery_code'];
    return { next: 'mfa', factors };
  }

  /** Marks a session complete: the second factor passed (and, at sign-in, the device checked). */
  async function completeSession(
    tx: Executor,
    session: SessionInfo,
    method: Factor,
    meta: { ip: string; notify: boolean } | undefined,
  ): Promise<void> {
    const now = ctx.now();
    await tx
      .updateTable('sessions')
      .set({ mfa_at: now, reauth_at: now, mfa_method: method, proof_at: null })
      .where('id', '=', session.id)
      .execute();
    if (!session.mfa && meta)
      await rememberDevice(tx, {
        userId: session.userId,
        sessionId: session.id,
        ip: meta.ip,
        now,
        notify: meta.notify,
      });
  }

  /**
   * May this session add a second factor now? A complete session that signed in within
   * STEP_UP_MS (a change to MFA); a session that just proved a factor or a recovery link; or an
   * account with no factor at all and no recovery pending (a new account enrolling).
   */
  function mayEnrol(session: SessionInfo, a: AccountState): boolean {
    const now = ctx.now();
    if (session.mfa) return session.reauthAt !== undefined && now - session.reauthAt <= STEP_UP_MS;
    if (session.proofAt != null && now - session.proofAt <= PROOF_TTL_MS) return true;
    return !a.hasFactor && !a.recoveryPending;
  }

  async function newRecoveryCodesFor(tx: Executor, userId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await tx
      .insertInto('recovery_codes')
      .values(codes.map((c) => ({ id: newId(), user_id: userId, code_hash: hashRecoveryCode(c), used_at: null })))
      .execute();
    return codes;
  }

  const enrolRefused = (session: SessionInfo) =>
    session.mfa
      ? new AppError(
          'reauthentication_required',
          'For this, confirm it is you: enter your password and your second factor again.',
        )
      : new AppError('mfa_required', 'Enter your second factor first.');

  /** TOTP can be set up once, by a session that may enrol; with passkeys required, a passkey comes first. */
  async function checkTotpEnrolment(session: SessionInfo): Promise<AccountState> {
    const account = await accountState(ctx.db, session.userId);
    if (account.totp) throw new AppError('conflict', 'An authenticator app is already set up for this account.');
    if (account.needsPasskey && !session.mfa)
      throw new AppError('conflict', 'Your account must sign in with a passkey: add a passkey first.');
    if (!mayEnrol(session, account)) throw enrolRefused(session);
    return account;
  }

  /** Audits a change people make to their own sign-in (a factor added or removed). */
  const auditOwn = (tx: Executor, session: SessionInfo, action: string, requestId: string, at: number) =>
    appendAudit(
      tx,
      ctx.dialect,
      selfActor(session.userId, session.id, requestId),
      { action, objectType: 'user', objectId: session.userId, organisationId: null },
      at,
    );

  const selfActor = (userId: string, sessionId: string, requestId: string): Actor => ({
    userId,
    sessionId,
    isInstanceAdmin: false,
    memberships: [],
    assignments: new Map(),
    requestId,
  });
  async function createSession(db: Executor, userId: string, userAgent: string, mfa: boolean): Promise<string> {
    const token = newToken();
    const now = ctx.now();
    await db
      .insertInto('sessions')
      .values({
        id: hashToken(token),
        user_id: userId,
        created_at: now,
        last_seen_at: now,
        mfa_at: mfa ? now : null,
        reauth_at: now,
        user_agent: userAgent.slice(0, 300),
        // The name the sessions list shows and takes back; the id (the token's hash) never leaves.
        handle: newId(),
      })
      .execute();
    return token;
  }

  function passwordProblem(password: string, email: string, displayName: string): void {
    const check = checkPasswordPolicy(password, { email, displayName });
    if (!check.ok)
      throw new AppError('invalid_request', check.message, [{ where: 'password', message: check.message }]);
  }

  /**
   * Seconds to wait before another attempt for these subjects (account, address…), or 0.
   * MAX_FAILURES failures within FAILURE_WINDOW_MS block until the window has passed the first
   * of them. After that, every further block of MAX_FAILURES failures (within
   * FAILURE_MEMORY_MS) blocks for twice as long as the one before, counted from the failure
   * that completed the block, and never longer than MAX_THROTTLE_MS: 1, 2, 4, 8, 15, 15…
   * minutes. A blocked attempt is not recorded, so waiting it out is the only way on.
   */
  async function throttled(subjects: string[]): Promise<number> {
    const now = ctx.now();
    const windowStart = now - FAILURE_WINDOW_MS;
    const memoryStart = now - FAILURE_MEMORY_MS;
    const rows = await ctx.db
      .selectFrom('login_failures')
      .select((eb) => [
        'subject',
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('at', '>', windowStart).then(1).else(0).end()).as('recent'),
        eb.fn.min<number | null>(eb.case().when('at', '>', windowStart).then(eb.ref('at')).end()).as('firstRecent'),
      ])
      .where('subject', 'in', subjects)
      .where('at', '>', memoryStart)
      .groupBy('subject')
      .execute();
    let until = 0;
    for (const r of rows) {
      if (Number(r.recent) >= MAX_FAILURES) until = Math.max(until, Number(r.firstRecent) + FAILURE_WINDOW_MS);
      const blocks = Math.floor(Number(r.n) / MAX_FAILURES);
      if (blocks < 2) continue;
      // The failure that completed the latest block (the (5·blocks)-th), even if a burst of
      // parallel attempts went past it.
      const completed = await ctx.db
        .selectFrom('login_failures')
        .select('at')
        .where('subject', '=', r.subject)
        .where('at', '>', memoryStart)
        .orderBy('at')
        .orderBy('id')
        .offset(blocks * MAX_FAILURES - 1)
        .limit(1)
        .executeTakeFirst();
      if (!completed) continue;
      const wait = Math.min(FAILURE_WINDOW_MS * 2 ** Math.min(blocks - 1, 20), MAX_THROTTLE_MS);
      until = Math.max(until, Number(completed.at) + wait);
    }
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  /** Refuses with 429 and Retry-After while any of these subjects is throttled. */
  async function refuseWhileThrottled(subjects: string[], message: string): Promise<void> {
    const wait = await throttled(subjects);
    if (wait > 0) throw new AppError('too_many_requests', message, [], { 'retry-after': String(wait) });
  }

  /** Counts one failed attempt against each subject. */
  async function recordFailure(subjects: string[]): Promise<void> {
    const at = ctx.now();
    await ctx.db
      .insertInto('login_failures')
      .values(subjects.map((subject) => ({ subject, at })))
      .execute();
  }

  /** The account's password entered again (step-up, a password change), throttled per account. */
  async function passwordAgain(user: { id: string; password_hash: string }, password: string): Promise<boolean> {
    const subjects = [`reauth:${user.id}`];
    await refuseWhileThrottled(subjects, 'Too many failed attempts. Wait a little and try again.');
    if (await verifyPassword(user.password_hash, password)) return true;
    await recordFailure(subjects);
    return false;
  }

  async function loadActor(
    userId: string,
    sessionId: string,
    requestId: string,
    isInstanceAdmin: boolean,
  ): Promise<Actor> {
    const [memberships, assignments] = await Promise.all([
      ctx.db
        .selectFrom('memberships')
        .select(['role', 'programme_id', 'organisation_id'])
        .where('user_id', '=', userId)
        .execute(),
      ctx.db
        .selectFrom('programme_assessors')
        .select(['programme_id', 'organisation_id'])
        .where('user_id', '=', userId)
        .execute(),
    ]);
    const byProgramme = new Map<string, Set<string>>();
    for (const a of assignments) {
      let set = byProgramme.get(a.programme_id);
      if (!set) byProgramme.set(a.programme_id, (set = new Set()));
      set.add(a.organisation_id);
    }
    return {
      userId,
      sessionId,
      isInstanceAdmin,
      memberships: memberships.map((m): Membership => ({
        role: m.role as Role,
        programmeId: m.programme_id,
        organisationId: m.organisation_id,
      })),
      assignments: byProgramme,
      requestId,
    };
  }

  return {
    /** Creates the one-time setup token when the instance has no account yet; returns it to print, or null. */
    async prepareSetup(): Promise<string | null> {
      const anyUser = await ctx.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
      if (anyUser) return null;
      const token = newToken();
      await ctx.db.deleteFrom('instance').where('key', '=', 'setup_token_hash').execute();
      await ctx.db
        .insertInto('instance')
        .values({ key: 'setup_token_hash', value: hashToken(token) })
        .execute();
      return token;
    },

    /** First run: the console token creates the instance admin. The token works once. */
    async setup(
      input: { token: string; email: string; displayName: string; password: string },
      userAgent: string,
      requestId: string,
    ): Promise<{ token: string; userId: string; next: SessionNext }> {
      // The token first: without it, nobody gets the server to check or hash a password.
      const stored = await ctx.db
        .selectFrom('instance')
        .select('value')
        .where('key', '=', 'setup_token_hash')
        .executeTakeFirst();
      if (!stored || !safeEqual(stored.value, hashToken(input.token))) {
        throw new AppError(
          'forbidden',
          'That setup token is not valid. Use the one printed when Kalaja first started.',
        );
      }
      passwordProblem(input.password, input.email, input.displayName);
      const hash = await hashPassword(input.password);
      const userId = newId();
      return transaction(ctx, async (tx) => {
        const stored = await tx
          .selectFrom('instance')
          .select('value')
          .where('key', '=', 'setup_token_hash')
          .executeTakeFirst();
        if (!stored || stored.value !== hashToken(input.token))
          throw new AppError(
            'forbidden',
            'That setup token is not valid. Use the one printed when Kalaja first started.',
          );
        await tx.deleteFrom('instance').where('key', '=', 'setup_token_hash').execute();
        await tx
          .insertInto('users')
          .values({
            id: userId,
            email: input.email,
            display_name: input.displayName,
            password_hash: hash,
            totp_sealed: null,
            totp_enabled_at: null,
            totp_last_step: null,
            is_instance_admin: 1,
            disabled_at: null,
            created_at: ctx.now(),
          })
          .execute();
        // Programmes loaded before the first account (the demo, from the command line) get it as manager.
        const orphans = await tx
          .selectFrom('programmes')
          .select('id')
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('memberships')
                  .select('id')
                  .whereRef('memberships.programme_id', '=', 'programmes.id')
                  .where('role', '=', 'programme_manager'),
              ),
            ),
          )
          .execute();
        if (orphans.length > 0) {
          await tx
            .insertInto('memberships')
            .values(
              orphans.map((p) => ({
                id: newId(),
                user_id: userId,
                role: 'programme_manager',
                programme_id: p.id,
                organisation_id: null,
                created_at: ctx.now(),
              })),
            )
            .execute();
        }
        const token = await createSession(tx, userId, userAgent, false);
        await appendAudit(
          tx,
          ctx.dialect,
          { userId, sessionId: '', isInstanceAdmin: true, memberships: [], assignments: new Map(), requestId },
          { action: 'instance.setup', objectType: 'user', objectId: userId, organisationId: null },
          ctx.now(),
        );
        return { token, userId, next: 'enrol_totp' as const };
      });
    },

    async signIn(
      input: { email: string; password: string },
      meta: { userAgent: string; ip: string },
    ): Promise<{ token: string; next: SessionNext; factors?: Factor[] }> {
      const subjects = [`email:${input.email}`, `ip:${meta.ip}`];
      await refuseWhileThrottled(subjects, 'Too many failed sign-ins. Wait a little and try again.');
      const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', input.email).executeTakeFirst();
      const ok =
        user && !user.disabled_at
          ? await verifyPassword(user.password_hash, input.password)
          : await verifyAgainstDummy(input.password);
      if (!ok || !user) {
        await recordFailure(subjects);
        throw new AppError('unauthenticated', WRONG_CREDENTIALS);
      }
      const token = await createSession(ctx.db, user.id, meta.userAgent, false);
      return { token, ...nextAfterPassword(await accountState(ctx.db, user.id)) };
    },

    /** Where a session that has only passed the password stands (after a reload, say). */
    async sessionState(session: SessionInfo): Promise<{ next: SessionNext; factors?: Factor[] }> {
      if (session.mfa) return { next: 'done' };
      const a = await accountState(ctx.db, session.userId);
      if (session.proofAt != null && ctx.now() - session.proofAt <= PROOF_TTL_MS)
        return { next: a.needsPasskey ? 'enrol_passkey' : 'enrol_totp' };
      return nextAfterPassword(a);
    },

    /** The session behind a cookie token, if it is alive; touches it. */
    async resolve(token: string | undefined): Promise<(SessionInfo & { isInstanceAdmin: boolean }) | null> {
      if (!token || token.length > 100) return null;
      const id = hashToken(token);
      const row = await ctx.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.id',
          'sessions.user_id',
          'sessions.created_at',
          'sessions.last_seen_at',
          'sessions.mfa_at',
          'sessions.reauth_at',
          'sessions.mfa_method',
          'sessions.proof_at',
          'users.disabled_at',
          'users.is_instance_admin',
        ])
        .where('sessions.id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      const now = ctx.now();
      if (row.disabled_at || now - row.last_seen_at > IDLE_TIMEOUT_MS || now - row.created_at > ABSOLUTE_TIMEOUT_MS) {
        await ctx.db.deleteFrom('sessions').where('id', '=', id).execute();
        return null;
      }
      if (now - row.last_seen_at > TOUCH_EVERY_MS)
        await ctx.db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
      return {
        id,
        userId: row.user_id,
        mfa: row.mfa_at !== null,
        isInstanceAdmin: row.is_instance_admin === 1,
        reauthAt: row.reauth_at,
        mfaMethod: row.mfa_method as Factor | null,
        proofAt: row.proof_at === null ? null : Number(row.proof_at),
      };
    },

    loadActor,

    /**
     * Step-up: the password and a current code again, for actions that must not ride on an
     * old session (exports, downloads, key operations, deletions). Throttled like sign-in.
     */
    async reauthenticate(
      session: SessionInfo,
      input: { password: string } & ({ code: string } | { assertion: Assertion }),
    ): Promise<void> {
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'password_hash'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      if (!(await passwordAgain(user, input.password)))
        throw new AppError('unauthenticated', 'That password is not right.');
      await this.verifySecondFactor(session, 'code' in input ? { code: input.code } : { assertion: input.assertion });
    },

    /**
     * Changes your password: the current one again (throttled like step-up), after a sign-in
     * within STEP_UP_MS, and a new one that passes the policy. Every other session of the
     * account ends at once, so a device that knew the old password is out; this one stays.
     */
    async changePassword(
      session: SessionInfo,
      input: { currentPassword: string; newPassword: string },
      requestId: string,
    ): Promise<{ endedSessions: number }> {
      this.requireRecentSignIn(session);
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'email', 'display_name', 'password_hash'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      if (!(await passwordAgain(user, input.currentPassword))) {
        // A form's answer, not 401: the session itself is fine and must not look ended.
        throw new AppError('invalid_request', 'That is not your current password.', [
          { where: 'currentPassword', message: 'not right' },
        ]);
      }
      const check = checkPasswordPolicy(input.newPassword, { email: user.email, displayName: user.display_name });
      if (!check.ok)
        throw new AppError('invalid_request', check.message, [{ where: 'newPassword', message: check.message }]);
      if (await verifyPassword(user.password_hash, input.newPassword))
        throw new AppError('invalid_request', 'The new password must differ from the current one.', [
          { where: 'newPassword', message: 'same as the current one' },
        ]);
      const hash = await hashPassword(input.newPassword);
      const now = ctx.now();
      return transaction(ctx, async (tx) => {
        await tx.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute();
        const ended = await tx
          .deleteFrom('sessions')
          .where('user_id', '=', user.id)
          .where('id', '!=', session.id)
          .executeTakeFirst();
        await auditOwn(tx, session, 'user.password_change', requestId, now);
        return { endedSessions: Number(ended.numDeletedRows) };
      });
    },

    /** Throws `reauthentication_required` unless the session signed in within STEP_UP_MS. */
    requireRecentSignIn(session: SessionInfo): void {
      if (session.reauthAt === undefined || ctx.now() - session.reauthAt > STEP_UP_MS) {
        throw new AppError(
          'reauthentication_required',
          'For this, confirm it is you: enter your password and your second factor again.',
        );
      }
    },

    /**
     * The second factor for a session that has passed the password: a TOTP code, a passkey or a
     * recovery code. Completing a sign-in (`meta` given: not a step-up) checks the device: one
     * the user has not signed in from before gets a `new_device` notice. Returns what is next:
     * `done`, or `enrol_passkey` when the instance requires a passkey this account must add
     * first (the code or recovery code proved who it is, but does not complete the session).
     */
    async verifySecondFactor(
      session: SessionInfo,
      input: SecondFactorInput,
      meta?: { ip: string },
    ): Promise<{ next: 'done' | 'enrol_passkey' }> {
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'totp_sealed', 'totp_enabled_at', 'totp_last_step'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      const account = await accountState(ctx.db, user.id);
      if (!account.hasFactor) throw new AppError('mfa_required', 'Set up a second factor first.');
      const now = ctx.now();
      // The second step is throttled like the password: someone holding the password must not
      // be able to try the million codes.
      const subjects = [`mfa:${user.id}`];
      await refuseWhileThrottled(subjects, 'Too many wrong codes. Wait a little and try again.');
      const failed = async (message: string) => {
        await recordFailure(subjects);
        return new AppError('unauthenticated', message);
      };
      const stepUp = meta === undefined && session.mfa;
      const device = meta && { ip: meta.ip, notify: true };
      // A proof that does not complete the session: the account must add a passkey next.
      const proven = async (tx: Executor, method: Factor) => {
        if (stepUp) {
          await tx.updateTable('sessions').set({ reauth_at: now }).where('id', '=', session.id).execute();
          return 'done' as const;
        }
        if (account.needsPasskey && method !== 'passkey') {
          await tx
            .updateTable('sessions')
            .set({ proof_at: now, mfa_method: method })
            .where('id', '=', session.id)
            .execute();
          return 'enrol_passkey' as const;
        }
        await completeSession(tx, session, method, device);
        return 'done' as const;
      };

      if ('assertion' in input) {
        if (account.passkeys === 0) throw new AppError('conflict', 'This account has no passkey yet.');
        let ok: boolean;
        try {
          ok = await ceremonies.verifyAuthentication(ctx.db, session.id, user.id, input.assertion);
        } catch (e) {
          if (e instanceof AppError && e.code === 'unauthenticated') throw await failed(e.message);
          throw e;
        }
        if (!ok) throw await failed('That passkey was not accepted. Try again, or use another passkey.');
        return { next: await transaction(ctx, (tx) => proven(tx, 'passkey')) };
      }

      if ('code' in input) {
        if (account.needsPasskey && account.passkeys > 0)
          throw new AppError(
            'forbidden',
            'Your account signs in with a passkey. Use your passkey, or a recovery code if you lost it.',
          );
        if (!user.totp_enabled_at || !user.totp_sealed)
          throw new AppError('conflict', 'This account has no authenticator app. Use your passkey.');
        const secret = ctx.vault.openInstance('users.totp', user.id, user.totp_sealed).toString('utf8');
        const r = verifyTotp(secret, input.code, now, user.totp_last_step ?? undefined);
        if (!r.ok) throw await failed('That code is not valid. Check the time on your phone and try the next code.');
        return {
          next: await transaction(ctx, async (tx) => {
            const claimed = await tx
              .updateTable('users')
              .set({ totp_last_step: r.step })
              .where('id', '=', user.id)
              .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', r.step)]))
              .executeTakeFirst();
            if (Number(claimed.numUpdatedRows) !== 1)
              throw new AppError('unauthenticated', 'That code has already been used. Wait for the next one.');
            return proven(tx, 'totp');
          }),
        };
      }

      const hash = hashRecoveryCode(input.recoveryCode);
      const unused = await ctx.db
        .selectFrom('recovery_codes')
        .select('id')
        .where('user_id', '=', user.id)
        .where('code_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (!unused) throw await failed('That recovery code is not valid or has been used.');
      return {
        next: await transaction(ctx, async (tx) => {
          const used = await tx
            .updateTable('recovery_codes')
            .set({ used_at: now })
            .where('user_id', '=', user.id)
            .where('code_hash', '=', hash)
            .where('used_at', 'is', null)
            .executeTakeFirst();
          if (Number(used.numUpdatedRows) !== 1)
            throw new AppError('unauthenticated', 'That recovery code is not valid or has been used.');
          return proven(tx, 'recovery_code');
        }),
      };
    },

    /** Options for signing in (or stepping up) with a passkey; the challenge stays with the session. */
    async passkeySignInOptions(session: SessionInfo) {
      return ceremonies.authenticationOptions(ctx.db, session.id, session.userId);
    },

    /** Options for adding a passkey, when this session may add a factor now (see `mayEnrol`). */
    async passkeyRegistrationOptions(session: SessionInfo) {
      const account = await accountState(ctx.db, session.userId);
      if (!mayEnrol(session, account)) throw enrolRefused(session);
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'email', 'display_name'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      return ceremonies.registrationOptions(ctx.db, session.id, {
        id: user.id,
        email: user.email,
        displayName: user.display_name,
      });
    },

    /**
     * Adds a passkey. In a session still owing its second factor (a new account, a proven code
     * with passkeys required, a redeemed recovery link) the passkey also completes the session,
     * and an account's first factor brings recovery codes to save.
     */
    async registerPasskey(
      session: SessionInfo,
      input: { name: string; attestation: Attestation },
      requestId: string,
      meta: { ip: string },
    ) {
      const account = await accountState(ctx.db, session.userId);
      if (!mayEnrol(session, account)) throw enrolRefused(session);
      const key = await ceremonies.verifyRegistration(ctx.db, session.id, input.attestation);
      const now = ctx.now();
      const id = newId();
      return transaction(ctx, async (tx) => {
        await tx
          .insertInto('passkeys')
          .values({
            id,
            user_id: session.userId,
            credential_id: key.credentialId,
            public_key: key.publicKey,
            counter: key.counter,
            transports: key.transports,
            name: input.name,
            created_at: now,
            last_used_at: null,
          })
          .execute();
        const firstFactor = !account.hasFactor;
        const recoveryCodes = firstFactor ? await newRecoveryCodesFor(tx, session.userId) : undefined;
        if (!session.mfa) {
          await completeSession(tx, session, 'passkey', { ip: meta.ip, notify: false });
          await tx
            .updateTable('users')
            .set({ recovery_token_hash: null, recovery_expires_at: null })
            .where('id', '=', session.userId)
            .execute();
        }
        // An authenticator-app set-up started and left for this passkey is not kept.
        if (!account.totp)
          await tx.updateTable('users').set({ totp_sealed: null }).where('id', '=', session.userId).execute();
        await auditOwn(tx, session, 'mfa.passkey.add', requestId, now);
        return {
          passkey: { id, name: input.name, createdAt: new Date(now).toISOString(), lastUsedAt: null },
          ...(recoveryCodes && { recoveryCodes }),
        };
      });
    },

    async listPasskeys(session: SessionInfo) {
      const rows = await ctx.db
        .selectFrom('passkeys')
        .select(['id', 'name', 'created_at', 'last_used_at'])
        .where('user_id', '=', session.userId)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        createdAt: new Date(Number(r.created_at)).toISOString(),
        lastUsedAt: r.last_used_at === null ? null : new Date(Number(r.last_used_at)).toISOString(),
      }));
    },

    /** Removes one of your passkeys, after a recent sign-in; never the last factor, nor the last required passkey. */
    async removePasskey(session: SessionInfo, passkeyId: string, requestId: string): Promise<void> {
      this.requireRecentSignIn(session);
      await transaction(ctx, async (tx) => {
        const key = await tx
          .selectFrom('passkeys')
          .select('id')
          .where('id', '=', passkeyId)
          .where('user_id', '=', session.userId)
          .executeTakeFirst();
        if (!key) throw notFound('that passkey');
        const account = await accountState(tx, session.userId);
        if (account.passkeys === 1 && account.needsPasskey)
          throw new AppError('conflict', 'Your account must keep a passkey. Add another one before removing this.');
        if (account.passkeys === 1 && !account.totp)
          throw new AppError('conflict', 'This is your only second factor. Add another one before removing it.');
        await tx.deleteFrom('passkeys').where('id', '=', passkeyId).execute();
        await auditOwn(tx, session, 'mfa.passkey.remove', requestId, ctx.now());
      });
    },

    /**
     * Redeems the recovery link an instance admin issued: with the password already passed in
     * this session, it opens the way to enrolling a new second factor (and nothing else).
     */
    async redeemRecovery(session: SessionInfo, token: string): Promise<{ next: 'enrol_totp' | 'enrol_passkey' }> {
      const subjects = [`recover:${session.userId}`];
      await refuseWhileThrottled(subjects, 'Too many attempts. Wait a little and try again.');
      const user = await ctx.db
        .selectFrom('users')
        .select(['recovery_token_hash', 'recovery_expires_at'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      const valid =
        user.recovery_token_hash !== null &&
        safeEqual(user.recovery_token_hash, hashToken(token)) &&
        Number(user.recovery_expires_at) > ctx.now();
      if (!valid) {
        await recordFailure(subjects);
        throw new AppError(
          'unauthenticated',
          'This recovery link is not valid any more. Ask your administrator for a new one.',
        );
      }
      await ctx.db.updateTable('sessions').set({ proof_at: ctx.now() }).where('id', '=', session.id).execute();
      return { next: (await needsPasskey(ctx.db, session.userId)) ? 'enrol_passkey' : 'enrol_totp' };
    },

    /** The instance's sign-in rules, for its admins. */
    async security(actor: Actor) {
      denyAsMissing(policy.manageUsers(actor), 'that setting');
      const rule = await ctx.db
        .selectFrom('instance')
        .select('value')
        .where('key', '=', 'require_passkeys')
        .executeTakeFirst();
      return {
        requirePasskeys: rule?.value === 'admins_managers' ? ('admins_managers' as const) : ('none' as const),
        passkeysAvailable: ceremonies.available,
      };
    },

    /**
     * Sets the instance's sign-in rules. Requiring passkeys ends, at once, every session of an
     * instance admin or programme manager that was not completed with a passkey; the admin who
     * turns it on must be signed in with a passkey, so as not to lock the instance.
     */
    async setSecurity(actor: Actor, session: SessionInfo, input: { requirePasskeys: 'none' | 'admins_managers' }) {
      denyAsMissing(policy.manageUsers(actor), 'that setting');
      this.requireRecentSignIn(session);
      if (input.requirePasskeys === 'admins_managers') {
        if (!ceremonies.available)
          throw new AppError('conflict', 'Passkeys need Kalaja to be reached by a name, not an IP address.');
        if (session.mfaMethod !== 'passkey')
          throw new AppError(
            'conflict',
            'Add a passkey to your own account and sign in with it before requiring passkeys.',
          );
      }
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await tx.deleteFrom('instance').where('key', '=', 'require_passkeys').execute();
        await tx.insertInto('instance').values({ key: 'require_passkeys', value: input.requirePasskeys }).execute();
        if (input.requirePasskeys === 'admins_managers') {
          await tx
            .deleteFrom('sessions')
            .where((eb) => eb.or([eb('mfa_method', 'is', null), eb('mfa_method', '!=', 'passkey')]))
            .where((eb) =>
              eb.or([
                eb('user_id', 'in', eb.selectFrom('users').select('id').where('is_instance_admin', '=', 1)),
                eb(
                  'user_id',
                  'in',
                  eb.selectFrom('memberships').select('user_id').where('role', '=', 'programme_manager'),
                ),
              ]),
            )
            .execute();
        }
        await appendAudit(
          tx,
          ctx.dialect,
          actor,
          {
            action: `instance.require_passkeys.${input.requirePasskeys}`,
            objectType: 'instance',
            objectId: 'security',
            organisationId: null,
          },
          now,
        );
      });
      return this.security(actor);
    },

    /**
     * Recovery for someone who lost every second factor and recovery code: an instance admin
     * (after a recent sign-in; never for their own account) removes the account's factors, ends
     * its sessions and gets a one-time link to hand over in person or by a trusted channel. The
     * link alone signs nobody in: its holder also needs the account's password, and must then
     * enrol a new second factor before anything else. The admin never learns the password.
     */
    async resetSecondFactors(actor: Actor, session: SessionInfo, userId: string) {
      denyAsMissing(policy.manageUsers(actor), 'that account');
      this.requireRecentSignIn(session);
      if (userId === actor.userId)
        throw new AppError('conflict', 'You cannot reset your own second factor. Ask another instance admin.');
      return this.issueRecovery(actor, userId);
    },

    /**
     * The reset itself, for an instance admin's request or the operator's command line (`kalaja
     * users reset-second-factor`, for when no admin can sign in any more): removes the account's
     * factors and recovery codes, ends its sessions, audits, and returns the one-time link.
     */
    async issueRecovery(actor: Actor, userId: string): Promise<{ link: string; expiresAt: string }> {
      const token = newToken();
      const now = ctx.now();
      const expiresAt = now + RECOVERY_LINK_TTL_MS;
      await transaction(ctx, async (tx) => {
        const user = await tx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
        if (!user) throw notFound('that account');
        await tx
          .updateTable('users')
          .set({
            totp_sealed: null,
            totp_enabled_at: null,
            totp_last_step: null,
            recovery_token_hash: hashToken(token),
            recovery_expires_at: expiresAt,
          })
          .where('id', '=', userId)
          .execute();
        await tx.deleteFrom('passkeys').where('user_id', '=', userId).execute();
        await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
        await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
        await appendAudit(
          tx,
          ctx.dialect,
          actor,
          { action: 'user.mfa_reset', objectType: 'user', objectId: userId, organisationId: null },
          now,
        );
      });
      // In the fragment, like invitations: never sent to a server, never in a Referer.
      return { link: `${options.publicUrl}/recover#${token}`, expiresAt: new Date(expiresAt).toISOString() };
    },

    /** Starts TOTP enrolment: a new secret, sealed, not yet active. Only before a factor is active. */
    async enrolTotp(session: SessionInfo): Promise<{ secret: string; uri: string }> {
      await checkTotpEnrolment(session);
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      const secret = newTotpSecret();
      await ctx.db
        .updateTable('users')
        .set({ totp_sealed: ctx.vault.sealInstance('users.totp', user.id, secret) })
        .where('id', '=', user.id)
        .execute();
      return { secret, uri: totpUri(secret, user.email) };
    },

    /**
     * Confirms enrolment with a first code; the session becomes full; returns recovery codes to
     * save. The device it happens on becomes known (`meta.ip`), without a notice.
     */
    async confirmTotp(session: SessionInfo, code: string, requestId: string, meta?: { ip: string }): Promise<string[]> {
      await checkTotpEnrolment(session);
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'totp_sealed'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      if (!user.totp_sealed) throw new AppError('conflict', 'Start the set-up first.');
      const secret = ctx.vault.openInstance('users.totp', user.id, user.totp_sealed).toString('utf8');
      const now = ctx.now();
      const r = verifyTotp(secret, code, now);
      if (!r.ok)
        throw new AppError(
          'invalid_request',
          'That code is not valid. Check the time on your phone and try the next code.',
          [{ where: 'code', message: 'not valid' }],
        );
      return transaction(ctx, async (tx) => {
        // Claimed only if nobody finished the same set-up in the meantime.
        const claimed = await tx
          .updateTable('users')
          .set({ totp_enabled_at: now, totp_last_step: r.step, recovery_token_hash: null, recovery_expires_at: null })
          .where('id', '=', user.id)
          .where('totp_enabled_at', 'is', null)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1)
          throw new AppError('conflict', 'An authenticator app is already set up for this account.');
        const codes = await newRecoveryCodesFor(tx, user.id);
        if (!session.mfa) await completeSession(tx, session, 'totp', meta && { ip: meta.ip, notify: false });
        await auditOwn(tx, session, 'mfa.totp.enrol', requestId, now);
        return codes;
      });
    },

    async signOut(sessionId: string): Promise<void> {
      await ctx.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    },

    async me(actor: Actor) {
      const u = await ctx.db
        .selectFrom('users')
        .select(['id', 'email', 'display_name', 'is_instance_admin'])
        .where('id', '=', actor.userId)
        .executeTakeFirstOrThrow();
      return {
        id: u.id,
        email: u.email,
        displayName: u.display_name,
        isInstanceAdmin: u.is_instance_admin === 1,
        memberships: actor.memberships,
      };
    },

    /** An invitation link for a role in a programme (and an organisation, for organisation roles). */
    async invite(
      actor: Actor,
      input: { email: string; role: Role; programmeId: string; organisationId?: string | undefined },
    ): Promise<{ id: string; link: string; expiresAt: string }> {
      denyAsMissing(policy.manageProgramme(actor, input.programmeId), 'that programme');
      if (!ROLES.includes(input.role)) throw new AppError('invalid_request', 'Unknown role.');
      const orgRole = input.role === 'org_admin' || input.role === 'org_member';
      if (orgRole !== (input.organisationId !== undefined)) {
        throw new AppError(
          'invalid_request',
          orgRole ? 'Organisation roles need the organisation.' : 'Only organisation roles name an organisation.',
          [{ where: 'organisationId', message: orgRole ? 'required for this role' : 'not allowed for this role' }],
        );
      }
      if (input.organisationId) {
        const takesPart = await ctx.db
          .selectFrom('programme_organisations')
          .select('organisation_id')
          .where('programme_id', '=', input.programmeId)
          .where('organisation_id', '=', input.organisationId)
          .executeTakeFirst();
        if (!takesPart) throw notFound('that organisation in this programme');
      }
      const token = newToken();
      const id = newId();
      const now = ctx.now();
      const expiresAt = now + INVITATION_TTL_MS;
      await transaction(ctx, async (tx) => {
        await tx
          .insertInto('invitations')
          .values({
            id,
            token_hash: hashToken(token),
            email: input.email,
            role: input.role,
            programme_id: input.programmeId,
            organisation_id: input.organisationId ?? null,
            created_by: actor.userId,
            created_at: now,
            expires_at: expiresAt,
            accepted_at: null,
          })
          .execute();
        await appendAudit(
          tx,
          ctx.dialect,
          actor,
          {
            action: 'invitation.create',
            objectType: 'invitation',
            objectId: id,
            organisationId: input.organisationId ?? null,
          },
          now,
        );
      });
      // The token travels in the fragment: browsers never send it to a server or in a Referer.
      return { id, link: `${options.publicUrl}/invite#${token}`, expiresAt: new Date(expiresAt).toISOString() };
    },

    /** Accepts an invitation: a new account (or an existing one proven by its password) gets the role. */
    async acceptInvitation(
      input: { token: string; displayName: string; password: string },
      userAgent: string,
      requestId: string,
    ): Promise<{ token: string; next: SessionNext; factors?: Factor[] }> {
      const inv = await ctx.db
        .selectFrom('invitations')
        .selectAll()
        .where('token_hash', '=', hashToken(input.token))
        .executeTakeFirst();
      if (!inv || inv.accepted_at !== null || inv.expires_at < ctx.now())
        throw new AppError('not_found', 'This invitation is not valid any more. Ask for a new link.');
      const existing = await ctx.db.selectFrom('users').selectAll().where('email', '=', inv.email).executeTakeFirst();
      let hash: string | undefined;
      // A disabled account gets no new role and no session (issue 6: disabling a user).
      if (existing?.disabled_at)
        throw new AppError('not_found', 'This invitation is not valid any more. Ask for a new link.');
      if (existing) {
        if (!(await verifyPassword(existing.password_hash, input.password)))
          throw new AppError('unauthenticated', 'This email already has an account: enter its password to accept.');
      } else {
        passwordProblem(input.password, inv.email, input.displayName);
        hash = await hashPassword(input.password);
      }
      const created = await transaction(ctx, async (tx) => {
        const claimed = await tx
          .updateTable('invitations')
          .set({ accepted_at: ctx.now() })
          .where('id', '=', inv.id)
          .where('accepted_at', 'is', null)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1)
          throw new AppError('not_found', 'This invitation is not valid any more. Ask for a new link.');
        const userId = existing?.id ?? newId();
        if (!existing) {
          await tx
            .insertInto('users')
            .values({
              id: userId,
              email: inv.email,
              display_name: input.displayName,
              password_hash: hash!,
              totp_sealed: null,
              totp_enabled_at: null,
              totp_last_step: null,
              is_instance_admin: 0,
              disabled_at: null,
              created_at: ctx.now(),
            })
            .execute();
        }
        await tx
          .insertInto('memberships')
          .values({
            id: newId(),
            user_id: userId,
            role: inv.role,
            programme_id: inv.programme_id,
            organisation_id: inv.organisation_id,
            created_at: ctx.now(),
          })
          .execute();
        const token = await createSession(tx, userId, userAgent, false);
        await appendAudit(
          tx,
          ctx.dialect,
          { userId, sessionId: '', isInstanceAdmin: false, memberships: [], assignments: new Map(), requestId },
          {
            action: 'invitation.accept',
            objectType: 'invitation',
            objectId: inv.id,
            organisationId: inv.organisation_id,
          },
          ctx.now(),
        );
        return { token, userId };
      });
      return { token: created.token, ...nextAfterPassword(await accountState(ctx.db, created.userId)) };
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
