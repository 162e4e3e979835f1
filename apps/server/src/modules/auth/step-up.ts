import { AppError } from '../../errors.js';

/** Exports, downloads, MFA changes, key operations and deletions need a sign-in this recent. */
export const STEP_UP_MS = 5 * 60_000;

/** The refusal a stale session gets: the web app asks for the password and second factor again. */
export const reauthenticationRequired = () =>
  new AppError(
    'reauthentication_required',
    'For this, confirm it is you: enter your password and your second factor again.',
  );

/** Whether the password and second factor were entered within STEP_UP_MS. */
export function signedInRecently(who: { reauthAt?: number | null | undefined }, now: number): boolean {
  return who.reauthAt !== undefined && who.reauthAt !== null && now - who.reauthAt <= STEP_UP_MS;
}

/**
 * Step-up, the one check: throws `reauthentication_required` unless the password and second
 * factor were entered within STEP_UP_MS (at sign-in, or again at POST /api/v1/session/reauth).
 * Services call it after their permission check, so that whoever may not see an object gets
 * the same 404 whatever the age of their session, and after the refusals that say the action
 * cannot happen at all (a report not finished, your own account), so that nobody enters
 * their password only to be refused; then they act. `reauthAt` is undefined or null for a
 * session that has not passed them; the system actor (the operator on the host) never needs it.
 */
export function requireRecentSignIn(who: { userId: string; reauthAt?: number | null | undefined }, now: number): void {
  if (who.userId === 'system') return;
  if (!signedInRecently(who, now)) throw reauthenticationRequired();
}
