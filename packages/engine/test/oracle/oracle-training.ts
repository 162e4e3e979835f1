/**
 * Independent reference implementation ("oracle") of the Kalaja knowledge-check scoring from a
 * responses CSV (docs/contracts.md §8, trainings and knowledge checks, `kalaja training`).
 *
 * Written from the contract text alone, for tests that cross-check the real engine. Deliberately
 * simple: a character-by-character RFC 4180 reader, plain loops, the paired-statistics oracle
 * for the impact.
 *
 * Decisions where the contract is silent:
 * - CSV: one leading U+FEFF is dropped. Records end at LF or CRLF outside quotes; a CR not
 *   followed by LF outside quotes is an error. A quoted field starts with `"` as the first
 *   character of the field and ends at a `"` not doubled; `""` inside is one quote; it may hold
 *   commas, LF and CRLF (kept as written). A `"` inside an unquoted field, anything but a comma
 *   or line end after a closing quote, or an unterminated quote is an error. A final line end
 *   does not start a record. A line with no characters at all (outside quotes) is skipped
 *   wherever it is. Every other record must have as many fields as the header.
 * - Line numbers are physical, 1-based, the header is line 1, and a record's line is the line
 *   it starts on (a quoted line break moves the following records down).
 * - Header: the names `participant`, `phase`, `item`, `answer` are matched exactly (case and
 *   spaces count), in any column order; each must appear exactly once; other columns are
 *   ignored, even if repeated. No header at all is an error.
 * - Values are not trimmed. participant must not be empty. phase is exactly `pre` or `post`.
 *   item must be a module item id; answer is empty or an option id of that item.
 * - A duplicate (participant, phase, item) is an error naming both lines. All errors are
 *   collected and thrown as one Error whose message lists them, each with its line.
 * - A phase is present for a participant as soon as it has one row, even if every answer in it
 *   is empty (then that score is 0, not null).
 * - Score = (100 × correct) / items, evaluated in that order; compare with a tolerance.
 * - impact: a Change over participants with both scores, in order of first appearance,
 *   Δ = post − pre, with improved Δ ≥ 0.005, declined Δ ≤ −0.005, the rest unchanged, and the
 *   paired statistics of oracle-paired.ts. With no such participant: n 0, mean null, the rest
 *   null or 0.
 * - The module must have at least one item, unique item ids, unique option ids per item and
 *   exactly one correct option per item; otherwise the oracle throws.
 */

import { oraclePairedChange } from './oracle-paired.js';
import type { OraclePairedChange } from './oracle-paired.js';

/** A knowledge-check option; exactly one per item is correct. */
export interface OracleTrainingOption {
  id: string;
  correct: boolean;
}
/** A knowledge-check item. */
export interface OracleTrainingItem {
  id: string;
  options: OracleTrainingOption[];
}
/** A training module, as far as scoring its knowledge check needs it. */
export interface OracleTrainingModule {
  id: string;
  version: string;
  items: OracleTrainingItem[];
}
/** A participant's scores, 0–100, null for a phase with no row. */
export interface OracleParticipantScore {
  participant: string;
  pre: number | null;
  post: number | null;
}
/** What `kalaja training --format json` prints. */
export interface OracleTrainingOutput {
  module: { id: string; version: string };
  participants: OracleParticipantScore[];
  impact: OraclePairedChange;
}

/** One CSV record with the physical line it starts on. */
export interface OracleCsvRecord {
  line: number;
  fields: string[];
}

/** Read RFC 4180 text into records, skipping empty lines; throws with the line on malformed text. */
export function oracleParseCsv(text: string): OracleCsvRecord[] {
  let s = text;
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);

  const records: OracleCsvRecord[] = [];
  let line = 1; // physical line of the character being read
  let recordLine = 1; // line the current record started on
  let fields: string[] = [];
  let field = '';
  let hasContent = false; // any character, quote or comma seen in this record
  let fieldStart = true; // nothing read yet in the current field
  let inQuotes = false;
  let afterQuote = false; // the current field was quoted and its closing quote has been read

  const endRecord = (): void => {
    fields.push(field);
    if (hasContent) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    hasContent = false;
    fieldStart = true;
    afterQuote = false;
  };

  let i = 0;
  while (i < s.length) {
    const ch = s.charAt(i);
    if (inQuotes) {
      if (ch === '"') {
        if (s.charAt(i + 1) === '"') {
          field += '"';
          i += 2;
        } else {
          inQuotes = false;
          afterQuote = true;
          i += 1;
        }
        continue;
      }
      if (ch === '\n') line += 1;
      field += ch;
      i += 1;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      hasContent = true;
      fieldStart = true;
      afterQuote = false;
      i += 1;
      continue;
    }
    if (ch === '\n' || (ch === '\r' && s.charAt(i + 1) === '\n')) {
      endRecord();
      i += ch === '\r' ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    if (ch === '\r') throw new Error(`line ${line}: a carriage return without a line feed`);
    if (afterQuote) throw new Error(`line ${line}: unexpected character after a closing quote`);
    if (ch === '"') {
      if (!fieldStart) throw new Error(`line ${line}: a quote inside an unquoted field`);
      inQuotes = true;
      hasContent = true;
      fieldStart = false;
      i += 1;
      continue;
    }
    field += ch;
    hasContent = true;
    fieldStart = false;
    i += 1;
  }
  if (inQuotes) throw new Error(`line ${recordLine}: unterminated quoted field`);
  if (hasContent) endRecord(); // the text did not end with a line end
  return records;
}

function checkModule(module: OracleTrainingModule): void {
  if (module.items.length === 0) throw new Error('oracle: a module needs at least one item');
  for (let i = 0; i < module.items.length; i++) {
    const item = module.items[i] as OracleTrainingItem;
    for (let j = 0; j < i; j++) {
      if ((module.items[j] as OracleTrainingItem).id === item.id)
        throw new Error(`oracle: duplicate item "${item.id}"`);
    }
    let correct = 0;
    for (let a = 0; a < item.options.length; a++) {
      const option = item.options[a] as OracleTrainingOption;
      if (option.correct) correct += 1;
      for (let b = 0; b < a; b++) {
        if ((item.options[b] as OracleTrainingOption).id === option.id) {
          throw new Error(`oracle: duplicate option "${option.id}" in item "${item.id}"`);
        }
      }
    }
    if (correct !== 1) throw new Error(`oracle: item "${item.id}" must have exactly one correct option`);
  }
}

function findItem(module: OracleTrainingModule, id: string): OracleTrainingItem | undefined {
  for (const item of module.items) if (item.id === id) return item;
  return undefined;
}

function findOption(item: OracleTrainingItem, id: string): OracleTrainingOption | undefined {
  for (const option of item.options) if (option.id === id) return option;
  return undefined;
}

/** Score a responses CSV against a module, as `kalaja training --format json` prints it. */
export function oracleTraining(module: OracleTrainingModule, csvText: string): OracleTrainingOutput {
  checkModule(module);
  const records = oracleParseCsv(csvText);
  const header = records[0];
  if (header === undefined) throw new Error('line 1: no header row');

  const errors: string[] = [];
  const columns: Record<string, number> = {};
  for (const name of ['participant', 'phase', 'item', 'answer']) {
    let at = -1;
    let times = 0;
    for (let c = 0; c < header.fields.length; c++) {
      if (header.fields[c] === name) {
        at = c;
        times += 1;
      }
    }
    if (times === 0) errors.push(`line ${header.line}: missing column "${name}"`);
    if (times > 1) errors.push(`line ${header.line}: column "${name}" appears ${times} times`);
    columns[name] = at;
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));

  interface Row {
    line: number;
    participant: string;
    phase: 'pre' | 'post';
    item: string;
    correct: boolean;
  }
  const rows: Row[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r] as OracleCsvRecord;
    if (record.fields.length !== header.fields.length) {
      errors.push(`line ${record.line}: ${record.fields.length} fields, the header has ${header.fields.length}`);
      continue;
    }
    const participant = record.fields[columns['participant'] as number] as string;
    const phase = record.fields[columns['phase'] as number] as string;
    const itemId = record.fields[columns['item'] as number] as string;
    const answer = record.fields[columns['answer'] as number] as string;
    let ok = true;
    if (participant === '') {
      errors.push(`line ${record.line}: empty participant`);
      ok = false;
    }
    if (phase !== 'pre' && phase !== 'post') {
      errors.push(`line ${record.line}: phase "${phase}" is neither pre nor post`);
      ok = false;
    }
    const item = findItem(module, itemId);
    let correct = false;
    if (item === undefined) {
      errors.push(`line ${record.line}: unknown item "${itemId}"`);
      ok = false;
    } else if (answer !== '') {
      const option = findOption(item, answer);
      if (option === undefined) {
        errors.push(`line ${record.line}: unknown option "${answer}" for item "${itemId}"`);
        ok = false;
      } else {
        correct = option.correct;
      }
    }
    if (!ok) continue;
    for (const earlier of rows) {
      if (earlier.participant === participant && earlier.phase === phase && earlier.item === itemId) {
        errors.push(`line ${record.line}: duplicate of line ${earlier.line} (${participant}, ${phase}, ${itemId})`);
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    rows.push({ line: record.line, participant, phase: phase as 'pre' | 'post', item: itemId, correct });
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));

  // Participants in order of first appearance, then their scores per phase.
  const names: string[] = [];
  for (const row of rows) {
    let seen = false;
    for (const name of names) if (name === row.participant) seen = true;
    if (!seen) names.push(row.participant);
  }

  const participants: OracleParticipantScore[] = [];
  for (const name of names) {
    let preRows = 0;
    let preCorrect = 0;
    let postRows = 0;
    let postCorrect = 0;
    for (const row of rows) {
      if (row.participant !== name) continue;
      if (row.phase === 'pre') {
        preRows += 1;
        if (row.correct) preCorrect += 1;
      } else {
        postRows += 1;
        if (row.correct) postCorrect += 1;
      }
    }
    const items = module.items.length;
    participants.push({
      participant: name,
      pre: preRows === 0 ? null : (100 * preCorrect) / items,
      post: postRows === 0 ? null : (100 * postCorrect) / items,
    });
  }

  const pairs: Array<[number, number]> = [];
  for (const p of participants) {
    if (p.pre !== null && p.post !== null) pairs.push([p.pre, p.post]);
  }

  return {
    module: { id: module.id, version: module.version },
    participants,
    impact: oraclePairedChange(pairs),
  };
}
