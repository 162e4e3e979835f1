import { cohortChange, idSchema, organisationChange } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { ChangeService } from './change-service.js';

const byId = z.object({ id: idSchema });

/** What moved between rounds: one organisation's change, and the cohort's (managers). */
export function changeRoutes(change: ChangeService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;
    app.get(
      '/api/v1/assessments/:id/change',
      { config: member, schema: { params: byId, response: { 200: organisationChange } } },
      async (request) => change.organisation(actorOf(request), request.params.id),
    );
    app.get(
      '/api/v1/programmes/:id/change',
      { config: member, schema: { params: byId, response: { 200: cohortChange } } },
      async (request) => change.cohort(actorOf(request), request.params.id),
    );
  };
}
