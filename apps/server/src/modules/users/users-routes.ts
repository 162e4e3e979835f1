import { idSchema, userList, userSummary } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { UsersService } from './users-service.js';

const byId = z.object({ id: idSchema });

/** Accounts for instance admins: the list, disable (ends every session) and enable; both need a recent sign-in. */
export function usersRoutes(users: UsersService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;

    app.get('/api/v1/users', { config: member, schema: { response: { 200: userList } } }, async (request) =>
      users.list(actorOf(request)),
    );

    app.post(
      '/api/v1/users/:id/disable',
      { config: member, schema: { params: byId, response: { 200: userSummary } } },
      async (request) => users.disable(actorOf(request), request.params.id),
    );

    app.post(
      '/api/v1/users/:id/enable',
      { config: member, schema: { params: byId, response: { 200: userSummary } } },
      async (request) => users.enable(actorOf(request), request.params.id),
    );
  };
}
