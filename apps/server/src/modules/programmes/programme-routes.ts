import {
  assessorAssignment,
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
import type { ProgrammeService } from './programme-service.js';

const byId = z.object({ id: idSchema });

/** Programmes, their organisations, members, assessors and progress. */
export function programmeRoutes(programmes: ProgrammeService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

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
