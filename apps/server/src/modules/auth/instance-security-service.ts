import { transaction, type Context } from '../../context.js';
import type { Executor } from '../../db/database.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { AppError } from '../../errors.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UserStore } from '../users/user-store.js';
import type { SessionInfo } from './auth-types.js';
import { requireRecentSignIn } from './step-up.js';

/** The setting that holds the passkey rule: `admins_managers`, or absent for none. */
const REQUIRE_PASSKEYS = 'require_passkeys';

export type PasskeyRule = 'none' | 'admins_managers';

/**
 * The instance's sign-in rules, set by its admins: whether instance admins and programme
 * managers must sign in with a passkey (decision 0007).
 */
export function instanceSecurityService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now'>,
  deps: {
    settings: Pick<SettingsStore, 'get' | 'put'>;
    users: Pick<UserStore, 'byId' | 'hasRole'>;
    sessions: Pick<SessionStore, 'endAdminsAndManagersWithoutPasskey'>;
    audit: Pick<AuditStore, 'append'>;
    /** Whether passkeys work on this instance at all (it is reached by a name, not an address). */
    passkeysAvailable: boolean;
  },
) {
  const rule = async (tx?: Executor): Promise<PasskeyRule> =>
    (await deps.settings.get(REQUIRE_PASSKEYS, tx)) === 'admins_managers' ? 'admins_managers' : 'none';

  async function security(actor: Actor) {
    denyAsMissing(policy.manageUsers(actor), 'that setting');
    return { requirePasskeys: await rule(), passkeysAvailable: deps.passkeysAvailable };
  }

  return {
    /** Whether the instance requires passkeys of this account: instance admins and programme managers, when set. */
    async requiresPasskey(userId: string, tx?: Executor): Promise<boolean> {
      if ((await rule(tx)) !== 'admins_managers') return false;
      const user = await deps.users.byId(userId, tx);
      if (user?.is_instance_admin === 1) return true;
      return deps.users.hasRole(userId, 'programme_manager', undefined, tx);
    },

    /** The instance's sign-in rules, for its admins. */
    security,

    /**
     * Sets the instance's sign-in rules. Requiring passkeys ends, at once, every session of an
     * instance admin or programme manager that was not completed with a passkey; the admin who
     * turns it on must be signed in with a passkey, so as not to lock the instance.
     */
    async setSecurity(actor: Actor, session: SessionInfo, input: { requirePasskeys: PasskeyRule }) {
      denyAsMissing(policy.manageUsers(actor), 'that setting');
      if (input.requirePasskeys === 'admins_managers') {
        if (!deps.passkeysAvailable)
          throw new AppError('conflict', 'Passkeys need Kalaja to be reached by a name, not an IP address.');
        if (session.mfaMethod !== 'passkey')
          throw new AppError(
            'conflict',
            'Add a passkey to your own account and sign in with it before requiring passkeys.',
          );
      }
      requireRecentSignIn(actor, ctx.now());
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await deps.settings.put(REQUIRE_PASSKEYS, input.requirePasskeys, tx);
        if (input.requirePasskeys === 'admins_managers') await deps.sessions.endAdminsAndManagersWithoutPasskey(tx);
        await deps.audit.append(
          actor,
          {
            action: `instance.require_passkeys.${input.requirePasskeys}`,
            objectType: 'instance',
            objectId: 'security',
            organisationId: null,
          },
          now,
          tx,
        );
      });
      return security(actor);
    },
  };
}

export type InstanceSecurityService = ReturnType<typeof instanceSecurityService>;
