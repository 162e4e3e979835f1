import { auditRow, idSchema } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { AuditService } from './audit-service.js';

/** The audit log, newest first, in pages of 200 (`before` the last seq seen). */
export function auditRoutes(audit: AuditService) {
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
