import { z } from 'zod';
import { idSchema, LIMITS, passkeyAttestation, text } from './api.js';

/**
 * Sessions, notices and people: your own sessions with their devices, in-app notices such as a
 * sign-in from a new device, and the instance admin's list of accounts. Why sessions and second
 * factors work as they do: docs/decisions/0007-second-factors-and-recovery.md.
 */

/** A session's opaque handle: random, not the token nor its hash. */
export const sessionHandleSchema = idSchema;

export const sessionItem = z.object({
  /** The session's handle, to end it with `DELETE /api/v1/sessions/:handle`. */
  id: z.string(),
  /** The browser and system read from the user agent ("Firefox", "Linux"); null when not recognised. */
  browser: z.string().nullable(),
  os: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  /** The session this request was made with. */
  current: z.boolean(),
  /** False while the session has passed the password but not the second factor. */
  secondFactor: z.boolean(),
});
export const sessionList = z.array(sessionItem);
export const sessionsEnded = z.object({ ended: z.number().int() });

export const noticeKind = z.enum(['new_device']);
export const notice = z.object({
  id: z.string(),
  kind: noticeKind,
  createdAt: z.string(),
  /** What the message names: for `new_device`, the browser, system, time and session handle. */
  params: z.object({
    browser: z.string().nullable(),
    os: z.string().nullable(),
    at: z.string(),
    session: z.string(),
  }),
});
export const noticeList = z.array(notice);

export const userSummary = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  isInstanceAdmin: z.boolean(),
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
});
export const userList = z.array(userSummary);

/** A passkey on your account, by the name you gave it; the key itself never leaves the server. */
export const passkeyItem = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const passkeyList = z.array(passkeyItem);
export const passkeyRegisterRequest = z.strictObject({
  name: text(LIMITS.passkeyName),
  attestation: passkeyAttestation,
});
/** A passkey added while enrolling the first factor also brings the recovery codes to save. */
export const passkeyRegistered = z.object({ passkey: passkeyItem, recoveryCodes: z.array(z.string()).optional() });

/** Instance-wide sign-in rules set by an instance admin. */
export const instanceSecurity = z.strictObject({
  /** `admins_managers`: instance admins and programme managers must sign in with a passkey. */
  requirePasskeys: z.enum(['none', 'admins_managers']),
});
/** Whether passkeys can work at all here: they need the instance reached by a name, not an IP address. */
export const instanceSecurityState = instanceSecurity.extend({ passkeysAvailable: z.boolean() });

/** A one-time link an instance admin hands to someone who lost every second factor. */
export const recoveryLink = z.object({ link: z.string(), expiresAt: z.string() });
export const recoverRequest = z.strictObject({ token: z.string().min(1).max(100) });

/** Changing your password: the current one again, and the new one (15+ characters, not a common one). */
export const passwordChangeRequest = z.strictObject({
  currentPassword: z.string().max(LIMITS.password),
  newPassword: z.string().max(LIMITS.password),
});
/** How many of your other sessions the change ended (this one stays). */
export const passwordChanged = z.object({ endedSessions: z.number().int() });
