import multipart from '@fastify/multipart';
import { evidenceItem, idSchema } from '@kalaja/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, invalid } from '../../errors.js';
import { actorOf } from '../../http/session.js';
import { MAX_EVIDENCE_BYTES } from './evidence-fns.js';
import type { EvidenceService } from './evidence-service.js';
import type { EvidenceUpload } from './evidence-types.js';

const byId = z.object({ id: idSchema });

/** The form fields an upload may carry beside its one `file`. */
const uploadFields = z.strictObject({
  question: z.string().trim().min(1).max(200).optional(),
  domain: z.string().trim().min(1).max(200).optional(),
});

/** Limits busboy enforces while it reads: one file of at most 20 MiB, and a few short fields. */
export const UPLOAD_LIMITS = {
  fileSize: MAX_EVIDENCE_BYTES,
  files: 1,
  fields: 5,
  parts: 6,
  fieldSize: 1024,
  fieldNameSize: 100,
  headerPairs: 20,
};

/**
 * `Content-Disposition` for a download: always an attachment, the name in RFC 5987 form
 * (UTF-8, percent-encoded), so no name can break out of the header or open in the page.
 *
 * @example contentDisposition('Politika e sigurisë.pdf') // attachment; filename*=UTF-8''Politika%20e%20siguris%C3%AB.pdf
 */
export function contentDisposition(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}

/** Multipart failures as the user should hear them. */
function uploadError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  switch ((error as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('payload_too_large', 'The file is larger than 20 MiB.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'Send the file as multipart/form-data.');
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return invalid('Send one file, with at most a question or a domain.');
  }
  return invalid('The upload could not be read as multipart/form-data.');
}

/**
 * Reads the multipart body: the one file (in memory, at most 20 MiB) and the fields beside it
 * (`question` and `domain` for an assessment's evidence; a plan item's evidence takes none).
 */
export async function readUpload(
  request: FastifyRequest,
  allowed: z.ZodType<Omit<EvidenceUpload, 'file'>> = uploadFields,
): Promise<EvidenceUpload> {
  const fields: Record<string, string> = {};
  let file: EvidenceUpload['file'] | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file')
          throw invalid(`The file goes in the field "file", not "${part.fieldname}".`, [
            { where: part.fieldname, message: 'unexpected file' },
          ]);
        const bytes = await part.toBuffer();
        if (part.file.truncated) throw new AppError('payload_too_large', 'The file is larger than 20 MiB.');
        file = { name: part.filename, declaredType: part.mimetype, bytes };
      } else {
        if (part.valueTruncated || typeof part.value !== 'string' || part.fieldname in fields)
          throw invalid(`The field "${part.fieldname}" is not valid.`, [
            { where: part.fieldname, message: 'must be given once, as short text' },
          ]);
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    throw uploadError(error);
  }
  const parsed = allowed.safeParse(fields);
  if (!parsed.success)
    throw invalid(
      'Some fields are not valid.',
      parsed.error.issues.map((i) => ({
        where: i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(', ') : '(form)'),
        message: i.message,
      })),
    );
  if (!file) throw invalid('Attach one file, in the field "file".', [{ where: 'file', message: 'is missing' }]);
  return { ...parsed.data, file };
}

/**
 * Evidence files: upload to an assessment (multipart: `file`, optional `question` or
 * `domain`), list an assessment's files, download one, delete one. Multipart parsing is
 * registered for these routes only.
 */
export function evidenceRoutes(evidence: EvidenceService) {
  return async (root: FastifyInstance) => {
    await root.register(async (scope) => {
      await scope.register(multipart, { limits: UPLOAD_LIMITS });
      const app = scope.withTypeProvider<ZodTypeProvider>();
      const member = { access: 'member' } as const;

      app.post(
        '/api/v1/assessments/:id/evidence',
        {
          config: member,
          schema: { params: byId, consumes: ['multipart/form-data'], response: { 201: evidenceItem } },
        },
        async (request, reply) =>
          reply.status(201).send(await evidence.upload(actorOf(request), request.params.id, () => readUpload(request))),
      );
      app.get(
        '/api/v1/assessments/:id/evidence',
        { config: member, schema: { params: byId, response: { 200: z.array(evidenceItem) } } },
        async (request) => evidence.list(actorOf(request), request.params.id),
      );
      app.get('/api/v1/evidence/:id', { config: member, schema: { params: byId } }, async (request, reply) => {
        return sendDownload(reply, await evidence.download(actorOf(request), request.params.id));
      });
      app.delete(
        '/api/v1/evidence/:id',
        { config: member, schema: { params: byId, response: { 204: z.null() } } },
        async (request, reply) => {
          await evidence.remove(actorOf(request), request.params.id);
          return reply.status(204).send(null);
        },
      );
    });
  };
}

/**
 * A stored file sent as a download that never opens in the page: its own type, no sniffing, no
 * cache, and should a browser render it after all, no scripts, no origin, no requests.
 */
export function sendDownload(
  reply: FastifyReply,
  file: { name: string; mediaType: string; bytes: Uint8Array | Buffer },
): FastifyReply {
  return reply
    .type(file.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : file.mediaType)
    .header('content-disposition', contentDisposition(file.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(file.bytes);
}
