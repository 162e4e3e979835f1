import type { LocalText } from '../text.js';

/** The format tag every framework file starts with. */
export const FRAMEWORK_FORMAT = 'framework/1';

/** One possible answer to a question. `score` is in [0, 1]; `unknown` marks "Don't know". */
export interface Option {
  id: string;
  label: LocalText;
  score: number;
  unknown: boolean;
}

export interface Question {
  id: string;
  text: LocalText;
  guidance?: LocalText;
  weight: number;
  /** Whether "not applicable" is an allowed answer. */
  na: boolean;
  /**
   * A critical control: when the chosen option scores at or below `capAt`, the domain score is
   * at most `cap` (on the framework's scale), however good the rest of the domain is.
   */
  cap?: number;
  /** The option score in [0, 1] at or below which `cap` applies; 0 unless the framework says. */
  capAt: number;
  options: Option[];
  /** Cross-references to other catalogues, e.g. `{ "cis-v8": ["6.3"], "nist-csf-2": ["PR.AA-03"] }`. */
  refs: Record<string, string[]>;
  /** Ids of catalogue interventions that raise this question's score. */
  interventions: string[];
  /** An institution framework's indicator: where it is checked. Absent in organisation frameworks. */
  source?: IndicatorSource;
}

/** An option of a `single` or `multiple` survey question: no score, it is never counted. */
export interface SurveyOption {
  id: string;
  label: LocalText;
  unknown: boolean;
}

/** What an unscored question asks for. */
export type SurveyType = 'single' | 'multiple' | 'number' | 'text';

/**
 * An unscored (survey) question: asked for knowledge, never counted in a score, a cap, a
 * critical gap, completeness or plan ranking. It is kept apart from `Domain.questions` so that
 * nothing that scores can see it by mistake.
 */
export interface SurveyQuestion {
  id: string;
  type: SurveyType;
  text: LocalText;
  guidance?: LocalText;
  /** The choices of a `single` or `multiple` question; empty for `number` and `text`. */
  options: SurveyOption[];
  /** `number`: the smallest and largest answer allowed, when the framework says. */
  min?: number;
  max?: number;
  /** `number`: whether the answer must be a whole number. */
  integer: boolean;
  /** `number`: what is counted (people, euros, days). */
  unit?: LocalText;
  /** `text`: the most characters an answer may have. */
  maxLength?: number;
}
/** Where an indicator of an institution framework is checked. */
export type IndicatorSource = 'desk-research' | 'questionnaire' | 'interview';

/** What a framework measures: organisations (assessed in programmes) or institutions (the openness index). */
export type FrameworkSubject = 'organisation' | 'institution';

export interface Domain {
  id: string;
  title: LocalText;
  description?: LocalText;
  weight: number;
  /** The scored questions, in file order. Empty in a domain that holds only survey questions. */
  questions: Question[];
  /** The unscored questions, in file order; absent when the domain has none. */
  survey?: SurveyQuestion[];
}

/** A display band: a score belongs to the last level whose `min` it reaches. */
export interface Level {
  min: number;
  label: LocalText;
  /** What a score in this band says about the organisation, in a sentence or two. */
  description?: LocalText;
}

/** A validated framework with every default filled in. Plain data: safe to serialise. */
export interface Framework {
  id: string;
  version: string;
  title: LocalText;
  description?: LocalText;
  /**
   * The language every text map of the framework has, and that a plain string is in: `en` when
   * absent. An imported library written in French says `fr`.
   */
  language?: string;
  /** Where the framework comes from (a publisher, a URL), for imported frameworks. */
  source?: string;
  /** The licence of the source text, e.g. "CC BY-SA 4.0". */
  licence?: string;
  /**
   * Present only for `institution`: a framework that measures public institutions, whose results
   * are public by nature (the openness index). Absent means organisations, the default.
   */
  subject?: 'institution';
  scale: number;
  levels: Level[];
  domains: Domain[];
}

/** What a framework measures; organisations unless it says `subject: institution`. */
export function subjectOf(fw: Pick<Framework, 'subject'>): FrameworkSubject {
  return fw.subject ?? 'organisation';
}
