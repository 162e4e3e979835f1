import multipart from '@fastify/multipart';
import {
  finding,
  findingCreate,
  findingImport,
  findingImportResult,
  findingRetestInput,
  findingReview,
  findingsSummary,
  findingToPlan,
  findingUpdate,
  idSchema,
  organisationFindings,
  planEvidence,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ifMatch, withVersion } from '../../http/if-match.js';
import { actorOf } from '../../http/session.js';
import { readUpload, sendDownload, UPLOAD_LIMITS } from '../evidence/evidence-routes.js';
import type { FindingService } from './finding-service.js';

const byId = z.object({ id: idSchema });
const byOrganisation = z.object({ id: idSchema, organisation: idSchema });
const noFields = z.strictObject({});

/**
 * Technical findings: an organisation's findings, recording and editing one, its review, the plan
 * item it becomes, its retest and evidence; the cohort's counts.
 */
export function findingRoutes(findings: FindingService) {
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get(
      '/api/v1/programmes/:id/organisations/:organisation/findings',
      { config: member, schema: { params: byOrganisation, response: { 200: organisationFindings } } },
      async (request) => findings.ofOrganisation(actorOf(request), request.params.id, request.params.organisation),
    );
    app.post(
      '/api/v1/programmes/:id/organisations/:organisation/findings',
      { config: member, schema: { params: byOrganisation, body: findingCreate, response: { 201: finding } } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            withVersion(
              reply,
              await findings.create(actorOf(request), request.params.id, request.params.organisation, request.body),
            ),
          ),
    );
    app.post(
      '/api/v1/programmes/:id/organisations/:organisation/findings/import',
      {
        config: member,
        schema: { params: byOrganisation, body: findingImport, response: { 201: findingImportResult } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await findings.importScan(actorOf(request), request.params.id, request.params.organisation, request.body),
          ),
    );
    app.get(
      '/api/v1/programmes/:id/findings/summary',
      { config: member, schema: { params: byId, response: { 200: findingsSummary } } },
      async (request) => findings.summary(actorOf(request), request.params.id),
    );
    app.get(
      '/api/v1/findings/:id',
      { config: member, schema: { params: byId, response: { 200: finding } } },
      async (request, reply) => withVersion(reply, await findings.get(actorOf(request), request.params.id)),
    );
    app.delete(
      '/api/v1/findings/:id',
      { config: member, schema: { params: byId, response: { 204: z.null() } } },
      async (request, reply) => {
        await findings.discard(actorOf(request), request.params.id, ifMatch(request.headers['if-match']));
        return reply.status(204).send(null);
      },
    );
    app.patch(
      '/api/v1/findings/:id',
      { config: member, schema: { params: byId, body: findingUpdate, response: { 200: finding } } },
      async (request, reply) =>
        withVersion(
          reply,
          await findings.update(
            actorOf(request),
            request.params.id,
            request.body,
            ifMatch(request.headers['if-match']),
          ),
        ),
    );
    app.post(
      '/api/v1/findings/:id/submit',
      { config: member, schema: { params: byId, response: { 200: finding } } },
      async (request, reply) =>
        withVersion(
          reply,
          await findings.submit(actorOf(request), request.params.id, ifMatch(request.headers['if-match'])),
        ),
    );
    app.post(
      '/api/v1/findings/:id/review',
      { config: member, schema: { params: byId, body: findingReview, response: { 200: finding } } },
      async (request, reply) =>
        withVersion(
          reply,
          await findings.review(
            actorOf(request),
            request.params.id,
            request.body,
            ifMatch(request.headers['if-match']),
          ),
        ),
    );
    app.post(
      '/api/v1/findings/:id/plan',
      { config: member, schema: { params: byId, body: findingToPlan, response: { 200: finding } } },
      async (request, reply) =>
        withVersion(
          reply,
          await findings.toPlan(
            actorOf(request),
            request.params.id,
            request.body,
            ifMatch(request.headers['if-match']),
          ),
        ),
    );
    app.post(
      '/api/v1/findings/:id/retest',
      { config: member, schema: { params: byId, body: findingRetestInput, response: { 200: finding } } },
      async (request, reply) =>
        withVersion(
          reply,
          await findings.retest(
            actorOf(request),
            request.params.id,
            request.body,
            ifMatch(request.headers['if-match']),
          ),
        ),
    );
    app.get('/api/v1/finding-evidence/:id', { config: member, schema: { params: byId } }, async (request, reply) => {
      return sendDownload(reply, await findings.downloadEvidence(actorOf(request), request.params.id));
    });
    await root.register(async (scope) => {
      await scope.register(multipart, { limits: UPLOAD_LIMITS });
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/v1/findings/:id/evidence',
        {
          config: member,
          schema: { params: byId, consumes: ['multipart/form-data'], response: { 201: planEvidence } },
        },
        async (request, reply) =>
          reply
            .status(201)
            .send(
              await findings.uploadEvidence(actorOf(request), request.params.id, () => readUpload(request, noFields)),
            ),
      );
    });
  };
}
