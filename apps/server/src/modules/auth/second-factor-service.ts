import { transaction, type Context } from '../../context.js';
import type { Executor, Tx } from '../../db/database.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { selfActor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { rememberDevice } from '../sessions/devices.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UserStore } from '../users/user-store.js';
import type { PasskeyCeremonies } from './auth-passkeys.js';
import { hashRecoveryCode, newRecoveryCodes, reissueSession } from './auth-tokens.js';
import { newTotpSecret, totpUri, verifyTotp } from './auth-totp.js';
import type { AccountState, Attestation, Factor, NextStep, SecondFactorInput, SessionInfo } from './auth-types.js';
import type { CredentialStore } from './credential-store.js';
import type { InstanceSecurityService } from './instance-security-service.js';
import { reauthenticationRequired, requireRecentSignIn, signedInRecently } from './step-up.js';
import type { ThrottleService } from './throttle-service.js';

/** A proof (a code, a recovery code, a recovery link) opens the way to adding a passkey for this long. */
export const PROOF_TTL_MS = 10 * 60_000;

/** The step a session with only the password takes next, and the factors it may use there. */
function nextAfterPassword(a: AccountState): NextStep {
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

const enrolRefused = (session: SessionInfo) =>
  session.mfa ? reauthenticationRequired() : new AppError('mfa_required', 'Enter your second factor first.');

/**
 * Second factors: TOTP for every account (or a passkey, where the instance requires one),
 * passkeys, and one-time recovery codes; completing a session once one is passed, and
 * remembering the device it came from. Adding a factor needs a session that may enrol (see
 * `mayEnrol`); removing one, a recent sign-in.
 */
export function secondFactorService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    users: Pick<UserStore, 'byId' | 'setTotpSecret' | 'enableTotp' | 'claimTotpStep' | 'clearRecoveryLink'>;
    credentials: Pick<
      CredentialStore,
      | 'passkeyCount'
      | 'addPasskey'
      | 'passkeysOf'
      | 'ownsPasskey'
      | 'removePasskey'
      | 'replaceRecoveryCodes'
      | 'hasUnusedRecoveryCode'
      | 'useRecoveryCode'
    >;
    sessions: Pick<
      SessionStore,
      | 'complete'
      | 'rotate'
      | 'steppedUp'
      | 'proven'
      | 'device'
      | 'isKnownDevice'
      | 'agentSeenElsewhere'
      | 'rememberDevice'
      | 'addNotice'
    >;
    ceremonies: PasskeyCeremonies;
    throttle: Pick<ThrottleService, 'refuseWhileThrottled' | 'recordFailure'>;
    instanceSecurity: Pick<InstanceSecurityService, 'requiresPasskey'>;
    audit: Pick<AuditStore, 'append'>;
  },
) {
  const { users, credentials, ceremonies } = deps;

  /** What stands between this account and a complete session. */
  async function accountState(userId: string, tx?: Executor): Promise<AccountState> {
    const user = await users.byId(userId, tx);
    if (!user) throw new Error(`no account ${userId}`);
    const passkeys = await credentials.passkeyCount(userId, tx);
    const totp = user.totp_enabled_at !== null;
    return {
      totp,
      passkeys,
      hasFactor: totp || passkeys > 0,
      recoveryPending: user.recovery_token_hash !== null,
      needsPasskey: await deps.instanceSecurity.requiresPasskey(userId, tx),
    };
  }

  /**
   * Marks a session complete: the second factor passed (and, at sign-in, the device checked).
   * The session gets a new token (returned, for a new cookie) and the one it had stops working,
   * so a token planted or seen before the second factor never becomes a full session.
   */
  async function completeSession(
    tx: Tx,
    session: SessionInfo,
    method: Factor,
    meta: { ip: string; notify: boolean } | undefined,
  ): Promise<string> {
    const now = ctx.now();
    await deps.sessions.complete(session.id, method, now, tx);
    const fresh = await reissueSession(deps.sessions, session.id, tx);
    if (!session.mfa && meta)
      await rememberDevice(
        deps.sessions,
        { userId: session.userId, sessionId: fresh.id, ip: meta.ip, now, notify: meta.notify },
        tx,
      );
    return fresh.token;
  }

  /**
   * May this session add a second factor now? A complete session that signed in within
   * STEP_UP_MS (a change to MFA); a session that just proved a factor or a recovery link; or an
   * account with no factor at all and no recovery pending (a new account enrolling).
   */
  function mayEnrol(session: SessionInfo, a: AccountState): boolean {
    const now = ctx.now();
    if (session.mfa) return signedInRecently(session, now);
    if (session.proofAt != null && now - session.proofAt <= PROOF_TTL_MS) return true;
    return !a.hasFactor && !a.recoveryPending;
  }

  /** Ten new recovery codes for the account, replacing any it had; returned once, to be written down. */
  async function newRecoveryCodesFor(userId: string, tx: Tx): Promise<string[]> {
    const codes = newRecoveryCodes();
    await credentials.replaceRecoveryCodes(
      userId,
      codes.map((c) => ({ id: newId(), hash: hashRecoveryCode(c) })),
      tx,
    );
    return codes;
  }

  /** TOTP can be set up once, by a session that may enrol; with passkeys required, a passkey comes first. */
  async function checkTotpEnrolment(session: SessionInfo): Promise<AccountState> {
    const account = await accountState(session.userId);
    if (account.totp) throw new AppError('conflict', 'An authenticator app is already set up for this account.');
    if (account.needsPasskey && !session.mfa)
      throw new AppError('conflict', 'Your account must sign in with a passkey: add a passkey first.');
    if (!mayEnrol(session, account)) throw enrolRefused(session);
    return account;
  }

  /** Audits a change people make to their own sign-in (a factor added or removed). */
  const auditOwn = (tx: Tx, session: SessionInfo, action: string, requestId: string, at: number) =>
    deps.audit.append(
      selfActor(session.userId, session.id, requestId),
      { action, objectType: 'user', objectId: session.userId, organisationId: null },
      at,
      tx,
    );

  return {
    /** What a session that has just passed this account's password does next. */
    async afterPassword(userId: string): Promise<NextStep> {
      return nextAfterPassword(await accountState(userId));
    },

    /** Where a session that has only passed the password stands (after a reload, say). */
    async sessionState(session: SessionInfo): Promise<NextStep> {
      if (session.mfa) return { next: 'done' };
      const a = await accountState(session.userId);
      if (session.proofAt != null && ctx.now() - session.proofAt <= PROOF_TTL_MS)
        return { next: a.needsPasskey ? 'enrol_passkey' : 'enrol_totp' };
      return nextAfterPassword(a);
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
    ): Promise<{ next: 'done' | 'enrol_passkey'; token?: string }> {
      const user = await users.byId(session.userId);
      if (!user) throw new Error(`no account ${session.userId}`);
      const account = await accountState(user.id);
      if (!account.hasFactor) throw new AppError('mfa_required', 'Set up a second factor first.');
      const now = ctx.now();
      // The second step is throttled like the password: someone holding the password must not
      // be able to try the million codes.
      const subjects = [`mfa:${user.id}`];
      await deps.throttle.refuseWhileThrottled(subjects, 'Too many wrong codes. Wait a little and try again.');
      const failed = async (message: string) => {
        await deps.throttle.recordFailure(subjects);
        return new AppError('unauthenticated', message);
      };
      const stepUp = meta === undefined && session.mfa;
      const device = meta && { ip: meta.ip, notify: true };
      // A proof that does not complete the session: the account must add a passkey next. Both
      // a proof and a completed session come with a new token (see `completeSession`).
      const proven = async (tx: Tx, method: Factor): Promise<{ next: 'done' | 'enrol_passkey'; token?: string }> => {
        if (stepUp) {
          await deps.sessions.steppedUp(session.id, now, tx);
          return { next: 'done' };
        }
        if (account.needsPasskey && method !== 'passkey') {
          await deps.sessions.proven(session.id, now, method, tx);
          return { next: 'enrol_passkey', token: (await reissueSession(deps.sessions, session.id, tx)).token };
        }
        return { next: 'done', token: await completeSession(tx, session, method, device) };
      };

      if ('assertion' in input) {
        if (account.passkeys === 0) throw new AppError('conflict', 'This account has no passkey yet.');
        let ok: boolean;
        try {
          ok = await ceremonies.verifyAuthentication(session.id, user.id, input.assertion);
        } catch (e) {
          if (e instanceof AppError && e.code === 'unauthenticated') throw await failed(e.message);
          throw e;
        }
        if (!ok) throw await failed('That passkey was not accepted. Try again, or use another passkey.');
        return transaction(ctx, (tx) => proven(tx, 'passkey'));
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
        return transaction(ctx, async (tx) => {
          if (!(await users.claimTotpStep(user.id, r.step, tx)))
            throw new AppError('unauthenticated', 'That code has already been used. Wait for the next one.');
          return proven(tx, 'totp');
        });
      }

      const hash = hashRecoveryCode(input.recoveryCode);
      if (!(await credentials.hasUnusedRecoveryCode(user.id, hash)))
        throw await failed('That recovery code is not valid or has been used.');
      return transaction(ctx, async (tx) => {
        if (!(await credentials.useRecoveryCode(user.id, hash, now, tx)))
          throw new AppError('unauthenticated', 'That recovery code is not valid or has been used.');
        return proven(tx, 'recovery_code');
      });
    },

    /** Starts TOTP enrolment: a new secret, sealed, not yet active. Only before a factor is active. */
    async enrolTotp(session: SessionInfo): Promise<{ secret: string; uri: string }> {
      await checkTotpEnrolment(session);
      const user = await users.byId(session.userId);
      if (!user) throw new Error(`no account ${session.userId}`);
      const secret = newTotpSecret();
      await users.setTotpSecret(user.id, ctx.vault.sealInstance('users.totp', user.id, secret));
      return { secret, uri: totpUri(secret, user.email) };
    },

    /**
     * Confirms enrolment with a first code; the session becomes full; returns recovery codes to
     * save. The device it happens on becomes known (`meta.ip`), without a notice.
     */
    async confirmTotp(
      session: SessionInfo,
      code: string,
      requestId: string,
      meta?: { ip: string },
    ): Promise<{ recoveryCodes: string[]; token?: string }> {
      await checkTotpEnrolment(session);
      const user = await users.byId(session.userId);
      if (!user) throw new Error(`no account ${session.userId}`);
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
        if (!(await users.enableTotp(user.id, now, r.step, tx)))
          throw new AppError('conflict', 'An authenticator app is already set up for this account.');
        const recoveryCodes = await newRecoveryCodesFor(user.id, tx);
        const token = session.mfa
          ? undefined
          : await completeSession(tx, session, 'totp', meta && { ip: meta.ip, notify: false });
        await auditOwn(tx, session, 'mfa.totp.enrol', requestId, now);
        return { recoveryCodes, ...(token !== undefined && { token }) };
      });
    },

    /** Options for signing in (or stepping up) with a passkey; the challenge stays with the session. */
    async passkeySignInOptions(session: SessionInfo) {
      return ceremonies.authenticationOptions(session.id, session.userId);
    },

    /** Options for adding a passkey, when this session may add a factor now (see `mayEnrol`). */
    async passkeyRegistrationOptions(session: SessionInfo) {
      const account = await accountState(session.userId);
      if (!mayEnrol(session, account)) throw enrolRefused(session);
      const user = await users.byId(session.userId);
      if (!user) throw new Error(`no account ${session.userId}`);
      return ceremonies.registrationOptions(session.id, {
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
      const account = await accountState(session.userId);
      if (!mayEnrol(session, account)) throw enrolRefused(session);
      const key = await ceremonies.verifyRegistration(session.id, input.attestation);
      const now = ctx.now();
      const id = newId();
      return transaction(ctx, async (tx) => {
        await credentials.addPasskey({ id, userId: session.userId, ...key, name: input.name, at: now }, tx);
        const firstFactor = !account.hasFactor;
        const recoveryCodes = firstFactor ? await newRecoveryCodesFor(session.userId, tx) : undefined;
        let token: string | undefined;
        if (!session.mfa) {
          token = await completeSession(tx, session, 'passkey', { ip: meta.ip, notify: false });
          await users.clearRecoveryLink(session.userId, tx);
        }
        // An authenticator-app set-up started and left for this passkey is not kept.
        if (!account.totp) await users.setTotpSecret(session.userId, null, tx);
        await auditOwn(tx, session, 'mfa.passkey.add', requestId, now);
        return {
          passkey: { id, name: input.name, createdAt: new Date(now).toISOString(), lastUsedAt: null },
          ...(recoveryCodes && { recoveryCodes }),
          ...(token !== undefined && { token }),
        };
      });
    },

    async listPasskeys(session: SessionInfo) {
      const rows = await credentials.passkeysOf(session.userId);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        createdAt: new Date(Number(r.created_at)).toISOString(),
        lastUsedAt: r.last_used_at === null ? null : new Date(Number(r.last_used_at)).toISOString(),
      }));
    },

    /** Removes one of your passkeys, after a recent sign-in; never the last factor, nor the last required passkey. */
    async removePasskey(session: SessionInfo, passkeyId: string, requestId: string): Promise<void> {
      requireRecentSignIn(session, ctx.now());
      await transaction(ctx, async (tx) => {
        if (!(await credentials.ownsPasskey(session.userId, passkeyId, tx))) throw notFound('that passkey');
        const account = await accountState(session.userId, tx);
        if (account.passkeys === 1 && account.needsPasskey)
          throw new AppError('conflict', 'Your account must keep a passkey. Add another one before removing this.');
        if (account.passkeys === 1 && !account.totp)
          throw new AppError('conflict', 'This is your only second factor. Add another one before removing it.');
        await credentials.removePasskey(passkeyId, tx);
        await auditOwn(tx, session, 'mfa.passkey.remove', requestId, ctx.now());
      });
    },
  };
}

export type SecondFactorService = ReturnType<typeof secondFactorService>;
