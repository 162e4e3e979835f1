import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../db/database.js';

/**
 * Where evidence files live: sealed bytes under the evidence id, nothing else. A directory
 * today; an S3-compatible bucket can implement the same three calls for a fleet of servers.
 * The store never sees plaintext: the service seals before `put` and opens after `get`.
 */
export interface EvidenceFiles {
  /** Stores the sealed bytes durably; after it resolves, the file survives a crash. */
  put(id: string, sealed: Uint8Array): Promise<void>;
  get(id: string): Promise<Buffer>;
  /** Removes the file; a file that is already gone is not an error. */
  remove(id: string): Promise<void>;
}

/** Evidence ids are ours (`newId`), but a file name built from anything else must never leave the directory. */
const SAFE_ID = /^[A-Za-z0-9_-]{10,64}$/;

function checkId(id: string): string {
  if (!SAFE_ID.test(id)) throw new Error(`not an evidence id: ${JSON.stringify(id)}`);
  return id;
}

/**
 * Evidence files in one directory (`<dir>/<evidenceId>`), readable by Kalaja's user only
 * (directory 0700, files 0600). A file is written under a temporary name, flushed to disk,
 * then renamed into place and the directory flushed, so a crash leaves either the whole file
 * or none of it under its real name (a stray `.<id>.<random>.tmp` at worst).
 *
 * @example
 *   const files = evidenceDirectory('./data/evidence');
 *   await files.put(id, sealed); // ./data/evidence/<id>, mode 0600
 */
export function evidenceDirectory(dir: string): EvidenceFiles {
  let ready: Promise<unknown> | undefined;
  const ensureDir = () => (ready ??= mkdir(dir, { recursive: true, mode: 0o700 }));

  async function syncDir(): Promise<void> {
    // Makes the rename itself durable. Some platforms cannot open a directory; there the
    // rename is as durable as the file system makes it.
    let handle;
    try {
      handle = await open(dir, 'r');
      await handle.sync();
    } catch (e) {
      if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    } finally {
      await handle?.close();
    }
  }

  return {
    async put(id, sealed) {
      const target = join(dir, checkId(id));
      await ensureDir();
      const temporary = join(dir, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
      const handle = await open(temporary, 'wx', 0o600);
      try {
        try {
          await handle.writeFile(sealed);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, target);
      } catch (e) {
        await rm(temporary, { force: true });
        throw e;
      }
      await syncDir();
    },

    get: (id) => readFile(join(dir, checkId(id))),

    async remove(id) {
      await rm(join(dir, checkId(id)), { force: true });
    },
  };
}

/**
 * Sealed files in the database itself (`stored_files`, one bucket per kind of file): what every
 * server process on one PostgreSQL database reads and writes alike, so that no process keeps
 * state on its own disk (docs/operations.md, several servers). A file is durable once its
 * insert has committed; `get` of a file that is not there fails as the directory's does.
 */
export function databaseFiles(db: Db, bucket: 'evidence' | 'reports' | 'incident-reports'): EvidenceFiles {
  return {
    async put(id, sealed) {
      checkId(id);
      await db
        .insertInto('stored_files')
        .values({ bucket, id, body: sealed, size: sealed.byteLength })
        .onConflict((oc) => oc.columns(['bucket', 'id']).doUpdateSet({ body: sealed, size: sealed.byteLength }))
        .execute();
    },

    async get(id) {
      const row = await db
        .selectFrom('stored_files')
        .select('body')
        .where('bucket', '=', bucket)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw Object.assign(new Error(`no stored file ${bucket}/${id}`), { code: 'ENOENT' });
      return Buffer.from(row.body);
    },

    async remove(id) {
      await db.deleteFrom('stored_files').where('bucket', '=', bucket).where('id', '=', id).execute();
    },
  };
}
