import { lineColAt, type Problem, type Result } from '../problems.js';

/**
 * @kalaja/engine/encoding — how the bytes of an answers file become text, the same on the command
 * line and in the browser: UTF-8 with or without a byte-order mark, UTF-16 LE or BE with one
 * (Excel's "Unicode text"), and a plain refusal, naming what the file looks like, for anything
 * that is not text at all. Side-effect free and without dependencies: the web app imports it.
 */

/** What a file that is not a CSV file looks like. */
export type LooksLike = 'zip' | 'pdf' | 'ole' | 'gzip' | 'image' | 'utf-32' | 'utf-16-no-bom' | 'nul';

/** The text encodings read. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Why bytes or text were refused, with where; the web app words each kind in its own catalogue. */
export type NotCsv =
  | { kind: 'binary'; looksLike: LooksLike; line: number; col?: number }
  | { kind: 'invalid'; encoding: Encoding; line: number; col: number }
  | { kind: 'replacement'; line: number; col: number };

/** The English words for `LooksLike`, as the command line and the server's problems say them. */
export const LOOKS_LIKE: Readonly<Record<LooksLike, string>> = {
  zip: 'an Excel workbook (.xlsx), a LibreOffice spreadsheet (.ods) or another zip archive',
  pdf: 'a PDF document',
  ole: 'an old Excel workbook (.xls) or another Office file from before 2007',
  gzip: 'a gzip-compressed file',
  image: 'an image (PNG or JPEG)',
  'utf-32': 'UTF-32 text, which Kalaja does not read',
  'utf-16-no-bom': 'UTF-16 text without a byte-order mark',
  nul: 'binary data: it holds NUL bytes',
};

/** The first bytes of formats people upload by mistake. */
const SIGNATURES: readonly (readonly [LooksLike, readonly number[]])[] = [
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['zip', [0x50, 0x4b, 0x05, 0x06]],
  ['pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['ole', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
  ['gzip', [0x1f, 0x8b]],
  ['image', [0x89, 0x50, 0x4e, 0x47]],
  ['image', [0xff, 0xd8, 0xff]],
  // Before UTF-16 LE: its byte-order mark is the start of UTF-32 LE's.
  ['utf-32', [0xff, 0xfe, 0x00, 0x00]],
  ['utf-32', [0x00, 0x00, 0xfe, 0xff]],
];

/**
 * The same signatures as they survive in text that was decoded as UTF-8 regardless (the
 * WHATWG decoder replaces each invalid byte sequence the same way everywhere).
 */
const TEXT_SIGNATURES: readonly (readonly [LooksLike, string])[] = [
  ['zip', 'PK\u0003\u0004'],
  ['zip', 'PK\u0005\u0006'],
  ['pdf', '%PDF-'],
  ['ole', '\uFFFD\uFFFD\u0011\u0871\u001a'],
];

/**
 * Decodes the bytes of a file as text: a UTF-16 byte-order mark (LE or BE) decodes as UTF-16,
 * anything else as UTF-8, whose byte-order mark is dropped. Formats that are not text, NUL
 * bytes and invalid byte sequences are refused with where they are.
 */
export function decodeBytes(
  bytes: Uint8Array,
): { ok: true; text: string; encoding: Encoding } | { ok: false; reason: NotCsv } {
  for (const [looksLike, signature] of SIGNATURES)
    if (signature.every((b, i) => bytes[i] === b)) return { ok: false, reason: { kind: 'binary', looksLike, line: 1 } };
  const encoding: Encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  if (encoding === 'utf-8') {
    const nul = bytes.indexOf(0);
    if (nul !== -1) {
      if (looksLikeUtf16(bytes)) return { ok: false, reason: { kind: 'binary', looksLike: 'utf-16-no-bom', line: 1 } };
      const before = new TextDecoder('utf-8').decode(bytes.subarray(0, nul));
      const at = lineColAt(before, before.length);
      return { ok: false, reason: { kind: 'binary', looksLike: 'nul', ...at } };
    }
  }
  // TextDecoder knows UTF-16 BE in browsers, and in Node only with full ICU: swap to LE instead.
  const input = encoding === 'utf-16be' ? swapPairs(bytes) : bytes;
  const label = encoding === 'utf-8' ? 'utf-8' : 'utf-16le';
  try {
    return { ok: true, text: new TextDecoder(label, { fatal: true }).decode(input), encoding };
  } catch {
    const lossy = new TextDecoder(label).decode(input);
    const at = lossy.indexOf('\uFFFD');
    return { ok: false, reason: { kind: 'invalid', encoding, ...lineColAt(lossy, at < 0 ? 0 : at) } };
  }
}

/**
 * Checks text that is meant to be a CSV file but may have been decoded from other bytes on its
 * way (an upload through the API, a file read regardless of its encoding): the signature of a
 * binary format, a NUL character, or U+FFFD — the replacement character a decoder leaves where
 * bytes were not in the encoding it assumed — are refused, with the line of the first.
 */
export function checkText(text: string): NotCsv | undefined {
  for (const [looksLike, signature] of TEXT_SIGNATURES)
    if (text.startsWith(signature)) return { kind: 'binary', looksLike, line: 1 };
  const nul = text.indexOf('\0');
  if (nul !== -1) return { kind: 'binary', looksLike: 'nul', ...lineColAt(text, nul) };
  const bad = text.indexOf('\uFFFD');
  if (bad !== -1) return { kind: 'replacement', ...lineColAt(text, bad) };
  return undefined;
}

/** `decodeBytes`, then `checkText` on the text: what a browser checks before it uploads a file. */
export function decodeCsv(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: NotCsv } {
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return decoded;
  const reason = checkText(decoded.text);
  return reason ? { ok: false, reason } : { ok: true, text: decoded.text };
}

/** The message of a refusal, in English, as the engine's problems are worded. */
export function notCsvMessage(reason: NotCsv): string {
  switch (reason.kind) {
    case 'binary':
      return `this is not a CSV file (it looks like ${LOOKS_LIKE[reason.looksLike]}); save it from the spreadsheet as "CSV UTF-8" and try again`;
    case 'invalid':
      return reason.encoding === 'utf-8'
        ? 'the file is not valid UTF-8; save it as "CSV UTF-8" (or UTF-8 text) and try again'
        : 'the file starts as UTF-16 text but is not valid UTF-16 here; save it as "CSV UTF-8" and try again';
    case 'replacement':
      return 'the file is not UTF-8: this line holds U+FFFD, the character left where bytes were decoded with the wrong encoding; save the file as "CSV UTF-8" and try again';
  }
}

/** A refusal as a problem at its position. */
export function notCsvProblem(reason: NotCsv, file: string): Problem {
  return {
    file,
    line: reason.line,
    ...(reason.col !== undefined && { col: reason.col }),
    message: notCsvMessage(reason),
  };
}

/** `decodeBytes` for the command line: the text, or the refusal as a problem. */
export function decodeTextFile(bytes: Uint8Array, file: string): Result<string> {
  const decoded = decodeBytes(bytes);
  return decoded.ok
    ? { ok: true, value: decoded.text }
    : { ok: false, problems: [notCsvProblem(decoded.reason, file)] };
}

/** `checkText` as a problem, or undefined when the text may be read as CSV. */
export function textProblem(text: string, file: string): Problem | undefined {
  const reason = checkText(text);
  return reason && notCsvProblem(reason, file);
}

/**
 * UTF-16 without a byte-order mark: in the first bytes, most code units of one parity are zero
 * (the high bytes of ASCII letters) and almost none of the other.
 */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  return (odd > 0.4 * pairs && even < 0.05 * pairs) || (even > 0.4 * pairs && odd < 0.05 * pairs);
}

function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  if (bytes.length % 2 === 1) out[bytes.length - 1] = bytes[bytes.length - 1]!;
  return out;
}
