import {
  frameworkConversionPreview,
  frameworkConversionRequest,
  frameworkImportRequest,
  frameworkSummary,
  idSchema,
  LIMITS,
  reportLanguage,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { FrameworkConversionService } from './framework-conversion.js';
import type { FrameworkService } from './framework-service.js';

/** Frameworks: the versions imported, one in full for the questionnaire, and importing a new one. */
export function frameworkRoutes(frameworks: FrameworkService, conversions: FrameworkConversionService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get(
      '/api/v1/frameworks',
      { config: member, schema: { response: { 200: z.array(frameworkSummary) } } },
      async (request) => frameworks.list(actorOf(request)),
    );
    app.post(
      '/api/v1/frameworks',
      {
        config: member,
        // A framework source may be up to LIMITS.framework characters: more than the default body limit.
        bodyLimit: LIMITS.framework * 4 + 1024,
        schema: { body: frameworkImportRequest, response: { 201: frameworkSummary } },
      },
      async (request, reply) =>
        reply.status(201).send(await frameworks.importFramework(actorOf(request), request.body)),
    );
    // Frameworks from OSCAL, CISO Assistant and SAMM (issue 19): what an upload becomes, then saved.
    const conversion = {
      config: member,
      bodyLimit: LIMITS.framework * 4 + 1024,
    } as const;
    app.post(
      '/api/v1/frameworks/conversions/preview',
      { ...conversion, schema: { body: frameworkConversionRequest, response: { 200: frameworkConversionPreview } } },
      async (request) => conversions.preview(actorOf(request), request.body),
    );
    app.post(
      '/api/v1/frameworks/conversions',
      { ...conversion, schema: { body: frameworkConversionRequest, response: { 201: frameworkSummary } } },
      async (request, reply) => reply.status(201).send(await conversions.save(actorOf(request), request.body)),
    );
    // A framework's text is the same for every member and holds no secret: the one API
    // response compressed (decision 6). With `lang`, each text comes in that language only
    // (the questionnaire's case: a quarter of the framework with its four languages).
    app.get(
      '/api/v1/frameworks/:id',
      {
        config: { access: 'member', compress: true },
        schema: { params: z.object({ id: idSchema }), querystring: z.object({ lang: reportLanguage.optional() }) },
      },
      async (request) => frameworks.get(actorOf(request), request.params.id, request.query.lang),
    );
  };
}
