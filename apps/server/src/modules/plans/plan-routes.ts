import multipart from '@fastify/multipart';
import {
  idSchema,
  interventionRanking,
  organisationPlan,
  planEvidence,
  planExportQuery,
  planItem,
  planItemCreate,
  planItemUpdate,
  planStatusChange,
  programmePlans,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ifMatch, withVersion } from '../../http/if-match.js';
import { actorOf } from '../../http/session.js';
import { readUpload, sendDownload, UPLOAD_LIMITS } from '../evidence/evidence-routes.js';
import type { PlanService } from './plan-service.js';

const byId = z.object({ id: idSchema });
const byOrganisation = z.object({ id: idSchema, organisation: idSchema });
/** A plan item's evidence takes no field beside its file. */
const noFields = z.strictObject({});

/**
 * Plans: an assessment's ranked interventions; an organisation's plan, its items, their status
 * and evidence; the programme's view across its cohort; and the exports (CSV, XLSX).
 */
export function planRoutes(plans: PlanService) {
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get(
      '/api/v1/assessments/:id/interventions',
      { config: member, schema: { params: byId, response: { 200: interventionRanking } } },
      async (request) => plans.ranking(actorOf(request), request.params.id),
    );
    app.get(
      '/api/v1/programmes/:id/organisations/:organisation/plan',
      { config: member, schema: { params: byOrganisation, response: { 200: organisationPlan } } },
      async (request) => plans.plan(actorOf(request), request.params.id, request.params.organisation),
    );
    app.post(
      '/api/v1/programmes/:id/organisations/:organisation/plan',
      { config: member, schema: { params: byOrganisation, body: planItemCreate, response: { 201: planItem } } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            withVersion(
              reply,
              await plans.create(actorOf(request), request.params.id, request.params.organisation, request.body),
            ),
          ),
    );
    app.get(
      '/api/v1/programmes/:id/organisations/:organisation/plan/export',
      { config: member, schema: { params: byOrganisation, querystring: planExportQuery } },
      async (request, reply) =>
        sendDownload(
          reply,
          await plans.exportOrganisation(
            actorOf(request),
            request.params.id,
            request.params.organisation,
            request.query.format,
          ),
        ),
    );
    app.patch(
      '/api/v1/plan-items/:id',
      { config: member, schema: { params: byId, body: planItemUpdate, response: { 200: planItem } } },
      async (request, reply) =>
        withVersion(
          reply,
          await plans.update(actorOf(request), request.params.id, request.body, ifMatch(request.headers['if-match'])),
        ),
    );
    app.post(
      '/api/v1/plan-items/:id/status',
      { config: member, schema: { params: byId, body: planStatusChange, response: { 200: planItem } } },
      async (request, reply) =>
        withVersion(
          reply,
          await plans.setStatus(
            actorOf(request),
            request.params.id,
            request.body,
            ifMatch(request.headers['if-match']),
          ),
        ),
    );
    app.delete(
      '/api/v1/plan-items/:id',
      { config: member, schema: { params: byId, response: { 204: z.null() } } },
      async (request, reply) => {
        await plans.remove(actorOf(request), request.params.id, ifMatch(request.headers['if-match']));
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/v1/programmes/:id/plans',
      { config: member, schema: { params: byId, response: { 200: programmePlans } } },
      async (request) => plans.programmeView(actorOf(request), request.params.id),
    );
    app.get(
      '/api/v1/programmes/:id/plans/export',
      { config: member, schema: { params: byId, querystring: planExportQuery } },
      async (request, reply) =>
        sendDownload(reply, await plans.exportProgramme(actorOf(request), request.params.id, request.query.format)),
    );
    app.get('/api/v1/plan-evidence/:id', { config: member, schema: { params: byId } }, async (request, reply) =>
      sendDownload(reply, await plans.downloadEvidence(actorOf(request), request.params.id)),
    );
    app.delete(
      '/api/v1/plan-evidence/:id',
      { config: member, schema: { params: byId, response: { 204: z.null() } } },
      async (request, reply) => {
        await plans.removeEvidence(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    // Uploads: multipart parsing registered for this route only, with the evidence module's limits.
    await root.register(async (scope) => {
      await scope.register(multipart, { limits: UPLOAD_LIMITS });
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/v1/plan-items/:id/evidence',
        {
          config: member,
          schema: { params: byId, consumes: ['multipart/form-data'], response: { 201: planEvidence } },
        },
        async (request, reply) =>
          reply
            .status(201)
            .send(await plans.uploadEvidence(actorOf(request), request.params.id, () => readUpload(request, noFields))),
      );
    });
  };
}
