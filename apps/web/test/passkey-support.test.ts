import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  factorChoices,
  isIpAddress,
  passkeyProblem,
  passkeysUsableIn,
  type PasskeyProblem,
} from '../src/features/auth/passkey-support';

const common = JSON.parse(readFileSync(new URL('../src/locales/en/common.json', import.meta.url), 'utf8')) as {
  passkey: Record<string, string>;
};

/** An error as a browser (DOMException) or @simplewebauthn/browser (WebAuthnError) raises it. */
const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('refused'), { name }, extra);

describe('where passkeys can work', () => {
  it('tells IP addresses from host names', () => {
    for (const ip of ['127.0.0.1', '10.0.0.12', '[::1]', '::1', '[2001:db8::7]', '[::ffff:127.0.0.1]'])
      expect(isIpAddress(ip), ip).toBe(true);
    for (const name of ['localhost', 'kalaja.example.org', 'xn--kalaj-pta.example', '1password.example', 'abc'])
      expect(isIpAddress(name), name).toBe(false);
  });

  it('needs WebAuthn, a secure context and a host name', () => {
    const browser = { PublicKeyCredential: function PublicKeyCredential() {}, isSecureContext: true };
    expect(passkeysUsableIn(browser, 'localhost')).toBe(true);
    expect(passkeysUsableIn(browser, 'kalaja.example.org')).toBe(true);
    expect(passkeysUsableIn(browser, '127.0.0.1')).toBe(false);
    expect(passkeysUsableIn({ ...browser, isSecureContext: false }, 'kalaja.example.org')).toBe(false);
    expect(passkeysUsableIn({ isSecureContext: true }, 'kalaja.example.org')).toBe(false);
  });
});

describe('the second step offers what the account can use', () => {
  it('puts the passkey first when this browser can use it', () => {
    expect(factorChoices(['totp', 'passkey', 'recovery_code'], true)).toEqual({
      offered: ['passkey', 'totp', 'recovery_code'],
      passkeyElsewhere: false,
    });
  });

  it('never offers the app to an account that must use its passkey', () => {
    expect(factorChoices(['passkey', 'recovery_code'], true).offered).toEqual(['passkey', 'recovery_code']);
  });

  it('says so when the account has a passkey this browser cannot use, and keeps the recovery code', () => {
    expect(factorChoices(['passkey', 'recovery_code'], false)).toEqual({
      offered: ['recovery_code'],
      passkeyElsewhere: true,
    });
    expect(factorChoices(['totp', 'passkey', 'recovery_code'], false).offered).toEqual(['totp', 'recovery_code']);
  });

  it('falls back to the app and a recovery code when the server did not list factors', () => {
    expect(factorChoices(undefined, true)).toEqual({ offered: ['totp', 'recovery_code'], passkeyElsewhere: false });
  });
});

describe('a browser’s refusal in plain words', () => {
  it.each<[string, unknown, PasskeyProblem]>([
    ['a cancelled or timed-out prompt', named('NotAllowedError'), 'cancelled'],
    [
      'the same, passed through by the library',
      named('NotAllowedError', { code: 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY', cause: named('NotAllowedError') }),
      'cancelled',
    ],
    ['an aborted ceremony', named('AbortError', { code: 'ERROR_CEREMONY_ABORTED' }), 'cancelled'],
    [
      'a device that already holds a passkey',
      named('InvalidStateError', { code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' }),
      'alreadyRegistered',
    ],
    ['an IP address', named('SecurityError', { code: 'ERROR_INVALID_DOMAIN' }), 'wrongAddress'],
    ['another relying party', named('SecurityError', { code: 'ERROR_INVALID_RP_ID' }), 'wrongAddress'],
    ['no WebAuthn at all', new Error('WebAuthn is not supported in this browser'), 'unsupported'],
    [
      'no accepted algorithm',
      named('NotSupportedError', { code: 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG' }),
      'unsupported',
    ],
    ['anything else', named('UnknownError'), 'failed'],
    ['not even an Error', 'boom', 'failed'],
  ])('%s', (_, error, problem) => {
    expect(passkeyProblem(error)).toBe(problem);
  });

  it('has a message for every reason', () => {
    const reasons: PasskeyProblem[] = ['cancelled', 'alreadyRegistered', 'wrongAddress', 'unsupported', 'failed'];
    for (const r of reasons) expect(common.passkey[r], r).toMatch(/\S/);
  });
});
