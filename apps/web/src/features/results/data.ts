/**
 * What the results pages read from the API, and the small helpers they share: texts in the
 * reader's language, the band (framework level) of a score, and numbers as the scoring
 * contract displays them. The server computes every figure (with the engine); nothing here
 * recomputes a score.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type ApiError } from '../../api';
import { formatScore } from '../../i18n';

/** A framework text: a plain string (English) or a map from locale to string with `en`. */
export type LocalText = string | Readonly<Record<string, string>>;

export interface FrameworkOption {
  id: string;
  label: LocalText;
  score: number;
  unknown: boolean;
}
export interface FrameworkQuestion {
  id: string;
  text: LocalText;
  weight: number;
  na: boolean;
  cap?: number;
  options: FrameworkOption[];
}
export interface FrameworkDomain {
  id: string;
  title: LocalText;
  weight: number;
  questions: FrameworkQuestion[];
}
export interface Level {
  min: number;
  label: LocalText;
}
export interface Framework {
  frameworkId: string;
  id: string;
  version: string;
  title: LocalText;
  scale: number;
  levels: Level[];
  domains: FrameworkDomain[];
}

export interface Programme {
  id: string;
  name: string;
  framework: { id: string; key: string; version: string };
  rounds: { id: string; name: string; position: number; startsOn: string | null; endsOn: string | null }[];
}

export type AssessmentStatus = 'draft' | 'submitted' | 'validated';
export interface Assessment {
  id: string;
  programmeId: string;
  roundId: string;
  organisationId: string;
  status: AssessmentStatus;
}
export interface AssessmentListItem {
  id: string;
  organisation: string;
  round: string;
  programme: string;
}
export interface ProgressRow {
  organisationId: string;
  organisation: string;
  roundId: string;
  assessmentId: string;
}

/** The engine's `explainChoices` output, as GET /assessments/:id/results returns it. */
export interface QuestionExplanation {
  question: string;
  weight: number;
  status: 'answered' | 'na' | 'unanswered';
  option?: string;
  unknown?: boolean;
  score?: number;
  loss: number;
  gapShare: number;
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
  questions: QuestionExplanation[];
}
export interface AssessmentExplanation {
  score: {
    overall: number | null;
    completeness: number;
    answered: number;
    notApplicable: number;
    total: number;
    domains: Record<string, number | null>;
  };
  domains: DomainExplanation[];
}

/** The contract's cohort figures; in the anonymised view every figure over fewer than 5 is null. */
export interface Stats {
  n: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  sd: number | null;
}
export interface Change {
  n: number;
  mean: number | null;
  improved: number;
  declined: number;
  unchanged: number;
}
export interface CohortResults {
  programmeId: string;
  view: 'named' | 'anonymised';
  rounds: string[];
  report: {
    framework: { id: string; version: string };
    results: {
      organisation: string;
      round: string;
      overall: number | null;
      completeness: number;
      domains: Record<string, number | null>;
    }[];
    cohort: Record<string, { n: number; overall: Stats; domains: Record<string, Stats> }>;
    change: { from: string; to: string; n: number; overall: Change; domains: Record<string, Change> }[];
  };
  suppressed: number;
}

/** Observers never see a figure over fewer organisations than this (the server withholds it). */
export const MIN_COHORT = 5;

/** Display decimals from the scoring contract: one for an organisation, two for cohort figures. */
export const ORG_DECIMALS = 1;
export const COHORT_DECIMALS = 2;

/** GET a path under /api/v1 whose id segments are escaped. */
const get = <T>(strings: TemplateStringsArray, ...ids: string[]) =>
  api<T>(
    'GET',
    strings.reduce((path, s, i) => path + s + (i < ids.length ? encodeURIComponent(ids[i]!) : ''), ''),
  );

/** Retry only what may pass on a second try (no connection, a server hiccup) — never a 404. */
export const retry = (count: number, error: ApiError) => (error.status === 0 || error.status >= 500) && count < 3;

/**
 * Query keys, shared with the questionnaire and the manager pages so their caches and
 * invalidations reach these pages too: whatever moves an assessment's answers invalidates
 * ['assessment', id] (and so its results); an import invalidates ['programme', id].
 */
export const keys = {
  assessment: (id: string) => ['assessment', id] as const,
  assessmentResults: (id: string) => ['assessment', id, 'results'] as const,
  assessments: ['assessments'] as const,
  programme: (id: string | undefined) => ['programme', id] as const,
  progress: (id: string | undefined) => ['programme', id, 'progress'] as const,
  cohortResults: (id: string) => ['programme', id, 'results'] as const,
  framework: (id: string | undefined) => ['framework', id] as const,
};

export const useAssessment = (id: string) =>
  useQuery<Assessment, ApiError>({
    queryKey: keys.assessment(id),
    queryFn: () => get<Assessment>`/assessments/${id}`,
    retry,
  });

export const useAssessmentResults = (id: string) =>
  useQuery<AssessmentExplanation, ApiError>({
    queryKey: keys.assessmentResults(id),
    queryFn: () => get<AssessmentExplanation>`/assessments/${id}/results`,
    retry,
  });

/** The reader's own assessments (organisation members and assessors), with organisation names. */
export const useMyAssessments = () =>
  useQuery<AssessmentListItem[], ApiError>({
    queryKey: keys.assessments,
    queryFn: () => get<AssessmentListItem[]>`/assessments`,
    retry,
  });

export const useCohortResults = (id: string) =>
  useQuery<CohortResults, ApiError>({
    queryKey: keys.cohortResults(id),
    queryFn: () => get<CohortResults>`/programmes/${id}/results`,
    retry,
  });

export const useFramework = (id: string | undefined) =>
  useQuery<Framework, ApiError>({
    queryKey: keys.framework(id),
    queryFn: () => get<Framework>`/frameworks/${id!}`,
    enabled: !!id,
    // An imported framework version never changes.
    staleTime: Infinity,
    retry,
  });

export const useProgramme = (id: string | undefined) =>
  useQuery<Programme, ApiError>({
    queryKey: keys.programme(id),
    queryFn: () => get<Programme>`/programmes/${id!}`,
    enabled: !!id,
    retry,
  });

/** Who answered what, per organisation and round: managers only (links to each organisation's results). */
export const useProgress = (programmeId: string | undefined, enabled: boolean) =>
  useQuery<ProgressRow[], ApiError>({
    queryKey: keys.progress(programmeId),
    queryFn: () => get<ProgressRow[]>`/programmes/${programmeId!}/progress`,
    enabled: enabled && !!programmeId,
    retry,
  });

/** The text for the reader's language, falling back through the language to English. */
export function localText(text: LocalText | undefined, lng: string): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[lng] ?? text[lng.split('-')[0] ?? 'en'] ?? text.en ?? '';
}

/** The band a score falls in: the last level whose lower bound it reaches. */
export function levelIndex(levels: readonly Level[], score: number | null | undefined): number {
  if (score === null || score === undefined) return -1;
  let found = -1;
  levels.forEach((l, i) => {
    if (score >= l.min) found = i;
  });
  return found;
}

/** One of five tones (0 weakest … 4 strongest) for band `index` of `count`, for colours and CSS classes. */
export function toneOf(index: number, count: number): number {
  if (index < 0) return -1;
  if (count <= 1) return 4;
  return Math.round((index * 4) / (count - 1));
}

/** A change as text with its sign (+0.61, −0.20, 0.00), rounded half-up like every figure. */
export function formatSigned(x: number | null | undefined, decimals: number): string {
  if (x === null || x === undefined) return '–';
  const magnitude = formatScore(Math.abs(x), decimals);
  if (magnitude === formatScore(0, decimals)) return magnitude;
  return `${x > 0 ? '+' : '−'}${magnitude}`;
}

/** Breaks a label into lines of about `width` characters at spaces, for chart axes. */
export function wrapLabel(label: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** A short form of a title for a cramped chart: its first word, with an ellipsis if cut. */
export function shortLabel(title: string): string {
  const first = title.split(/\s+/)[0]?.replace(/[,;:]$/, '') ?? title;
  return first.length < title.length ? `${first}…` : title;
}
