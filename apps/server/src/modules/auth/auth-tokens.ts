// Opaque tokens (sessions, invitations, set-up links) and MFA recovery codes. Both are stored only as
// hashes, so a copy of the database does not let anyone sign in.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';

export const TOKEN_BYTES = 32;

/** 32 random bytes, base64url without padding: 43 characters, 256 bits. */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * SHA-256 (hex) of a token, the only form that is stored. A fast unsalted hash is enough: tokens are
 * 256 random bits, so there is nothing to guess, and a lookup by hash needs a deterministic hash.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Recovery codes

/**
 * Crockford's Base32 alphabet, lower case: no i, l, o or u, so nothing reads as another character.
 * When a code is typed back, o is read as 0 and i and l as 1. 32 symbols = 5 bits each.
 */
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RECOVERY_GROUPS = 4;
const RECOVERY_GROUP_LENGTH = 4;
/** 16 characters × 5 bits = 80 bits per code. */
export const RECOVERY_CODE_BITS = RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH * 5;
const RECOVERY_CODES_MAX = 100;

/**
 * `n` distinct one-time recovery codes like "7k3m-q9xd-2hfa-0wve", for the user to write down.
 *
 * They are 80 bits each rather than the 60 of a three-group code because they are stored under an
 * unsalted hash (see {@link hashRecoveryCode}): someone holding a copy of the database who tries
 * guesses against every stored code at once (say 10^6 codes at 10^10 hashes a second) still needs
 * about 2^80 / 10^16 seconds, some 4 years, to expect a single hit; at 60 bits it would be minutes.
 */
export function newRecoveryCodes(n = 10): string[] {
  if (!Number.isSafeInteger(n) || n < 1 || n > RECOVERY_CODES_MAX) {
    throw new RangeError(`The number of recovery codes must be a whole number from 1 to ${RECOVERY_CODES_MAX}`);
  }
  const codes = new Set<string>();
  while (codes.size < n) codes.add(newRecoveryCode());
  return [...codes];
}

function newRecoveryCode(): string {
  const length = RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH;
  // 256 is a multiple of 32, so `byte & 31` picks every symbol with the same probability.
  const bytes = randomBytes(length);
  let code = '';
  for (let i = 0; i < length; i++) {
    if (i > 0 && i % RECOVERY_GROUP_LENGTH === 0) code += '-';
    code += RECOVERY_ALPHABET[(bytes[i] ?? 0) & 31];
  }
  return code;
}

const READ_AS: Readonly<Record<string, string>> = { o: '0', i: '1', l: '1' };
const IGNORED_IN_CODES = /[\s\p{Pd}]+/gu;

/** The canonical form of a typed recovery code: lower case, no spaces or dashes, o→0, i→1, l→1. */
export function normaliseRecoveryCode(code: string): string {
  return code
    .normalize('NFKC')
    .toLowerCase()
    .replace(IGNORED_IN_CODES, '')
    .replace(/[oil]/gu, (c) => READ_AS[c] ?? c);
}

/**
 * SHA-256 (hex) of the normalised code, the only form that is stored; the same for "7K3M Q9XD 2HFA 0WVE"
 * as for "7k3m-q9xd-2hfa-0wve". A slow password hash is not needed: a code is 80 uniformly random bits,
 * not something a person chose, so it cannot be found from a dictionary and brute force is out of reach
 * (see {@link newRecoveryCodes}). A deterministic hash also lets the code be looked up directly.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(`kalaja-recovery-code:${normaliseRecoveryCode(code)}`, 'utf8')
    .digest('hex');
}

/**
 * Constant-time string comparison. Both sides are hashed first, so neither the position of the first
 * difference nor (through an early length check) the length of the secret side leaks through timing.
 */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a === b;
}

/**
 * A new token for a session whose standing just rose (a second factor passed, a passkey added,
 * a proof or a recovery link redeemed): the row takes the new token's hash as its id, so the
 * token it had before no longer works (no session fixation). Returns the new token and id.
 */
export async function reissueSession(
  sessions: { rotate(id: string, newId: string, tx?: Executor): Promise<boolean> },
  id: string,
  tx?: Executor,
): Promise<{ token: string; id: string }> {
  const token = newToken();
  const next = hashToken(token);
  if (!(await sessions.rotate(id, next, tx))) throw new AppError('unauthenticated', 'Please sign in.');
  return { token, id: next };
}
