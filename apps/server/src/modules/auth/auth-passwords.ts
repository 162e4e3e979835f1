// Password policy and password hashing (docs/threat-model.md, T1: argon2id; 15+ characters, no
// composition rules, breached/common list offline). Pure building blocks: no I/O except reading the
// bundled common-password list once.
import { readFileSync } from 'node:fs';
import { type Algorithm, type Options, type Version, hash, parseOptions, verify } from '@node-rs/argon2';
import { LIMITS } from '@kalaja/contracts/limits';
import { AppError } from '../../errors.js';

/** Lengths are counted in Unicode code points after NFC normalisation ("ë" is one character). */
export const PASSWORD_MIN_LENGTH = LIMITS.passwordMin;
export const PASSWORD_MAX_LENGTH = LIMITS.password;

export type PasswordPolicyCode = 'too_short' | 'too_long' | 'common' | 'contains_identity';
export type PasswordPolicyResult = { ok: true } | { ok: false; code: PasswordPolicyCode; message: string };
export interface PasswordContext {
  email?: string;
  displayName?: string;
}

/** Email local parts and display names shorter than this are not looked for inside the password. */
const IDENTITY_MIN_LENGTH = 4;
/** A pattern of at most this many characters written over and over ("aaaaaa", "ababab", "abcabc")... */
const SHORT_PATTERN_MAX = 3;
/** ...is refused once the repetition is at least this long. */
const SHORT_PATTERN_MIN_RUN = 6;
/** Anything longer (in UTF-16 units) is refused as too long before any normalisation work. NFC can
 *  shrink a string by composing characters, but by nowhere near 16 times. */
const RAW_LENGTH_GUARD = PASSWORD_MAX_LENGTH * 16;

function tooShortMessage(length: number): string {
  return (
    `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}). ` +
    'A few unrelated words together make a password that is long and easy to remember.'
  );
}
const TOO_LONG_MESSAGE = `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
const COMMON_MESSAGE =
  'This password is too easy to guess: it is a well-known password, or a well-known password repeated ' +
  'or with numbers or symbols added. Choose something else, such as a few unrelated words.';
const IDENTITY_MESSAGE = 'Do not use your name or your email address in your password. Choose something else.';

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Checks a new password against the policy. Returns the first problem found, in this order:
 * too short, too long, common, contains the user's identity.
 *
 * The "common" rule. Ignoring case, spaces, and compatibility variants of characters (NFKC, so
 * full-width "ｐａｓｓ" counts as "pass"), a password is common when either
 *   - the whole of it, or
 *   - what is left after removing digits, punctuation and symbols from both of its ends
 * is one of these:
 *   - an entry of the common-password list ("iloveyou12345678!" → "iloveyou");
 *   - an entry of the list written two or more times, the last copy possibly cut short
 *     ("passwordpassword", "dragondragondra", "trustno1trustno1");
 *   - a pattern of one to three characters written over and over, at least six characters long
 *     ("aaaaaaaaaaaaaaa", "abababababababab").
 * Passphrases of several words are fine unless the words run together are themselves on the list.
 *
 * The identity rule: the password must not contain the email's local part (before "@", without a
 * "+tag") or the display name, each compared ignoring case, spaces and punctuation, and only when it
 * has at least four letters or digits.
 */
export function checkPasswordPolicy(password: string, context: PasswordContext): PasswordPolicyResult {
  if (password.length > RAW_LENGTH_GUARD) return { ok: false, code: 'too_long', message: TOO_LONG_MESSAGE };
  const length = codePointLength(password.normalize('NFC'));
  if (length < PASSWORD_MIN_LENGTH) return { ok: false, code: 'too_short', message: tooShortMessage(length) };
  if (length > PASSWORD_MAX_LENGTH) return { ok: false, code: 'too_long', message: TOO_LONG_MESSAGE };
  if (isCommonPassword(password)) return { ok: false, code: 'common', message: COMMON_MESSAGE };
  if (containsIdentity(password, context)) {
    return { ok: false, code: 'contains_identity', message: IDENTITY_MESSAGE };
  }
  return { ok: true };
}

/** The policy as a request's answer: a 400 naming the field (`where`) when the password fails it. */
export function requirePasswordPolicy(password: string, context: PasswordContext, where = 'password'): void {
  const check = checkPasswordPolicy(password, context);
  if (!check.ok) throw new AppError('invalid_request', check.message, [{ where, message: check.message }]);
}

// ---------------------------------------------------------------------------------------------
// The common-password list

const LIST_FILE = 'common-passwords.txt';
const LIST_LOCATIONS = [
  // Beside this module: the source tree, which is what the tests and the dev server run.
  new URL(`./${LIST_FILE}`, import.meta.url),
  // From the build in dist/modules/auth/: `tsc -b` copies no data files, so read the source copy.
  new URL(`../../../src/modules/auth/${LIST_FILE}`, import.meta.url),
];

let commonList: ReadonlySet<string> | undefined;

/**
 * The offline common-password list (lower case), read once and kept. Call it at start-up to fail
 * fast if the data file is missing; the policy never runs without its list.
 */
export function commonPasswords(): ReadonlySet<string> {
  if (commonList) return commonList;
  let text: string | undefined;
  for (const location of LIST_LOCATIONS) {
    try {
      text = readFileSync(location, 'utf8');
      break;
    } catch {
      // try the next location
    }
  }
  if (text === undefined) {
    throw new Error(`The common-password list ${LIST_FILE} was not found next to ${import.meta.url}`);
  }
  const list = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('# ')) continue;
    list.add(line.toLowerCase());
  }
  commonList = list;
  return list;
}

const WHITESPACE = /\s+/gu;
const EDGE_NON_LETTERS = /^[\p{N}\p{P}\p{S}]+|[\p{N}\p{P}\p{S}]+$/gu;

/** True if the password falls under the "common" rule described on {@link checkPasswordPolicy}. */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const whole = password.normalize('NFKC').toLowerCase().replace(WHITESPACE, '');
  const core = whole.replace(EDGE_NON_LETTERS, '');
  return isCommonForm(whole, list) || (core !== whole && isCommonForm(core, list));
}

function isCommonForm(form: string, list: ReadonlySet<string>): boolean {
  if (form === '') return false;
  if (list.has(form)) return true;
  const chars = Array.from(form);
  const n = chars.length;
  for (let period = 1; period * 2 <= n; period++) {
    if (!hasPeriod(chars, period)) continue;
    if (period <= SHORT_PATTERN_MAX && n >= SHORT_PATTERN_MIN_RUN) return true;
    if (list.has(chars.slice(0, period).join(''))) return true;
  }
  return false;
}

/** Whether `chars` is its first `period` characters written over and over (the last copy may be cut). */
function hasPeriod(chars: readonly string[], period: number): boolean {
  for (let i = period; i < chars.length; i++) {
    if (chars[i] !== chars[i - period]) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Identity

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{M}\p{N}]+/gu;

function identityForm(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(NOT_LETTER_OR_DIGIT, '');
}

function containsIdentity(password: string, context: PasswordContext): boolean {
  const haystack = identityForm(password);
  const needles: string[] = [];
  if (context.email !== undefined) {
    const at = context.email.lastIndexOf('@');
    const local = at === -1 ? context.email : context.email.slice(0, at);
    const plus = local.indexOf('+');
    needles.push(plus === -1 ? local : local.slice(0, plus));
  }
  if (context.displayName !== undefined) needles.push(context.displayName);
  return needles.some((needle) => {
    const form = identityForm(needle);
    return codePointLength(form) >= IDENTITY_MIN_LENGTH && haystack.includes(form);
  });
}

// ---------------------------------------------------------------------------------------------
// Hashing

// `Algorithm` and `Version` are ambient const enums, which `isolatedModules` forbids reading as values.
const ARGON2ID: Algorithm.Argon2id = 2;
const ARGON2_VERSION_13: Version.V0x13 = 1;

/** OWASP Password Storage Cheat Sheet minimum for argon2id: 19 MiB, 2 passes, 1 lane. */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  version: ARGON2_VERSION_13,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const satisfies Options;

/** argon2id hash (PHC string, with its own random salt) of the NFC-normalised password. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), PASSWORD_HASH_OPTIONS);
}

/** Whether `password` matches `storedHash`. A malformed or unsupported hash gives false, never an error. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password.normalize('NFC'));
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with other parameters than today's (rehash it after a successful sign-in). */
export function passwordHashNeedsRehash(storedHash: string): boolean {
  try {
    const used = parseOptions(storedHash);
    return (
      used.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      used.version !== PASSWORD_HASH_OPTIONS.version ||
      used.memoryCost !== PASSWORD_HASH_OPTIONS.memoryCost ||
      used.timeCost !== PASSWORD_HASH_OPTIONS.timeCost ||
      used.parallelism !== PASSWORD_HASH_OPTIONS.parallelism ||
      used.outputLen !== PASSWORD_HASH_OPTIONS.outputLen
    );
  } catch {
    return true;
  }
}

/**
 * A hash made with {@link PASSWORD_HASH_OPTIONS} of a random password that was thrown away. Checking a
 * password against it costs the same as checking a real user's, so sign-in for an unknown email takes
 * as long as for a known one. Keep its parameters equal to PASSWORD_HASH_OPTIONS (a test checks).
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$IF4I+3SmL4NmvvUEPX8XJw$cZVn0pwXzJOWNs+vNG1sYEM2vJ70u7iDqNP7mxruBZI';

/** Spends the time of one password check and answers false: use when the user does not exist. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}
