import { transaction, type Context } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { requireRecentSignIn } from '../auth/step-up.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UserStore } from './user-store.js';

const iso = (ms: number) => new Date(ms).toISOString();

type UserRow = {
  id: string;
  email: string;
  display_name: string;
  is_instance_admin: number;
  disabled_at: number | null;
  created_at: number;
};

const summary = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  displayName: u.display_name,
  isInstanceAdmin: u.is_instance_admin === 1,
  disabled: u.disabled_at !== null,
  disabledAt: u.disabled_at === null ? null : iso(u.disabled_at),
  createdAt: iso(u.created_at),
});

/**
 * Accounts, for instance admins (docs/threat-model.md, T1): the list, and disabling or enabling an account.
 * Disabling deletes every session of the account in the same transaction, so it is out at
 * once; a disabled account cannot sign in (the same answer as a wrong password) nor accept an
 * invitation. Both changes need a recent sign-in and are audited.
 */
export function usersService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now'>,
  deps: {
    users: Pick<UserStore, 'list' | 'summary' | 'setDisabled'>;
    sessions: Pick<SessionStore, 'endAll'>;
    audit: Pick<AuditStore, 'append'>;
  },
) {
  const { users } = deps;

  async function setDisabled(actor: Actor, userId: string, disabled: boolean) {
    denyAsMissing(policy.manageUsers(actor), 'that account');
    if (disabled && userId === actor.userId)
      throw conflict('You cannot disable your own account. Ask another instance admin.');
    requireRecentSignIn(actor, ctx.now());
    return transaction(ctx, async (tx) => {
      const user = await users.summary(userId, tx);
      if (!user) throw notFound('that account');
      const now = ctx.now();
      // Already in the asked state: nothing changes and nothing is audited.
      if ((user.disabled_at !== null) === disabled) return summary(user);
      await users.setDisabled(userId, disabled ? now : null, tx);
      if (disabled) await deps.sessions.endAll(userId, tx);
      await deps.audit.append(
        actor,
        {
          action: disabled ? 'user.disable' : 'user.enable',
          objectType: 'user',
          objectId: userId,
          organisationId: null,
        },
        now,
        tx,
      );
      return summary({ ...user, disabled_at: disabled ? now : null });
    });
  }

  return {
    async list(actor: Actor) {
      denyAsMissing(policy.manageUsers(actor), 'that list');
      return (await users.list()).map(summary);
    },

    /** Disables an account and ends all its sessions at once. Not your own. */
    disable: (actor: Actor, userId: string) => setDisabled(actor, userId, true),

    enable: (actor: Actor, userId: string) => setDisabled(actor, userId, false),
  };
}

export type UsersService = ReturnType<typeof usersService>;
