import { isReportLocale, type Locale } from '@kalaja/engine';
import { transaction, type Context } from '../../context.js';
import type { Executor } from '../../db/database.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { SealError } from '../../crypto/seal.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import { selfActor, type Actor, type Membership, type Role } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UserStore } from '../users/user-store.js';
import { hashPassword, requirePasswordPolicy, verifyAgainstDummy, verifyPassword } from './auth-passwords.js';
import { hashToken, newToken, safeEqual } from './auth-tokens.js';
import type { Assertion, Factor, NextStep, ResolvedSession, SessionInfo, SessionNext } from './auth-types.js';
import type { SecondFactorService } from './second-factor-service.js';
import { requireRecentSignIn } from './step-up.js';
import { passwordSubjects, TOO_MANY_PASSWORDS, type ThrottleService } from './throttle-service.js';

/** A session ends after 30 minutes without a request, and 12 hours after sign-in whatever happens. */
export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
/** last_seen_at is written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 60_000;

/** The setting that holds the first-run setup token's hash, until the first account exists. */
const SETUP_TOKEN = 'setup_token_hash';
/**
 * The same token sealed under the instance key (`Vault#sealInstance`, re-sealed by key rotation),
 * so that every start before setup prints the one token already printed instead of a new one.
 */
export const SETUP_TOKEN_SEALED = 'setup_token_sealed';
/** `sealInstance` field and row of the sealed setup token (INSTANCE_SEALED_FIELDS in crypto/rotate.ts). */
export const SETUP_TOKEN_FIELD = 'instance.setup_token';
export const SETUP_TOKEN_ROW = 'setup';

const WRONG_CREDENTIALS = 'That email and password do not match an account.';
const BAD_SETUP_TOKEN = 'That setup token is not valid. Use the one printed in the console where Kalaja runs.';

/**
 * Signing in and sessions: first-run setup with a console token, sign-in with throttling,
 * opaque session tokens stored only as hashes (resolved on every request, with idle and
 * absolute timeouts), sign-out, the password changed, and step-up (the password and second
 * factor again).
 */
export function signInService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now' | 'vault'>,
  deps: {
    users: Pick<
      UserStore,
      'any' | 'byId' | 'byEmail' | 'insert' | 'setPassword' | 'setLanguage' | 'memberships' | 'addMemberships'
    >;
    sessions: Pick<SessionStore, 'create' | 'resolve' | 'touch' | 'remove' | 'endOthers'>;
    settings: Pick<SettingsStore, 'get' | 'put' | 'add' | 'remove'>;
    programmes: Pick<ProgrammeStore, 'withoutManager' | 'assignmentsOf'>;
    throttle: Pick<ThrottleService, 'refuseWhileThrottled' | 'recordFailure'>;
    secondFactors: Pick<SecondFactorService, 'afterPassword' | 'verifySecondFactor'>;
    audit: Pick<AuditStore, 'append'>;
  },
) {
  const { users, sessions, throttle } = deps;

  /** A new session for the account, past its password only; returns the token for the cookie. */
  async function openSession(userId: string, userAgent: string, tx?: Executor): Promise<string> {
    const token = newToken();
    // The handle is the name the sessions list shows and takes back; the id (the token's hash) never leaves.
    await sessions.create({ id: hashToken(token), userId, userAgent, handle: newId(), mfa: false, at: ctx.now() }, tx);
    return token;
  }

  /** The account's password entered again (step-up, a password change), throttled per account. */
  async function passwordAgain(user: { id: string; password_hash: string }, password: string): Promise<boolean> {
    const subjects = [`reauth:${user.id}`];
    await throttle.refuseWhileThrottled(subjects, 'Too many failed attempts. Wait a little and try again.');
    if (await verifyPassword(user.password_hash, password)) return true;
    await throttle.recordFailure(subjects);
    return false;
  }

  /** The kept setup token, or null when it does not open under this key. */
  function openSetupToken(sealed: string): string | null {
    try {
      return ctx.vault
        .openInstance(SETUP_TOKEN_FIELD, SETUP_TOKEN_ROW, new Uint8Array(Buffer.from(sealed, 'base64')))
        .toString('utf8');
    } catch (e) {
      if (e instanceof SealError) return null;
      throw e;
    }
  }

  async function account(userId: string) {
    const user = await users.byId(userId);
    if (!user) throw new Error(`no account ${userId}`);
    return user;
  }

  return {
    openSession,

    /** Whether the instance has no account yet: the web app then leads to the setup page. */
    async setupNeeded(): Promise<boolean> {
      return !(await users.any());
    },

    /**
     * The one-time setup token when the instance has no account yet, to print; null once it has
     * one. The token is made once and kept until setup uses it: every start (and every command
     * that opens the instance) prints the same one. It is stored hashed, for checking, and
     * sealed under the instance key, for printing again; a sealed token that no longer opens
     * (another key) is replaced by a new one.
     */
    async prepareSetup(): Promise<string | null> {
      if (await users.any()) return null;
      const kept = await deps.settings.get(SETUP_TOKEN_SEALED);
      if (kept !== undefined) {
        const token = openSetupToken(kept);
        if (token !== null && (await deps.settings.get(SETUP_TOKEN)) === hashToken(token)) return token;
        await deps.settings.remove(SETUP_TOKEN_SEALED);
      }
      const token = newToken();
      const sealed = Buffer.from(ctx.vault.sealInstance('instance.setup_token', SETUP_TOKEN_ROW, token)).toString(
        'base64',
      );
      // Processes starting together on one database: the first to add its token wins, the others print that one.
      return transaction(ctx, async (tx) => {
        if (await deps.settings.add(SETUP_TOKEN_SEALED, sealed, tx)) {
          await deps.settings.put(SETUP_TOKEN, hashToken(token), tx);
          return token;
        }
        const winner = openSetupToken((await deps.settings.get(SETUP_TOKEN_SEALED, tx))!);
        if (winner === null) throw new Error('the setup token another process stored does not open');
        return winner;
      });
    },

    /** First run: the console token creates the instance admin. The token works once. */
    async setup(
      input: { token: string; email: string; displayName: string; password: string },
      userAgent: string,
      requestId: string,
    ): Promise<{ token: string; userId: string; next: SessionNext }> {
      // The token first: without it, nobody gets the server to check or hash a password.
      const stored = await deps.settings.get(SETUP_TOKEN);
      if (stored === undefined || !safeEqual(stored, hashToken(input.token)))
        throw new AppError('forbidden', BAD_SETUP_TOKEN);
      requirePasswordPolicy(input.password, { email: input.email, displayName: input.displayName });
      const hash = await hashPassword(input.password);
      const userId = newId();
      return transaction(ctx, async (tx) => {
        // Once: a second request with the same token finds it gone.
        if ((await deps.settings.get(SETUP_TOKEN, tx)) !== hashToken(input.token))
          throw new AppError('forbidden', BAD_SETUP_TOKEN);
        await deps.settings.remove(SETUP_TOKEN, tx);
        await deps.settings.remove(SETUP_TOKEN_SEALED, tx);
        const now = ctx.now();
        await users.insert(
          {
            id: userId,
            email: input.email,
            displayName: input.displayName,
            passwordHash: hash,
            isInstanceAdmin: true,
            at: now,
          },
          tx,
        );
        // Programmes loaded before the first account (the demo, from the command line) get it as manager.
        const orphans = await deps.programmes.withoutManager(tx);
        await users.addMemberships(
          orphans.map((programmeId) => ({
            id: newId(),
            userId,
            role: 'programme_manager' as const,
            programmeId,
            organisationId: null,
            at: now,
          })),
          tx,
        );
        const token = await openSession(userId, userAgent, tx);
        await deps.audit.append(
          selfActor(userId, '', requestId, true),
          { action: 'instance.setup', objectType: 'user', objectId: userId, organisationId: null },
          now,
          tx,
        );
        return { token, userId, next: 'enrol_totp' as const };
      });
    },

    async signIn(
      input: { email: string; password: string },
      meta: { userAgent: string; ip: string },
    ): Promise<{ token: string } & NextStep> {
      const subjects = passwordSubjects(input.email, meta.ip);
      await throttle.refuseWhileThrottled(subjects, TOO_MANY_PASSWORDS);
      const user = await users.byEmail(input.email);
      const ok =
        user && !user.disabled_at
          ? await verifyPassword(user.password_hash, input.password)
          : await verifyAgainstDummy(input.password);
      if (!ok || !user) {
        await throttle.recordFailure(subjects);
        throw new AppError('unauthenticated', WRONG_CREDENTIALS);
      }
      const token = await openSession(user.id, meta.userAgent);
      return { token, ...(await deps.secondFactors.afterPassword(user.id)) };
    },

    /** The session behind a cookie token, if it is alive; touches it. */
    async resolve(token: string | undefined): Promise<ResolvedSession | null> {
      if (!token || token.length > 100) return null;
      const id = hashToken(token);
      const row = await sessions.resolve(id);
      if (!row) return null;
      const now = ctx.now();
      if (row.disabled_at || now - row.last_seen_at > IDLE_TIMEOUT_MS || now - row.created_at > ABSOLUTE_TIMEOUT_MS) {
        await sessions.remove(id);
        return null;
      }
      if (now - row.last_seen_at > TOUCH_EVERY_MS) await sessions.touch(id, now);
      return {
        id,
        userId: row.user_id,
        mfa: row.mfa_at !== null,
        isInstanceAdmin: row.is_instance_admin === 1,
        reauthAt: row.reauth_at,
        mfaMethod: row.mfa_method as Factor | null,
        proofAt: row.proof_at === null ? null : Number(row.proof_at),
        roles: row.roles,
      };
    },

    /**
     * The actor of a request: the session's account with its roles and assessor assignments,
     * as read with the session (or read now, for a session that comes without them).
     */
    async loadActor(
      session: Pick<ResolvedSession, 'id' | 'userId' | 'isInstanceAdmin' | 'reauthAt' | 'roles'>,
      requestId: string,
    ): Promise<Actor> {
      const { userId } = session;
      let roles = session.roles;
      if (!roles) {
        const [memberships, assignments] = await Promise.all([
          users.memberships(userId),
          deps.programmes.assignmentsOf(userId),
        ]);
        roles = { memberships, assignments };
      }
      const { memberships, assignments } = roles;
      const byProgramme = new Map<string, Set<string>>();
      for (const a of assignments) {
        let set = byProgramme.get(a.programme_id);
        if (!set) byProgramme.set(a.programme_id, (set = new Set()));
        set.add(a.organisation_id);
      }
      return {
        userId,
        sessionId: session.id,
        isInstanceAdmin: session.isInstanceAdmin,
        memberships: memberships.map((m): Membership => ({
          role: m.role as Role,
          programmeId: m.programme_id,
          organisationId: m.organisation_id,
        })),
        assignments: byProgramme,
        reauthAt: session.reauthAt ?? null,
        requestId,
      };
    },

    async signOut(sessionId: string): Promise<void> {
      await sessions.remove(sessionId);
    },

    async me(actor: Actor) {
      const u = await account(actor.userId);
      return {
        id: u.id,
        email: u.email,
        displayName: u.display_name,
        language: isReportLocale(u.language ?? '') ? (u.language as Locale) : null,
        isInstanceAdmin: u.is_instance_admin === 1,
        memberships: actor.memberships,
      };
    },

    /**
     * Step-up: the password and a current code again, for actions that must not ride on an
     * old session (exports, downloads, key operations, deletions). Throttled like sign-in.
     */
    async reauthenticate(
      session: SessionInfo,
      input: { password: string } & ({ code: string } | { assertion: Assertion }),
    ): Promise<void> {
      const user = await account(session.userId);
      if (!(await passwordAgain(user, input.password)))
        throw new AppError('unauthenticated', 'That password is not right.');
      await deps.secondFactors.verifySecondFactor(
        session,
        'code' in input ? { code: input.code } : { assertion: input.assertion },
      );
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
      requireRecentSignIn(session, ctx.now());
      const user = await account(session.userId);
      if (!(await passwordAgain(user, input.currentPassword))) {
        // A form's answer, not 401: the session itself is fine and must not look ended.
        throw new AppError('invalid_request', 'That is not your current password.', [
          { where: 'currentPassword', message: 'not right' },
        ]);
      }
      requirePasswordPolicy(input.newPassword, { email: user.email, displayName: user.display_name }, 'newPassword');
      if (await verifyPassword(user.password_hash, input.newPassword))
        throw new AppError('invalid_request', 'The new password must differ from the current one.', [
          { where: 'newPassword', message: 'same as the current one' },
        ]);
      const hash = await hashPassword(input.newPassword);
      const now = ctx.now();
      return transaction(ctx, async (tx) => {
        await users.setPassword(user.id, hash, tx);
        const ended = await sessions.endOthers(user.id, session.id, tx);
        await deps.audit.append(
          selfActor(session.userId, session.id, requestId),
          { action: 'user.password_change', objectType: 'user', objectId: session.userId, organisationId: null },
          now,
          tx,
        );
        return { endedSessions: ended.length };
      });
    },

    /** A person's language, remembered on their account; any signed-in person sets their own. */
    async setLanguage(session: SessionInfo, language: Locale, requestId: string): Promise<void> {
      await transaction(ctx, async (tx) => {
        await users.setLanguage(session.userId, language, tx);
        await deps.audit.append(
          selfActor(session.userId, session.id, requestId),
          { action: 'user.language', objectType: 'user', objectId: session.userId, organisationId: null },
          ctx.now(),
          tx,
        );
      });
    },
  };
}

export type SignInService = ReturnType<typeof signInService>;
