import { idSchema, userList, userSummary } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, sessionOf } from '../../http/session.js';
import type { SessionInfo } from '../auth/auth-types.js';
import type { UsersService } from './users-service.js';

const byId = z.object({ id: idSchema });

/** Accounts for instance admins: the list, disable (ends every session) and enable; both need a recent sign-in. */
export function usersRoutes(users: UsersService, requireRecentSignIn: (session: SessionInfo) => void) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get('/api/v1/users', { config: member, schema: { response: { 200: userList } } }, async (request) =>
      users.list(actorOf(request)),
    );

    // The service asks for the recent sign-in after its permission check, so that everyone who
    // is not an instance admin gets the same 404 whatever the age of their session.
    app.post(
      '/api/v1/users/:id/disable',
      { config: member, schema: { params: byId, response: { 200: userSummary } } },
      async (request) =>
        users.disable(actorOf(request), request.params.id, () => requireRecentSignIn(sessionOf(request))),
    );

    app.post(
      '/api/v1/users/:id/enable',
      { config: member, schema: { params: byId, response: { 200: userSummary } } },
      async (request) =>
        users.enable(actorOf(request), request.params.id, () => requireRecentSignIn(sessionOf(request))),
    );
  };
}
