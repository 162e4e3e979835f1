import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { SheetRows } from '../answers/parse.js';
import type { Problem, Result } from '../problems.js';
import { clip } from '../problems.js';
import { bytesText, SHEET_LIMITS, type SheetLimits } from './limits.js';
import { inflateEntry, TooLarge, ZipError, zipEntries, type ZipEntry } from './zip.js';

/**
 * Reads the first sheet of an Excel workbook (.xlsx) or a LibreOffice spreadsheet (.ods) as
 * rows of cell text. What a cell shows is what is read: a formula gives its cached value (it is
 * never evaluated), a number its value in the General format, a date or time ISO 8601. Every
 * size is bounded (`SHEET_LIMITS`); past a bound, or for anything that is not a spreadsheet, the
 * answer is one problem saying what and where, never an exception.
 */
export function readSpreadsheet(
  bytes: Uint8Array,
  file: string,
  limits: SheetLimits = SHEET_LIMITS,
): Result<SheetRows> {
  try {
    const zip = new Parts(bytes, zipEntries(bytes, limits), limits);
    const office = officeDocument(zip);
    if (office !== undefined) {
      if (/(^|\/)workbook\.xml$/i.test(office)) return { ok: true, value: readXlsx(zip, office) };
      throw new SheetError(
        /\.bin$/i.test(office)
          ? 'this is a binary Excel workbook (.xlsb), which Kalaja does not read; save it as .xlsx or CSV'
          : 'this is an Office file but not an Excel workbook (perhaps a Word or PowerPoint file); save the answers as .xlsx, .ods or CSV',
      );
    }
    const mimetype = zip.has('mimetype') ? zip.text('mimetype').trim() : undefined;
    if (mimetype === ODS_MIMETYPE || (mimetype === undefined && zip.has('content.xml')))
      return { ok: true, value: readOds(zip) };
    throw new SheetError(
      mimetype?.startsWith('application/vnd.oasis.opendocument.')
        ? `this is an OpenDocument file but not a spreadsheet (${clip(mimetype)}); save the answers as .ods, .xlsx or CSV`
        : 'this zip archive is not a spreadsheet (.xlsx or .ods); save the answers from the spreadsheet as .xlsx, .ods or CSV',
    );
  } catch (e) {
    return { ok: false, problems: [problemOf(e, file, limits)] };
  }
}

const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

/** A problem in the spreadsheet, with the row it is on when there is one. */
export class SheetError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Thrown to stop reading a part once what is needed has been read. */
class Done extends Error {}

function problemOf(e: unknown, file: string, limits: SheetLimits): Problem {
  if (e instanceof SheetError) return { file, ...(e.line !== undefined && { line: e.line }), message: e.message };
  if (e instanceof ZipError) return { file, message: `the spreadsheet cannot be read: ${e.message}` };
  if (e instanceof TooLarge)
    return {
      file,
      message: `the spreadsheet is too large to read: its part ${clip(e.part)} decompresses to more than ${bytesText(limits.partBytes)} (or all its parts to more than ${bytesText(limits.totalBytes)}); keep only the answers in the file and try again`,
    };
  throw e;
}

/** The parts of the zip, read within the bounds. */
class Parts {
  private total = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, ZipEntry>,
    readonly limits: SheetLimits,
  ) {}

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** Streams one part's text to `onText`, decoded as UTF-8. */
  stream(name: string, onText: (text: string) => void): void {
    const entry = this.entries.get(name.toLowerCase());
    if (!entry) throw new SheetError(`the spreadsheet is damaged: its part ${clip(name)} is missing`);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const left = Math.min(this.limits.partBytes, this.limits.totalBytes - this.total);
    const used = inflateEntry(this.bytes, entry, left, (chunk, final) => {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: !final });
      } catch {
        throw new SheetError(`the spreadsheet is damaged: its part ${clip(entry.name)} is not UTF-8 text`);
      }
      if (text) onText(text);
    });
    this.total += used;
  }

  text(name: string): string {
    let out = '';
    this.stream(name, (t) => (out += t));
    return out;
  }

  /** Reads one XML part, element by element, until the end or until a handler throws `Done`. */
  xml(name: string, handlers: XmlHandlers): void {
    const parser = new SaxesParser({ xmlns: true });
    const bad = (message: string) => new SheetError(`the spreadsheet is damaged: its part ${clip(name)} ${message}`);
    parser.on('error', (e) => {
      throw bad(`is not well-formed XML (${clip(e.message)})`);
    });
    // Office files never have a DOCTYPE: refusing it leaves no entity to expand.
    parser.on('doctype', () => {
      throw bad('holds a DOCTYPE, which spreadsheets never have');
    });
    parser.on('opentag', handlers.open);
    if (handlers.close) parser.on('closetag', handlers.close);
    if (handlers.text) {
      parser.on('text', handlers.text);
      parser.on('cdata', handlers.text);
    }
    try {
      this.stream(name, (text) => parser.write(text));
      parser.close();
    } catch (e) {
      if (!(e instanceof Done)) throw e;
    }
  }
}

interface XmlHandlers {
  open(tag: SaxesTagNS): void;
  close?(tag: SaxesTagNS): void;
  text?(text: string): void;
}

function attr(tag: SaxesTagNS, local: string, uri?: string): string | undefined {
  const attributes = tag.attributes;
  // An attribute without a prefix is keyed by its own name: the common case, found at once.
  if (uri === undefined) {
    const plain = attributes[local];
    if (plain !== undefined && plain.uri === '') return plain.value;
  }
  for (const key in attributes) {
    const a = attributes[key]!;
    if (a.local === local && (uri === undefined || a.uri === uri)) return a.value;
  }
  return undefined;
}

/** "C12": the column letters of a 0-based column, and the row. */
export function cellRef(col: number, row: number): string {
  let letters = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${row}`;
}

/** Collects rows within the bounds: cells, characters, the last row and column. */
class RowSink {
  readonly rows: { line: number; cells: string[] }[] = [];
  private cells = 0;
  private chars = 0;
  constructor(private readonly limits: SheetLimits) {}

  /** Checks a cell's place and text against the bounds; returns the text. */
  cell(col: number, row: number, text: string): string {
    if (row > this.limits.rows)
      throw new SheetError(
        `row ${row} is past the last row read (${this.limits.rows.toLocaleString('en')}); keep the answers in the rows above`,
        row,
      );
    if (col >= this.limits.columns)
      throw new SheetError(
        `the cell in column ${col + 1} of row ${row} is past the last column a spreadsheet has`,
        row,
      );
    this.chars += text.length;
    if (this.chars > this.limits.chars)
      throw new SheetError(
        `the sheet holds more than ${bytesText(this.limits.chars).replace('MiB', 'Mi')} characters of text (at cell ${cellRef(col, row)}); keep only the answers in the file`,
        row,
      );
    return text;
  }

  add(line: number, cells: string[]): void {
    this.cells += cells.length;
    if (this.cells > this.limits.cells)
      throw new SheetError(
        `the sheet holds more than ${this.limits.cells.toLocaleString('en')} cells (at row ${line}); keep only the answers in the file`,
        line,
      );
    this.rows.push({ line, cells });
  }

  result(format: 'xlsx' | 'ods', sheet: string): SheetRows {
    // Rows come in order in every file a spreadsheet writes; a file written otherwise is sorted.
    const rows = this.rows.every((r, i) => i === 0 || this.rows[i - 1]!.line < r.line)
      ? this.rows
      : [...this.rows].sort((a, b) => a.line - b.line);
    return { format, sheet, rows };
  }
}

// ---- Excel (.xlsx, Office Open XML) ----

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;

/** The main part of an Office Open XML file, from its package relationships. */
function officeDocument(zip: Parts): string | undefined {
  if (zip.has('_rels/.rels')) {
    const target = relationships(zip, '_rels/.rels', '').find((r) => REL_OFFICE_DOCUMENT.test(r.type))?.target;
    if (target !== undefined) return target;
  }
  return zip.has('xl/workbook.xml') ? 'xl/workbook.xml' : undefined;
}

function readXlsx(zip: Parts, workbookPath: string): SheetRows {
  const base = workbookPath.includes('/') ? workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1) : '';
  let first: { name: string; id: string } | undefined;
  let date1904 = false;
  zip.xml(workbookPath, {
    open(tag) {
      if (tag.local === 'workbookPr') date1904 = /^(1|true)$/.test(attr(tag, 'date1904') ?? '');
      if (tag.local === 'sheet' && !first) {
        first = { name: attr(tag, 'name') ?? 'Sheet1', id: attr(tag, 'id', REL_NS) ?? attr(tag, 'id') ?? '' };
        throw new Done();
      }
    },
  });
  if (!first) throw new SheetError('the workbook has no sheet');
  const relsPath = `${base}_rels/${workbookPath.slice(base.length)}.rels`;
  const rels = zip.has(relsPath) ? relationships(zip, relsPath, base) : [];
  const sheetPath = rels.find((r) => r.id === first!.id)?.target ?? `${base}worksheets/sheet1.xml`;
  const sharedPath = rels.find((r) => /\/sharedStrings$/.test(r.type))?.target;
  const stylesPath = rels.find((r) => /\/styles$/.test(r.type))?.target;
  const sink = new RowSink(zip.limits);
  const shared = sharedPath && zip.has(sharedPath) ? sharedStrings(zip, sharedPath) : [];
  const styles = stylesPath && zip.has(stylesPath) ? numberStyles(zip, stylesPath) : [];
  readXlsxSheet(zip, sheetPath, { shared, styles, date1904 }, sink);
  return sink.result('xlsx', first.name);
}

const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function relationships(zip: Parts, path: string, base: string): { id: string; type: string; target: string }[] {
  const out: { id: string; type: string; target: string }[] = [];
  zip.xml(path, {
    open(tag) {
      if (tag.local !== 'Relationship' || attr(tag, 'TargetMode') === 'External') return;
      out.push({
        id: attr(tag, 'Id') ?? '',
        type: attr(tag, 'Type') ?? '',
        target: resolvePath(base, attr(tag, 'Target') ?? ''),
      });
    },
  });
  return out;
}

function resolvePath(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

function sharedStrings(zip: Parts, path: string): string[] {
  const out: string[] = [];
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  let chars = 0;
  zip.xml(path, {
    open(tag) {
      if (tag.local === 'si') current = '';
      else if (tag.local === 'rPh') phonetic++;
      else if (tag.local === 't' && current !== undefined && phonetic === 0) inText = !tag.isSelfClosing;
    },
    close(tag) {
      if (tag.local === 'si' && current !== undefined) {
        out.push(current);
        current = undefined;
      } else if (tag.local === 'rPh') phonetic--;
      else if (tag.local === 't') inText = false;
    },
    text(text) {
      if (!inText || current === undefined) return;
      chars += text.length;
      if (chars > zip.limits.chars)
        throw new SheetError(
          `the workbook's shared text is longer than ${bytesText(zip.limits.chars).replace('MiB', 'Mi')} characters; keep only the answers in the file`,
        );
      current += text;
    },
  });
  return out;
}

/** For each cell style (its index), how its numbers are shown. */
type NumberStyle = 'general' | 'date' | 'time' | 'datetime' | 'percent';

function numberStyles(zip: Parts, path: string): NumberStyle[] {
  const custom = new Map<number, string>();
  const out: NumberStyle[] = [];
  let inCellXfs = false;
  zip.xml(path, {
    open(tag) {
      if (tag.local === 'numFmt') custom.set(Number(attr(tag, 'numFmtId')), attr(tag, 'formatCode') ?? '');
      else if (tag.local === 'cellXfs') inCellXfs = true;
      else if (tag.local === 'xf' && inCellXfs) out.push(styleOf(Number(attr(tag, 'numFmtId') ?? 0), custom));
    },
    close(tag) {
      if (tag.local === 'cellXfs') throw new Done();
    },
  });
  return out;
}

function styleOf(id: number, custom: Map<number, string>): NumberStyle {
  const code = custom.get(id);
  if (code === undefined) {
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 58))
      return 'date';
    if (id === 22) return 'datetime';
    if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47) || id === 32 || id === 33) return 'time';
    if (id === 9 || id === 10) return 'percent';
    return 'general';
  }
  // Quoted text, escaped characters and colours say nothing about what the number is.
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?!h|m|s)[^\]]*\]/gi, '')
    .split(';')[0]!;
  // An m beside an h or s is minutes; without them, months.
  const hasTime = /[hs]/i.test(bare);
  const hasDate = /[dy]/i.test(bare) || (/m/i.test(bare) && !hasTime);
  if (hasDate && hasTime) return 'datetime';
  if (hasDate) return 'date';
  if (hasTime) return 'time';
  if (bare.includes('%')) return 'percent';
  return 'general';
}

/** A number as the General format shows it: at most 15 significant digits, nothing trailing. */
export function generalNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(15)));
}

/** An Excel serial date (days since 1899-12-30, or 1904-01-01) as ISO 8601 text. */
export function serialDate(serial: number, style: 'date' | 'time' | 'datetime', date1904: boolean): string {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_466) return generalNumber(serial);
  // Excel counts 1900-02-29, which never was: serials before it are one day later than days.
  const days = date1904 ? serial + 1462 : serial < 60 ? serial + 1 : serial;
  const ms = Math.round(((days - 25_569) * 86_400_000) / 1000) * 1000;
  const iso = new Date(ms).toISOString();
  const date = serial >= 60 && serial < 61 && !date1904 ? '1900-02-29' : iso.slice(0, 10);
  const time = iso.slice(11, 19).replace(/:00$/, '');
  if (style === 'time') return serial < 1 ? time : `${date} ${time}`;
  if (style === 'date' && iso.slice(11, 19) === '00:00:00') return date;
  return `${date} ${time}`;
}

function readXlsxSheet(
  zip: Parts,
  path: string,
  book: { shared: string[]; styles: NumberStyle[]; date1904: boolean },
  sink: RowSink,
): void {
  let row = 0;
  let cells: string[] | undefined;
  let col = -1;
  let cell: { col: number; type: string; style: number; value: string; inline: string } | undefined;
  let into: 'v' | 'is' | undefined;
  let phonetic = 0;
  const end = () => {
    if (cells && cells.some((c) => c !== '')) sink.add(row, cells);
    cells = undefined;
  };
  zip.xml(path, {
    open(tag) {
      switch (tag.local) {
        case 'row': {
          const r = attr(tag, 'r');
          row = r !== undefined && /^\d+$/.test(r) ? Number(r) : row + 1;
          cells = [];
          col = -1;
          break;
        }
        case 'c': {
          const ref = attr(tag, 'r');
          const m = ref && /^([A-Z]{1,3})(\d+)$/.exec(ref);
          col = m ? columnIndex(m[1]!) : col + 1;
          cell = { col, type: attr(tag, 't') ?? 'n', style: Number(attr(tag, 's') ?? 0), value: '', inline: '' };
          break;
        }
        case 'v':
          if (cell) into = 'v';
          break;
        case 't':
          if (cell && phonetic === 0) into = 'is';
          break;
        case 'rPh':
          phonetic++;
          break;
      }
    },
    close(tag) {
      switch (tag.local) {
        case 'v':
        case 't':
          into = undefined;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'c':
          if (cell && cells) {
            const text = cellText(cell, row, book);
            if (text !== '') {
              sink.cell(cell.col, row, text);
              while (cells.length < cell.col) cells.push('');
              cells[cell.col] = text;
            }
          }
          cell = undefined;
          break;
        case 'row':
          end();
          break;
        case 'sheetData':
          throw new Done();
      }
    },
    text(text) {
      if (!cell) return;
      if (into === 'v') cell.value += text;
      else if (into === 'is') cell.inline += text;
    },
  });
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function cellText(
  cell: { col: number; type: string; style: number; value: string; inline: string },
  row: number,
  book: { shared: string[]; styles: NumberStyle[]; date1904: boolean },
): string {
  switch (cell.type) {
    case 's': {
      if (cell.value === '') return '';
      const text = book.shared[Number(cell.value)];
      if (text === undefined)
        throw new SheetError(
          `the spreadsheet is damaged: cell ${cellRef(cell.col, row)} points to shared text ${clip(cell.value)}, which the workbook does not have`,
          row,
        );
      return text;
    }
    case 'inlineStr':
      return cell.inline;
    case 'str':
    case 'e':
    case 'd':
      return cell.value;
    case 'b':
      return cell.value === '1' ? 'TRUE' : cell.value === '0' ? 'FALSE' : cell.value;
    default: {
      if (cell.value === '') return cell.inline;
      const n = Number(cell.value);
      if (Number.isNaN(n)) return cell.value;
      const style = book.styles[cell.style] ?? 'general';
      if (style === 'percent') return `${generalNumber(n * 100)}%`;
      if (style === 'general') return generalNumber(n);
      return serialDate(n, style, book.date1904);
    }
  }
}

// ---- LibreOffice (.ods, OpenDocument) ----

const TABLE_NS = 'urn:oasis:names:tc:opendocument:xmlns:table:1.0';
const TEXT_NS = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';
const OFFICE_NS = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0';

function readOds(zip: Parts): SheetRows {
  const sink = new RowSink(zip.limits);
  let name: string | undefined;
  let depth = 0; // tables open: 1 inside the first sheet, more inside a table in a cell
  let row = 0; // the row number of the row being read
  let rowRepeat = 1;
  let cells: string[] | undefined;
  let col = 0;
  let cell: { repeat: number; paragraphs: string[] | undefined; value: string } | undefined;
  let skip = 0; // inside an annotation, a shape or a frame: its text is not the cell's
  const repeatOf = (tag: SaxesTagNS, local: string) => {
    const n = Number(attr(tag, local, TABLE_NS) ?? 1);
    return Number.isInteger(n) && n > 0 ? n : 1;
  };
  const add = (text: string) => {
    const paragraphs = cell?.paragraphs;
    if (skip > 0 || !paragraphs || paragraphs.length === 0) return;
    paragraphs[paragraphs.length - 1] += text;
  };
  zip.xml('content.xml', {
    open(tag) {
      if (tag.uri === TABLE_NS && tag.local === 'table') {
        depth++;
        if (depth === 1) name = attr(tag, 'name', TABLE_NS) ?? 'Sheet1';
        return;
      }
      if (depth !== 1) return;
      if (cell && (skip > 0 || (tag.uri !== TABLE_NS && tag.uri !== TEXT_NS))) {
        skip++; // closed again by its closetag, which saxes sends for an empty element too
        return;
      }
      if (tag.uri === TABLE_NS) {
        if (tag.local === 'table-row') {
          rowRepeat = repeatOf(tag, 'number-rows-repeated');
          cells = [];
          col = 0;
        } else if (tag.local === 'table-cell' || tag.local === 'covered-table-cell') {
          cell = { repeat: repeatOf(tag, 'number-columns-repeated'), paragraphs: undefined, value: valueOf(tag) };
        }
        return;
      }
      // Text: paragraphs, spaces, tabs and line breaks inside a cell.
      if (!cell) return;
      if (tag.local === 'p' || tag.local === 'h') (cell.paragraphs ??= []).push('');
      else if (tag.local === 's') {
        const n = Number(attr(tag, 'c', TEXT_NS) ?? 1);
        add(' '.repeat(Number.isInteger(n) && n > 0 ? Math.min(n, 1000) : 1));
      } else if (tag.local === 'tab') add('\t');
      else if (tag.local === 'line-break') add('\n');
    },
    close(tag) {
      if (tag.uri === TABLE_NS && tag.local === 'table') {
        depth--;
        if (depth === 0) throw new Done();
        return;
      }
      if (depth !== 1) return;
      if (skip > 0) {
        skip--;
        return;
      }
      if (tag.uri !== TABLE_NS) return;
      if ((tag.local === 'table-cell' || tag.local === 'covered-table-cell') && cell && cells) {
        // The text a cell shows is in its paragraphs; a file without them has the value only.
        const text = cell.paragraphs ? cell.paragraphs.join('\n') : cell.value;
        if (text !== '') {
          for (let k = 0; k < cell.repeat; k++) {
            sink.cell(col + k, row + 1, text);
            while (cells.length < col + k) cells.push('');
            cells[col + k] = text;
            if (cells.length > zip.limits.cells) break;
          }
        }
        col += cell.repeat;
        cell = undefined;
      } else if (tag.local === 'table-row' && cells) {
        // A row repeated: LibreOffice writes the empty rows below the last one as one element
        // repeated a million times. Only rows with text are made, each within the bounds.
        if (cells.some((c) => c !== ''))
          for (let k = 0; k < rowRepeat; k++) {
            if (row + 1 + k > zip.limits.rows) sink.cell(0, row + 1 + k, '');
            sink.add(row + 1 + k, k === 0 ? cells : [...cells]);
          }
        row += rowRepeat;
        cells = undefined;
      }
    },
    text(text) {
      if (depth === 1 && cell) add(text);
    },
  });
  if (name === undefined) throw new SheetError('the spreadsheet has no sheet');
  return sink.result('ods', name);
}

/** The value attribute of an OpenDocument cell: used only when it has no paragraph of text. */
function valueOf(tag: SaxesTagNS): string {
  const type = attr(tag, 'value-type', OFFICE_NS);
  switch (type) {
    case 'float':
    case 'currency':
      return generalNumber(Number(attr(tag, 'value', OFFICE_NS) ?? ''));
    case 'percentage':
      return `${generalNumber(Number(attr(tag, 'value', OFFICE_NS) ?? '') * 100)}%`;
    case 'date':
      return (attr(tag, 'date-value', OFFICE_NS) ?? '').replace('T', ' ').replace(/ 00:00:00$/, '');
    case 'time':
      return attr(tag, 'time-value', OFFICE_NS) ?? '';
    case 'boolean':
      return attr(tag, 'boolean-value', OFFICE_NS) === 'true' ? 'TRUE' : 'FALSE';
    case 'string':
      return attr(tag, 'string-value', OFFICE_NS) ?? '';
    default:
      return '';
  }
}
