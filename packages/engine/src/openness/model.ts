/**
 * The policy paper of one wave of an openness index, as plain data (docs/contracts.md, §11):
 * the summary, the methodology, the ranking, findings per principle, a section per institution,
 * a regional comparison when more than one country is measured, and an annex of the indicators.
 * Renderers lay it out as they lay out the other reports; a caller may edit any sentence.
 */
import type { IndicatorSource } from '../framework/types.js';
import type { Locale } from '../text.js';
import type { Cover, ChangeFigures, Figure, FrameworkInfo, StatsFigures } from '../report/report-model.js';
import type { RecommendationEdit, ReviewedRecommendation } from '../report/recommendation-edits.js';

/** What is known of an institution besides its name; every field may be left out. */
export interface InstitutionInfo {
  name: string;
  /** e.g. parliament, ministry, government office. */
  type?: string;
  /** e.g. central, local. */
  level?: string;
  country?: string;
}

/** Where one answer was checked: the link and the day (ISO date YYYY-MM-DD). */
export interface AnswerEvidence {
  institution: string;
  round: string;
  question: string;
  url: string;
  checked?: string;
}

export interface OpennessPaperOptions {
  title?: string;
  locale?: Locale;
  /** When the paper was generated (ISO date-time); left out of the paper when not given. */
  generatedAt?: string;
  /** The wave the paper reports; the latest round of the answers when not given. */
  wave?: string;
  institutions?: readonly InstitutionInfo[];
  /** Evidence per answer; the methodology says how much of the wave has it. */
  evidence?: readonly AnswerEvidence[];
  /** The research team's review of the drafted recommendations (recommendation-edits.ts). */
  recommendationEdits?: readonly RecommendationEdit[];
}

export interface RankingRow {
  institution: string;
  type: string | null;
  level: string | null;
  country: string | null;
  /** Competition rank on the unrounded overall score; null when it has no score. */
  rank: number | null;
  /** "1", "2 =" for a shared rank, or "not ranked". */
  rankText: string;
  overall: Figure;
  /** Since the previous wave; null value when it was not measured in both. */
  change: Figure;
  /** Principle scores in framework order. */
  principles: Figure[];
}

export interface MissedIndicator {
  question: string;
  text: string;
  source: IndicatorSource | null;
  /** Institutions measured on it (answered, applicable) that earned nothing, and of how many. */
  count: number;
  of: number;
  countText: string;
}

export interface PrincipleFindings {
  id: string;
  title: string;
  stats: StatsFigures;
  paragraphs: string[];
  /** Indicators more than half of the institutions measured on them earned nothing on, most missed first. */
  missed: MissedIndicator[];
  /** Over the institutions with a score on the principle in both waves; null without a previous wave. */
  change: ChangeFigures | null;
}

export interface InstitutionPrinciple {
  id: string;
  title: string;
  score: Figure;
  before: Figure;
  change: Figure;
  /** Points earned and possible over the indicators answered and applicable. */
  earned: number;
  possible: number;
  pointsText: string;
}

export interface ZeroIndicator {
  question: string;
  text: string;
  principle: string;
  source: IndicatorSource | null;
  sourceText: string;
  evidence: { url: string; checked: string | null } | null;
  /** What earns the points: the indicator's guidance, or its best answer. */
  guidance: string;
  /** The recommendation drafted for it as the team reviewed it; null when the team dropped it. */
  recommendation: ReviewedRecommendation | null;
}

export interface InstitutionSection {
  name: string;
  /** Type, level and country, as known. */
  facts: string;
  paragraphs: string[];
  principles: InstitutionPrinciple[];
  zero: ZeroIndicator[];
  /** Its recommendations other than one per indicator: priorities and warnings. */
  recommendations: ReviewedRecommendation[];
}

export interface OpennessPaper {
  kind: 'openness';
  locale: Locale;
  title: string;
  generatedAt: string | null;
  framework: FrameworkInfo;
  wave: string;
  /** The wave compared with: the round before `wave`; null when there is none. */
  previous: string | null;
  institutions: number;
  cover: Cover;
  summary: { title: string; paragraphs: string[] };
  methodology: {
    title: string;
    paragraphs: string[];
    principles: {
      id: string;
      title: string;
      indicators: number;
      bySource: Record<IndicatorSource | 'none', number>;
      points: number;
      weight: number;
    }[];
    limitsTitle: string;
    limits: string[];
  };
  ranking: { title: string; intro: string; rows: RankingRow[] };
  principles: { title: string; items: PrincipleFindings[] };
  institutionsSection: { title: string; intro: string; items: InstitutionSection[] };
  /** Null when the institutions are not known to span more than one country. */
  regional: {
    title: string;
    intro: string;
    rows: { country: string; institutions: number; overall: StatsFigures; principles: Figure[] }[];
  } | null;
  recommendations: {
    title: string;
    intro: string;
    /** To the government as a whole, and the team's own additions. */
    items: ReviewedRecommendation[];
    /** Every recommendation of the paper, reviewed, high priority first. */
    all: ReviewedRecommendation[];
    rulesTitle: string;
    rules: { id: string; text: string }[];
    /** Edits whose draft no longer fires. */
    stale: string[];
  };
  annex: {
    title: string;
    intro: string;
    rows: {
      question: string;
      principle: string;
      text: string;
      source: IndicatorSource | null;
      sourceText: string;
      points: Figure;
    }[];
  };
}
