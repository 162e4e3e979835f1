import {
  base64Length,
  idSchema,
  importAnswersRequest,
  importAnswersResult,
  importQuery,
  importView,
  LIMITS,
} from '@kalaja/contracts';
import { decodeCsv, notCsvProblem } from '@kalaja/engine';
import type { FastifyInstance } from 'fastify';
import { localise, localiseProblems, requestLocale } from '../../messages/localise.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { actorOf } from '../../http/session.js';
import { detail, type ExchangeService } from './exchange-service.js';

const params = z.object({ id: idSchema, round: idSchema });

/** The types an answers file may be sent as, to the job route: its bytes as saved. */
const SPREADSHEET_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
];
const FILE_TYPES = ['text/csv', 'text/plain', 'application/octet-stream', ...SPREADSHEET_TYPES];
const isSpreadsheet = (type: string | undefined, file: string) =>
  SPREADSHEET_TYPES.some((t) => type?.startsWith(t)) || /\.(xlsx|ods)$/i.test(file);

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
    // The job route: the file as it is saved, up to a region's size, answered at once with the
    // job; the app follows its progress. Its body parsers stay inside this scope.
    void app.register(async (scoped) => {
      scoped.addContentTypeParser(
        FILE_TYPES,
        { parseAs: 'buffer', bodyLimit: LIMITS.answersUpload },
        (_r, body, done) => done(null, body),
      );
      scoped.withTypeProvider<ZodTypeProvider>().post(
        '/api/v1/programmes/:id/rounds/:round/imports',
        {
          config: { access: 'member' },
          bodyLimit: LIMITS.answersUpload,
          schema: { params, querystring: importQuery, response: { 202: importView } },
        },
        async (request, reply) => {
          const { layer, file } = request.query;
          // Read only once the service has checked who may import: a thunk.
          const read = (): string | Uint8Array => {
            const bytes = request.body;
            if (!Buffer.isBuffer(bytes))
              throw new AppError(
                'invalid_request',
                'Send the answers file as it is saved, with Content-Type text/csv, or the spreadsheet type of an .xlsx or .ods file.',
              );
            if (isSpreadsheet(request.headers['content-type'], file)) return bytes;
            const text = decodeCsv(bytes);
            if (text.ok) return text.text;
            throw new AppError('invalid_answers', 'The file is not a CSV; nothing was imported.', [
              detail(notCsvProblem(text.reason, file)),
            ]);
          };
          const job = await exchange.startImport(
            actorOf(request),
            request.params.id,
            request.params.round,
            read,
            layer,
            file,
          );
          return reply.status(202).send(job);
        },
      );
    });
    app.get(
      '/api/v1/programmes/:id/imports/:import',
      {
        config: { access: 'member' },
        schema: { params: z.object({ id: idSchema, import: idSchema }), response: { 200: importView } },
      },
      async (request) => {
        const view = await exchange.importStatus(actorOf(request), request.params.id, request.params.import);
        // The file's problems and the import's failure, in the reader's language.
        const locale = requestLocale(request.headers['accept-language']);
        return {
          ...view,
          error: view.error === null ? null : localise(view.error, locale),
          problems: localiseProblems(view.problems, locale),
        };
      },
    );
    app.addHook('onReady', async () => exchange.startSweeping(root.log.child({ module: 'imports' })));
    app.addHook('onClose', async () => exchange.stop());
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
