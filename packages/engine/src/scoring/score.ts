import { indexFramework } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';

/** The answer value meaning "not applicable"; option ids can never be `na`. */
export const NA = 'na';

/**
 * One assessment's answers: question id → option id, `na`, or '' (unanswered).
 * Questions with no entry are unanswered too.
 */
export type Answers = ReadonlyMap<string, string>;

/**
 * The same answers in the compact form the engine scores: one slot per question in framework
 * order, holding the chosen option's position, `NO_ANSWER` or `NOT_APPLICABLE`. Large cohorts
 * are read straight into this form (see `AnswerCollector`).
 */
export type Choices = Int16Array;
export const NO_ANSWER = -1;
export const NOT_APPLICABLE = -2;

/** The scores of one organisation in one round, at full precision. */
export interface AssessmentScore {
  /** Weighted mean of the domain scores that have a value; null when none has. */
  overall: number | null;
  /** (answered + not applicable) / all questions, in [0, 1]. */
  completeness: number;
  answered: number;
  notApplicable: number;
  total: number;
  /** Every domain of the framework, null where no applicable question is answered. */
  domains: Record<string, number | null>;
}

/** Turns validated answers into choices. An answer that is not an option is a programming error. */
export function toChoices(fw: Framework, answers: Answers): Choices {
  const index = indexFramework(fw);
  const choices = new Int16Array(index.questionCount).fill(NO_ANSWER);
  for (const [id, answer] of answers) {
    const q = index.questions.get(id);
    if (!q || answer === '') continue;
    if (answer === NA) {
      choices[q.position] = NOT_APPLICABLE;
      continue;
    }
    const option = q.optionPosition.get(answer);
    if (option === undefined) throw new Error(`answer \`${answer}\` is not an option of question \`${id}\``);
    choices[q.position] = option;
  }
  return choices;
}

/**
 * Scores one assessment exactly as the contract says. For each domain
 * D = scale × Σ(w·s) / Σ(w) over answered applicable questions, capped at the smallest `cap`
 * of any answered question whose score is at or below its `capAt`; the overall is Σ(W·D) / Σ(W) over domains with a
 * value. Answers must already be validated against the framework.
 *
 * @example
 * scoreAssessment(fw, new Map([['access.mfa', 'all'], ['access.admin', 'na']]))
 */
export function scoreAssessment(fw: Framework, answers: Answers): AssessmentScore {
  return scoreChoices(fw, toChoices(fw, answers));
}

/** `scoreAssessment` on the compact form. */
export function scoreChoices(fw: Framework, choices: Choices): AssessmentScore {
  const domains: Record<string, number | null> = {};
  let answered = 0;
  let notApplicable = 0;
  let weighted = 0;
  let weights = 0;
  let start = 0;
  for (let di = 0; di < fw.domains.length; di++) {
    const domain = fw.domains[di]!;
    const d = domainScore(fw, di, choices, start);
    start += domain.questions.length;
    answered += d.answered;
    notApplicable += d.notApplicable;
    domains[domain.id] = d.score;
    if (d.score !== null) {
      weighted += domain.weight * d.score;
      weights += domain.weight;
    }
  }
  const total = choices.length;
  return {
    overall: weights > 0 ? weighted / weights : null,
    completeness: total > 0 ? (answered + notApplicable) / total : 0,
    answered,
    notApplicable,
    total,
    domains,
  };
}

export interface DomainScore {
  score: number | null;
  /** The score before any cap. */
  uncapped: number | null;
  /** The cap applied and the questions that caused it (those with the smallest cap). */
  cap: { value: number; questions: string[] } | null;
  answered: number;
  notApplicable: number;
}

/**
 * One domain's score with what it needs to be explained. `start` is the position of the
 * domain's first question in framework order.
 */
export function domainScore(fw: Framework, domainIndex: number, choices: Choices, start: number): DomainScore {
  const questions = fw.domains[domainIndex]!.questions;
  let sum = 0;
  let weights = 0;
  let answered = 0;
  let notApplicable = 0;
  let cap: number | null = null;
  let capQuestions: string[] = [];
  for (let i = 0; i < questions.length; i++) {
    const choice = choices[start + i]!;
    if (choice === NO_ANSWER) continue;
    if (choice === NOT_APPLICABLE) {
      notApplicable++;
      continue;
    }
    const q = questions[i]!;
    const score = q.options[choice]!.score;
    answered++;
    sum += q.weight * score;
    weights += q.weight;
    if (q.cap !== undefined && score <= q.capAt) {
      if (cap === null || q.cap < cap) {
        cap = q.cap;
        capQuestions = [q.id];
      } else if (q.cap === cap) capQuestions.push(q.id);
    }
  }
  if (weights === 0) return { score: null, uncapped: null, cap: null, answered, notApplicable };
  const uncapped = (fw.scale * sum) / weights;
  const applied = cap !== null && cap < uncapped;
  return {
    score: applied ? cap : uncapped,
    uncapped,
    cap: applied ? { value: cap as number, questions: capQuestions } : null,
    answered,
    notApplicable,
  };
}

/** A critical control found missing: a capped question answered at or below its `capAt`. */
export interface CriticalGap {
  question: string;
  domain: string;
  /** The chosen option and its score. */
  option: string;
  score: number;
  /** The most its domain can score while this gap stays open. */
  cap: number;
}

/**
 * Every critical gap of an assessment, in framework order and whichever domain it is in: the
 * capped questions answered (not N/A, not unanswered) with a score at or below their `capAt`.
 * A gap counts even where the rest of its domain scores below the cap anyway: results and
 * reports name each one, because each is a control the organisation cannot do without.
 */
export function criticalGaps(fw: Framework, choices: Choices): CriticalGap[] {
  const gaps: CriticalGap[] = [];
  for (const { question: q, domain, position } of indexFramework(fw).ordered) {
    if (q.cap === undefined) continue;
    const choice = choices[position]!;
    if (choice < 0) continue;
    const option = q.options[choice]!;
    if (option.score <= q.capAt) {
      gaps.push({ question: q.id, domain: domain.id, option: option.id, score: option.score, cap: q.cap });
    }
  }
  return gaps;
}
