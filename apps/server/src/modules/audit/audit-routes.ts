import { auditRow, idSchema } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import { actorOf } from '../../http/session.js';

/** The audit log: everything for instance admins; an organisation's own rows for its admins. */
export function auditService(ctx: Context) {
  return {
    async list(actor: Actor, query: { organisationId?: string | undefined; before?: number | undefined }) {
      if (query.organisationId)
        denyAsMissing(actor.isInstanceAdmin || policy.adminOf(actor, query.organisationId), 'that organisation');
      else denyAsMissing(actor.isInstanceAdmin);
      let q = ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(200);
      if (query.organisationId) q = q.where('organisation_id', '=', query.organisationId);
      if (query.before !== undefined) q = q.where('seq', '<', query.before);
      const rows = await q.execute();
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

export function auditRoutes(audit: ReturnType<typeof auditService>) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/v1/audit',
      {
        config: { access: 'member' },
        schema: {
          querystring: z.strictObject({
            organisationId: idSchema.optional(),
            before: z.coerce.number().int().positive().optional(),
          }),
          response: { 200: z.array(auditRow) },
        },
      },
      async (request) => audit.list(actorOf(request), request.query),
    );
  };
}
