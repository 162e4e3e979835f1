import {
  idSchema,
  recommendationAddRequest,
  recommendationEditRequest,
  recommendationIdSchema,
  recommendationReview,
  reportJob,
  reportLanguage,
  reportRequest,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import { contentDisposition } from '../evidence/evidence-routes.js';
import type { RecommendationService } from './recommendation-service.js';
import type { ReportService } from './report-service.js';

const byId = z.object({ id: idSchema });

/**
 * The preview's own Content Security Policy. The report is one self-contained document (an
 * inline stylesheet, inline SVG charts, no scripts, no URLs): it may use inline styles and
 * `data:` images and nothing else, runs sandboxed (no scripts, an opaque origin, no forms, no
 * navigation of the app) even when opened on its own, and may be framed by the app only.
 *
 * Why a framed URL and not `srcdoc`: an `about:srcdoc` document inherits the app's CSP, whose
 * `style-src 'self'` blocks the report's inline stylesheet, so a `srcdoc` preview shows
 * unstyled text and a CSP violation. The app instead frames this URL in an `<iframe
 * sandbox="">` (the app's CSP allows `frame-src 'self'`); this response opts in to being
 * framed by our own origin (`frame-ancestors 'self'`, `X-Frame-Options: SAMEORIGIN`) while
 * every other response keeps `frame-ancestors 'none'`.
 */
export const PREVIEW_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  'sandbox',
].join('; ');

/**
 * Reports: request one (a job), list a programme's, follow a job, preview it, download it.
 * The job queue starts when the app is ready and stops (waiting for a running job) when it
 * closes.
 */
export function reportRoutes(reports: ReportService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    root.addHook('onReady', async () => reports.start(root.log.child({ module: 'reports' })));
    root.addHook('onClose', async () => reports.stop());

    app.post(
      '/api/v1/programmes/:id/reports',
      { config: member, schema: { params: byId, body: reportRequest, response: { 202: reportJob } } },
      async (request, reply) =>
        reply.status(202).send(await reports.request(actorOf(request), request.params.id, request.body)),
    );
    app.get(
      '/api/v1/programmes/:id/reports',
      { config: member, schema: { params: byId, response: { 200: z.array(reportJob) } } },
      async (request) => reports.list(actorOf(request), request.params.id),
    );
    app.get(
      '/api/v1/reports/:id',
      { config: member, schema: { params: byId, response: { 200: reportJob } } },
      async (request) => reports.get(actorOf(request), request.params.id),
    );
    app.get('/api/v1/reports/:id/preview', { config: member, schema: { params: byId } }, async (request, reply) => {
      const html = await reports.preview(actorOf(request), request.params.id);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', PREVIEW_CSP)
        .header('x-frame-options', 'SAMEORIGIN')
        .header('cross-origin-resource-policy', 'same-origin')
        .header('cache-control', 'no-store')
        .send(html);
    });
    app.get('/api/v1/reports/:id/download', { config: member, schema: { params: byId } }, async (request, reply) => {
      const file = await reports.download(actorOf(request), request.params.id);
      return (
        reply
          .header('content-type', file.mediaType)
          .header('content-disposition', contentDisposition(file.name))
          .header('cache-control', 'no-store')
          // An HTML report opened from the downloads is a document without scripts or an origin.
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
          .send(file.bytes)
      );
    });
  };
}

/** The team's review of the drafted recommendations: managers only. */
export function recommendationRoutes(recommendations: RecommendationService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;
    const one = z.object({ id: idSchema, recommendation: recommendationIdSchema });
    app.get(
      '/api/v1/programmes/:id/recommendations',
      {
        config: member,
        schema: {
          params: byId,
          querystring: z.object({ language: reportLanguage.default('en') }),
          response: { 200: recommendationReview },
        },
      },
      async (request) => recommendations.review(actorOf(request), request.params.id, request.query.language),
    );
    app.post(
      '/api/v1/programmes/:id/recommendations',
      {
        config: member,
        schema: { params: byId, body: recommendationAddRequest, response: { 201: z.object({ id: z.string() }) } },
      },
      async (request, reply) =>
        reply.status(201).send(await recommendations.add(actorOf(request), request.params.id, request.body)),
    );
    app.put(
      '/api/v1/programmes/:id/recommendations/:recommendation',
      { config: member, schema: { params: one, body: recommendationEditRequest, response: { 204: z.null() } } },
      async (request, reply) => {
        await recommendations.edit(actorOf(request), request.params.id, request.params.recommendation, request.body);
        return reply.status(204).send(null);
      },
    );
    app.delete(
      '/api/v1/programmes/:id/recommendations/:recommendation',
      { config: member, schema: { params: one, response: { 204: z.null() } } },
      async (request, reply) => {
        await recommendations.revert(actorOf(request), request.params.id, request.params.recommendation);
        return reply.status(204).send(null);
      },
    );
  };
}
