import { transaction, type Context } from '../../context.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import { ROLES, selfActor, type Actor, type Role } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { UserStore } from '../users/user-store.js';
import { hashPassword, requirePasswordPolicy, verifyAgainstDummy, verifyPassword } from './auth-passwords.js';
import { hashToken, newToken } from './auth-tokens.js';
import type { NextStep } from './auth-types.js';
import type { InvitationStore } from './invitation-store.js';
import type { SecondFactorService } from './second-factor-service.js';
import type { SignInService } from './sign-in-service.js';
import { passwordSubjects, TOO_MANY_PASSWORDS, type ThrottleService } from './throttle-service.js';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

const NOT_VALID = 'This invitation is not valid any more. Ask for a new link.';
const EXISTING_ACCOUNT = 'This email already has an account: enter its password to accept.';

/**
 * Invitations by link: a programme's manager offers a role (in the programme, or in one of its
 * organisations) to an email; whoever holds the link accepts it with a new account, or with the
 * password of the account that email already has. The link works once, for seven days.
 */
export function invitationService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now'>,
  deps: {
    invitations: InvitationStore;
    users: Pick<UserStore, 'byEmail' | 'insert' | 'addMemberships'>;
    programmes: Pick<ProgrammeStore, 'takesPart'>;
    signIn: Pick<SignInService, 'openSession'>;
    secondFactors: Pick<SecondFactorService, 'afterPassword'>;
    throttle: Pick<ThrottleService, 'refuseWhileThrottled' | 'recordFailure'>;
    audit: Pick<AuditStore, 'append'>;
    publicUrl: string;
  },
) {
  return {
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
      if (input.organisationId && !(await deps.programmes.takesPart(input.programmeId, [input.organisationId])))
        throw notFound('that organisation in this programme');
      const token = newToken();
      const id = newId();
      const now = ctx.now();
      const expiresAt = now + INVITATION_TTL_MS;
      await transaction(ctx, async (tx) => {
        await deps.invitations.insert(
          {
            id,
            tokenHash: hashToken(token),
            email: input.email,
            role: input.role,
            programmeId: input.programmeId,
            organisationId: input.organisationId ?? null,
            createdBy: actor.userId,
            at: now,
            expiresAt,
          },
          tx,
        );
        await deps.audit.append(
          actor,
          {
            action: 'invitation.create',
            objectType: 'invitation',
            objectId: id,
            organisationId: input.organisationId ?? null,
          },
          now,
          tx,
        );
      });
      // The token travels in the fragment: browsers never send it to a server or in a Referer.
      return { id, link: `${deps.publicUrl}/invite#${token}`, expiresAt: new Date(expiresAt).toISOString() };
    },

    /**
     * Accepts an invitation: a new account (or an existing one proven by its password) gets the
     * role. The password of an existing account is a guess at a secret like a sign-in: it is
     * throttled on the same subjects (`passwordSubjects`), so a lock on one is a lock on the
     * other, and a disabled account answers as a wrong password does (one argon2 check either way).
     */
    async acceptInvitation(
      input: { token: string; displayName: string; password: string },
      meta: { userAgent: string; ip: string },
      requestId: string,
    ): Promise<{ token: string } & NextStep> {
      const inv = await deps.invitations.byTokenHash(hashToken(input.token));
      if (!inv || inv.accepted_at !== null || inv.expires_at < ctx.now()) throw new AppError('not_found', NOT_VALID);
      const existing = await deps.users.byEmail(inv.email);
      let hash: string | undefined;
      if (existing) {
        const subjects = passwordSubjects(inv.email, meta.ip);
        await deps.throttle.refuseWhileThrottled(subjects, TOO_MANY_PASSWORDS);
        // A disabled account gets no new role and no session (docs/threat-model.md, T1: an account
        // taken over is disabled), and is not told apart from a wrong password.
        const ok = existing.disabled_at
          ? await verifyAgainstDummy(input.password)
          : await verifyPassword(existing.password_hash, input.password);
        if (!ok) {
          await deps.throttle.recordFailure(subjects);
          throw new AppError('unauthenticated', EXISTING_ACCOUNT);
        }
      } else {
        requirePasswordPolicy(input.password, { email: inv.email, displayName: input.displayName });
        hash = await hashPassword(input.password);
      }
      const created = await transaction(ctx, async (tx) => {
        if (!(await deps.invitations.accept(inv.id, ctx.now(), tx))) throw new AppError('not_found', NOT_VALID);
        const userId = existing?.id ?? newId();
        if (!existing)
          await deps.users.insert(
            {
              id: userId,
              email: inv.email,
              displayName: input.displayName,
              passwordHash: hash!,
              isInstanceAdmin: false,
              at: ctx.now(),
            },
            tx,
          );
        await deps.users.addMemberships(
          [
            {
              id: newId(),
              userId,
              role: inv.role as Role,
              programmeId: inv.programme_id,
              organisationId: inv.organisation_id,
              at: ctx.now(),
            },
          ],
          tx,
        );
        const token = await deps.signIn.openSession(userId, meta.userAgent, tx);
        await deps.audit.append(
          selfActor(userId, '', requestId),
          {
            action: 'invitation.accept',
            objectType: 'invitation',
            objectId: inv.id,
            organisationId: inv.organisation_id,
          },
          ctx.now(),
          tx,
        );
        return { token, userId };
      });
      return { token: created.token, ...(await deps.secondFactors.afterPassword(created.userId)) };
    },
  };
}

export type InvitationService = ReturnType<typeof invitationService>;
