/**
 * Evidence in an openness index's answers file: the optional columns `evidence_url` (the link an
 * indicator was checked at) and `checked` (the day, YYYY-MM-DD), beside the answers of §3, read
 * from a CSV file or a spreadsheet's rows. The answers themselves are read and checked by the
 * answers reader; this reads only the two columns, and names each problem at its line: a link that
 * is not an http(s) address, a date that is not one or lies after today, a date without a link.
 */
import { detectDelimiter, forEachCsvRecord, unneutralise } from '../answers/csv.js';
import { isBlank, REQUIRED_COLUMNS, trimCell, type SheetRows } from '../answers/parse.js';
import { clip, type Problem, type Result } from '../problems.js';
import type { AnswerEvidence } from './model.js';

export const EVIDENCE_COLUMNS = ['evidence_url', 'checked'] as const;

/** A calendar date written YYYY-MM-DD that exists. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Whether a text is a web address: http:// or https://, a host, and no space anywhere. */
export function isWebAddress(s: string): boolean {
  return /^https?:\/\/[^\s/?#@:]+(?::\d+)?(?:[/?#]\S*)?$/i.test(s);
}

/**
 * The evidence of each answer that has some; null when the file has neither evidence column.
 * `today` (YYYY-MM-DD) is the latest day a check may be dated.
 */
export function readEvidenceColumns(
  input: string | SheetRows,
  file: string,
  today: string,
): Result<AnswerEvidence[] | null> {
  const problems: Problem[] = [];
  const out: AnswerEvidence[] = [];
  let at: { o: number; r: number; q: number; u: number; c: number } | undefined;
  let header = false;
  const cell = (fields: readonly string[], i: number) => (i < 0 ? '' : trimCell(unneutralise(fields[i] ?? '')));
  const row = (fields: readonly string[], line: number) => {
    if (fields.every(isBlank)) return;
    if (!header) {
      header = true;
      const names = fields.map((f) => f.trim().toLowerCase());
      const ix = (n: string) => names.indexOf(n);
      at = { o: ix('organisation'), r: ix('round'), q: ix('question'), u: ix('evidence_url'), c: ix('checked') };
      return;
    }
    if (!at || (at.u < 0 && at.c < 0)) return;
    const url = cell(fields, at.u);
    const checked = cell(fields, at.c);
    if (url === '' && checked === '') return;
    let ok = true;
    if (url === '') {
      problems.push({
        file,
        line,
        message: '`checked` is given without `evidence_url`: a date checked needs the link it was checked at',
      });
      ok = false;
    } else if (!isWebAddress(url)) {
      problems.push({
        file,
        line,
        message: `evidence_url "${clip(url)}" is not a web address: it needs to start with http:// or https://`,
      });
      ok = false;
    }
    if (checked !== '' && !isIsoDate(checked)) {
      problems.push({ file, line, message: `checked "${clip(checked)}" is not a date: write it as YYYY-MM-DD` });
      ok = false;
    } else if (checked !== '' && checked > today) {
      problems.push({ file, line, message: `checked ${checked} is in the future (today is ${today})` });
      ok = false;
    }
    if (!ok) return;
    out.push({
      institution: cell(fields, at.o),
      round: cell(fields, at.r),
      question: cell(fields, at.q),
      url,
      ...(checked !== '' && { checked }),
    });
  };
  if (typeof input === 'string')
    problems.push(...forEachCsvRecord(input, file, row, { delimiter: detectDelimiter(input, REQUIRED_COLUMNS) }));
  else for (const r of input.rows) row(r.cells, r.line);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: at && (at.u >= 0 || at.c >= 0) ? out : null };
}
