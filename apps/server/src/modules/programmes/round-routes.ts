import { idSchema, roundEvent, roundReopenRequest } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { RoundService } from './round-service.js';

const byRound = z.object({ id: idSchema, round: idSchema });

/** A programme's rounds open, close and reopen (managers); their history. */
export function roundRoutes(rounds: RoundService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.post(
      '/api/v1/programmes/:id/rounds/:round/open',
      { config: member, schema: { params: byRound, response: { 204: z.null() } } },
      async (request, reply) => {
        await rounds.open(actorOf(request), request.params.id, request.params.round);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/v1/programmes/:id/rounds/:round/close',
      { config: member, schema: { params: byRound, response: { 204: z.null() } } },
      async (request, reply) => {
        await rounds.close(actorOf(request), request.params.id, request.params.round);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/v1/programmes/:id/rounds/:round/reopen',
      { config: member, schema: { params: byRound, body: roundReopenRequest, response: { 204: z.null() } } },
      async (request, reply) => {
        await rounds.reopen(actorOf(request), request.params.id, request.params.round, request.body);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/v1/programmes/:id/round-events',
      { config: member, schema: { params: z.object({ id: idSchema }), response: { 200: z.array(roundEvent) } } },
      async (request) => rounds.events(actorOf(request), request.params.id),
    );
  };
}
