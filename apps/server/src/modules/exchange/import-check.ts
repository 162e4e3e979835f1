import {
  clip,
  collectAnswers,
  indexFramework,
  loadFramework,
  NA,
  parseAnswersInput,
  type Framework,
  type Problem,
  type SheetRows,
} from '@kalaja/engine';
import { readSpreadsheet } from '@kalaja/engine/sheets';
import { closedTo, type Layer } from '../assessments/assessment-types.js';

/**
 * Checking an answers file for a round: everything the engine checks (columns, options,
 * duplicates, positions), plus that every row names this round and an organisation of the
 * programme whose layer is still open. Pure — it runs on the server's event loop for small
 * files and in a worker thread for large ones (import-worker.ts), so that reading a file of
 * 5,000 organisations never holds up anybody else's request.
 */
export interface CheckRequest {
  framework: { source: string; format: 'yaml' | 'json' };
  round: string;
  layer: Layer;
  /** The round's assessments: organisation name and status, in a fixed order. */
  targets: readonly { name: string; status: string }[];
  /** CSV text, the bytes of an .xlsx or .ods file, or a sheet's rows already read. */
  input: string | Uint8Array | SheetRows;
  file: string;
}

/**
 * The rows of a good file, compact so that they cross from a worker cheaply: row i is target
 * `target[i]`, question `question[i]` (position in the framework), answer `answer[i]` (option
 * position, ANSWER_NA, or ANSWER_NONE for an empty cell), and its note, if any, is
 * `notes[k]` for the k with `noteRow[k] === i`.
 */
export interface CheckedRows {
  target: Uint32Array;
  question: Uint16Array;
  answer: Int16Array;
  noteRow: Uint32Array;
  notes: string[];
}

export const ANSWER_NA = -1;
export const ANSWER_NONE = -2;

/** At most this many problems are sent back; the count says how many there were. */
export const MAX_PROBLEMS = 1000;

export type CheckResult = { ok: true; rows: CheckedRows } | { ok: false; problems: Problem[]; total: number };

function failed(problems: Problem[]): CheckResult {
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ok: false, problems: problems.slice(0, MAX_PROBLEMS), total: problems.length };
}

const frameworks = new Map<string, Framework>();

function frameworkOf(source: string, format: 'yaml' | 'json'): Framework {
  let fw = frameworks.get(source);
  if (!fw) {
    const r = loadFramework(source, { file: 'framework', format });
    if (!r.ok) throw new Error(`the programme's framework no longer loads: ${r.problems[0]?.message}`);
    fw = r.value;
    frameworks.clear();
    frameworks.set(source, fw);
  }
  return fw;
}

/** About how large the input is, in characters or bytes, to choose where to check it. */
export function inputSize(input: CheckRequest['input']): number {
  if (typeof input === 'string') return input.length;
  if (input instanceof Uint8Array) return input.byteLength;
  return input.rows.length * 64;
}

export function checkAnswers(req: CheckRequest): CheckResult {
  const { file, layer } = req;
  const fw = frameworkOf(req.framework.source, req.framework.format);
  let source: string | SheetRows;
  if (req.input instanceof Uint8Array) {
    const sheet = readSpreadsheet(req.input, file);
    if (!sheet.ok) return failed(sheet.problems);
    source = sheet.value;
  } else source = req.input;
  const parsed = parseAnswersInput(source, file);
  const checked = collectAnswers(fw, parsed.records, file);
  const problems: Problem[] = [...parsed.problems, ...checked.problems];
  const byName = new Map(req.targets.map((t, i) => [t.name, i]));
  const closed = new Set<string>();
  const survey = indexFramework(fw).survey;
  for (const r of parsed.records) {
    // A survey's answers are the organisation's own, sealed as one value (§10): never imported here.
    if (survey.has(r.question))
      problems.push({
        file,
        line: r.line!,
        message: `question \`${r.question}\` is a survey question: the organisation answers it in the app's survey, not in an answers import`,
      });
    if (r.round !== req.round)
      problems.push({ file, line: r.line!, message: `round "${clip(r.round)}" is not this round ("${req.round}")` });
    const t = byName.get(r.organisation);
    if (t === undefined)
      problems.push({
        file,
        line: r.line!,
        message: `organisation "${clip(r.organisation)}" does not take part in this programme`,
      });
    else if (closedTo(layer, req.targets[t]!.status)) closed.add(r.organisation);
  }
  for (const name of closed) {
    const status = req.targets[byName.get(name)!]!.status;
    problems.push({
      file,
      message: `the assessment of "${clip(name)}" is ${status}; its ${layer === 'own' ? 'own' : 'validated'} answers can no longer be replaced`,
    });
  }
  if (problems.length > 0) return failed(problems);

  const index = indexFramework(fw);
  const n = parsed.records.length;
  const rows: CheckedRows = {
    target: new Uint32Array(n),
    question: new Uint16Array(n),
    answer: new Int16Array(n),
    noteRow: new Uint32Array(parsed.records.reduce((k, r) => k + (r.note ? 1 : 0), 0)),
    notes: [],
  };
  parsed.records.forEach((r, i) => {
    const q = index.questions.get(r.question)!;
    rows.target[i] = byName.get(r.organisation)!;
    rows.question[i] = q.position;
    rows.answer[i] = r.answer === '' ? ANSWER_NONE : r.answer === NA ? ANSWER_NA : q.optionPosition.get(r.answer)!;
    if (r.note) {
      rows.noteRow[rows.notes.length] = i;
      rows.notes.push(r.note);
    }
  });
  return { ok: true, rows };
}
