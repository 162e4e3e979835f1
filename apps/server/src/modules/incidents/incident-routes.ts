import {
  idSchema,
  incident,
  incidentConsent,
  incidentCreate,
  incidentTaxonomyView,
  incidentUpdate,
  landscapeQuery,
  organisationIncidents,
  threatLandscapeView,
  reportLanguage,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ifMatch, withVersion } from '../../http/if-match.js';
import { actorOf } from '../../http/session.js';
import type { IncidentService } from './incident-service.js';

const byId = z.object({ id: idSchema });
const byOrganisation = z.object({ id: idSchema, organisation: idSchema });
// One of Kalaja's languages (an unknown one is a 400, not a lookup of whatever key it names).
const langQuery = z.object({ lang: reportLanguage.optional() });

/** The incident log of an organisation, its consent to its assessors, and the programme's threat landscape. */
export function incidentRoutes(incidents: IncidentService) {
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get(
      '/api/v1/incident-taxonomy',
      { config: member, schema: { querystring: langQuery, response: { 200: incidentTaxonomyView } } },
      async (request) => incidents.taxonomyView(request.query.lang ?? 'en'),
    );
    app.get(
      '/api/v1/programmes/:id/organisations/:organisation/incidents',
      { config: member, schema: { params: byOrganisation, response: { 200: organisationIncidents } } },
      async (request) => incidents.ofOrganisation(actorOf(request), request.params.id, request.params.organisation),
    );
    app.post(
      '/api/v1/programmes/:id/organisations/:organisation/incidents',
      { config: member, schema: { params: byOrganisation, body: incidentCreate, response: { 201: incident } } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            withVersion(
              reply,
              await incidents.create(actorOf(request), request.params.id, request.params.organisation, request.body),
            ),
          ),
    );
    app.put(
      '/api/v1/programmes/:id/organisations/:organisation/incidents/consent',
      {
        config: member,
        schema: { params: byOrganisation, body: incidentConsent, response: { 200: organisationIncidents } },
      },
      async (request) =>
        incidents.setConsent(actorOf(request), request.params.id, request.params.organisation, request.body.assessor),
    );
    app.get(
      '/api/v1/incidents/:id',
      { config: member, schema: { params: byId, response: { 200: incident } } },
      async (request, reply) => withVersion(reply, await incidents.get(actorOf(request), request.params.id)),
    );
    app.patch(
      '/api/v1/incidents/:id',
      { config: member, schema: { params: byId, body: incidentUpdate, response: { 200: incident } } },
      async (request, reply) =>
        withVersion(
          reply,
          await incidents.update(
            actorOf(request),
            request.params.id,
            request.body,
            ifMatch(request.headers['if-match']),
          ),
        ),
    );
    app.delete('/api/v1/incidents/:id', { config: member, schema: { params: byId } }, async (request, reply) => {
      await incidents.remove(actorOf(request), request.params.id);
      return reply.status(204).send();
    });
    app.get(
      '/api/v1/programmes/:id/threats',
      {
        config: member,
        schema: {
          params: byId,
          querystring: landscapeQuery.extend({ lang: reportLanguage.optional() }),
          response: { 200: threatLandscapeView },
        },
      },
      async (request) =>
        incidents.landscape(actorOf(request), request.params.id, request.query, request.query.lang ?? 'en'),
    );
  };
}
