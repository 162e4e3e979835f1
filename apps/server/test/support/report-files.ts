/**
 * Reading what a report renderer wrote, as a reader's tools would: the text layer of a PDF
 * (poppler's pdftotext) and the text of a Word document (its ZIP container's document.xml).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** One entry of a ZIP file (the DOCX container), read through its central directory. */
export function unzipEntry(zip: Buffer, name: string): string | null {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('broken central directory');
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30);
    const comment = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    if (entryName === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nameLength + extra + comment;
  }
  return null;
}

/** The text of a Word document: each paragraph's runs joined, paragraphs and cells on their own lines. */
export function docxText(bytes: Uint8Array): string {
  const xml = unzipEntry(Buffer.from(bytes), 'word/document.xml');
  if (xml === null) throw new Error('no word/document.xml');
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text layer of a PDF, laid out as on the page (`pdftotext -layout`). */
export function pdfText(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'kalaja-pdf-text-'));
  const path = join(dir, 'report.pdf');
  writeFileSync(path, bytes);
  const r = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`pdftotext is needed for this test (apt-get install poppler-utils): ${r.error.message}`);
  return r.stdout;
}
