// RFC 6238 time-based one-time passwords, the settings every authenticator app supports: HMAC-SHA-1,
// 6 digits, 30-second steps. Built on otplib 13 (its default crypto and Base32 plugins, both audited).
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** 20 bytes = 160 bits, RFC 4226's recommended secret length (32 Base32 characters). */
export const TOTP_SECRET_BYTES = 20;

const SETTINGS = { algorithm: 'sha1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS } as const;
/** One step either side of now, for clocks that drift or a code typed as it rolls over. */
const DRIFT_STEPS = 1;
const CODE_PATTERN = /^[0-9]{6}$/u;
const WHITESPACE = /\s+/gu;

export type TotpVerification = { ok: true; step: number } | { ok: false };
const REFUSED: TotpVerification = { ok: false };

/** A new random shared secret, Base32 without padding, 160 bits. */
export function newTotpSecret(): string {
  return generateSecret({ length: TOTP_SECRET_BYTES });
}

/**
 * The otpauth:// URI an authenticator app reads from a QR code. The label is "issuer:account"; the
 * Key URI format forbids a colon in either part, so one is refused here rather than misread by an app.
 */
export function totpUri(secret: string, account: string, issuer = 'Kalaja'): string {
  if (account.includes(':') || issuer.includes(':')) {
    throw new RangeError('A TOTP account name or issuer cannot contain ":"');
  }
  return generateURI({ issuer, label: account, secret, ...SETTINGS });
}

/** The RFC 6238 time step (counter) that `now` (milliseconds since the epoch) falls in. */
export function totpStep(now: number = Date.now()): number {
  return Math.floor(Math.floor(now / 1000) / TOTP_PERIOD_SECONDS);
}

/** The code an authenticator app shows at `now` (milliseconds). For tests and diagnostics. */
export function totpCode(secret: string, now: number = Date.now()): string {
  return generateSync({ secret, epoch: Math.floor(now / 1000), ...SETTINGS });
}

/**
 * Checks a code typed by the user. Spaces anywhere are ignored ("123 456"); anything else that is
 * not exactly six digits is refused. Codes of the current step and of one step either side are
 * accepted. A code whose step is at or before `lastUsedStep` is refused, so a code (or an older
 * one) cannot be used twice: store the returned `step` as the new `lastUsedStep` on success.
 *
 * Never throws: a malformed secret, or a `now` or `lastUsedStep` that is not a number, refuses.
 */
export function verifyTotp(
  secret: string,
  code: string,
  now: number = Date.now(),
  lastUsedStep?: number,
): TotpVerification {
  const token = code.replace(WHITESPACE, '');
  if (!CODE_PATTERN.test(token)) return REFUSED;
  const epoch = Math.floor(now / 1000);
  const latestAcceptable = totpStep(now) + DRIFT_STEPS;
  let afterTimeStep: number | undefined;
  if (lastUsedStep !== undefined) {
    if (Number.isNaN(lastUsedStep)) return REFUSED;
    // Every step in the window is already used (otplib would throw on an out-of-range bound).
    if (lastUsedStep >= latestAcceptable) return REFUSED;
    // Steps are never negative, so a negative bound excludes nothing.
    if (lastUsedStep >= 0) afterTimeStep = Math.floor(lastUsedStep);
  }
  try {
    const result = verifySync({
      secret,
      token,
      epoch,
      epochTolerance: DRIFT_STEPS * TOTP_PERIOD_SECONDS,
      afterTimeStep,
      ...SETTINGS,
    });
    return result.valid && 'timeStep' in result ? { ok: true, step: result.timeStep } : REFUSED;
  } catch {
    return REFUSED;
  }
}
