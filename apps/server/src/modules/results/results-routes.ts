import { cohortResults, idSchema } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { ResultsService } from './results-service.js';

/** Cohort results of a programme: named for managers, anonymised aggregates for observers. */
export function resultsRoutes(results: ResultsService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/v1/programmes/:id/results',
      {
        config: { access: 'member' },
        schema: { params: z.object({ id: idSchema }), response: { 200: cohortResults } },
      },
      async (request) => results.cohort(actorOf(request), request.params.id),
    );
  };
}
