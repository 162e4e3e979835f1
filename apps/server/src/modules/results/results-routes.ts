import {
  cohortOrganisationsPage,
  cohortOrganisationsQuery,
  cohortResults,
  cohortSummary,
  idSchema,
} from '@kalaja/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { ResultsService } from './results-service.js';

/**
 * Cohort results of a programme: named for managers, anonymised aggregates for observers. The
 * results page reads the summary first and the organisations a page at a time; the whole at
 * once is still there for anyone who wants it.
 */
export function resultsRoutes(results: ResultsService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const params = z.object({ id: idSchema });
    app.get(
      '/api/v1/programmes/:id/results',
      { config: { access: 'member' }, schema: { params, response: { 200: cohortResults } } },
      async (request, reply) => {
        const body = await results.cohort(actorOf(request), request.params.id);
        // Managers' figures come as JSON text, validated by the same schema when they were made:
        // sent as it is (the untyped reply, as the schema's type does not name text).
        if (typeof body === 'string') return (reply as FastifyReply).type('application/json; charset=utf-8').send(body);
        return body;
      },
    );
    app.get(
      '/api/v1/programmes/:id/results/summary',
      { config: { access: 'member' }, schema: { params, response: { 200: cohortSummary } } },
      async (request) => results.summary(actorOf(request), request.params.id),
    );
    app.get(
      '/api/v1/programmes/:id/results/organisations',
      {
        config: { access: 'member' },
        schema: { params, querystring: cohortOrganisationsQuery, response: { 200: cohortOrganisationsPage } },
      },
      async (request) => results.organisations(actorOf(request), request.params.id, request.query),
    );
  };
}
