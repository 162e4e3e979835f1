import type { Problem } from '../problems.js';

/** One CSV record with the physical line it starts on (1-based). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Reads RFC 4180 CSV: comma-separated, fields optionally in double quotes, a doubled quote
 * inside quotes for a literal quote, quoted fields may hold commas and line breaks. Accepts a
 * UTF-8 BOM and LF or CRLF line ends. Each record knows the physical line it starts on, so
 * messages can point into the file even after a multi-line note.
 *
 * Written by hand rather than taken from a library for two reasons: the positions (a record's
 * first physical line, the line of a stray quote) are what our messages are made of, and the
 * fast path (a line without quotes is split directly) keeps scoring a 500k-answer file within
 * a small factor of merely reading it. The property tests check it against csv-parse.
 */
export function parseCsv(text: string, file: string): { records: CsvRecord[]; problems: Problem[] } {
  const records: CsvRecord[] = [];
  const problems = forEachCsvRecord(text, file, (fields, line) => records.push({ fields, line }));
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
): Problem[] {
  const problems: Problem[] = [];
  const len = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // The next quote at or after `pos`, found once and reused until passed: searching afresh on
  // every line would rescan long quote-free stretches again and again.
  let quote = -2;
  while (pos < len) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl === -1 ? len : nl;
    if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
    if (quote === -1 || quote >= lineEnd) {
      // Fast path: no quote on this physical line.
      const end = lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
      onRecord(text.slice(pos, end).split(','), line);
      pos = lineEnd + 1;
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
          for (let k = chunk.indexOf('\n'); k !== -1; k = chunk.indexOf('\n', k + 1)) line++;
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
        if (!(i >= len || c === 44 || c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10))) {
          if (!bad)
            problems.push({
              file,
              line,
              message: 'unexpected text after a closing quote; a quote inside a quoted field is written twice ("")',
            });
          bad = true;
          while (i < len && text.charCodeAt(i) !== 44 && text.charCodeAt(i) !== 10) i++;
        }
      } else {
        let j = i;
        while (j < len) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10) break;
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
        field = text.slice(
          i,
          j > i && text.charCodeAt(j - 1) === 13 && (j >= len || text.charCodeAt(j) === 10) ? j - 1 : j,
        );
        i = j;
      }
      fields.push(field);
      const c = text.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c === 13) i++;
      if (i < len) {
        i++; // the \n
        line++;
      }
      break;
    }
    if (!bad) onRecord(fields, startLine);
    pos = i;
  }
  return problems;
}

/** True when a cell would be read as a formula by a spreadsheet. */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * Writes one CSV field, quoting when needed. With `neutralise`, a cell that a spreadsheet
 * would run as a formula (starting with = + - @) is prefixed with an apostrophe — the OWASP
 * advice against CSV injection for files people open in Excel or LibreOffice.
 */
export function csvField(value: string, neutralise = false): string {
  const v = neutralise && FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV line (without the line end). */
export function csvLine(values: readonly string[], neutralise = false): string {
  return values.map((v) => csvField(v, neutralise)).join(',');
}
