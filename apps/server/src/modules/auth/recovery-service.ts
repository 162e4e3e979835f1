import { transaction, type Context } from '../../context.js';
import { AppError, notFound } from '../../errors.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UserStore } from '../users/user-store.js';
import { hashToken, newToken, reissueSession, safeEqual } from './auth-tokens.js';
import type { SessionInfo } from './auth-types.js';
import type { CredentialStore } from './credential-store.js';
import type { InstanceSecurityService } from './instance-security-service.js';
import { requireRecentSignIn } from './step-up.js';
import type { ThrottleService } from './throttle-service.js';

/** An admin-issued recovery link works once, within this time. */
export const RECOVERY_LINK_TTL_MS = 24 * 60 * 60_000;

/**
 * Recovery for someone who lost every second factor and recovery code (decision 0007): an
 * instance admin resets the account's factors and hands over a one-time link; its holder
 * redeems it with the account's password and must then enrol a new factor.
 */
export function recoveryService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now'>,
  deps: {
    users: Pick<UserStore, 'byId' | 'setRecoveryLink'>;
    credentials: Pick<CredentialStore, 'removeAllOf'>;
    sessions: Pick<SessionStore, 'endAll' | 'proven' | 'rotate'>;
    throttle: Pick<ThrottleService, 'refuseWhileThrottled' | 'recordFailure'>;
    instanceSecurity: Pick<InstanceSecurityService, 'requiresPasskey'>;
    audit: Pick<AuditStore, 'append'>;
    publicUrl: string;
  },
) {
  /**
   * The reset itself, for an instance admin's request or the operator's command line (`kalaja
   * users reset-second-factor`, for when no admin can sign in any more): removes the account's
   * factors and recovery codes, ends its sessions, audits, and returns the one-time link.
   */
  async function issueRecovery(actor: Actor, userId: string): Promise<{ link: string; expiresAt: string }> {
    const token = newToken();
    const now = ctx.now();
    const expiresAt = now + RECOVERY_LINK_TTL_MS;
    await transaction(ctx, async (tx) => {
      if (!(await deps.users.byId(userId, tx))) throw notFound('that account');
      await deps.users.setRecoveryLink(userId, hashToken(token), expiresAt, tx);
      await deps.credentials.removeAllOf(userId, tx);
      await deps.sessions.endAll(userId, tx);
      await deps.audit.append(
        actor,
        { action: 'user.mfa_reset', objectType: 'user', objectId: userId, organisationId: null },
        now,
        tx,
      );
    });
    // In the fragment, like invitations: never sent to a server, never in a Referer.
    return { link: `${deps.publicUrl}/recover#${token}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  return {
    issueRecovery,

    /**
     * An instance admin's reset of someone else's second factors (after a recent sign-in;
     * never for their own account). The link alone signs nobody in: its holder also needs the
     * account's password, and must then enrol a new second factor before anything else. The
     * admin never learns the password.
     */
    async resetSecondFactors(actor: Actor, userId: string) {
      denyAsMissing(policy.manageUsers(actor), 'that account');
      if (userId === actor.userId)
        throw new AppError('conflict', 'You cannot reset your own second factor. Ask another instance admin.');
      requireRecentSignIn(actor, ctx.now());
      return issueRecovery(actor, userId);
    },

    /**
     * Redeems the recovery link an instance admin issued: with the password already passed in
     * this session, it opens the way to enrolling a new second factor (and nothing else).
     */
    async redeemRecovery(
      session: SessionInfo,
      token: string,
    ): Promise<{ next: 'enrol_totp' | 'enrol_passkey'; token: string }> {
      const subjects = [`recover:${session.userId}`];
      await deps.throttle.refuseWhileThrottled(subjects, 'Too many attempts. Wait a little and try again.');
      const user = await deps.users.byId(session.userId);
      const valid =
        user !== undefined &&
        user.recovery_token_hash !== null &&
        safeEqual(user.recovery_token_hash, hashToken(token)) &&
        Number(user.recovery_expires_at) > ctx.now();
      if (!valid) {
        await deps.throttle.recordFailure(subjects);
        throw new AppError(
          'unauthenticated',
          'This recovery link is not valid any more. Ask your administrator for a new one.',
        );
      }
      // The session may now enrol a factor: it gets a new token, and the one it had stops working.
      const fresh = await transaction(ctx, async (tx) => {
        await deps.sessions.proven(session.id, ctx.now(), undefined, tx);
        return reissueSession(deps.sessions, session.id, tx);
      });
      return {
        next: (await deps.instanceSecurity.requiresPasskey(session.userId)) ? 'enrol_passkey' : 'enrol_totp',
        token: fresh.token,
      };
    },
  };
}

export type RecoveryService = ReturnType<typeof recoveryService>;
