import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config.js';
import { syncDirectory } from '../durable.js';
import { KEY_BYTES } from './seal.js';

/**
 * The key-encryption key (KEK) wraps every organisation's data key. It comes from
 * `KALAJA_KEY` (base64) or from a key file; with the embedded database and no key configured,
 * the file is created at first start. Losing it loses every organisation's data, and anyone
 * who reads it together with the database reads everything, so the file is created
 * owner-only and refused when readable by others.
 */

/**
 * The key-encryption key is missing, malformed or exposed. The message names the variable or
 * file and says what to do; it never contains key material.
 */
export class KeyError extends Error {
  override readonly name = 'KeyError';
}

/** A key file is a few dozen bytes; anything much larger is the wrong file. */
const MAX_KEY_FILE_BYTES = 1024;
// Standard or URL-safe alphabet, optional padding: what `openssl rand -base64 32` and
// `Buffer#toString('base64url')` produce. Buffer.from(…, 'base64') silently skips any other
// character, so it is checked first rather than trusting the decoded length alone.
const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;

function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!BASE64.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}

/** Mode bits are not meaningful on Windows (ACLs decide there); everywhere else they are checked. */
const CHECK_MODE = process.platform !== 'win32';

/**
 * Returns the 32-byte key-encryption key described by the configuration, creating the key file
 * when the configuration allows it. Synchronous: it runs once, before the server listens.
 */
export function loadKeyEncryptionKey(key: Config['key']): Buffer {
  if (key.kind === 'env') {
    const decoded = decodeKey(key.value);
    if (!decoded) {
      throw new KeyError(`KALAJA_KEY must be ${KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
    }
    return decoded;
  }
  const existing = readKeyFile(key.path);
  if (existing) return existing;
  if (!key.create) {
    throw new KeyError(
      `key file ${key.path} (KALAJA_KEY_FILE) does not exist; create it with ` +
        `\`openssl rand -base64 32 > ${key.path} && chmod 600 ${key.path}\`, or set KALAJA_KEY`,
    );
  }
  return createKeyFile(key.path) ?? readExistingKeyFile(key.path);
}

/** Reads and checks a key file; undefined when it does not exist. */
function readKeyFile(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new KeyError(`key file ${path} cannot be opened (${errorCode(error) ?? 'unknown error'})`);
  }
  try {
    // fstat on the open descriptor: the checks apply to the file actually read, not to
    // whatever the path pointed to a moment earlier.
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new KeyError(`key file ${path} is not a regular file`);
    if (CHECK_MODE && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
      throw new KeyError(
        `key file ${path} is readable by other users (mode ${mode}); run \`chmod 600 ${path}\` and start again`,
      );
    }
    if (stat.size > MAX_KEY_FILE_BYTES) {
      throw new KeyError(`key file ${path} must hold ${KEY_BYTES} bytes in base64, and nothing else`);
    }
    const decoded = decodeKey(readFileSync(fd, 'utf8'));
    if (!decoded) throw new KeyError(`key file ${path} must hold ${KEY_BYTES} bytes in base64, and nothing else`);
    return decoded;
  } catch (error) {
    if (error instanceof KeyError) throw error;
    throw new KeyError(`key file ${path} cannot be read (${errorCode(error) ?? 'unknown error'})`);
  } finally {
    closeSync(fd);
  }
}

function readExistingKeyFile(path: string): Buffer {
  const key = readKeyFile(path);
  if (!key) throw new KeyError(`key file ${path} disappeared while it was being created`);
  return key;
}

/**
 * Creates the key file (and its directory) with a fresh key at first start; undefined when
 * another process created the file first (then that file is read instead).
 */
function createKeyFile(path: string): Buffer | undefined {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new KeyError(`cannot create the directory ${dir} for the key file (${errorCode(error) ?? 'unknown error'})`);
  }
  return writeNewKeyFile(path);
}

/**
 * Writes a new random key-encryption key to `path` — base64 and a newline, owner-only (0600),
 * flushed to disk with its directory entry — and returns it; undefined when the file already
 * exists. `wx` never replaces an existing file: overwriting a key file would make every value
 * sealed under its key unreadable. The one writer of key files, for the first start and for
 * `kalaja keys rotate --generate`.
 */
export function writeNewKeyFile(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    throw new KeyError(`cannot create the key file ${path} (${errorCode(error) ?? 'unknown error'})`);
  }
  const key = randomBytes(KEY_BYTES);
  try {
    // The umask can only narrow 0o600, but set it exactly so the file never trips our own check.
    fchmodSync(fd, 0o600);
    writeFileSync(fd, `${key.toString('base64')}\n`);
    // An acknowledged start must not leave data sealed under a key that a crash then loses.
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    // A half-written file would stop every later start; remove it so the next start retries.
    try {
      unlinkSync(path);
    } catch {
      // Nothing more to do; the error below says what failed.
    }
    throw new KeyError(`cannot write the key file ${path} (${errorCode(error) ?? 'unknown error'})`);
  }
  closeSync(fd);
  syncDirectory(dirname(path));
  return key;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
