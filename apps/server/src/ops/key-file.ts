import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KEY_BYTES } from '../crypto/seal.js';
import { OpsError } from './instance.js';

/**
 * Writes a new random key-encryption key to `path` — base64 and a newline, owner-only (0600),
 * flushed to disk with its directory entry — and returns it. Never replaces an existing file:
 * overwriting a key file loses the key it held.
 */
export function writeNewKeyFile(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new OpsError(`${path} already exists; a key file is never overwritten (choose another name)`);
    throw new OpsError(`cannot create the key file ${path} (${code ?? 'unknown error'})`);
  }
  const key = randomBytes(KEY_BYTES);
  try {
    fchmodSync(fd, 0o600);
    writeFileSync(fd, `${key.toString('base64')}\n`);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(path);
    } catch {
      // The error below says what failed.
    }
    throw new OpsError(`cannot write the key file ${path} (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  closeSync(fd);
  syncDirectory(dirname(path));
  return key;
}

/** Makes a new or renamed directory entry durable; best effort (not possible everywhere). */
export function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory.
  }
}

/** Flushes a written file's contents to disk. */
export function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
