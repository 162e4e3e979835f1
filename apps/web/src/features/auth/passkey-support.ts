import type { Factor } from '@kalaja/contracts';

/**
 * What decides whether passkeys can work here, and what a browser's refusal means: plain
 * functions (no React, no i18n) so that the unit tests run them in Node.
 */

/** An IPv4 or IPv6 address literal, as `location.hostname` gives it (IPv6 in brackets). */
export function isIpAddress(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host.includes(':')) return /^[0-9a-f:.]+$/i.test(host);
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/**
 * Browsers offer WebAuthn only in a secure context (HTTPS, or localhost) and refuse passkeys
 * for an IP address: the relying party must be a host name. Where either fails, passkey
 * buttons are hidden or explained, never offered to fail.
 */
export function passkeysUsableIn(
  scope: { PublicKeyCredential?: unknown; isSecureContext?: boolean },
  hostname: string,
): boolean {
  return typeof scope.PublicKeyCredential === 'function' && scope.isSecureContext !== false && !isIpAddress(hostname);
}

/** The reasons a passkey ceremony fails in the browser, each with its own message (`passkey.<reason>`). */
export type PasskeyProblem = 'cancelled' | 'alreadyRegistered' | 'wrongAddress' | 'unsupported' | 'failed';

/**
 * The reason behind an error from `startAuthentication` / `startRegistration`: the browser's
 * DOMException names, or the codes @simplewebauthn/browser gives them (WebAuthnError).
 * NotAllowedError is what browsers answer to a cancelled prompt, a timeout, or no usable
 * passkey on the device: for the person, all three mean "try again, or another way".
 */
export function passkeyProblem(error: unknown): PasskeyProblem {
  if (!(error instanceof Error)) return 'failed';
  const code = (error as Error & { code?: unknown }).code;
  const cause = (error as Error & { cause?: unknown }).cause;
  const name = cause instanceof Error && code === 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY' ? cause.name : error.name;
  if (code === 'ERROR_CEREMONY_ABORTED' || name === 'NotAllowedError' || name === 'AbortError') return 'cancelled';
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') return 'alreadyRegistered';
  if (code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID' || name === 'SecurityError')
    return 'wrongAddress';
  if (
    code === 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG' ||
    name === 'NotSupportedError' ||
    /WebAuthn is not supported/i.test(error.message)
  )
    return 'unsupported';
  return 'failed';
}

/** A second factor, as the server names it (the contracts' `sessionState.factors`). */
export type { Factor };

/**
 * The ways the second step offers, best first: a passkey (when this browser can use one here),
 * the authenticator app, a recovery code — only those the server listed for this account (an
 * account that must use its passkey is not offered the app). A recovery code is always there:
 * it is the way back in when the rest is lost. `passkeyElsewhere`: the account has a passkey,
 * but this browser cannot use it here (worth saying, not hiding).
 */
export function factorChoices(
  factors: readonly Factor[] | undefined,
  passkeysHere: boolean,
): { offered: Factor[]; passkeyElsewhere: boolean } {
  const allowed: readonly Factor[] = factors ?? ['totp', 'recovery_code'];
  const order: Factor[] = ['passkey', 'totp', 'recovery_code'];
  const offered = order.filter(
    (f) => f === 'recovery_code' || (allowed.includes(f) && (f !== 'passkey' || passkeysHere)),
  );
  return { offered, passkeyElsewhere: allowed.includes('passkey') && !passkeysHere };
}
