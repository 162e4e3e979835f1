import { base64Length, idSchema, importAnswersRequest, importAnswersResult, LIMITS } from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/session.js';
import type { ExchangeService } from './exchange-service.js';

const params = z.object({ id: idSchema, round: idSchema });

/**
 * Import an answers CSV or spreadsheet into a round (all or nothing), export a round as CSV. A
 * spreadsheet comes as its bytes, base64: the server reads it, within the engine's bounds, after
 * the permission check, so the browser loads no zip or XML code.
 */
export function exchangeRoutes(exchange: ExchangeService) {
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/api/v1/programmes/:id/rounds/:round/answers',
      {
        config: { access: 'member' },
        bodyLimit: Math.max(LIMITS.answersCsv, base64Length(LIMITS.answersSpreadsheet)) + 64 * 1024,
        schema: { params, body: importAnswersRequest, response: { 200: importAnswersResult } },
      },
      async (request) =>
        exchange.importAnswers(
          actorOf(request),
          request.params.id,
          request.params.round,
          request.body.spreadsheet !== undefined
            ? Buffer.from(request.body.spreadsheet, 'base64')
            : (request.body.csv ?? ''),
          request.body.layer,
        ),
    );
    app.get(
      '/api/v1/programmes/:id/rounds/:round/answers.csv',
      { config: { access: 'member' }, schema: { params } },
      async (request, reply) => {
        const csv = await exchange.exportRound(actorOf(request), request.params.id, request.params.round);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="answers.csv"')
          .send(`\uFEFF${csv}`);
      },
    );
  };
}
