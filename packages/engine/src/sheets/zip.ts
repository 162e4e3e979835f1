import { Inflate } from 'fflate';

/**
 * Just enough of the zip format to read the parts of a workbook, with every size bounded: the
 * central directory is read from the end of the file, and each part is inflated in small steps
 * (fflate's streaming `Inflate`), counting what comes out and stopping as soon as a bound is
 * passed. The sizes a zip declares are not trusted: a zip bomb declares small ones.
 */

/** The bounds of one spreadsheet; see `SHEET_LIMITS` in limits.ts. */
export interface ZipLimits {
  /** Entries in the central directory. */
  entries: number;
  /** Bytes one part may inflate to. */
  partBytes: number;
  /** Bytes all the parts read may inflate to, together. */
  totalBytes: number;
}

export interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  localOffset: number;
}

/** Why a zip could not be read, in words for a person. */
export class ZipError extends Error {}

/** Thrown inside an inflate callback to stop it: a part inflated past its bound. */
export class TooLarge extends Error {
  constructor(readonly part: string) {
    super(`${part} is too large`);
  }
}

const u16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** The entries of a zip archive, from its central directory. */
export function zipEntries(bytes: Uint8Array, limits: ZipLimits): Map<string, ZipEntry> {
  // The end-of-central-directory record: 22 bytes, then a comment of at most 65,535 bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 65_535; i--) {
    if (u32(bytes, i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipError('it is not a complete zip archive (its directory at the end is missing)');
  const count = u16(bytes, end + 10);
  const size = u32(bytes, end + 12);
  const offset = u32(bytes, end + 16);
  if (count === 0xffff || offset === 0xffffffff || size === 0xffffffff)
    throw new ZipError('it is a zip64 archive, which spreadsheets of answers never need');
  if (count > limits.entries)
    throw new ZipError(`it holds ${count} files; a spreadsheet has a few dozen (at most ${limits.entries} are read)`);
  if (offset + size > end) throw new ZipError('its directory points outside the file (the file is damaged)');
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder('utf-8');
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || u32(bytes, at) !== 0x02014b50)
      throw new ZipError('its directory is damaged (an entry does not start where it should)');
    const flags = u16(bytes, at + 8);
    const nameLength = u16(bytes, at + 28);
    const next = at + 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
    if (next > end) throw new ZipError('its directory is damaged (an entry runs past its end)');
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.set(name.toLowerCase(), {
      name,
      method: u16(bytes, at + 10),
      encrypted: (flags & 1) === 1,
      compressedSize: u32(bytes, at + 20),
      localOffset: u32(bytes, at + 42),
    });
    at = next;
  }
  return entries;
}

/**
 * Inflates one entry, handing each piece of its bytes to `onData` as it comes out. Throws
 * `TooLarge` once the entry has given more than `limit` bytes (nothing past the bound is ever
 * made), and `ZipError` for what a damaged or unusual archive does.
 */
export function inflateEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  limit: number,
  onData: (chunk: Uint8Array, final: boolean) => void,
): number {
  if (entry.encrypted) throw new ZipError('it is protected with a password; save it again without one');
  const at = entry.localOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== 0x04034b50)
    throw new ZipError(`it is damaged (the part ${entry.name} is not where its directory says)`);
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const stop = start + entry.compressedSize;
  if (stop > bytes.length) throw new ZipError(`it is damaged (the part ${entry.name} is cut short)`);
  const data = bytes.subarray(start, stop);
  let total = 0;
  if (entry.method === 0) {
    if (data.length > limit) throw new TooLarge(entry.name);
    onData(data, true);
    return data.length;
  }
  if (entry.method !== 8)
    throw new ZipError(`the part ${entry.name} is compressed with method ${entry.method}, which Kalaja does not read`);
  let finished = false;
  // What the consumer throws (a bound, a parse error) goes out as it is; anything else thrown
  // while inflating comes from the inflater, and means damaged data.
  let consumerError: { error: unknown } | undefined;
  const inflate = new Inflate((chunk, final) => {
    try {
      total += chunk.length;
      if (total > limit) throw new TooLarge(entry.name);
      if (final) finished = true;
      onData(chunk, final);
    } catch (error) {
      consumerError = { error };
      throw error;
    }
  });
  // Small steps: one step of deflate can inflate to about a thousand times its size.
  const STEP = 16 * 1024;
  try {
    for (let i = 0; i < data.length && !finished; i += STEP)
      inflate.push(data.subarray(i, i + STEP), i + STEP >= data.length);
  } catch {
    if (consumerError) throw consumerError.error;
    throw new ZipError(`it is damaged (the part ${entry.name} does not decompress)`);
  }
  if (!finished) {
    if (data.length === 0) onData(new Uint8Array(0), true);
    else throw new ZipError(`it is damaged (the part ${entry.name} ends too early)`);
  }
  return total;
}
