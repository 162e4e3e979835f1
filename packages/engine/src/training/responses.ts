import { detectDelimiter, forEachCsvRecord } from '../answers/csv.js';
import { isBlank, readColumns, trimCell } from '../answers/parse.js';
import { clip, sortProblems, type Problem, type Result } from '../problems.js';
import { changeOf, type Change } from '../scoring/stats.js';
import type { TrainingModule } from './types.js';

export const PHASES = ['pre', 'post'] as const;
export type Phase = (typeof PHASES)[number];

/** One answer to one item of a knowledge check, from a responses file or from the app. */
export interface CheckResponse {
  participant: string;
  phase: Phase;
  item: string;
  /** The chosen option id, or '' for a skipped item. */
  answer: string;
  /** The physical line it came from, for messages. */
  line?: number;
}

/** A participant's knowledge before and after: 100 × correct / items, null for a phase not taken. */
export interface KnowledgeScore {
  participant: string;
  pre: number | null;
  post: number | null;
}

/** The output of `kalaja training --format json`, as the contract shapes it. */
export interface TrainingReport {
  module: { id: string; version: string };
  participants: KnowledgeScore[];
  /** Paired statistics of post − pre over the participants who took both. */
  impact: Change;
}

export const RESPONSE_COLUMNS = ['participant', 'phase', 'item', 'answer'] as const;

/**
 * Reads a responses CSV (`participant,phase,item,answer`; other columns ignored) against a
 * module, as the answers file is read: BOM, LF or CRLF, blank lines skipped, cells trimmed, a
 * short row's missing cells empty. Every problem at once, each on its line: an unknown item or
 * option, a phase other than pre or post, the same participant, phase and item twice (both lines).
 */
export function readResponses(
  module: TrainingModule,
  text: string,
  options: { file: string },
): Result<CheckResponse[]> {
  const { file } = options;
  const problems: Problem[] = [];
  const responses: CheckResponse[] = [];
  const items = new Map(module.check.items.map((i) => [i.id, new Set(i.options.map((o) => o.id))]));
  const seen = new Map<string, number>();
  let columns: Record<(typeof RESPONSE_COLUMNS)[number], number> | undefined;
  let header = true;
  const delimiter = detectDelimiter(text, RESPONSE_COLUMNS);
  const csvProblems = forEachCsvRecord(
    text,
    file,
    (fields, line) => {
      if (header) {
        header = false;
        columns = readColumns(fields, line, file, RESPONSE_COLUMNS, [], problems);
        return;
      }
      if (!columns || fields.every(isBlank)) return;
      const participant = trimCell(fields[columns.participant]);
      const phase = trimCell(fields[columns.phase]);
      const item = trimCell(fields[columns.item]);
      const answer = trimCell(fields[columns.answer]);
      const empty = [!participant && 'participant', !phase && 'phase', !item && 'item'].filter(Boolean);
      if (empty.length > 0) {
        problems.push({ file, line, message: `${empty.join(', ')} ${empty.length > 1 ? 'are' : 'is'} empty` });
        return;
      }
      let ok = true;
      if (phase !== 'pre' && phase !== 'post') {
        ok = false;
        problems.push({ file, line, message: `phase \`${clip(phase)}\` is neither \`pre\` nor \`post\`` });
      }
      const optionIds = items.get(item);
      if (!optionIds) {
        ok = false;
        const near = [...items.keys()].find((id) => id.toLowerCase() === item.toLowerCase());
        problems.push({
          file,
          line,
          message: `unknown item \`${clip(item)}\`: module ${module.id} ${module.version} has no such item${near ? ` (did you mean \`${near}\`?)` : ''}`,
        });
      } else if (answer !== '' && !optionIds.has(answer)) {
        ok = false;
        problems.push({
          file,
          line,
          message: `item \`${clip(item)}\` has no option \`${clip(answer)}\`; choose one of: ${[...optionIds].join(', ')}, or leave it empty`,
        });
      }
      const key = JSON.stringify([participant, phase, item]);
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({
          file,
          line,
          message: `duplicate response for participant "${clip(participant)}", phase ${phase}, item \`${item}\`: line ${line} repeats line ${first}`,
        });
        return;
      }
      seen.set(key, line);
      if (ok) responses.push({ participant, phase: phase as Phase, item, answer, line });
    },
    { delimiter },
  );
  if (header) {
    problems.push({
      file,
      line: 1,
      message: `the file is empty; it needs a header row: ${RESPONSE_COLUMNS.join(',')}`,
    });
  }
  const all = sortProblems([...csvProblems, ...problems]);
  return all.length > 0 ? { ok: false, problems: all } : { ok: true, value: responses };
}

/**
 * Each participant's knowledge score before and after (in order of first appearance) and the
 * training's impact: the contract's Change, with its paired statistics, over post − pre of the
 * participants who took both. A skipped or missing item is not correct; a phase with no row at
 * all is null.
 */
export function scoreResponses(module: TrainingModule, responses: Iterable<CheckResponse>): TrainingReport {
  const correct = new Map(module.check.items.map((i) => [i.id, i.options.find((o) => o.correct)!.id]));
  const total = module.check.items.length;
  const byParticipant = new Map<string, { pre: number | null; post: number | null }>();
  for (const r of responses) {
    let p = byParticipant.get(r.participant);
    if (!p) byParticipant.set(r.participant, (p = { pre: null, post: null }));
    const right = r.answer !== '' && correct.get(r.item) === r.answer ? 1 : 0;
    p[r.phase] = (p[r.phase] ?? 0) + right;
  }
  const participants = [...byParticipant].map(([participant, p]) => ({
    participant,
    pre: p.pre === null ? null : (100 * p.pre) / total,
    post: p.post === null ? null : (100 * p.post) / total,
  }));
  const differences = participants.flatMap((p) => (p.pre !== null && p.post !== null ? [p.post - p.pre] : []));
  return { module: { id: module.id, version: module.version }, participants, impact: changeOf(differences) };
}
