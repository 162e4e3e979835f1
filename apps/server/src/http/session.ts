import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymousRoute } from './app.js';
import { AppError } from '../errors.js';
import type { Actor } from '../modules/access/access-types.js';
import type { SessionInfo } from '../modules/auth/auth-types.js';
import type { SignInService } from '../modules/auth/sign-in-service.js';
import type { Access } from './access.js';

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionInfo | null;
    actor: Actor | null;
  }
}

export interface SessionOptions {
  secureCookies: boolean;
  publicUrl: string;
  /**
   * No public URL was configured: the server is reached on this machine, as `localhost` or
   * `127.0.0.1` alike, so writes from either loopback origin on the port the request came in on
   * are ours too.
   */
  loopbackOrigins?: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a write's Origin header is this server's: the public URL's origin, or — when no
 * public URL was configured — `http://localhost:PORT`, `http://127.0.0.1:PORT` or
 * `http://[::1]:PORT` for the port the request arrived on. Any other site is refused.
 */
export function originAllowed(
  origin: string | undefined,
  ours: { origin: string; loopback: boolean; port: number | undefined },
): boolean {
  if (origin === undefined || origin === ours.origin) return true;
  if (!ours.loopback || ours.port === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(url.hostname) &&
    Number(url.port || 80) === ours.port &&
    url.origin === origin
  );
}

/** `__Host-` cookies behind TLS (Secure, Path=/, no Domain); a plain name on http://localhost. */
export const cookieName = (secure: boolean) => (secure ? '__Host-kalaja_session' : 'kalaja_session');

/**
 * Resolves the session cookie on every API request and enforces the route's declared access:
 * `public` needs nothing, `password` a session that passed the password, `member` a session
 * that also passed the second factor. A non-GET request whose Origin is not ours is refused
 * (with SameSite=Strict cookies, a second guard against cross-site requests).
 */
export async function installSessions(
  app: FastifyInstance,
  auth: Pick<SignInService, 'resolve' | 'loadActor'>,
  options: SessionOptions,
): Promise<void> {
  await app.register(cookie);
  const name = cookieName(options.secureCookies);
  const ourOrigin = new URL(options.publicUrl).origin;
  app.decorateRequest('session', null);
  app.decorateRequest('actor', null);

  // onRequest: before the body is read or validated, so that anonymous callers learn nothing.
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const access = (request.routeOptions.config as { access?: Access }).access ?? 'member';
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const port = request.raw.socket?.localPort;
      if (
        !originAllowed(request.headers.origin, { origin: ourOrigin, loopback: options.loopbackOrigins === true, port })
      )
        throw new AppError('forbidden', 'Requests from other sites are not accepted.');
    }
    // The secure reporting channel never looks at a session: a reporter who is also signed in must
    // not have their report's moment written on their session (its last use), nor tied to it.
    if (access === 'public' && anonymousRoute(request.url)) return;
    const session = await auth.resolve(request.cookies[name]);
    request.session = session;
    if (access === 'public') return;
    if (!session) throw new AppError('unauthenticated', 'Please sign in.');
    if (access === 'member') {
      if (!session.mfa)
        throw new AppError(
          'mfa_required',
          // Which step is owed (a code, a passkey, enrolling one) is for GET /api/v1/session to say.
          'Finish signing in with your second factor to continue.',
        );
      request.actor = await auth.loadActor(session, request.id);
    }
  });
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(cookieName(secure), token, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(cookieName(secure), { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

/** The actor of a `member` route (the hook guarantees it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'Please sign in.');
  return request.actor;
}

export function sessionOf(request: FastifyRequest): SessionInfo {
  if (!request.session) throw new AppError('unauthenticated', 'Please sign in.');
  return request.session;
}
