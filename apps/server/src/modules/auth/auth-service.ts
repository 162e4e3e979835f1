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
import { newTotpSecret, totpUri, verifyTotp } from './auth-totp.js';

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

export type SessionNext = 'done' | 'mfa' | 'enrol_totp';

export interface SessionInfo {
  id: string;
  userId: string;
  mfa: boolean;
  totpEnabled: boolean;
  /** When the password and second factor were last entered in this session. */
  reauthAt?: number;
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
    ): Promise<{ token: string; next: SessionNext }> {
      const subjects = [`email:${input.email}`, `ip:${meta.ip}`];
      const wait = await throttled(subjects);
      if (wait > 0)
        throw new AppError('too_many_requests', 'Too many failed sign-ins. Wait a little and try again.', [], {
          'retry-after': String(wait),
        });
      const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', input.email).executeTakeFirst();
      const ok =
        user && !user.disabled_at
          ? await verifyPassword(user.password_hash, input.password)
          : await verifyAgainstDummy(input.password);
      if (!ok || !user) {
        const at = ctx.now();
        await ctx.db
          .insertInto('login_failures')
          .values(subjects.map((subject) => ({ subject, at })))
          .execute();
        throw new AppError('unauthenticated', WRONG_CREDENTIALS);
      }
      const token = await createSession(ctx.db, user.id, meta.userAgent, false);
      return { token, next: user.totp_enabled_at ? 'mfa' : 'enrol_totp' };
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
          'users.disabled_at',
          'users.totp_enabled_at',
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
        totpEnabled: row.totp_enabled_at !== null,
        isInstanceAdmin: row.is_instance_admin === 1,
        reauthAt: row.reauth_at,
      };
    },

    loadActor,

    /**
     * Step-up: the password and a current code again, for actions that must not ride on an
     * old session (exports, downloads, key operations, deletions). Throttled like sign-in.
     */
    async reauthenticate(session: SessionInfo, input: { password: string; code: string }): Promise<void> {
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'password_hash'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      const subject = [`reauth:${user.id}`];
      const wait = await throttled(subject);
      if (wait > 0)
        throw new AppError('too_many_requests', 'Too many failed attempts. Wait a little and try again.', [], {
          'retry-after': String(wait),
        });
      if (!(await verifyPassword(user.password_hash, input.password))) {
        await ctx.db.insertInto('login_failures').values({ subject: subject[0]!, at: ctx.now() }).execute();
        throw new AppError('unauthenticated', 'That password is not right.');
      }
      await this.verifySecondFactor(session, { code: input.code });
    },

    /** Throws `reauthentication_required` unless the session signed in within STEP_UP_MS. */
    requireRecentSignIn(session: SessionInfo): void {
      if (session.reauthAt === undefined || ctx.now() - session.reauthAt > STEP_UP_MS) {
        throw new AppError(
          'reauthentication_required',
          'For this, confirm it is you: enter your password and a code again.',
        );
      }
    },

    /**
     * The second factor for a session that has passed the password: a TOTP code or a recovery
     * code. When it completes a sign-in (not a step-up), `meta.ip` lets the device be checked:
     * a device the user has not signed in from before gets a `new_device` notice.
     */
    async verifySecondFactor(
      session: SessionInfo,
      input: { code: string } | { recoveryCode: string },
      meta?: { ip: string },
    ): Promise<void> {
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'totp_sealed', 'totp_enabled_at', 'totp_last_step'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      if (!user.totp_enabled_at || !user.totp_sealed)
        throw new AppError('mfa_required', 'Set up your authenticator app first.');
      const now = ctx.now();
      // The second step is throttled like the password: someone holding the password must not
      // be able to try the million codes.
      const subject = [`mfa:${user.id}`];
      const wait = await throttled(subject);
      if (wait > 0)
        throw new AppError('too_many_requests', 'Too many wrong codes. Wait a little and try again.', [], {
          'retry-after': String(wait),
        });
      const failed = async (message: string) => {
        await ctx.db.insertInto('login_failures').values({ subject: subject[0]!, at: ctx.now() }).execute();
        return new AppError('unauthenticated', message);
      };
      if ('code' in input) {
        const secret = ctx.vault.openInstance('users.totp', user.id, user.totp_sealed).toString('utf8');
        const r = verifyTotp(secret, input.code, now, user.totp_last_step ?? undefined);
        if (!r.ok) throw await failed('That code is not valid. Check the time on your phone and try the next code.');
        await transaction(ctx, async (tx) => {
          const claimed = await tx
            .updateTable('users')
            .set({ totp_last_step: r.step })
            .where('id', '=', user.id)
            .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', r.step)]))
            .executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1)
            throw new AppError('unauthenticated', 'That code has already been used. Wait for the next one.');
          await tx.updateTable('sessions').set({ mfa_at: now, reauth_at: now }).where('id', '=', session.id).execute();
          if (!session.mfa && meta)
            await rememberDevice(tx, { userId: user.id, sessionId: session.id, ip: meta.ip, now, notify: true });
        });
        return;
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
      await transaction(ctx, async (tx) => {
        const used = await tx
          .updateTable('recovery_codes')
          .set({ used_at: now })
          .where('user_id', '=', user.id)
          .where('code_hash', '=', hash)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        if (Number(used.numUpdatedRows) !== 1)
          throw new AppError('unauthenticated', 'That recovery code is not valid or has been used.');
        await tx.updateTable('sessions').set({ mfa_at: now, reauth_at: now }).where('id', '=', session.id).execute();
        if (!session.mfa && meta)
          await rememberDevice(tx, { userId: user.id, sessionId: session.id, ip: meta.ip, now, notify: true });
      });
    },

    /** Starts TOTP enrolment: a new secret, sealed, not yet active. Only before a factor is active. */
    async enrolTotp(session: SessionInfo): Promise<{ secret: string; uri: string }> {
      if (session.totpEnabled)
        throw new AppError('conflict', 'An authenticator app is already set up for this account.');
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
      if (session.totpEnabled)
        throw new AppError('conflict', 'An authenticator app is already set up for this account.');
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
      const codes = newRecoveryCodes();
      await transaction(ctx, async (tx) => {
        await tx
          .updateTable('users')
          .set({ totp_enabled_at: now, totp_last_step: r.step })
          .where('id', '=', user.id)
          .execute();
        await tx.deleteFrom('recovery_codes').where('user_id', '=', user.id).execute();
        await tx
          .insertInto('recovery_codes')
          .values(codes.map((c) => ({ id: newId(), user_id: user.id, code_hash: hashRecoveryCode(c), used_at: null })))
          .execute();
        await tx.updateTable('sessions').set({ mfa_at: now, reauth_at: now }).where('id', '=', session.id).execute();
        if (meta) await rememberDevice(tx, { userId: user.id, sessionId: session.id, ip: meta.ip, now, notify: false });
        await appendAudit(
          tx,
          ctx.dialect,
          {
            userId: user.id,
            sessionId: session.id,
            isInstanceAdmin: false,
            memberships: [],
            assignments: new Map(),
            requestId,
          },
          { action: 'mfa.totp.enrol', objectType: 'user', objectId: user.id, organisationId: null },
          now,
        );
      });
      return codes;
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
    ): Promise<{ token: string; next: SessionNext }> {
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
      return transaction(ctx, async (tx) => {
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
        return { token, next: existing?.totp_enabled_at ? ('mfa' as const) : ('enrol_totp' as const) };
      });
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
