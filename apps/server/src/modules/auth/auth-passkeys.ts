import { isIP } from 'node:net';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { CredentialStore } from './credential-store.js';

/** A ceremony's challenge is good for this long, and once. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/**
 * Who the passkeys belong to: the host name people use to reach Kalaja (`KALAJA_PUBLIC_URL`)
 * and its origin. Browsers accept passkeys only for a name (localhost included), never for an
 * IP address, so an instance reached by address has passkeys switched off and says so.
 */
export interface RelyingParty {
  id: string;
  origin: string;
  available: boolean;
}

export function relyingParty(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { id: host, origin: url.origin, available: isIP(host) === 0 };
}

const notAvailable = () =>
  new AppError(
    'conflict',
    'Passkeys need Kalaja to be reached by a name, not an IP address. Ask your administrator to set KALAJA_PUBLIC_URL.',
  );

const transportsOf = (json: string): AuthenticatorTransportFuture[] => {
  try {
    const list: unknown = JSON.parse(json);
    return Array.isArray(list) ? (list.filter((t) => typeof t === 'string') as AuthenticatorTransportFuture[]) : [];
  } catch {
    return [];
  }
};

/**
 * The WebAuthn ceremonies, through @simplewebauthn/server: options with a fresh challenge kept
 * on the session (one ceremony at a time), and verification that takes the challenge back so it
 * cannot be replayed. Attestation is not asked for: Kalaja trusts any authenticator the person
 * chooses, and asking would reveal its make for nothing.
 */
export function passkeyCeremonies(
  ctx: Pick<Context, 'now'>,
  rp: RelyingParty,
  deps: {
    sessions: Pick<SessionStore, 'keepChallenge' | 'challenge' | 'takeChallenge'>;
    credentials: Pick<CredentialStore, 'credentialsOf' | 'passkeyByCredential' | 'credentialTaken' | 'passkeyUsed'>;
  },
) {
  const { sessions, credentials } = deps;

  /** The session's challenge, taken so that it works once; throws when none is alive. */
  async function takeChallenge(sessionId: string): Promise<string> {
    const row = await sessions.challenge(sessionId);
    const challenge = row?.webauthn_challenge;
    if (!challenge || row.webauthn_challenge_at === null) throw expired();
    const taken = await sessions.takeChallenge(sessionId, challenge);
    if (!taken || ctx.now() - Number(row.webauthn_challenge_at) > CHALLENGE_TTL_MS) throw expired();
    return challenge;
  }

  const expired = () =>
    new AppError('unauthenticated', 'That passkey request has expired. Try again.', [
      { where: 'passkey', message: 'expired' },
    ]);

  /** The user's passkeys as WebAuthn names them: to exclude at registration, to allow at sign-in. */
  async function credentialsOf(userId: string) {
    const keys = await credentials.credentialsOf(userId);
    return keys.map((p) => ({ id: p.credential_id, transports: transportsOf(p.transports) }));
  }

  return {
    available: rp.available,

    async registrationOptions(
      sessionId: string,
      user: { id: string; email: string; displayName: string },
    ): Promise<Record<string, unknown> & { challenge: string }> {
      if (!rp.available) throw notAvailable();
      const options = await generateRegistrationOptions({
        rpName: 'Kalaja',
        rpID: rp.id,
        userName: user.email,
        userDisplayName: user.displayName,
        userID: new TextEncoder().encode(user.id),
        attestationType: 'none',
        excludeCredentials: await credentialsOf(user.id),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
        timeout: CHALLENGE_TTL_MS,
      });
      await sessions.keepChallenge(sessionId, options.challenge, ctx.now());
      return options as unknown as Record<string, unknown> & { challenge: string };
    },

    /** Verifies a new passkey; returns what to store. Throws a plain error when it does not verify. */
    async verifyRegistration(
      sessionId: string,
      attestation: RegistrationResponseJSON,
    ): Promise<{ credentialId: string; publicKey: string; counter: number; transports: string }> {
      if (!rp.available) throw notAvailable();
      const challenge = await takeChallenge(sessionId);
      let verified;
      try {
        verified = await verifyRegistrationResponse({
          response: attestation,
          expectedChallenge: challenge,
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          requireUserVerification: false,
        });
      } catch {
        verified = { verified: false as const };
      }
      if (!verified.verified)
        throw new AppError('invalid_request', 'That passkey could not be verified. Try again.', [
          { where: 'passkey', message: 'not verified' },
        ]);
      const { credential } = verified.registrationInfo;
      if (await credentials.credentialTaken(credential.id))
        throw new AppError('conflict', 'That passkey is already registered.');
      return {
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: JSON.stringify(attestation.response.transports ?? []),
      };
    },

    async authenticationOptions(
      sessionId: string,
      userId: string,
    ): Promise<Record<string, unknown> & { challenge: string }> {
      if (!rp.available) throw notAvailable();
      const keys = await credentialsOf(userId);
      if (keys.length === 0) throw new AppError('conflict', 'This account has no passkey yet.');
      const options = await generateAuthenticationOptions({
        rpID: rp.id,
        allowCredentials: keys,
        userVerification: 'preferred',
        timeout: CHALLENGE_TTL_MS,
      });
      await sessions.keepChallenge(sessionId, options.challenge, ctx.now());
      return options as unknown as Record<string, unknown> & { challenge: string };
    },

    /**
     * True when the assertion was made by one of this user's passkeys for the session's
     * challenge; the passkey's counter and last use are updated. False for any other answer.
     */
    async verifyAuthentication(
      sessionId: string,
      userId: string,
      assertion: AuthenticationResponseJSON,
    ): Promise<boolean> {
      if (!rp.available) throw notAvailable();
      const challenge = await takeChallenge(sessionId);
      const key = await credentials.passkeyByCredential(userId, assertion.id);
      if (!key) return false;
      let result;
      try {
        result = await verifyAuthenticationResponse({
          response: assertion,
          expectedChallenge: challenge,
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          credential: {
            id: key.credential_id,
            publicKey: new Uint8Array(Buffer.from(key.public_key, 'base64url')),
            counter: Number(key.counter),
            transports: transportsOf(key.transports),
          },
          requireUserVerification: false,
        });
      } catch {
        return false;
      }
      if (!result.verified) return false;
      await credentials.passkeyUsed(key.id, result.authenticationInfo.newCounter, ctx.now());
      return true;
    },
  };
}

export type PasskeyCeremonies = ReturnType<typeof passkeyCeremonies>;
