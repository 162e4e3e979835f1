/**
 * The small pure helpers the questionnaire and the review share: the answer a form edits, who
 * answered what, progress per domain. The shapes come from the contracts (`@kalaja/contracts`:
 * the assessment and its answers) and the engine (`@kalaja/engine/display`: the framework).
 */
import type { AnswerLayer, AnswerView } from '@kalaja/contracts';
import type { Framework } from '@kalaja/engine/display';

/** The two layers of an answer: the organisation's own, and the assessor's validated one. */
export type Layer = keyof Pick<AnswerView, 'own' | 'validated'>;

/** An answer as a form edits it: an option id, `na`, or null (not answered), and the note. */
export type AnswerValue = Pick<AnswerLayer, 'answer' | 'note'>;

/** The answer value `na`: "not applicable", allowed where the question says `na: true`. */
export const NA = 'na';

export const EMPTY: AnswerValue = { answer: null, note: '' };

/** A layer of an answer as the editable pair, or the empty answer. */
export const valueOf = (layer: AnswerLayer | null | undefined): AnswerValue =>
  layer ? { answer: layer.answer, note: layer.note } : EMPTY;

export interface DomainProgress {
  done: number;
  total: number;
}

/** Answered + not applicable, of all questions, per domain and overall. */
export function progress(
  framework: Framework,
  answerOf: (question: string) => string | null,
): { domains: Map<string, DomainProgress>; done: number; total: number } {
  const domains = new Map<string, DomainProgress>();
  let done = 0;
  let total = 0;
  for (const d of framework.domains) {
    const p = { done: 0, total: d.questions.length };
    for (const q of d.questions) if (answerOf(q.id) !== null) p.done++;
    domains.set(d.id, p);
    done += p.done;
    total += p.total;
  }
  return { domains, done, total };
}

/** The first domain with a question still open, or the first domain when all are answered. */
export function resumeDomain(framework: Framework, answerOf: (question: string) => string | null): string {
  const open = framework.domains.find((d) => d.questions.some((q) => answerOf(q.id) === null));
  return (open ?? framework.domains[0])?.id ?? '';
}
