import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { KEY_BYTES, SEAL_OVERHEAD, SealError, open, seal } from '../crypto/seal.js';

/**
 * The Kalaja backup file: an archive of the database and the evidence files, encrypted in
 * chunks. Only Node built-ins read and write it.
 *
 * ## Encryption layer
 *
 * ```
 * file    := header record* final EOF
 * header  := "KALAJABK" | version u8 (1) | salt (32 bytes) | chunk size u32 | check length u16 | check
 * record  := type u8 (1) | length u32 | seal(key, plaintext chunk, "kalaja-backup/1|data|<index>")
 * final   := type u8 (2) | length u32 | seal(key, trailer JSON,    "kalaja-backup/1|final|<index>")
 * ```
 *
 * Integers are big-endian. `key` = HKDF-SHA256(KEK, salt, info "kalaja backup", 32 bytes): a
 * backup never shares a key with the data it holds, and each backup has its own key. `seal`
 * is the server's AES-256-GCM with a random IV (`crypto/seal.ts`). `check` seals a known text
 * under the key, bound to the header bytes before it, so a wrong key-encryption key is told
 * apart from a damaged file and an altered header is refused. Every chunk (1 MiB of
 * plaintext, the last one shorter) is sealed with its index, so chunks cannot be dropped,
 * repeated or reordered; the final record, sealed with its own type and index, carries the
 * count of chunks, the plaintext length and its SHA-256, so a file cut short anywhere — even
 * at a chunk boundary — is refused, and nothing may follow it.
 *
 * ## Archive layer (the plaintext)
 *
 * ```
 * archive := entry* end
 * entry   := header length u32 | header JSON {"name": string, "size": number, "encoding"?: "gzip"} | size bytes
 * end     := u32 0
 * ```
 *
 * `size` counts the bytes as stored; with `"encoding": "gzip"` they are the file gzipped.
 * Entries: `database/kalaja.sqlite` (a `VACUUM INTO` copy, gzipped) or
 * `database/kalaja.pgdump` (`pg_dump --format=custom`, compressed by pg_dump itself),
 * `evidence/<id>` for each evidence file as stored (already sealed under its organisation's
 * key, so not worth compressing), and last `manifest.json` (format, dialect, time).
 */

export const BACKUP_MAGIC = Buffer.from('KALAJABK', 'ascii');
export const BACKUP_VERSION = 1;
export const BACKUP_CHUNK_BYTES = 1024 * 1024;
/** Larger chunk sizes are refused when reading, so a damaged header cannot ask for gigabytes. */
const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
const SALT_BYTES = 32;
const HEADER_FIXED = BACKUP_MAGIC.length + 1 + SALT_BYTES + 4 + 2;
const HKDF_INFO = 'kalaja backup';
const AAD = 'kalaja-backup/1';
const CHECK_TEXT = Buffer.from('kalaja backup key check v1', 'utf8');
const DATA = 1;
const FINAL = 2;

/** A backup that cannot be read: another key, a damaged or truncated file, or not a backup. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}

interface Trailer {
  chunks: number;
  bytes: number;
  sha256: string;
}

function backupKey(kek: Buffer, salt: Buffer): Buffer {
  if (kek.length !== KEY_BYTES) throw new BackupError(`the key-encryption key must be ${KEY_BYTES} bytes`);
  return Buffer.from(hkdfSync('sha256', kek, salt, HKDF_INFO, KEY_BYTES));
}

function recordHeader(type: number, length: number): Buffer {
  const h = Buffer.alloc(5);
  h.writeUInt8(type, 0);
  h.writeUInt32BE(length, 1);
  return h;
}

/** Encrypts a plaintext stream into the backup format. */
export class BackupEncryptor extends Transform {
  readonly #key: Buffer;
  readonly #chunkBytes: number;
  readonly #pending = new ByteQueue();
  readonly #hash = createHash('sha256');
  #index = 0;
  #bytes = 0;

  constructor(kek: Buffer, chunkBytes = BACKUP_CHUNK_BYTES) {
    super();
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES)
      throw new RangeError('chunk size out of range');
    const salt = randomBytes(SALT_BYTES);
    this.#key = backupKey(kek, salt);
    this.#chunkBytes = chunkBytes;
    const fixed = Buffer.alloc(HEADER_FIXED);
    BACKUP_MAGIC.copy(fixed, 0);
    fixed.writeUInt8(BACKUP_VERSION, BACKUP_MAGIC.length);
    salt.copy(fixed, BACKUP_MAGIC.length + 1);
    fixed.writeUInt32BE(chunkBytes, BACKUP_MAGIC.length + 1 + SALT_BYTES);
    const checkAad = `${AAD}|check|${fixed.subarray(0, HEADER_FIXED - 2).toString('hex')}`;
    const check = seal(this.#key, CHECK_TEXT, checkAad);
    fixed.writeUInt16BE(check.length, HEADER_FIXED - 2);
    this.push(Buffer.concat([fixed, check]));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#pending.push(chunk);
    while (this.#pending.length >= this.#chunkBytes) this.#emit(this.#pending.take(this.#chunkBytes));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#pending.length > 0) this.#emit(this.#pending.take(this.#pending.length));
    const trailer: Trailer = { chunks: this.#index, bytes: this.#bytes, sha256: this.#hash.digest('hex') };
    const sealed = seal(this.#key, JSON.stringify(trailer), `${AAD}|final|${this.#index}`);
    this.push(Buffer.concat([recordHeader(FINAL, sealed.length), sealed]));
    this.#key.fill(0);
    done();
  }

  #emit(plain: Buffer): void {
    this.#hash.update(plain);
    this.#bytes += plain.length;
    const sealed = seal(this.#key, plain, `${AAD}|data|${this.#index}`);
    this.#index += 1;
    this.push(Buffer.concat([recordHeader(DATA, sealed.length), sealed]));
  }
}

/**
 * Decrypts the backup format, emitting only authenticated plaintext. Fails with BackupError on
 * another key, any altered byte, a missing final record (truncation) or bytes after it.
 */
export class BackupDecryptor extends Transform {
  readonly #kek: Buffer;
  readonly #input = new ByteQueue();
  readonly #hash = createHash('sha256');
  #key: Buffer | undefined;
  #chunkBytes = 0;
  #index = 0;
  #bytes = 0;
  #finished = false;

  constructor(kek: Buffer) {
    super();
    this.#kek = Buffer.from(kek);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      if (this.#finished) throw new BackupError('the backup has data after its end: it was altered');
      this.#input.push(chunk);
      this.#parse();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (!this.#key)
      return done(
        new BackupError(
          this.#input.length === 0
            ? 'the file is empty: not a Kalaja backup'
            : 'the backup is truncated (in its header)',
        ),
      );
    if (!this.#finished)
      return done(
        new BackupError('the backup is truncated: its end is missing (an incomplete copy or an interrupted backup)'),
      );
    if (this.#input.length > 0) return done(new BackupError('the backup has data after its end: it was altered'));
    done();
  }

  #parse(): void {
    if (!this.#key) {
      if (this.#input.length < BACKUP_MAGIC.length) return;
      if (!this.#input.peek(BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) throw new BackupError('not a Kalaja backup');
      if (this.#input.length < HEADER_FIXED) return;
      const fixed = this.#input.peek(HEADER_FIXED);
      const version = fixed.readUInt8(BACKUP_MAGIC.length);
      if (version !== BACKUP_VERSION)
        throw new BackupError(`this backup has format version ${version}, which this Kalaja cannot read`);
      const checkLength = fixed.readUInt16BE(HEADER_FIXED - 2);
      if (this.#input.length < HEADER_FIXED + checkLength) return;
      this.#input.take(HEADER_FIXED);
      const check = this.#input.take(checkLength);
      const salt = fixed.subarray(BACKUP_MAGIC.length + 1, BACKUP_MAGIC.length + 1 + SALT_BYTES);
      const key = backupKey(this.#kek, Buffer.from(salt));
      const checkAad = `${AAD}|check|${fixed.subarray(0, HEADER_FIXED - 2).toString('hex')}`;
      let opened: Buffer | undefined;
      try {
        opened = open(key, check, checkAad);
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
      }
      if (!opened?.equals(CHECK_TEXT))
        throw new BackupError(
          'this backup was made with another key-encryption key (or its header is damaged): restore it with the key that was in use when it was made',
        );
      const chunkBytes = fixed.readUInt32BE(BACKUP_MAGIC.length + 1 + SALT_BYTES);
      if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) throw new BackupError('the backup header is damaged');
      this.#key = key;
      this.#chunkBytes = chunkBytes;
    }
    while (this.#input.length >= 5) {
      if (this.#finished) throw new BackupError('the backup has data after its end: it was altered');
      const head = this.#input.peek(5);
      const type = head.readUInt8(0);
      const length = head.readUInt32BE(1);
      if ((type !== DATA && type !== FINAL) || length < SEAL_OVERHEAD || length > this.#chunkBytes + SEAL_OVERHEAD)
        throw new BackupError(`the backup is damaged at chunk ${this.#index}`);
      if (this.#input.length < 5 + length) return;
      this.#input.take(5);
      const sealed = this.#input.take(length);
      const aad = `${AAD}|${type === DATA ? 'data' : 'final'}|${this.#index}`;
      let plain: Buffer;
      try {
        plain = open(this.#key, sealed, aad);
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
        throw new BackupError(`the backup is damaged or altered at chunk ${this.#index}`);
      }
      if (type === DATA) {
        this.#index += 1;
        this.#bytes += plain.length;
        this.#hash.update(plain);
        this.push(plain);
        continue;
      }
      let trailer: Trailer;
      try {
        trailer = JSON.parse(plain.toString('utf8')) as Trailer;
      } catch {
        throw new BackupError('the backup\u2019s end record is damaged');
      }
      if (
        trailer.chunks !== this.#index ||
        trailer.bytes !== this.#bytes ||
        trailer.sha256 !== this.#hash.digest('hex')
      )
        throw new BackupError('the backup does not match its end record: it was altered');
      this.#finished = true;
      this.#key.fill(0);
    }
  }
}

/** Bytes received in pieces, taken out in exact lengths without copying more than once. */
class ByteQueue {
  #chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  peek(n: number): Buffer {
    return this.#collect(n, false);
  }

  take(n: number): Buffer {
    return this.#collect(n, true);
  }

  #collect(n: number, remove: boolean): Buffer {
    if (n > this.length) throw new RangeError('not enough bytes');
    const first = this.#chunks[0];
    if (first && first.length >= n) {
      const out = first.subarray(0, n);
      if (remove) {
        if (first.length === n) this.#chunks.shift();
        else this.#chunks[0] = first.subarray(n);
        this.length -= n;
      }
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let i = 0;
    while (filled < n) {
      const c = this.#chunks[i]!;
      const used = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, used);
      filled += used;
      if (remove) {
        if (used === c.length) this.#chunks.shift();
        else this.#chunks[0] = c.subarray(used);
      } else i += 1;
    }
    if (remove) this.length -= n;
    return out;
  }
}

/** One file in the archive: its name and where its bytes come from. */
export interface ArchiveSource {
  name: string;
  /** Bytes as stored in the archive. */
  size: number;
  /** The stored bytes are the file gzipped. */
  encoding?: 'gzip' | undefined;
  read(): AsyncIterable<Buffer>;
}

export interface ArchiveEntry {
  name: string;
  size: number;
  encoding: 'gzip' | undefined;
}

function entryHeader(source: ArchiveSource): Buffer {
  const { name, size, encoding } = source;
  const json = Buffer.from(JSON.stringify({ name, size, ...(encoding && { encoding }) }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length, 0);
  return Buffer.concat([length, json]);
}

/**
 * The archive's bytes for the given entries. A source may come back shorter or longer than
 * its declared size (a file changed while it was read): that is an error, not a silent mix.
 */
export async function* writeArchive(sources: AsyncIterable<ArchiveSource> | Iterable<ArchiveSource>) {
  for await (const source of sources) {
    yield entryHeader(source);
    let written = 0;
    for await (const chunk of source.read()) {
      written += chunk.length;
      if (written > source.size) throw new Error(`${source.name} grew while it was backed up`);
      yield chunk;
    }
    if (written !== source.size) throw new Error(`${source.name} shrank while it was backed up`);
  }
  yield Buffer.alloc(4);
}

/** Reads exact lengths from an async stream of buffers. */
class PullReader {
  readonly #it: AsyncIterator<Buffer>;
  readonly #queue = new ByteQueue();
  #done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.#it = source[Symbol.asyncIterator]();
  }

  async #fill(n: number): Promise<boolean> {
    while (this.#queue.length < n && !this.#done) {
      const next = await this.#it.next();
      if (next.done) this.#done = true;
      else this.#queue.push(Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value));
    }
    return this.#queue.length >= n;
  }

  async read(n: number): Promise<Buffer> {
    if (!(await this.#fill(n))) throw new BackupError('the backup archive ends early');
    return this.#queue.take(n);
  }

  /** Up to `n` bytes in pieces as they arrive. */
  async *pieces(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.#queue.length === 0 && !(await this.#fill(1))) throw new BackupError('the backup archive ends early');
      const take = Math.min(left, this.#queue.length);
      left -= take;
      yield this.#queue.take(take);
    }
  }

  async atEnd(): Promise<boolean> {
    return !(await this.#fill(1));
  }
}

/**
 * Reads an archive, handing each entry's name, size and bytes to `onEntry`, which must consume
 * the bytes. Names are the writer's; the caller decides which it accepts.
 */
export async function readArchive(
  source: AsyncIterable<Buffer>,
  onEntry: (entry: ArchiveEntry, bytes: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const reader = new PullReader(source);
  for (;;) {
    const length = (await reader.read(4)).readUInt32BE(0);
    if (length === 0) break;
    if (length > 64 * 1024) throw new BackupError('the backup archive is damaged (an entry header is too long)');
    let header: { name?: unknown; size?: unknown; encoding?: unknown };
    try {
      header = JSON.parse((await reader.read(length)).toString('utf8')) as typeof header;
    } catch {
      throw new BackupError('the backup archive is damaged (an entry header is not JSON)');
    }
    if (
      typeof header.name !== 'string' ||
      !Number.isSafeInteger(header.size) ||
      (header.size as number) < 0 ||
      (header.encoding !== undefined && header.encoding !== 'gzip')
    )
      throw new BackupError('the backup archive is damaged (an entry header is malformed)');
    const entry: ArchiveEntry = { name: header.name, size: header.size as number, encoding: header.encoding };
    let consumed = 0;
    const bytes = (async function* () {
      for await (const piece of reader.pieces(entry.size)) {
        consumed += piece.length;
        yield piece;
      }
    })();
    await onEntry(entry, bytes);
    if (consumed !== entry.size) throw new Error(`the reader of ${entry.name} did not consume it`);
  }
  if (!(await reader.atEnd())) throw new BackupError('the backup archive has data after its end');
}
