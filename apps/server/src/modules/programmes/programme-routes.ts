import {
  assessorAssignment,
  frameworkImportRequest,
  LIMITS,
  frameworkSummary,
  idSchema,
  organisation,
  organisationProfile,
  programme,
  programmeCreateRequest,
  progressRow,
  programmeMember,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeService } from './programme-service.js';

const byId = z.object({ id: idSchema });

/** Frameworks, programmes, their organisations, assessors and progress. */
export function programmeRoutes(frameworks: FrameworkService, programmes: ProgrammeService) {
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

    app.get(
      '/api/v1/programmes',
      { config: member, schema: { response: { 200: z.array(programme) } } },
      async (request) => programmes.list(actorOf(request)),
    );
    app.post(
      '/api/v1/programmes',
      { config: member, schema: { body: programmeCreateRequest, response: { 201: programme } } },
      async (request, reply) => reply.status(201).send(await programmes.create(actorOf(request), request.body)),
    );
    app.get(
      '/api/v1/programmes/:id',
      { config: member, schema: { params: byId, response: { 200: programme } } },
      async (request) => programmes.get(actorOf(request), request.params.id),
    );

    app.get(
      '/api/v1/programmes/:id/organisations',
      { config: member, schema: { params: byId, response: { 200: z.array(organisation) } } },
      async (request) => programmes.organisations(actorOf(request), request.params.id),
    );
    app.post(
      '/api/v1/programmes/:id/organisations',
      { config: member, schema: { params: byId, body: organisationProfile, response: { 201: organisation } } },
      async (request, reply) =>
        reply.status(201).send(await programmes.addOrganisation(actorOf(request), request.params.id, request.body)),
    );
    app.get(
      '/api/v1/programmes/:id/members',
      { config: member, schema: { params: byId, response: { 200: z.array(programmeMember) } } },
      async (request) => programmes.members(actorOf(request), request.params.id),
    );
    // A framework's text is the same for every member and holds no secret: the one API
    // response compressed (decision 6). At 111 kB, it is the largest the questionnaire reads.
    app.get(
      '/api/v1/frameworks/:id',
      { config: { ...member, compress: true }, schema: { params: byId } },
      async (request) => frameworks.get(actorOf(request), request.params.id),
    );
    app.post(
      '/api/v1/programmes/:id/assessors',
      { config: member, schema: { params: byId, body: assessorAssignment, response: { 204: z.null() } } },
      async (request, reply) => {
        await programmes.assignAssessor(actorOf(request), request.params.id, request.body);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/v1/programmes/:id/progress',
      { config: member, schema: { params: byId, response: { 200: z.array(progressRow) } } },
      async (request) => programmes.progress(actorOf(request), request.params.id),
    );
  };
}
