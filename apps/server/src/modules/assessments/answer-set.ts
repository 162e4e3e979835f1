import { NO_ANSWER, type AnswerSet, type Choices } from '@kalaja/engine';
import type { AssessmentStore } from './assessment-store.js';

type CohortRow = Awaited<ReturnType<AssessmentStore['cohort']>>['rows'][number];

/**
 * Assessments of a programme as the engine's AnswerSet, from the answers that count: one entry
 * per organisation and round with anything answered (as the results page counts them), rounds
 * in the order the rows give them (programme order). `label` names each organisation in the
 * set: its pseudonym in a programme report, its id for publication.
 */
export function answerSetOf<R extends CohortRow>(
  rows: readonly R[],
  choices: ReadonlyMap<string, Choices>,
  label: (r: R) => string,
): AnswerSet {
  const assessments = new Map<string, Map<string, Choices>>();
  const rounds: string[] = [];
  let count = 0;
  for (const r of rows) {
    const c = choices.get(r.id);
    if (!c) continue;
    let answered = 0;
    for (const x of c) if (x !== NO_ANSWER) answered++;
    if (answered === 0) continue;
    const name = label(r);
    let mine = assessments.get(name);
    if (!mine) assessments.set(name, (mine = new Map()));
    mine.set(r.round, c);
    if (!rounds.includes(r.round)) rounds.push(r.round);
    count += answered;
  }
  return { organisations: [...assessments.keys()], rounds, assessments, count };
}
