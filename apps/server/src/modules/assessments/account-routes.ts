import { accountAuthor, domainAccount, domainAccountInput, domainAccountSaved, idSchema } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { AccountService } from './account-service.js';

/** The qualitative reassessment: per domain, the assessor's and the organisation's account of what changed. */
export function accountRoutes(accounts: AccountService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const member = { access: 'member' } as const;
    app.get(
      '/api/v1/assessments/:id/accounts',
      { config: member, schema: { params: z.object({ id: idSchema }), response: { 200: z.array(domainAccount) } } },
      async (request) => accounts.list(actorOf(request), request.params.id),
    );
    app.put(
      '/api/v1/assessments/:id/accounts/:domain/:by',
      {
        config: member,
        schema: {
          params: z.object({ id: idSchema, domain: z.string().min(1).max(200), by: accountAuthor }),
          body: domainAccountInput,
          response: { 200: domainAccountSaved },
        },
      },
      async (request) =>
        accounts.save(
          actorOf(request),
          request.params.id,
          request.params.domain,
          request.params.by,
          { text: request.body.text },
          request.body.version,
        ),
    );
  };
}
