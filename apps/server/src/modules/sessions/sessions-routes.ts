import { idSchema, noticeList, sessionHandleSchema, sessionList, sessionsEnded } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, clearSessionCookie, sessionOf } from '../../http/session.js';
import type { SessionsService } from './sessions-service.js';

/** Your own sessions (list, end one, end all others) and your notices (list unread, mark read). */
export function sessionsRoutes(sessions: SessionsService, options: { secureCookies: boolean }) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get('/api/v1/sessions', { config: member, schema: { response: { 200: sessionList } } }, async (request) =>
      sessions.list(actorOf(request), sessionOf(request)),
    );

    app.delete(
      '/api/v1/sessions/:handle',
      { config: member, schema: { params: z.object({ handle: sessionHandleSchema }), response: { 204: z.null() } } },
      async (request, reply) => {
        const { current } = await sessions.end(actorOf(request), sessionOf(request), request.params.handle);
        // Ending the session in use is signing out: the browser forgets the cookie too.
        if (current) {
          clearSessionCookie(reply, options.secureCookies);
          reply.header('clear-site-data', '"cookies", "storage"');
        }
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/api/v1/sessions',
      { config: member, schema: { response: { 200: sessionsEnded } } },
      async (request) => ({
        ended: await sessions.endOthers(actorOf(request), sessionOf(request)),
      }),
    );

    app.get('/api/v1/notices', { config: member, schema: { response: { 200: noticeList } } }, async (request) =>
      sessions.notices(actorOf(request), sessionOf(request)),
    );

    app.post(
      '/api/v1/notices/:id/read',
      { config: member, schema: { params: z.object({ id: idSchema }), response: { 204: z.null() } } },
      async (request, reply) => {
        await sessions.readNotice(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
