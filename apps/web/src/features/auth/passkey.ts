import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type { PasskeyRegistered } from '@kalaja/contracts';
import { api, ApiError } from '../../api';
import i18next from '../../i18n';
import { passkeyProblem, passkeysUsableIn } from './passkey-support';

/**
 * Passkeys (WebAuthn) in the browser, through @simplewebauthn/browser: the server makes the
 * options (a challenge kept on the session, good once), the browser and the authenticator answer,
 * the server verifies. The library is loaded when a passkey is first used, so the first page does
 * not carry it. A refusal by the browser (cancelled, timed out, another site) arrives as an
 * ApiError with the reason in plain words, so `ErrorNote` shows it next to the action like any
 * other error.
 */

/** Whether this browser, on this address, can use passkeys at all. */
export const passkeysUsable = (): boolean =>
  typeof window !== 'undefined' && passkeysUsableIn(window, window.location.hostname);

async function ceremony<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(0, 'passkey', i18next.t(`passkey.${passkeyProblem(error)}`), undefined);
  }
}

/** The second step with a passkey: options for this session, then the authenticator's answer. */
export async function passkeyAssertion(): Promise<AuthenticationResponseJSON> {
  const optionsJSON = await api<PublicKeyCredentialRequestOptionsJSON>('POST', '/session/passkey/options');
  return ceremony(async () => (await import('@simplewebauthn/browser')).startAuthentication({ optionsJSON }));
}

/** A new passkey on this device: the server's creation options, then the authenticator's key. */
export async function passkeyAttestation(): Promise<RegistrationResponseJSON> {
  const optionsJSON = await api<PublicKeyCredentialCreationOptionsJSON>('POST', '/passkeys/options');
  return ceremony(async () => (await import('@simplewebauthn/browser')).startRegistration({ optionsJSON }));
}

/** Creates a passkey and registers it under `name`; the first factor of an account brings recovery codes. */
export async function addPasskey(name: string): Promise<PasskeyRegistered> {
  const attestation = await passkeyAttestation();
  return api('POST', '/passkeys', { name, attestation });
}

export const passkeysKey = ['account', 'passkeys'] as const;
