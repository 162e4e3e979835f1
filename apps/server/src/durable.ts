import { closeSync, fsyncSync, openSync } from 'node:fs';

/**
 * Making a write survive a power cut: the file's contents flushed, and the directory entry
 * that names it. Used for key files, backups and restores, which must never be half there.
 */

/** Makes a new or renamed directory entry durable; best effort, and not possible on Windows. */
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
    // Some file systems refuse fsync on a directory; the file itself is already synced.
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
