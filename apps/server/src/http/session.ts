import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== ourOrigin)
        throw new AppError('forbidden', 'Requests from other sites are not accepted.');
    }
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
