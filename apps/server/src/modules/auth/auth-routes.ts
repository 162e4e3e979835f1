import {
  acceptInvitationRequest,
  idSchema,
  instanceSecurity,
  instanceSecurityState,
  passkeyList,
  passkeyOptions,
  passkeyRegistered,
  passkeyRegisterRequest,
  passwordChanged,
  passwordChangeRequest,
  recoverRequest,
  recoveryLink,
  invitationCreated,
  invitationRequest,
  languageRequest,
  me,
  mfaRequest,
  reauthRequest,
  recoveryCodes,
  sessionState,
  setupRequest,
  setupStatus,
  signInRequest,
  totpConfirmRequest,
  totpEnrolment,
} from '@kalaja/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, clearSessionCookie, sessionOf, setSessionCookie } from '../../http/session.js';
import type { InstanceSecurityService } from './instance-security-service.js';
import type { InvitationService } from './invitation-service.js';
import type { RecoveryService } from './recovery-service.js';
import type { SecondFactorService } from './second-factor-service.js';
import type { SignInService } from './sign-in-service.js';

/** The auth module's services, one per seam. */
export interface AuthServices {
  signIn: SignInService;
  secondFactors: SecondFactorService;
  recovery: RecoveryService;
  invitations: InvitationService;
  instanceSecurity: InstanceSecurityService;
}

/** Sign-in, second factors and enrolment, recovery, sign-out, the current user, invitations, the instance's sign-in rules. */
export function authRoutes(
  auth: AuthServices,
  options: { secureCookies: boolean; loadDemo(managerId: string): Promise<unknown> },
) {
  const { signIn, secondFactors, recovery, invitations } = auth;
  const rules = auth.instanceSecurity;
  return (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const ua = (h: string | string[] | undefined) => (typeof h === 'string' ? h : '');

    app.get(
      '/api/v1/setup',
      { config: { access: 'public' }, schema: { response: { 200: setupStatus } } },
      async () => ({ needed: await signIn.setupNeeded() }),
    );

    app.post(
      '/api/v1/setup',
      { config: { access: 'public' }, schema: { body: setupRequest, response: { 200: sessionState } } },
      async (request, reply) => {
        const r = await signIn.setup(request.body, ua(request.headers['user-agent']), request.id);
        if (request.body.demo) await options.loadDemo(r.userId);
        setSessionCookie(reply, r.token, options.secureCookies);
        return { next: r.next };
      },
    );

    app.post(
      '/api/v1/session',
      { config: { access: 'public' }, schema: { body: signInRequest, response: { 200: sessionState } } },
      async (request, reply) => {
        const r = await signIn.signIn(request.body, { userAgent: ua(request.headers['user-agent']), ip: request.ip });
        setSessionCookie(reply, r.token, options.secureCookies);
        return { next: r.next, ...(r.factors && { factors: r.factors }) };
      },
    );

    app.get(
      '/api/v1/session',
      { config: { access: 'password' }, schema: { response: { 200: sessionState } } },
      async (request) => secondFactors.sessionState(sessionOf(request)),
    );

    app.post(
      '/api/v1/session/passkey/options',
      { config: { access: 'password' }, schema: { response: { 200: passkeyOptions } } },
      async (request) => secondFactors.passkeySignInOptions(sessionOf(request)),
    );

    app.post(
      '/api/v1/session/recover',
      { config: { access: 'password' }, schema: { body: recoverRequest, response: { 200: sessionState } } },
      async (request, reply) => {
        const r = await recovery.redeemRecovery(sessionOf(request), request.body.token);
        setSessionCookie(reply, r.token, options.secureCookies);
        return { next: r.next };
      },
    );

    app.post(
      '/api/v1/passkeys/options',
      { config: { access: 'password' }, schema: { response: { 200: passkeyOptions } } },
      async (request) => secondFactors.passkeyRegistrationOptions(sessionOf(request)),
    );

    app.post(
      '/api/v1/passkeys',
      {
        config: { access: 'password' },
        schema: { body: passkeyRegisterRequest, response: { 201: passkeyRegistered } },
      },
      async (request, reply) => {
        const { token, ...registered } = await secondFactors.registerPasskey(
          sessionOf(request),
          request.body,
          request.id,
          {
            ip: request.ip,
          },
        );
        // A passkey that completes the session comes with a new session token (no fixation).
        if (token !== undefined) setSessionCookie(reply, token, options.secureCookies);
        return reply.status(201).send(registered);
      },
    );

    app.get(
      '/api/v1/passkeys',
      { config: { access: 'member' }, schema: { response: { 200: passkeyList } } },
      async (request) => secondFactors.listPasskeys(sessionOf(request)),
    );

    app.delete(
      '/api/v1/passkeys/:id',
      { config: { access: 'member' }, schema: { params: z.object({ id: idSchema }), response: { 204: z.null() } } },
      async (request, reply) => {
        await secondFactors.removePasskey(sessionOf(request), request.params.id, request.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/account/password',
      { config: { access: 'member' }, schema: { body: passwordChangeRequest, response: { 200: passwordChanged } } },
      async (request) => signIn.changePassword(sessionOf(request), request.body, request.id),
    );

    app.get(
      '/api/v1/instance/security',
      { config: { access: 'member' }, schema: { response: { 200: instanceSecurityState } } },
      async (request) => rules.security(actorOf(request)),
    );

    app.put(
      '/api/v1/instance/security',
      { config: { access: 'member' }, schema: { body: instanceSecurity, response: { 200: instanceSecurityState } } },
      async (request) => rules.setSecurity(actorOf(request), sessionOf(request), request.body),
    );

    app.post(
      '/api/v1/users/:id/reset-second-factor',
      { config: { access: 'member' }, schema: { params: z.object({ id: idSchema }), response: { 201: recoveryLink } } },
      async (request, reply) =>
        reply.status(201).send(await recovery.resetSecondFactors(actorOf(request), request.params.id)),
    );

    app.post(
      '/api/v1/session/mfa',
      { config: { access: 'password' }, schema: { body: mfaRequest, response: { 200: sessionState } } },
      async (request, reply) => {
        // The address's family (never the address) tells a new device apart (docs/threat-model.md, T1).
        const r = await secondFactors.verifySecondFactor(sessionOf(request), request.body, { ip: request.ip });
        // The session's standing rose: it goes on under a new token, and the old one is void.
        if (r.token !== undefined) setSessionCookie(reply, r.token, options.secureCookies);
        return { next: r.next };
      },
    );

    app.post(
      '/api/v1/session/totp',
      { config: { access: 'password' }, schema: { response: { 200: totpEnrolment } } },
      async (request) => secondFactors.enrolTotp(sessionOf(request)),
    );

    app.post(
      '/api/v1/session/totp/confirm',
      { config: { access: 'password' }, schema: { body: totpConfirmRequest, response: { 200: recoveryCodes } } },
      async (request, reply) => {
        const r = await secondFactors.confirmTotp(sessionOf(request), request.body.code, request.id, {
          ip: request.ip,
        });
        if (r.token !== undefined) setSessionCookie(reply, r.token, options.secureCookies);
        return { recoveryCodes: r.recoveryCodes };
      },
    );

    app.post(
      '/api/v1/session/reauth',
      { config: { access: 'member' }, schema: { body: reauthRequest, response: { 204: z.null() } } },
      async (request, reply) => {
        await signIn.reauthenticate(sessionOf(request), request.body);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/api/v1/session',
      { config: { access: 'public' }, schema: { response: { 204: z.null() } } },
      async (request, reply) => {
        if (request.session) await signIn.signOut(request.session.id);
        clearSessionCookie(reply, options.secureCookies);
        reply.header('clear-site-data', '"cookies", "storage"');
        return reply.status(204).send(null);
      },
    );

    app.get('/api/v1/me', { config: { access: 'member' }, schema: { response: { 200: me } } }, async (request) =>
      signIn.me(actorOf(request)),
    );

    app.put(
      '/api/v1/me/language',
      { config: { access: 'member' }, schema: { body: languageRequest, response: { 204: z.null() } } },
      async (request, reply) => {
        await signIn.setLanguage(sessionOf(request), request.body.language, request.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/invitations',
      { config: { access: 'member' }, schema: { body: invitationRequest, response: { 201: invitationCreated } } },
      async (request, reply) => reply.status(201).send(await invitations.invite(actorOf(request), request.body)),
    );

    app.post(
      '/api/v1/invitations/accept',
      { config: { access: 'public' }, schema: { body: acceptInvitationRequest, response: { 200: sessionState } } },
      async (request, reply) => {
        const r = await invitations.acceptInvitation(
          request.body,
          { userAgent: ua(request.headers['user-agent']), ip: request.ip },
          request.id,
        );
        setSessionCookie(reply, r.token, options.secureCookies);
        return { next: r.next, ...(r.factors && { factors: r.factors }) };
      },
    );
  };
}
