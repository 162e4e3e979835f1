import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from './audit-store.js';
import type { AuditView } from './audit-types.js';

/** The audit log as people read it: everything for instance admins; an organisation's own rows for its admins. */
export function auditService(deps: { audit: Pick<AuditStore, 'newest'> }) {
  return {
    async list(
      actor: Actor,
      query: { organisationId?: string | undefined; before?: number | undefined },
    ): Promise<AuditView[]> {
      if (query.organisationId)
        denyAsMissing(actor.isInstanceAdmin || policy.adminOf(actor, query.organisationId), 'that organisation');
      else denyAsMissing(actor.isInstanceAdmin);
      const rows = await deps.audit.newest(query);
      return rows.map((r) => ({
        seq: Number(r.seq),
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorRole: r.actor_role,
        organisationId: r.organisation_id,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        requestId: r.request_id,
      }));
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
