import {
  compareCountries,
  institutionChange,
  rankInstitutions,
  scoreInstitution,
  type Framework,
  type InstitutionChange,
  type InstitutionScore,
} from '@kalaja/engine';

/**
 * What one published version of a wave freezes (stored as JSON in `openness_publications.content`):
 * figures at full precision, each indicator's answer and public evidence (URL, checked date,
 * archived copies), never a note. Texts (indicator wording, principle titles) are read from the
 * pinned framework version in the reader's language, which never changes after it is imported.
 */
export interface FrozenWave {
  index: { id: string; name: string };
  wave: { id: string; name: string; previous: string | null };
  framework: { id: string; key: string; version: string; scale: number };
  licence: Licence;
  institutions: FrozenInstitution[];
  countries: ReturnType<typeof compareCountries> | null;
}

export interface FrozenInstitution {
  id: string;
  name: string;
  type: string;
  level: string;
  country: string;
  rank: number | null;
  score: InstitutionScore;
  change: InstitutionChange | null;
  indicators: FrozenIndicator[];
}

export interface FrozenIndicator {
  id: string;
  source: string;
  answer: string | null;
  url: string | null;
  checkedOn: string | null;
  archives: { id: string; name: string; mediaType: string; size: number }[];
}

export interface Licence {
  name: string;
  path: string;
}

/** The open data's licence unless the instance says otherwise. */
export const DEFAULT_LICENCE: Licence = { name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/' };

/** An answer's sealed content: the answer and its evidence, and the team's notes beside it. */
export interface AnswerContent {
  answer: string | null;
  url: string | null;
  checkedOn: string | null;
  notes: string;
  interviewNotes: string;
}

/**
 * Freezes a wave: scores each institution, ranks them, measures the change since the previous
 * published wave, compares countries when more than one is measured.
 */
export function freezeWave(
  fw: Framework,
  head: Pick<FrozenWave, 'index' | 'wave' | 'framework' | 'licence'>,
  institutions: {
    id: string;
    name: string;
    type: string;
    level: string;
    country: string;
    answers: Map<string, string>;
    indicators: FrozenIndicator[];
  }[],
  previous: FrozenWave | undefined,
): FrozenWave {
  const scored = institutions.map((i) => ({
    ...i,
    overall: 0 as number | null,
    score: scoreInstitution(fw, i.id, i.answers),
  }));
  for (const s of scored) s.overall = s.score.overall;
  const before = new Map(previous?.institutions.map((i) => [i.id, i.score]));
  const ranked = rankInstitutions(scored);
  const countries = new Set(institutions.map((i) => i.country));
  return {
    ...head,
    institutions: ranked.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      level: r.level,
      country: r.country,
      rank: r.rank,
      score: r.score,
      change: institutionChange(fw, r.score, before.get(r.id)),
      indicators: r.indicators,
    })),
    countries: countries.size > 1 ? compareCountries(scored) : null,
  };
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading =+-@ is neutralised. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (cells: (string | number | null)[]) => cells.map(csvField).join(',') + '\r\n';

/** The institutions table of the open data: one row per institution, full precision. */
export function institutionsCsv(w: FrozenWave, principles: string[]): { header: string[]; body: string } {
  const header = [
    'rank',
    'institution_id',
    'institution',
    'type',
    'level',
    'country',
    'overall',
    ...principles.map((p) => `principle_${p}`),
    'points',
    'max_points',
    'change_overall',
  ];
  let body = csvLine(header);
  for (const i of w.institutions)
    body += csvLine([
      i.rank,
      i.id,
      i.name,
      i.type,
      i.level,
      i.country,
      i.score.overall,
      ...principles.map((p) => i.score.principles[p] ?? null),
      i.score.points,
      i.score.maxPoints,
      i.change?.overall ?? null,
    ]);
  return { header, body };
}

/** The indicators table of the open data: one row per institution and indicator answered. */
export function indicatorsCsv(w: FrozenWave, fw: Framework): { header: string[]; body: string } {
  const header = [
    'institution_id',
    'indicator',
    'principle',
    'source',
    'answer',
    'points',
    'max_points',
    'url',
    'checked_on',
  ];
  const principleOf = new Map(fw.domains.flatMap((d) => d.questions.map((q) => [q.id, d.id] as const)));
  const question = new Map(fw.domains.flatMap((d) => d.questions.map((q) => [q.id, q] as const)));
  let body = csvLine(header);
  for (const i of w.institutions)
    for (const ind of i.indicators) {
      const q = question.get(ind.id);
      const option = q?.options.find((o) => o.id === ind.answer);
      body += csvLine([
        i.id,
        ind.id,
        principleOf.get(ind.id) ?? null,
        ind.source,
        ind.answer,
        option && q ? option.score * q.weight : null,
        q?.weight ?? null,
        ind.url,
        ind.checkedOn,
      ]);
    }
  return { header, body };
}
