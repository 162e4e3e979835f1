import { LineCounter, parseDocument, isSeq, isMap } from 'yaml';
import type { Framework } from '../framework/types.js';
import { clip, sortProblems, type Problem, type Result } from '../problems.js';
import type { AnswerRecord } from '../scoring/cohort.js';
import { AnswerCollector, collectAnswers, type AnswerSet } from './collect.js';
import { detectDelimiter, forEachCsvRecord, unneutralise } from './csv.js';
import { textProblem } from './encoding.js';

/** The columns every answers file must have; `note` is optional, other columns are ignored. */
export const REQUIRED_COLUMNS = ['organisation', 'round', 'question', 'answer'] as const;
export const ANSWER_COLUMNS = [...REQUIRED_COLUMNS, 'note'] as const;

/**
 * Reads the answers exchange CSV into records, without checking them against a framework.
 * Blank lines are skipped; a row shorter than the header reads its missing cells as empty.
 */
export function parseAnswersCsv(text: string, file: string): { records: AnswerRecord[]; problems: Problem[] } {
  const records: AnswerRecord[] = [];
  const problems = forEachAnswerCsv(text, file, (r) => records.push(r));
  return { records, problems };
}

/**
 * The first sheet of a spreadsheet (.xlsx, .ods) as rows of cell text, each with its row
 * number: what `@kalaja/engine/sheets` reads, handed to the same checks as a CSV file's records.
 * Rows with no text are left out; their numbers still count, as blank lines do in a CSV file.
 */
export interface SheetRows {
  format: 'xlsx' | 'ods';
  /** The sheet's name, as the spreadsheet shows it on its tab. */
  sheet: string;
  rows: readonly { line: number; cells: readonly string[] }[];
}

/** Reads the answers from a spreadsheet's rows into records, like `parseAnswersCsv`. */
export function parseAnswersSheet(sheet: SheetRows, file: string): { records: AnswerRecord[]; problems: Problem[] } {
  const records: AnswerRecord[] = [];
  const problems = forEachAnswerSheet(sheet, file, (r) => records.push(r));
  return { records, problems };
}

/** CSV text or a spreadsheet's rows, read the same way. */
export function parseAnswersInput(
  input: string | SheetRows,
  file: string,
): { records: AnswerRecord[]; problems: Problem[] } {
  return typeof input === 'string' ? parseAnswersCsv(input, file) : parseAnswersSheet(input, file);
}

/**
 * The streaming form of `parseAnswersCsv`: each record goes to `onRecord` as it is read.
 *
 * Text that is not a CSV file at all (binary data, text decoded with the wrong encoding) is one
 * problem and nothing more. The separator is found from the header (`detectDelimiter`); the
 * header is the first line that is not blank. Every cell has the export's neutralisation taken
 * off (`unneutralise`) before it is trimmed. A file with a header and no answers is a problem:
 * the usual cause is a file that was not read as its author meant.
 */
export function forEachAnswerCsv(text: string, file: string, onRecord: (record: AnswerRecord) => void): Problem[] {
  const refused = textProblem(text, file);
  if (refused) return [refused];
  const reader = answerRows(file, onRecord, 'the file is empty');
  const delimiter = detectDelimiter(text, REQUIRED_COLUMNS);
  const csvProblems = forEachCsvRecord(text, file, reader.row, { delimiter });
  return reader.finish(csvProblems);
}

/**
 * `forEachAnswerCsv` for a spreadsheet's first sheet: the same header, blank rows, trimming,
 * apostrophes and problems, each at its row number ("line 12" is row 12 of the sheet).
 */
export function forEachAnswerSheet(
  sheet: SheetRows,
  file: string,
  onRecord: (record: AnswerRecord) => void,
): Problem[] {
  const reader = answerRows(file, onRecord, `the first sheet ("${clip(sheet.sheet)}") is empty`);
  for (const row of sheet.rows) reader.row(row.cells, row.line);
  return reader.finish([]);
}

/** The rules shared by every source of rows: the header, blank rows, empty keys, no answers. */
function answerRows(file: string, onRecord: (record: AnswerRecord) => void, empty: string) {
  let columns: { o: number; r: number; q: number; a: number; n: number } | undefined;
  let header: number | undefined;
  let rows = 0;
  const problems: Problem[] = [];
  const cell = (field: string | undefined) => (field === undefined ? '' : trimCell(unneutralise(field)));
  return {
    row(fields: readonly string[], line: number): void {
      if ((fields.length === 1 && fields[0] === '') || fields.every(isBlank)) return;
      if (header === undefined) {
        header = line;
        columns = readHeader(fields, line, file, problems);
        return;
      }
      if (!columns) return;
      rows++;
      const organisation = cell(fields[columns.o]);
      const round = cell(fields[columns.r]);
      const question = cell(fields[columns.q]);
      if (!organisation || !round || !question) {
        const missing = [!organisation && 'organisation', !round && 'round', !question && 'question'].filter(Boolean);
        problems.push({ file, line, message: `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty` });
        return;
      }
      const record: AnswerRecord = { organisation, round, question, answer: cell(fields[columns.a]), line };
      const note = columns.n >= 0 ? cell(fields[columns.n]) : '';
      if (note !== '') record.note = note;
      onRecord(record);
    },
    finish(sourceProblems: Problem[]): Problem[] {
      if (header === undefined && sourceProblems.length === 0)
        problems.push({ file, line: 1, message: `${empty}; it needs a header row: ${ANSWER_COLUMNS.join(',')}` });
      else if (header !== undefined && columns && rows === 0 && sourceProblems.length === 0)
        problems.push({
          file,
          line: header,
          message: `the file has a header row but no answers: each answer is a row below it (${ANSWER_COLUMNS.join(',')})`,
        });
      return sortProblems([...sourceProblems, ...problems]);
    },
  };
}

function readHeader(fields: readonly string[], line: number, file: string, problems: Problem[]) {
  const at = readColumns(fields, line, file, REQUIRED_COLUMNS, ['note'], problems);
  return at && { o: at.organisation, r: at.round, q: at.question, a: at.answer, n: at.note };
}

/**
 * Finds the named columns in a header row, case and surrounding space aside; other columns are
 * ignored. A missing required column, or a named one that appears twice, is a problem on the
 * header's line. Optional columns that are absent get −1.
 */
export function readColumns<R extends string, O extends string>(
  fields: readonly string[],
  line: number,
  file: string,
  required: readonly R[],
  optional: readonly O[],
  problems: Problem[],
): Record<R | O, number> | undefined {
  const names = fields.map((f) => f.trim().toLowerCase());
  const missing = required.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    const plural = missing.length > 1 ? 's' : '';
    problems.push({
      file,
      line,
      message: `missing required column${plural} ${missing.map((c) => `\`${c}\``).join(', ')} in the header row (found: ${clip(names.filter(Boolean).join(', ')) || 'nothing'})`,
    });
    return undefined;
  }
  const at = {} as Record<R | O, number>;
  for (const name of [...required, ...optional]) {
    if (names.indexOf(name) !== names.lastIndexOf(name)) {
      problems.push({ file, line, message: `the column \`${name}\` appears twice in the header row` });
    }
    at[name] = names.indexOf(name);
  }
  return at;
}

/** True for a cell with nothing but space in it. */
export function isBlank(field: string): boolean {
  return trimCell(field) === '';
}

/**
 * Trims only when there may be something to trim: most cells have no surrounding space. An edge
 * character beyond ASCII may be one of the Unicode spaces `trim` removes (a no-break space from a
 * spreadsheet), so it is trimmed too: the same result as `trim` for every cell.
 */
export function trimCell(field: string | undefined): string {
  if (field === undefined || field === '') return '';
  const first = field.charCodeAt(0);
  const last = field.charCodeAt(field.length - 1);
  return first <= 32 || last <= 32 || first >= 0x80 || last >= 0x80 ? field.trim() : field;
}

/**
 * Checks records against a framework: every question exists, every answer is one of its
 * options (or `na` where the question allows it, or empty), and no (organisation, round,
 * question) appears twice — a duplicate names both lines. All problems are returned together.
 */
export function validateAnswers(fw: Framework, records: readonly AnswerRecord[], file: string): Problem[] {
  return collectAnswers(fw, records, file).problems;
}

/**
 * Reads the answers exchange file in JSON: an array of `{organisation, round, question,
 * answer, note?}` objects (or `{ "answers": [...] }`). Problems name the line of the record.
 */
export function parseAnswersJson(
  text: string,
  file: string,
  withLines = true,
): { records: AnswerRecord[]; problems: Problem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { records: [], problems: [{ file, message: `not valid JSON: ${(e as Error).message}` }] };
  }
  const list = Array.isArray(raw) ? raw : (raw as { answers?: unknown } | null)?.answers;
  if (!Array.isArray(list)) {
    return {
      records: [],
      problems: [
        {
          file,
          line: 1,
          message: 'expected a list of answers: [{"organisation": …, "round": …, "question": …, "answer": …}]',
        },
      ],
    };
  }
  const lines = withLines ? recordLines(text, Array.isArray(raw)) : [];
  const records: AnswerRecord[] = [];
  const problems: Problem[] = [];
  list.forEach((item: unknown, i) => {
    const line = lines[i];
    const at = line !== undefined ? { line } : {};
    const label = line !== undefined ? '' : `record ${i + 1}: `;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ file, ...at, message: `${label}each answer must be an object` });
      return;
    }
    const o = item as Record<string, unknown>;
    const bad = [...REQUIRED_COLUMNS, 'note'].filter(
      (k) => o[k] !== undefined && o[k] !== null && typeof o[k] !== 'string',
    );
    const absent = ['organisation', 'round', 'question'].filter(
      (k) => typeof o[k] !== 'string' || (o[k] as string).trim() === '',
    );
    if (bad.length > 0 || absent.length > 0) {
      const parts = [
        ...bad.map((k) => `\`${k}\` must be a string`),
        ...absent.filter((k) => !bad.includes(k)).map((k) => `\`${k}\` is missing or empty`),
      ];
      problems.push({ file, ...at, message: `${label}${parts.join('; ')}` });
      return;
    }
    const record: AnswerRecord = {
      organisation: (o.organisation as string).trim(),
      round: (o.round as string).trim(),
      question: (o.question as string).trim(),
      answer: typeof o.answer === 'string' ? o.answer.trim() : '',
      ...(line !== undefined && { line }),
    };
    if (typeof o.note === 'string' && o.note.trim() !== '') record.note = o.note.trim();
    records.push(record);
  });
  return { records, problems };
}

/** The line each top-level record starts on, read with a position-keeping parser. */
function recordLines(text: string, topLevelArray: boolean): (number | undefined)[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: 'json', prettyErrors: false });
  if (doc.errors.length > 0) return [];
  let seq: unknown = doc.contents;
  if (!topLevelArray && isMap(seq)) seq = seq.get('answers', true);
  if (!isSeq(seq)) return [];
  return seq.items.map((item) => {
    const offset = (item as { range?: [number] } | null)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  });
}

/**
 * Reads and validates an answers file (CSV, or JSON when `format` says so or the name ends in
 * .json, or a spreadsheet's rows) into a grouped answer set, in one streaming pass. Parse and validation problems come
 * together, in file order.
 */
export function readAnswers(
  fw: Framework,
  input: string | SheetRows,
  options: { file: string; format?: 'csv' | 'json' },
): Result<AnswerSet> {
  const { file } = options;
  if (typeof input !== 'string') {
    const collector = new AnswerCollector(fw, file);
    const parseProblems = forEachAnswerSheet(input, file, (r) => collector.add(r));
    const { set, problems } = collector.result();
    const all = sortProblems([...parseProblems, ...problems]);
    return all.length > 0 ? { ok: false, problems: all } : { ok: true, value: set };
  }
  const text = input;
  const format = options.format ?? (/\.json$/i.test(file) ? 'json' : 'csv');
  const collect = (withLines: boolean) => {
    const collector = new AnswerCollector(fw, file);
    let parseProblems: Problem[];
    if (format === 'json') {
      const parsed = parseAnswersJson(text, file, withLines);
      parsed.records.forEach((r) => collector.add(r));
      parseProblems = parsed.problems;
    } else {
      parseProblems = forEachAnswerCsv(text, file, (r) => collector.add(r));
    }
    const { set, problems } = collector.result();
    return { set, problems: sortProblems([...parseProblems, ...problems]) };
  };
  let { set, problems } = collect(false);
  // JSON records get their line numbers only when there is something to point at.
  if (problems.length > 0 && format === 'json') ({ set, problems } = collect(true));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: set };
}
