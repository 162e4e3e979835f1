import type { Problem } from '../problems.js';

/** One CSV record with the physical line it starts on (1-based). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** The separators Kalaja reads: the comma of RFC 4180, and the semicolon and tab that
 * spreadsheets write in locales whose decimal mark is a comma (Albanian, Serbian) and for
 * Excel's "Unicode text". */
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface CsvOptions {
  /** The field separator; a comma unless given (see `detectDelimiter`). */
  delimiter?: Delimiter;
}

/**
 * Reads RFC 4180 CSV: fields separated by a comma (or the `delimiter` given), optionally in
 * double quotes, a doubled quote inside quotes for a literal quote; quoted fields may hold the
 * separator and line breaks. Accepts a UTF-8 BOM, and LF, CRLF or CR-only (old Mac) line ends,
 * each counted as one physical line. Each record knows the physical line it starts on, so
 * messages can point into the file even after a multi-line note.
 *
 * Written by hand rather than taken from a library for two reasons: the positions (a record's
 * first physical line, the line of a stray quote) are what our messages are made of, and the
 * fast path (a line without quotes is split directly) keeps scoring a 500k-answer file within
 * a small factor of merely reading it. The property tests check it against csv-parse.
 */
export function parseCsv(
  text: string,
  file: string,
  options: CsvOptions = {},
): { records: CsvRecord[]; problems: Problem[] } {
  const records: CsvRecord[] = [];
  const problems = forEachCsvRecord(text, file, (fields, line) => records.push({ fields, line }), options);
  return { records, problems };
}

/**
 * The streaming form of `parseCsv`: hands each well-formed record to `onRecord` as it is read
 * (a large file never exists as records all at once) and returns the problems.
 */
export function forEachCsvRecord(
  text: string,
  file: string,
  onRecord: (fields: string[], line: number) => void,
  options: CsvOptions = {},
): Problem[] {
  const problems: Problem[] = [];
  const sep = options.delimiter ?? ',';
  const SEP = sep.charCodeAt(0);
  const len = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // The next quote, LF and CR at or after `pos`, each found once and reused until passed:
  // searching afresh on every line would rescan long stretches again and again.
  let quote = -2;
  let lf = -2;
  let cr = -2;
  while (pos < len) {
    if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
    if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
    const lineEnd = lf === -1 ? (cr === -1 ? len : cr) : cr === -1 || lf < cr ? lf : cr;
    if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
    if (quote === -1 || quote >= lineEnd) {
      // Fast path: no quote on this physical line.
      onRecord(text.slice(pos, lineEnd).split(sep), line);
      pos = lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
      line++;
      continue;
    }
    const startLine = line;
    const fields: string[] = [];
    let i = pos;
    let bad = false;
    for (;;) {
      let field = '';
      if (text.charCodeAt(i) === 34) {
        // Quoted field: runs to the next quote that is not doubled.
        const openLine = line;
        i++;
        for (;;) {
          const close = text.indexOf('"', i);
          if (close === -1) {
            problems.push({
              file,
              line: openLine,
              message: 'a quoted field is never closed: a double quote (") is missing',
            });
            return problems;
          }
          const chunk = text.slice(i, close);
          line += lineEnds(chunk);
          field += chunk;
          i = close + 1;
          if (text.charCodeAt(i) === 34) {
            field += '"';
            i++;
            continue;
          }
          break;
        }
        const c = text.charCodeAt(i);
        if (!(i >= len || c === SEP || c === 10 || c === 13)) {
          if (!bad)
            problems.push({
              file,
              line,
              message: 'unexpected text after a closing quote; a quote inside a quoted field is written twice ("")',
            });
          bad = true;
          while (i < len && !isEnd(text.charCodeAt(i), SEP)) i++;
        }
      } else {
        let j = i;
        while (j < len) {
          const c = text.charCodeAt(j);
          if (isEnd(c, SEP)) break;
          if (c === 34 && !bad) {
            problems.push({
              file,
              line,
              message:
                'a double quote inside an unquoted field; put the field in quotes and write the quote twice ("")',
            });
            bad = true;
          }
          j++;
        }
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      const c = text.charCodeAt(i);
      if (c === SEP) {
        i++;
        continue;
      }
      if (c === 13) {
        i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
        line++;
      } else if (c === 10) {
        i++;
        line++;
      }
      break;
    }
    if (!bad) onRecord(fields, startLine);
    pos = i;
  }
  return problems;
}

const isEnd = (c: number, sep: number) => c === sep || c === 10 || c === 13;

/** Line ends in a text: CRLF, LF and a CR on its own count one each. */
function lineEnds(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) n++;
  for (let k = s.indexOf('\r'); k !== -1; k = s.indexOf('\r', k + 1)) if (s.charCodeAt(k + 1) !== 10) n++;
  return n;
}

/**
 * The separator of a file, read from its header (its first line that is not blank): the first
 * of comma, semicolon and tab that splits the header into all of `required` (names compared
 * trimmed, unquoted and ignoring case). When none does, the one that occurs most often in the
 * header, a comma on a tie — so that the "missing column" message lists the columns as the
 * file meant them.
 */
export function detectDelimiter(text: string, required: readonly string[]): Delimiter {
  const lead = /^[\s\uFEFF]*/.exec(text)![0];
  const start = Math.max(lead.lastIndexOf('\n'), lead.lastIndexOf('\r')) + 1;
  let end = text.length;
  for (const eol of ['\n', '\r']) {
    const at = text.indexOf(eol, start);
    if (at !== -1 && at < end) end = at;
  }
  const header = text.slice(start, end);
  let best: Delimiter = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const names = header.split(d).map((n) =>
      n
        .trim()
        .replace(/^"(.*)"$/s, '$1')
        .trim()
        .toLowerCase(),
    );
    if (required.every((r) => names.includes(r))) return d;
    if (names.length - 1 > most) {
      best = d;
      most = names.length - 1;
    }
  }
  return best;
}

/**
 * True when a cell would be read as a formula by a spreadsheet, after any apostrophes: the
 * export prefixes an apostrophe to every value of that form (`'=1` as well as `=1`), so that
 * taking one off on import (`unneutralise`) gives back exactly what was written.
 */
const FORMULA = /^'*[=+\-@\t\r]/;
/** A value the export neutralised: an apostrophe, then `FORMULA`. */
const NEUTRALISED = /^''*[=+\-@\t\r]/;

/**
 * Writes one CSV field, quoting when it holds a separator of any locale (comma, semicolon,
 * tab), a quote or a line break, so the file reads the same whichever separator a spreadsheet
 * assumes. With `neutralise`, a cell that a spreadsheet would run as a formula (starting with
 * = + - @, a tab or a CR, after any apostrophes) is prefixed with an apostrophe — the OWASP
 * advice against CSV injection for files people open in Excel or LibreOffice.
 */
export function csvField(value: string, neutralise = false): string {
  const v = neutralise ? neutraliseCell(value) : value;
  return /[",;\t\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * A cell's text with the apostrophe that keeps a spreadsheet from running it as a formula, when
 * it needs one (see `csvField`); the spreadsheet template writes its cells the same way.
 */
export function neutraliseCell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

/** One CSV line (without the line end). */
export function csvLine(values: readonly string[], neutralise = false): string {
  return values.map((v) => csvField(v, neutralise)).join(',');
}

/**
 * Undoes `csvField`'s neutralisation of a cell as read: takes off the one apostrophe before
 * (more apostrophes and) a formula character. Any other cell is returned as it is.
 */
export function unneutralise(cell: string): string {
  return cell.charCodeAt(0) === 39 && NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}
