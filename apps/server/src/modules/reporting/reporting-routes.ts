import multipart from '@fastify/multipart';
import {
  channelStatus,
  idSchema,
  receiptInput,
  receiverInput,
  reporterMessageInput,
  reporterView,
  reportingMembership,
  reportingSettings,
  reportingSettingsInput,
  REPORTING_LIMITS,
  reportSubmission,
  submittedReport,
  teamReplyInput,
  teamReport,
  teamReportSummary,
  teamTagsInput,
  reportLanguage,
} from '@kalaja/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, invalid } from '../../errors.js';
import { actorOf } from '../../http/session.js';
import { sendDownload } from '../evidence/evidence-routes.js';
import type { ReportingService, ReportUpload } from './reporting-service.js';

/** The public routes' prefix: app.ts logs no client address or port for anything under it. */
export const PUBLIC_REPORTING_PREFIX = '/api/v1/report-channel';

const byId = z.object({ id: idSchema });
const byUser = z.object({ userId: idSchema });
// One of Kalaja's languages (an unknown one is a 400, not a lookup of whatever key it names).
const language = z.object({ lang: reportLanguage.optional() });

const UPLOAD_LIMITS = {
  fileSize: REPORTING_LIMITS.fileBytes,
  files: REPORTING_LIMITS.files,
  fields: 2,
  parts: REPORTING_LIMITS.files + 2,
  fieldSize: 256 * 1024,
  fieldNameSize: 100,
  headerPairs: 20,
};
/** The largest report body: every file at its limit, the form and multipart's framing. */
const REPORT_BODY_LIMIT = REPORTING_LIMITS.files * REPORTING_LIMITS.fileBytes + 1024 * 1024;

function multipartError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  switch ((error as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('payload_too_large', 'A file is larger than 10 MiB.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'Send the report as multipart/form-data.');
    case 'FST_FILES_LIMIT':
      return invalid(`Send at most ${REPORTING_LIMITS.files} files with a report.`);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return invalid('Send the report in the field "report" and files in the field "file", nothing else.');
  }
  return invalid('The report could not be read as multipart/form-data.');
}

/**
 * A multipart form of the channel: one JSON field (`report` or `message`) checked with its
 * schema, and its files (`file`, each at most 10 MiB), in memory.
 */
async function readForm<T>(
  request: FastifyRequest,
  field: 'report' | 'message',
  schema: z.ZodType<T, unknown>,
): Promise<{ input: T; files: ReportUpload[] }> {
  let json: string | undefined;
  const files: ReportUpload[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file')
          throw invalid(`Files go in the field "file", not "${part.fieldname.slice(0, 50)}".`, [
            { where: part.fieldname.slice(0, 50), message: 'unexpected file' },
          ]);
        const bytes = await part.toBuffer();
        if (part.file.truncated) throw new AppError('payload_too_large', 'A file is larger than 10 MiB.');
        files.push({ name: part.filename, declaredType: part.mimetype, bytes });
      } else if (part.fieldname === field && typeof part.value === 'string' && !part.valueTruncated) {
        json = part.value;
      } else {
        throw invalid(`The field "${part.fieldname.slice(0, 50)}" is not part of a report.`, [
          { where: part.fieldname.slice(0, 50), message: 'unexpected field' },
        ]);
      }
    }
  } catch (error) {
    throw multipartError(error);
  }
  if (json === undefined) throw invalid('Say what happened.', [{ where: field, message: 'missing' }]);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw invalid('The report could not be read.', [{ where: field, message: 'not JSON' }]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw invalid(
      'Some of the report needs another look.',
      parsed.error.issues.map((i) => ({ where: i.path.join('.') || field, message: i.message })),
    );
  return { input: parsed.data, files };
}

/**
 * The secure reporting channel. Public, under `/api/v1/report-channel`: no account, no cookie,
 * no client address in the log; the receipt code travels in bodies, never in an address. The
 * team's inbox and the settings, under `/api/v1/reporting`, for members; the service decides who
 * of them is the team.
 */
export function reportingRoutes(reporting: ReportingService) {
  return async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const open = { access: 'public' } as const;
    const member = { access: 'member' } as const;

    app.get(
      `${PUBLIC_REPORTING_PREFIX}`,
      { config: open, schema: { querystring: language, response: { 200: channelStatus } } },
      async (request) => reporting.status(request.query.lang ?? 'en'),
    );
    await root.register(async (scope) => {
      await scope.register(multipart, { limits: UPLOAD_LIMITS });
      scope.withTypeProvider<ZodTypeProvider>().post(
        `${PUBLIC_REPORTING_PREFIX}/reports`,
        {
          config: open,
          bodyLimit: REPORT_BODY_LIMIT,
          schema: { consumes: ['multipart/form-data'], response: { 201: submittedReport } },
        },
        async (request, reply) => {
          const { input, files } = await readForm(request, 'report', reportSubmission);
          return reply.status(201).send(await reporting.submit(input, files, request.ip));
        },
      );
      scope.withTypeProvider<ZodTypeProvider>().post(
        `${PUBLIC_REPORTING_PREFIX}/receipt/messages`,
        {
          config: open,
          bodyLimit: REPORT_BODY_LIMIT,
          schema: { consumes: ['multipart/form-data'], response: { 201: reporterView } },
        },
        async (request, reply) => {
          const { input, files } = await readForm(request, 'message', reporterMessageInput);
          return reply.status(201).send(await reporting.addInformation(input, files, request.ip));
        },
      );
    });
    app.post(
      `${PUBLIC_REPORTING_PREFIX}/receipt`,
      { config: open, schema: { body: receiptInput, response: { 200: reporterView } } },
      async (request) => reporting.follow(request.body.code, request.ip),
    );
    app.get(
      '/api/v1/reporting/membership',
      { config: member, schema: { response: { 200: reportingMembership } } },
      async (request) => reporting.membership(actorOf(request)),
    );
    app.get(
      '/api/v1/reporting/reports',
      { config: member, schema: { response: { 200: z.array(teamReportSummary) } } },
      async (request) => reporting.list(actorOf(request)),
    );
    app.get(
      '/api/v1/reporting/reports/:id',
      { config: member, schema: { params: byId, response: { 200: teamReport } } },
      async (request) => reporting.get(actorOf(request), request.params.id),
    );
    app.post(
      '/api/v1/reporting/reports/:id/replies',
      { config: member, schema: { params: byId, body: teamReplyInput, response: { 201: teamReport } } },
      async (request, reply) =>
        reply.status(201).send(await reporting.reply(actorOf(request), request.params.id, request.body.text)),
    );
    app.put(
      '/api/v1/reporting/reports/:id/tags',
      { config: member, schema: { params: byId, body: teamTagsInput, response: { 200: teamReport } } },
      async (request) => reporting.tag(actorOf(request), request.params.id, request.body.tags),
    );
    app.post(
      '/api/v1/reporting/reports/:id/close',
      { config: member, schema: { params: byId, response: { 200: teamReport } } },
      async (request) => reporting.close(actorOf(request), request.params.id, true),
    );
    app.post(
      '/api/v1/reporting/reports/:id/reopen',
      { config: member, schema: { params: byId, response: { 200: teamReport } } },
      async (request) => reporting.close(actorOf(request), request.params.id, false),
    );
    app.get('/api/v1/reporting/files/:id', { config: member, schema: { params: byId } }, async (request, reply) =>
      sendDownload(reply, await reporting.download(actorOf(request), request.params.id)),
    );
    app.get(
      '/api/v1/reporting/settings',
      { config: member, schema: { response: { 200: reportingSettings } } },
      async (request) => reporting.settings(actorOf(request)),
    );
    app.put(
      '/api/v1/reporting/settings',
      { config: member, schema: { body: reportingSettingsInput, response: { 200: reportingSettings } } },
      async (request) => reporting.configure(actorOf(request), request.body),
    );
    app.post(
      '/api/v1/reporting/receivers',
      { config: member, schema: { body: receiverInput, response: { 200: reportingSettings } } },
      async (request) => reporting.addReceiver(actorOf(request), request.body.userId),
    );
    app.delete(
      '/api/v1/reporting/receivers/:userId',
      { config: member, schema: { params: byUser, response: { 200: reportingSettings } } },
      async (request) => reporting.removeReceiver(actorOf(request), request.params.userId),
    );
  };
}
