import { DEFAULT_MIN_CELL, type Audience } from '../disclosure/disclose.js';
import { indexFramework } from '../framework/lookup.js';
import type { Framework, SurveyType } from '../framework/types.js';
import type { SurveyAnswers } from './answers.js';

/**
 * A survey's answers aggregated over a cohort (issue 17, contracts §10): per option the count
 * and the share of those who answered the question, for numbers the median, smallest and
 * largest, and for texts the words themselves, to the programme only and never with a name.
 *
 * For observers it is k-anonymous as every cohort figure: a question answered by fewer than `k`
 * organisations shows nothing; an option chosen by 1 to k−1 is withheld, and in a single choice
 * (whose counts add up to the respondents) one withheld option takes the next smallest with it;
 * texts are never shown to observers.
 */

export interface SurveyOptionRow {
  id: string;
  /** Organisations that chose it; null when withheld. */
  count: number | null;
  /** count / respondents (0–1, 3 decimals); null when withheld. */
  share: number | null;
  withheld: boolean;
}

export interface SurveyNumberSummary {
  n: number;
  median: number;
  min: number;
  max: number;
}

export interface SurveyQuestionTally {
  id: string;
  domain: string;
  type: SurveyType;
  /** Organisations that answered the question; null when withheld. */
  respondents: number | null;
  withheld: boolean;
  /** `single` and `multiple`: every option, in the framework's order. */
  options: SurveyOptionRow[];
  /** `number`: the summary, null when nobody answered or it is withheld. */
  number: SurveyNumberSummary | null;
  /** `text`: the answers sorted, so that their order says nothing of who wrote them; observers: always empty. */
  texts: string[];
}

export interface SurveyTally {
  framework: { id: string; version: string };
  audience: Audience;
  k: number;
  /** Organisations whose answers were counted (those that answered at least one question). */
  organisations: number;
  questions: SurveyQuestionTally[];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Tallies the survey answers of a cohort, one `SurveyAnswers` per organisation. Values must be
 * valid for their questions (`parseSurveyAnswer`, `checkSurveyValue`); scored questions and
 * unknown ids are ignored.
 *
 * @example
 * surveyTally(fw, [new Map([['exp.kinds', ['phishing']]])], 'programme')
 */
export function surveyTally(
  fw: Framework,
  cohort: readonly SurveyAnswers[],
  audience: Audience,
  k = DEFAULT_MIN_CELL,
): SurveyTally {
  const index = indexFramework(fw);
  const observers = audience === 'observers';
  const organisations = cohort.filter((a) => [...a.keys()].some((id) => index.survey.has(id))).length;
  const questions = index.surveyOrdered.map(({ question: q, domain }): SurveyQuestionTally => {
    const values = cohort.map((a) => a.get(q.id)).filter((v) => v !== undefined);
    const respondents = values.length;
    const hidden = observers && respondents < k;
    const base = { id: q.id, domain: domain.id, type: q.type };
    if (hidden) {
      return {
        ...base,
        respondents: null,
        withheld: true,
        options: q.options.map((o) => ({ id: o.id, count: null, share: null, withheld: true })),
        number: null,
        texts: [],
      };
    }
    const counts = q.options.map((o) => ({
      id: o.id,
      count: values.filter((v) => (Array.isArray(v) ? v.includes(o.id) : v === o.id)).length,
    }));
    const withheld = new Set<string>();
    if (observers) {
      for (const c of counts) if (c.count > 0 && c.count < k) withheld.add(c.id);
      // In a single choice the counts add up to the respondents: one withheld count would be
      // the rest's remainder, so the next smallest goes with it.
      if (q.type === 'single' && withheld.size === 1) {
        const next = counts
          .filter((c) => c.count > 0 && !withheld.has(c.id))
          .sort((a, b) => a.count - b.count || a.id.localeCompare(b.id))[0];
        if (next) withheld.add(next.id);
      }
    }
    const numbers = values.filter((v): v is number => typeof v === 'number');
    return {
      ...base,
      respondents,
      withheld: false,
      options: counts.map((c) =>
        withheld.has(c.id)
          ? { id: c.id, count: null, share: null, withheld: true }
          : { id: c.id, count: c.count, share: respondents === 0 ? 0 : round3(c.count / respondents), withheld: false },
      ),
      number:
        q.type === 'number' && numbers.length > 0
          ? { n: numbers.length, median: median(numbers), min: Math.min(...numbers), max: Math.max(...numbers) }
          : null,
      texts:
        q.type === 'text' && !observers
          ? values.filter((v): v is string => typeof v === 'string').sort((a, b) => a.localeCompare(b))
          : [],
    };
  });
  return { framework: { id: fw.id, version: fw.version }, audience, k, organisations, questions };
}
