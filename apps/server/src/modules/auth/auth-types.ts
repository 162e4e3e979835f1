import type { passkeyAssertion, passkeyAttestation } from '@kalaja/contracts';
import type { z } from 'zod';
import type { SessionRoles } from '../sessions/session-store.js';

export type Assertion = z.infer<typeof passkeyAssertion>;
export type Attestation = z.infer<typeof passkeyAttestation>;

/** What a session does next: nothing (`done`), a second factor, enrolling one, or redeeming a recovery link. */
export type SessionNext = 'done' | 'mfa' | 'enrol_totp' | 'enrol_passkey' | 'recover';
export type Factor = 'totp' | 'passkey' | 'recovery_code';
export type SecondFactorInput = { code: string } | { recoveryCode: string } | { assertion: Assertion };

/** Where a sign-in stands, and for the second factor which factors the account may use. */
export interface NextStep {
  next: SessionNext;
  factors?: Factor[];
}

export interface SessionInfo {
  id: string;
  userId: string;
  mfa: boolean;
  /** When the password and second factor were last entered in this session. */
  reauthAt?: number;
  /** The second factor that completed the session. */
  mfaMethod?: Factor | null;
  /** When a factor or recovery link was proven in a session that must still add a new factor. */
  proofAt?: number | null;
}

/**
 * A session as resolved from its cookie, with its account's instance-admin flag, and the
 * account's memberships and assessor assignments read with it (for the request's actor).
 */
export type ResolvedSession = SessionInfo & { isInstanceAdmin: boolean; roles?: SessionRoles };

/** What stands between an account and a complete session. */
export interface AccountState {
  totp: boolean;
  passkeys: number;
  hasFactor: boolean;
  recoveryPending: boolean;
  /** The instance requires this account to sign in with a passkey. */
  needsPasskey: boolean;
}
