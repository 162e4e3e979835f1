import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { requireAccessDeclarations } from './access.js';
import { compressDeclaredRoutes } from './compression.js';
import { installErrorHandler } from './errors.js';

/** Requests larger than this are refused before they are read (uploads have their own limit). */
export const BODY_LIMIT = 1024 * 1024;

export type App = FastifyInstance;

/** A URL as logged: a check link's token replaced (the page and the API). */
export function redactSecrets(url: string): string {
  return url.replace(
    /^(\/check\/|\/api\/v1\/checks\/|\/questionnaire\/|\/api\/v1\/questionnaires\/)(?!code(?:[/?]|$))[^/?#]+/,
    '$1[token]',
  );
}
/**
 * Requests whose caller is never logged — no address, no port, no browser — so that the log
 * cannot name a reporter (issue 17): the secure reporting channel's API, and every page and
 * static file of the web app. The files count too: the script chunk of `/report` is loaded only
 * by that page, so its log line with an address would say who opened it.
 */
export function anonymousRoute(url: string): boolean {
  return !url.startsWith('/api/') || /^\/api\/v1\/report-channel(?:[/?#]|$)/.test(url);
}
export type RouteRegistrar = (app: FastifyInstance) => void | Promise<void>;

export interface AppOptions {
  config: Pick<Config, 'logLevel' | 'publicUrl'> & Partial<Pick<Config, 'trustProxy'>>;
  /** Checks the database answers; a failure makes health 503 with Retry-After. */
  ping(): Promise<void>;
  routes: RouteRegistrar[];
  /** A writable stream for logs (tests pass one to read what would be logged). */
  logStream?: NodeJS.WritableStream;
}

/**
 * Builds the HTTP application: zod schemas from @kalaja/contracts validate every request and
 * response and generate the OpenAPI document; every route declares who may call it; one error
 * handler answers every failure with a stable code and the request id. Logs never carry
 * cookies, tokens, request bodies or answers.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.config.logLevel,
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      // A training check's link is its secret (`/check/<token>`, `/api/v1/checks/<token>`):
      // the log names the route, never the token.
      serializers: {
        req: (req: {
          method: string;
          url: string;
          hostname?: string;
          ip?: string;
          socket?: { remotePort?: number };
        }) =>
          anonymousRoute(req.url)
            ? { method: req.method, url: redactSecrets(req.url).replace(/[?#].*$/, ''), host: req.hostname }
            : {
                method: req.method,
                url: redactSecrets(req.url),
                host: req.hostname,
                remoteAddress: req.ip,
                remotePort: req.socket?.remotePort,
              },
      },
      ...(options.logStream && { stream: options.logStream }),
    },
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    ...(options.config.trustProxy?.length && { trustProxy: [...options.config.trustProxy] }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors the router raises before any route runs (a malformed URL, a parameter too long)
    // get the same answer as every other error: a stable code, the request id, our headers.
    frameworkErrors: (error, request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void (reply as unknown as FastifyReply)
        .status(tooLong ? 414 : 400)
        .header('x-request-id', request.id)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
        .send({
          error: {
            code: tooLong ? 'uri_too_long' : 'invalid_request',
            message: tooLong ? 'The address of this request is too long.' : 'The address of this request is not valid.',
            requestId: request.id,
          },
        });
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  requireAccessDeclarations(app);
  installErrorHandler(app);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  compressDeclaredRoutes(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Kalaja API',
        version: '1',
        description: 'Cybersecurity capacity-building programmes for civil society and media.',
      },
      servers: [{ url: options.config.publicUrl }],
    },
    transform: jsonSchemaTransform,
  });

  app.get(
    '/api/v1/health',
    {
      config: { access: 'public' },
      schema: { response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => {
      try {
        await options.ping();
      } catch {
        throw new AppError('unavailable', 'The database is not answering; try again shortly.', [], {
          'retry-after': '5',
        });
      }
      return { status: 'ok' as const };
    },
  );

  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  for (const register of options.routes) await register(app);
  return app;
}
