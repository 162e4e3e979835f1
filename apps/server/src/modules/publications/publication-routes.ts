import { idSchema, publicationList, publicationSummary, publishRequest } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { PublicationService } from './publication-service.js';

/** Published versions of a programme's results: list and publish (managers), open data (managers and observers). */
export function publicationRoutes(publications: PublicationService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/v1/programmes/:id/publications',
      {
        config: { access: 'member' },
        schema: { params: z.object({ id: idSchema }), response: { 200: publicationList } },
      },
      async (request) => publications.list(actorOf(request), request.params.id),
    );
    app.post(
      '/api/v1/programmes/:id/publications',
      {
        config: { access: 'member' },
        schema: { params: z.object({ id: idSchema }), body: publishRequest, response: { 201: publicationSummary } },
      },
      async (request, reply) =>
        reply.status(201).send(await publications.publish(actorOf(request), request.params.id, request.body.round)),
    );
    app.get(
      '/api/v1/programmes/:id/publications/:publication/open-data.zip',
      { config: { access: 'member' }, schema: { params: z.object({ id: idSchema, publication: idSchema }) } },
      async (request, reply) => {
        const { name, bytes } = await publications.openData(
          actorOf(request),
          request.params.id,
          request.params.publication,
        );
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(bytes);
      },
    );
  };
}
