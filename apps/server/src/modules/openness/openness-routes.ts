import multipart from '@fastify/multipart';
import {
  archiveCopy,
  idSchema,
  indexCreate,
  indicatorAnswerInput,
  indicatorRow,
  indicatorSheet,
  institution,
  institutionInput,
  localeSchema,
  opennessToken,
  programme,
  publicIndex,
  publicInstitution,
  publicWave,
  questionnaireLink,
  questionnaireSubmission,
  questionnaireView,
  paperQuery,
  waveStatus,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ifMatch } from '../../http/if-match.js';
import { actorOf } from '../../http/session.js';
import { contentDisposition, readUpload, sendDownload, UPLOAD_LIMITS } from '../evidence/evidence-routes.js';
import type { OpennessPublic } from './openness-public.js';
import type { OpennessService } from './openness-service.js';

const byId = z.object({ id: idSchema });
const byWave = z.object({ id: idSchema, wave: idSchema });
const byInstitution = byWave.extend({ institution: idSchema });
const indicatorId = z
  .string()
  .max(200)
  .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, { error: 'is not an indicator id' });
const byIndicator = byInstitution.extend({ indicator: indicatorId });
const byToken = z.object({ token: opennessToken });
const lang = z.object({ lang: localeSchema.default('en') });
const noFields = z.strictObject({});

/**
 * The openness index for its research team: indexes, institutions, a wave's indicator sheets,
 * answers with evidence and archived copies, validation, questionnaire links, publishing.
 */
export function opennessRoutes(openness: OpennessService) {
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.post(
      '/api/v1/indexes',
      { config: member, schema: { body: indexCreate, response: { 201: programme } } },
      async (request, reply) => reply.status(201).send(await openness.createIndex(actorOf(request), request.body)),
    );
    app.get(
      '/api/v1/indexes/:id/institutions',
      { config: member, schema: { params: byId, response: { 200: z.array(institution) } } },
      async (request) => openness.institutions(actorOf(request), request.params.id),
    );
    app.post(
      '/api/v1/indexes/:id/institutions',
      { config: member, schema: { params: byId, body: institutionInput, response: { 201: institution } } },
      async (request, reply) =>
        reply.status(201).send(await openness.addInstitution(actorOf(request), request.params.id, request.body)),
    );
    app.get(
      '/api/v1/indexes/:id/waves/:wave',
      { config: member, schema: { params: byWave, response: { 200: waveStatus } } },
      async (request) => openness.wave(actorOf(request), request.params.id, request.params.wave),
    );
    app.post(
      '/api/v1/indexes/:id/waves/:wave/publish',
      {
        config: member,
        schema: { params: byWave, response: { 201: z.object({ version: z.number().int(), publishedAt: z.string() }) } },
      },
      async (request, reply) =>
        reply.status(201).send(await openness.publish(actorOf(request), request.params.id, request.params.wave)),
    );
    // The wave's policy paper, rendered in the report worker pool while the request waits (§11).
    app.get(
      '/api/v1/indexes/:id/waves/:wave/paper',
      {
        config: member,
        schema: {
          params: byWave,
          querystring: paperQuery,
        },
      },
      async (request, reply) => {
        const file = await openness.paper(
          actorOf(request),
          request.params.id,
          request.params.wave,
          request.query.format,
          request.query.language,
        );
        return (
          reply
            .header('content-type', file.mediaType)
            .header('content-disposition', contentDisposition(file.name))
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'no-store')
            // An HTML paper opened from the downloads is a document without scripts or an origin.
            .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
            .send(file.bytes)
        );
      },
    );
    app.get(
      '/api/v1/indexes/:id/waves/:wave/institutions/:institution',
      { config: member, schema: { params: byInstitution, querystring: lang, response: { 200: indicatorSheet } } },
      async (request) =>
        openness.sheet(
          actorOf(request),
          request.params.id,
          request.params.wave,
          request.params.institution,
          request.query.lang,
        ),
    );
    app.put(
      '/api/v1/indexes/:id/waves/:wave/institutions/:institution/indicators/:indicator',
      { config: member, schema: { params: byIndicator, body: indicatorAnswerInput, response: { 200: indicatorRow } } },
      async (request) =>
        openness.record(
          actorOf(request),
          request.params.id,
          request.params.wave,
          request.params.institution,
          request.params.indicator,
          request.body,
          ifMatch(request.headers['if-match']),
        ),
    );
    app.post(
      '/api/v1/indexes/:id/waves/:wave/institutions/:institution/indicators/:indicator/validate',
      { config: member, schema: { params: byIndicator, response: { 200: indicatorRow } } },
      async (request) =>
        openness.validate(
          actorOf(request),
          request.params.id,
          request.params.wave,
          request.params.institution,
          request.params.indicator,
          ifMatch(request.headers['if-match']),
        ),
    );
    app.post(
      '/api/v1/indexes/:id/waves/:wave/institutions/:institution/questionnaire-link',
      { config: member, schema: { params: byInstitution, response: { 201: questionnaireLink } } },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await openness.issueLink(
              actorOf(request),
              request.params.id,
              request.params.wave,
              request.params.institution,
            ),
          ),
    );
    app.get('/api/v1/openness-archives/:id', { config: member, schema: { params: byId } }, async (request, reply) =>
      sendDownload(reply, await openness.downloadArchive(actorOf(request), request.params.id)),
    );
    await root.register(async (scope) => {
      await scope.register(multipart, { limits: UPLOAD_LIMITS });
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/v1/indexes/:id/waves/:wave/institutions/:institution/indicators/:indicator/archives',
        {
          config: member,
          schema: { params: byIndicator, consumes: ['multipart/form-data'], response: { 201: archiveCopy } },
        },
        async (request, reply) =>
          reply
            .status(201)
            .send(
              await openness.uploadArchive(
                actorOf(request),
                request.params.id,
                request.params.wave,
                request.params.institution,
                request.params.indicator,
                () => readUpload(request, noFields),
              ),
            ),
      );
    });

    // The institution's contact, through a one-time link: no account, no cookie; the token is the secret.
    const open = { access: 'public' } as const;
    app.get(
      '/api/v1/questionnaires/:token',
      { config: open, schema: { params: byToken, querystring: lang, response: { 200: questionnaireView } } },
      async (request) => openness.linkView(request.params.token, request.query.lang),
    );
    app.post(
      '/api/v1/questionnaires/:token',
      {
        config: open,
        schema: {
          params: byToken,
          body: questionnaireSubmission,
          response: { 200: z.object({ saved: z.number().int() }) },
        },
      },
      async (request) => openness.linkSubmit(request.params.token, request.body, request.id),
    );
  };
}

/**
 * The published index, public by design: no account, no cookie. Waves that are not published
 * are 404, as missing ones are.
 */
export function opennessPublicRoutes(pub: OpennessPublic) {
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const open = { access: 'public', compress: true } as const;
    const base = '/api/v1/public/indexes/:id/waves/:wave';

    app.get(
      '/api/v1/public/indexes/:id',
      { config: open, schema: { params: byId, response: { 200: publicIndex } } },
      async (request) => pub.index(request.params.id),
    );
    app.get(
      base,
      { config: open, schema: { params: byWave, querystring: lang, response: { 200: publicWave } } },
      async (request) => pub.wave(request.params.id, request.params.wave, request.query.lang),
    );
    app.get(
      `${base}/institutions/:institution`,
      { config: open, schema: { params: byInstitution, querystring: lang, response: { 200: publicInstitution } } },
      async (request) =>
        pub.institution(request.params.id, request.params.wave, request.params.institution, request.query.lang),
    );
    app.get(`${base}/data.json`, { config: open, schema: { params: byWave } }, async (request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="data.json"')
        .send(JSON.stringify(await pub.dataJson(request.params.id, request.params.wave), null, 2)),
    );
    app.get(`${base}/datapackage.json`, { config: open, schema: { params: byWave } }, async (request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(await pub.dataPackage(request.params.id, request.params.wave), null, 2)),
    );
    app.get(`${base}/institutions.csv`, { config: open, schema: { params: byWave } }, async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="institutions.csv"')
        .send(await pub.institutionsCsv(request.params.id, request.params.wave)),
    );
    app.get(`${base}/indicators.csv`, { config: open, schema: { params: byWave } }, async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="indicators.csv"')
        .send(await pub.indicatorsCsv(request.params.id, request.params.wave)),
    );
    app.get(
      '/api/v1/public/openness-archives/:id',
      { config: { access: 'public' }, schema: { params: byId } },
      async (request, reply) => sendDownload(reply, await pub.archive(request.params.id)),
    );
  };
}
