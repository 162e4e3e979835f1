/**
 * What the questionnaire and the review read from the API, and the small pure helpers both
 * pages share: text in the current language, who answered what, progress per domain.
 */

/** Framework text: a plain string (English) or a locale → string map that has `en`. */
export type LocalText = string | Readonly<Record<string, string>>;

export interface FrameworkOption {
  id: string;
  label: LocalText;
  score: number;
  unknown?: boolean;
}

export interface FrameworkQuestion {
  id: string;
  text: LocalText;
  guidance?: LocalText;
  weight: number;
  na?: boolean;
  cap?: number;
  options: FrameworkOption[];
}

export interface FrameworkDomain {
  id: string;
  title: LocalText;
  description?: LocalText;
  weight: number;
  questions: FrameworkQuestion[];
}

export interface Framework {
  frameworkId: string;
  id: string;
  version: string;
  title: LocalText;
  scale: number;
  domains: FrameworkDomain[];
}

export type Status = 'draft' | 'submitted' | 'validated';
export type Layer = 'own' | 'validated';

export interface AnswerValue {
  /** An option id, `na`, or null (not answered). */
  answer: string | null;
  note: string;
}

export interface AnswerLayer extends AnswerValue {
  by: string | null;
  at: string | null;
}

export interface AnswerView {
  question: string;
  own: AnswerLayer | null;
  validated: AnswerLayer | null;
  version: number;
}

export interface Assessment {
  id: string;
  programmeId: string;
  roundId: string;
  organisationId: string;
  status: Status;
  answers: AnswerView[];
}

export interface Programme {
  id: string;
  name: string;
  framework: { id: string; key: string; version: string };
  rounds: { id: string; name: string; position: number }[];
}

export interface AssessmentListItem {
  id: string;
  status: Status;
  programmeId: string;
  programme: string;
  organisationId: string;
  organisation: string;
  round: string;
  as: 'organisation' | 'assessor';
}

export interface EvidenceItem {
  id: string;
  question: string | null;
  domain: string | null;
  name: string;
  mediaType: string;
  size: number;
  uploadedBy: string;
  at: string;
}

export interface InterviewNote {
  id: string;
  domain: string;
  body: string;
  authorId: string;
  at: string;
}

/** The answer value `na`: "not applicable", allowed where the question says `na: true`. */
export const NA = 'na';

export const EMPTY: AnswerValue = { answer: null, note: '' };

/**
 * The text for the current language, falling back through the language (`sr` for `sr-Latn`)
 * to English. `lang` is set when the text is in another language than the one asked for, so
 * screen readers pronounce it right.
 */
export function localise(text: LocalText | undefined, language: string): { text: string; lang?: string } {
  if (text === undefined) return { text: '' };
  if (typeof text === 'string') return language === 'en' ? { text } : { text, lang: 'en' };
  const exact = text[language];
  if (exact !== undefined) return { text: exact };
  const base = language.split('-')[0] ?? 'en';
  if (text[base] !== undefined) return { text: text[base] };
  return { text: text.en ?? '', lang: 'en' };
}

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

/** Sizes in the current language: 12 kB, 3.4 MB. */
export function formatSize(bytes: number, language: string): string {
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : [Math.max(bytes / 1024, 0.1), 'kilobyte'];
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

export function formatDateTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
