import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { shredded } from '../crypto/shredded.js';
import { NoKeyError } from '../crypto/vault.js';
import { AppError, type ErrorDetail } from '../errors.js';
import { localise, localiseProblems, requestLocale } from '../messages/localise.js';

/** The body of every error response: a stable code, a message for people, the request id. */
export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: ErrorDetail[] };
}

/**
 * One handler maps every failure to a response: AppErrors as they are, request validation to
 * 400 with each field named, framework errors (malformed JSON, body too large, wrong content
 * type) to their 4xx, anything else to a generic 500 whose details stay in the log.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (
      status: number,
      code: string,
      message: string,
      details?: ErrorDetail[],
      headers: Record<string, string> = {},
    ) => {
      // In the reader's language (Accept-Language), as every message people read.
      const locale = requestLocale(request.headers['accept-language']);
      const words = (m: string) => localise(m, locale);
      const body: ErrorBody = {
        error: {
          code,
          message: words(message),
          requestId: request.id,
          ...(details?.length ? { details: localiseProblems(details, locale) } : {}),
        },
      };
      return reply.status(status).headers(headers).send(body);
    };
    if (error instanceof AppError) return send(error.status, error.code, error.message, error.details, error.headers);
    // Any read or write that meets a crypto-shredded organisation: a fact about the data, not a fault.
    if (error instanceof NoKeyError) {
      const gone = shredded();
      return send(gone.status, gone.code, gone.message);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        const where =
          [error.validationContext === 'body' ? '' : error.validationContext, path].filter(Boolean).join('.') ||
          '(request)';
        return { where, message: v.message ?? 'is not valid' };
      });
      return send(400, 'invalid_request', 'Some fields are not valid.', details);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(400, 'malformed_json', 'The request body is not valid JSON.');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
        return send(413, 'payload_too_large', 'The request is too large.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(415, 'unsupported_media_type', 'This kind of request body is not accepted here.');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(400, 'invalid_request', 'The request body does not match its declared length.');
    }
    if (databaseUnavailable(error)) {
      request.log.warn({ code: (error as { code?: string }).code }, 'database unavailable');
      return send(503, 'unavailable', 'The database is not answering; try again in a few seconds.', undefined, {
        'retry-after': '5',
      });
    }
    if (databaseBusy(error)) {
      request.log.warn({ code: (error as { code?: string }).code }, 'database busy');
      return send(503, 'unavailable', 'The database is busy; try again in a moment.', undefined, {
        'retry-after': '1',
      });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return send(error.statusCode, 'invalid_request', 'The request could not be understood.');
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(
      500,
      'internal',
      'Something went wrong on our side. If it keeps happening, give the request id to your administrator.',
    );
  });

  app.setNotFoundHandler((request, reply) => {
    const message = localise('There is nothing here.', requestLocale(request.headers['accept-language']));
    const body: ErrorBody = { error: { code: 'not_found', message, requestId: request.id } };
    return reply.status(404).send(body);
  });
}

/**
 * Errors that mean the database is out of reach rather than that the request is wrong: a
 * restart, a lost connection, a refused one. They answer 503 with Retry-After; the pool
 * reconnects by itself once the database is back.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '55000',
  'SQLITE_BUSY',
]);

export function databaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  return (
    typeof e.message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error|database .* does not allow connections/i.test(
      e.message,
    )
  );
}

/**
 * PostgreSQL refusing one request for now, not the request being wrong: it lost to another
 * transaction (a deadlock, a serialization failure), a lock it was not allowed to wait for,
 * or every connection slot taken. The same request a moment later succeeds, so it answers 503
 * with Retry-After rather than 500; the code goes to the log.
 */
const BUSY_CODES = new Set(['40001', '40P01', '55P03', '53300']);

export function databaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BUSY_CODES.has(code);
}
