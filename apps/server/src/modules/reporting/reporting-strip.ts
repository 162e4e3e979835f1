import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { PDFDocument, PDFName } from 'pdf-lib';
import sharp from 'sharp';
import { AppError } from '../../errors.js';
import { emptyOdfMeta, emptyOoxmlProps } from './reporting-properties.js';

/**
 * Metadata removed from a reporter's file before it is stored (issue 17): a photo's EXIF (the
 * camera, the time, the place), a PDF's Info dictionary and XMP packet (author, the software,
 * dates), an Office or OpenDocument file's document properties (author, company, last editor,
 * editing time) and the names inside it (who made each tracked change and comment). What the file shows is kept; what it says about who made it is not. Plain text
 * carries no metadata beyond its words.
 */

function cannotClean(what: 'image' | 'PDF' | 'document'): AppError {
  if (what === 'image')
    return new AppError(
      'unsupported_media_type',
      'This image could not be read to remove its metadata. Send it again without removing metadata, or as another file.',
    );
  if (what === 'PDF')
    return new AppError(
      'unsupported_media_type',
      'This PDF could not be read to remove its metadata (it may be encrypted). Send it again without removing metadata, or as another file.',
    );
  return new AppError(
    'unsupported_media_type',
    'This document could not be read to remove its metadata. Send it again without removing metadata, or as another file.',
  );
}

/** Re-encodes an image without any metadata, turned upright as its EXIF orientation said. */
async function image(bytes: Uint8Array, mediaType: string): Promise<Buffer> {
  try {
    // sharp keeps no metadata unless told to (withMetadata / keepExif): none is kept here.
    const pipeline = sharp(bytes, { failOn: 'error' }).rotate();
    if (mediaType === 'image/jpeg') return await pipeline.jpeg({ quality: 90 }).toBuffer();
    if (mediaType === 'image/png') return await pipeline.png().toBuffer();
    return await pipeline.webp({ quality: 90 }).toBuffer();
  } catch {
    throw cannotClean('image');
  }
}

/** A PDF without its Info dictionary and its XMP packet; nothing added by the rewrite. */
async function pdf(bytes: Uint8Array): Promise<Uint8Array> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch {
    throw cannotClean('PDF');
  }
  doc.catalog.delete(PDFName.of('Metadata'));
  const info = doc.context.trailerInfo.Info;
  if (info) doc.context.delete(info as never);
  doc.context.trailerInfo.Info = undefined;
  return doc.save({ updateFieldAppearances: false });
}

/**
 * Who edited and commented, inside the document's own parts: Word's tracked changes and
 * comments (`w:author`, `w:initials`, `w:date`), its list of people with their account ids
 * (`word/people.xml`), its revision-session ids (`w:rsid…`, which match a copy to the machine it
 * was edited on), Excel's comment authors and persons, PowerPoint's comment authors, and
 * OpenDocument's `dc:creator` and `dc:date` in annotations and tracked changes. The changes and
 * comments themselves stay: they are what the reporter chose to send.
 */
const FIXED_DATE = '1980-01-01T00:00:00Z';
function scrubAuthors(xml: string): string {
  return (
    xml
      // Who: an author, initials, an account id or its provider, a display name (Excel's persons).
      .replace(/(\s(?:[\w]+:)?(?:author|initials|userId|providerId|displayName)=)("[^"]*"|'[^']*')/g, '$1""')
      // When: the time of each change or comment, which also tells the editor's time zone.
      .replace(/(\s(?:w|w15|w16cid|w16cex):(?:date|dateUtc)=)("[^"]*"|'[^']*')/g, `$1"${FIXED_DATE}"`)
      // Revision-session ids and Word's list of them.
      .replace(/\s(?:w:)?rsid\w*=("[^"]*"|'[^']*')/g, '')
      .replace(/<w:rsids>[\s\S]*?<\/w:rsids>/g, '')
      // Excel's legacy comment authors, and OpenDocument's annotations and change records.
      .replace(/<author>[^<]*<\/author>/g, '<author></author>')
      .replace(/<dc:creator>[^<]*<\/dc:creator>/g, '<dc:creator></dc:creator>')
      .replace(/<dc:date>[^<]*<\/dc:date>/g, `<dc:date>${FIXED_DATE}</dc:date>`)
  );
}

/**
 * An Office (OOXML) or OpenDocument file whose document properties are emptied and whose
 * editors and commenters are no longer named (see `scrubAuthors`).
 */
function office(bytes: Uint8Array, odf: boolean): Uint8Array {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw cannotClean('document');
  }
  const out: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    if (odf && name === 'mimetype') out[name] = [content, { level: 0 }];
    else if (odf && name === 'meta.xml') out[name] = strToU8(emptyOdfMeta);
    else if (!odf && name in emptyOoxmlProps) out[name] = strToU8(emptyOoxmlProps[name]!);
    else if (name.endsWith('.xml')) out[name] = strToU8(scrubAuthors(strFromU8(content)));
    else out[name] = content;
  }
  return zipSync(out, { level: 6, mtime: new Date('1980-01-01T00:00:00Z') });
}

/** The file with its metadata removed, for every type the channel accepts. */
export async function stripMetadata(bytes: Uint8Array, mediaType: string): Promise<Uint8Array> {
  if (mediaType.startsWith('image/')) return image(bytes, mediaType);
  if (mediaType === 'application/pdf') return pdf(bytes);
  if (mediaType.startsWith('application/vnd.openxmlformats-officedocument.')) return office(bytes, false);
  if (mediaType.startsWith('application/vnd.oasis.opendocument.')) return office(bytes, true);
  return bytes;
}

/** For tests: whether an Office file still names an author anywhere in its properties. */
export function officeProperties(bytes: Uint8Array): string {
  const files = unzipSync(bytes);
  return ['docProps/core.xml', 'docProps/app.xml', 'meta.xml']
    .map((n) => (files[n] ? strFromU8(files[n]) : ''))
    .join('\n');
}
