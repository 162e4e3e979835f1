import { indexFramework } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import {
  criticalGaps,
  domainScore,
  NO_ANSWER,
  NOT_APPLICABLE,
  scoreChoices,
  toChoices,
  type Answers,
  type AssessmentScore,
  type Choices,
  type CriticalGap,
} from './score.js';

export type QuestionStatus = 'answered' | 'na' | 'unanswered';

/** How one question bears on its domain's score. */
export interface QuestionExplanation {
  question: string;
  weight: number;
  status: QuestionStatus;
  /** The chosen option, when answered. */
  option?: string;
  /** True when the chosen option is "Don't know". */
  unknown?: boolean;
  /** The option's score s in [0, 1], when answered. */
  score?: number;
  /**
   * Points of the domain score (on the framework's scale) this answer costs:
   * scale × w × (1 − s) / Σw. Zero for N/A and unanswered questions, which are left out.
   */
  loss: number;
  /** This question's share of the domain's whole gap, in [0, 1]. */
  gapShare: number;
  /** True when this answer caused the cap applied to the domain. */
  causedCap: boolean;
}

export interface DomainExplanation {
  domain: string;
  weight: number;
  score: number | null;
  uncapped: number | null;
  cap: { value: number; questions: string[] } | null;
  answered: number;
  notApplicable: number;
  unanswered: number;
  /** In framework order; sort by `loss` for "what pulled it down". */
  questions: QuestionExplanation[];
}

export interface AssessmentExplanation {
  score: AssessmentScore;
  domains: DomainExplanation[];
  /** Every critical gap, in framework order, whichever domain it is in (`criticalGaps`). */
  criticalGaps: CriticalGap[];
}

/**
 * Explains an assessment domain by domain: each question's weight, score and share of the
 * gap, which answers were left out as N/A or unanswered, and any cap with the question that
 * caused it. The UI and reports show these; the numbers are the scoring contract's own.
 */
export function explainAssessment(fw: Framework, answers: Answers): AssessmentExplanation {
  return explainChoices(fw, toChoices(fw, answers));
}

/** `explainAssessment` on the compact form. */
export function explainChoices(fw: Framework, choices: Choices): AssessmentExplanation {
  const { ordered } = indexFramework(fw);
  let start = 0;
  const domains = fw.domains.map((domain, di): DomainExplanation => {
    const d = domainScore(fw, di, choices, start);
    const first = start;
    start += domain.questions.length;
    let weights = 0;
    let gap = 0;
    const questions = domain.questions.map((q, qi): QuestionExplanation => {
      const choice = choices[first + qi]!;
      if (choice === NO_ANSWER) {
        return { question: q.id, weight: q.weight, status: 'unanswered', loss: 0, gapShare: 0, causedCap: false };
      }
      if (choice === NOT_APPLICABLE) {
        return { question: q.id, weight: q.weight, status: 'na', loss: 0, gapShare: 0, causedCap: false };
      }
      const option = ordered[first + qi]!.question.options[choice]!;
      weights += q.weight;
      gap += q.weight * (1 - option.score);
      return {
        question: q.id,
        weight: q.weight,
        status: 'answered',
        option: option.id,
        unknown: option.unknown,
        score: option.score,
        loss: q.weight * (1 - option.score),
        gapShare: 0,
        causedCap: d.cap?.questions.includes(q.id) ?? false,
      };
    });
    for (const q of questions) {
      if (q.status !== 'answered') continue;
      q.gapShare = gap > 0 ? q.loss / gap : 0;
      q.loss = (fw.scale * q.loss) / weights;
    }
    return {
      domain: domain.id,
      weight: domain.weight,
      score: d.score,
      uncapped: d.uncapped,
      cap: d.cap,
      answered: d.answered,
      notApplicable: d.notApplicable,
      unanswered: domain.questions.length - d.answered - d.notApplicable,
      questions,
    };
  });
  return { score: scoreChoices(fw, choices), domains, criticalGaps: criticalGaps(fw, choices) };
}
