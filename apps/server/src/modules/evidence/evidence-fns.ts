import { LIMITS } from '@kalaja/contracts/limits';
import { isUtf8 } from 'node:buffer';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../errors.js';

/**
 * What an evidence file is, decided from its bytes, and the name it is kept and offered
 * under. Pure but for reading the bytes given: no storage, no permission.
 */

/** The largest evidence file accepted: 20 MiB. */
export const MAX_EVIDENCE_BYTES = LIMITS.evidenceFile;
/** Original file names are kept up to this many characters (the extension is kept). */
export const MAX_EVIDENCE_NAME = 200;

/** The kinds of file accepted, by the media type detected from their bytes, with the extensions each may carry. */
const ACCEPTED: ReadonlyMap<string, readonly string[]> = new Map([
  ['application/pdf', ['.pdf']],
  ['image/png', ['.png']],
  ['image/jpeg', ['.jpg', '.jpeg']],
  ['image/webp', ['.webp']],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', ['.docx']],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ['.xlsx']],
  ['application/vnd.oasis.opendocument.text', ['.odt']],
  ['application/vnd.oasis.opendocument.spreadsheet', ['.ods']],
  ['text/plain', ['.txt', '.md', '.csv']],
]);

/** Other names clients use for an accepted type. */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
};

/** Declarations that say nothing about the content: browsers send them for types they do not know. */
const UNDECLARED = new Set(['', 'application/octet-stream']);

/**
 * What text files may be declared as when their name says text. Excel on Windows makes
 * browsers label every `.csv` as `application/vnd.ms-excel`.
 */
const TEXT_DECLARATIONS = new Set([
  'text/plain',
  'text/markdown',
  'text/x-markdown',
  'text/csv',
  'application/csv',
  'application/vnd.ms-excel',
]);

const TEXT_EXTENSIONS = ACCEPTED.get('text/plain')!;

const WHAT_IS_ACCEPTED =
  'PDF, PNG, JPEG, WebP, Word (.docx), Excel (.xlsx), OpenDocument text (.odt) or spreadsheet (.ods), or plain text';

/** A media type worth repeating back in a message; anything else the client sent is not echoed. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9.+-]{0,60}\/[a-z0-9][a-z0-9.+-]{0,100}$/;

const unsupported = (message: string) => new AppError('unsupported_media_type', message);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** `text/plain; charset=utf-8` → `text/plain`, with aliases resolved. */
function normaliseType(declared: string): string {
  const bare = (declared.split(';')[0] ?? '').trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/** Tab, line feed, form feed, carriage return, space: what browsers skip before sniffing. */
const WHITESPACE = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x20]);

/**
 * True when a text file opens with markup (after whitespace and a byte-order mark): HTML,
 * XML, SVG. Browsers sniff such a file as a page, so it is refused even when declared as
 * text. Text that merely mentions a tag further in (a report quoting `<script>`) is plain
 * text: it is always served as `text/plain`, as an attachment, with `nosniff`.
 */
export function startsWithMarkup(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && WHITESPACE.has(bytes[i]!)) i++;
  return bytes[i] === 0x3c; // <
}

/**
 * Decides what an upload is from its bytes, never from the client's label alone: the media
 * type Kalaja will store and serve, or a 415 that says why. A type detected from the bytes
 * must match what the client declared (a declaration of nothing in particular, like
 * `application/octet-stream`, matches anything). Plain text cannot be detected, so it is
 * accepted only as valid UTF-8 without NUL bytes or leading markup, declared `text/plain` or
 * named `.txt`, `.md` or `.csv`.
 *
 * @example
 *   await detectMediaType(pdfBytes, 'application/pdf', 'policy.pdf') // 'application/pdf'
 *   await detectMediaType(pdfBytes, 'image/png', 'photo.png')        // throws 415
 */
export async function detectMediaType(bytes: Uint8Array, declaredType: string, name: string): Promise<string> {
  const declared = normaliseType(declaredType);
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    const mime = ALIASES[detected.mime] ?? detected.mime;
    if (!ACCEPTED.has(mime) || mime === 'text/plain')
      throw unsupported(
        `This kind of file (.${detected.ext}) is not accepted as evidence. Upload ${WHAT_IS_ACCEPTED}.`,
      );
    if (!UNDECLARED.has(declared) && declared !== mime)
      throw unsupported(
        `The file was sent as ${MEDIA_TYPE.test(declared) ? declared : 'another type'} but its content is ${detected.ext.toUpperCase()}; upload it again as what it is.`,
      );
    return mime;
  }
  const saysText =
    declared === 'text/plain' ||
    (TEXT_EXTENSIONS.includes(extensionOf(name)) && (UNDECLARED.has(declared) || TEXT_DECLARATIONS.has(declared)));
  if (!saysText) throw unsupported(`This kind of file is not accepted as evidence. Upload ${WHAT_IS_ACCEPTED}.`);
  if (!isUtf8(bytes) || bytes.includes(0))
    throw unsupported('This text file is not UTF-8 text. Save it as UTF-8, or upload it as PDF.');
  if (startsWithMarkup(bytes))
    throw unsupported(
      'Web pages and other markup (HTML, XML, SVG) are not accepted as evidence. Print the page to PDF instead.',
    );
  return 'text/plain';
}

/**
 * The name to keep and to offer on download: the last path segment, without control or
 * direction-override characters, at most 200 characters, and with an extension that matches
 * its content — `report.html` that is really a PDF becomes `report.html.pdf`, so a
 * downloaded file never opens as something other than what it was checked to be.
 */
export function evidenceName(given: string, mediaType: string): string {
  const extensions = ACCEPTED.get(mediaType) ?? [];
  let name = given
    .normalize('NFC')
    .replace(/^.*[/\\]/, '')
    // C0/C1 controls, and bidirectional overrides that can make `exe.pdf` read as `fdp.exe`.
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '') // eslint-disable-line no-control-regex
    .trim();
  if (name === '' || name === '.' || name === '..') name = 'evidence';
  const ext = extensionOf(name);
  if (!extensions.includes(ext)) name += extensions[0] ?? '';
  const finalExt = extensionOf(name);
  const chars = [...name];
  if (chars.length > MAX_EVIDENCE_NAME) {
    const base = chars.slice(0, chars.length - finalExt.length).slice(0, MAX_EVIDENCE_NAME - finalExt.length);
    name = base.join('').trimEnd() + finalExt;
  }
  return name;
}
