import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/**
 * Authenticated encryption of one value: AES-256-GCM with associated data.
 *
 * Layout of a sealed value (all lengths in bytes):
 *
 * | 1 version (0x01) | 12 IV | n ciphertext | 16 tag |
 *
 * The version byte lets a later format (another cipher, key id, …) be read next to this one
 * without guessing. The associated data (`aad`) is not stored: the reader must supply it again,
 * so it binds the ciphertext to the place it belongs (organisation, field, row). A ciphertext
 * copied into another row or organisation then fails to open instead of showing one
 * organisation's answer as another's.
 */

/** The only format this module writes and reads. */
export const SEAL_VERSION = 0x01;
/** Random per value: GCM's security rests on an IV never repeating under one key. */
export const IV_BYTES = 12;
/** The full 128-bit tag; shorter tags make forgeries cheaper. */
export const TAG_BYTES = 16;
/** AES-256. */
export const KEY_BYTES = 32;
/** Size of a sealed empty value: version, IV and tag. */
export const SEAL_OVERHEAD = 1 + IV_BYTES + TAG_BYTES;

/**
 * A sealed value did not open: wrong key, wrong associated data, truncated or altered bytes,
 * or a format this version does not know. The message never contains key or plaintext bytes,
 * and no underlying error is attached as `cause`, so logging it is safe.
 */
export class SealError extends Error {
  override readonly name = 'SealError';
}

// A lone surrogate encodes to U+FFFD in UTF-8, so two different strings could become the same
// associated data. Identifiers never contain one; refusing them keeps string → bytes one-to-one.
const LONE_SURROGATE = /\p{Surrogate}/u;

function aadBytes(aad: string): Buffer {
  if (typeof aad !== 'string') throw new TypeError('associated data must be a string');
  if (LONE_SURROGATE.test(aad)) throw new TypeError('associated data must be well-formed Unicode');
  return Buffer.from(aad, 'utf8');
}

function checkKey(key: Buffer): void {
  // Checked here rather than left to OpenSSL so the error is a SealError with a plain message.
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new SealError(`a sealing key must be ${KEY_BYTES} bytes`);
  }
}

/**
 * Random IVs, drawn from the operating system's CSPRNG 4 KiB at a time: each call to the
 * CSPRNG costs microseconds, which an import of 400,000 answers pays 400,000 times. Every IV is
 * a fresh slice of random bytes, copied out and never handed out again.
 */
const ivPool = Buffer.alloc(IV_BYTES * 341);
let ivNext = ivPool.length;

function freshIv(): Buffer {
  if (ivNext + IV_BYTES > ivPool.length) {
    randomFillSync(ivPool);
    ivNext = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivNext, ivNext + IV_BYTES));
  ivNext += IV_BYTES;
  return iv;
}

/**
 * Encrypts `plaintext` (strings as UTF-8) under `key`, bound to `aad`. Every call draws a fresh
 * random IV, so sealing the same value twice gives different bytes and reveals nothing about
 * equality of plaintexts.
 */
export function seal(key: Buffer, plaintext: Uint8Array | string, aad: string): Uint8Array {
  checkKey(key);
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadBytes(aad));
  const body = cipher.update(data);
  const last = cipher.final();
  return Buffer.concat([Buffer.of(SEAL_VERSION), iv, body, last, cipher.getAuthTag()]);
}

/**
 * Decrypts a value made by `seal` with the same key and associated data. Throws `SealError`
 * on any mismatch; GCM verifies the tag before anything is returned, so altered bytes never
 * come back as plaintext.
 */
export function open(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  checkKey(key);
  const aadBuf = aadBytes(aad);
  if (!(sealed instanceof Uint8Array) || sealed.length < SEAL_OVERHEAD) {
    throw new SealError('sealed value is truncated');
  }
  // A view, not a copy: the column value may be a Uint8Array over a larger buffer.
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (bytes[0] !== SEAL_VERSION) throw new SealError(`unknown sealed value version ${String(bytes[0])}`);
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const body = bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadBuf);
    decipher.setAuthTag(tag);
    const head = decipher.update(body);
    // final() checks the tag; only then is the plaintext released.
    return Buffer.concat([head, decipher.final()]);
  } catch {
    // OpenSSL's message says nothing useful and must not leak into logs as a cause chain.
    throw new SealError('sealed value did not open (wrong key, wrong place, or altered)');
  }
}

/** `open`, decoded as UTF-8: for values that were sealed from strings. */
export function openText(key: Buffer, sealed: Uint8Array, aad: string): string {
  return open(key, sealed, aad).toString('utf8');
}
