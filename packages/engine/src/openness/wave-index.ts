import { rankByScore } from './ranking.js';
import type { Framework } from '../framework/types.js';
import { NA, scoreAssessment, type Answers } from '../scoring/score.js';

/**
 * The openness index of one wave (docs/contracts.md, §11): each institution's percentage and
 * principle scores by the unchanged scoring contract (§4), its points earned over points possible,
 * and its rank. Pure: the server, the open data and the policy paper read the same figures.
 */

/** One institution's figures in one wave, at full precision. */
export interface InstitutionScore {
  id: string;
  /** The overall percentage (on the framework's scale), null when no applicable indicator is answered. */
  overall: number | null;
  /** Each principle (domain), null where none of its applicable indicators is answered. */
  principles: Record<string, number | null>;
  /** Points earned (Σ option score × indicator weight) and possible (Σ weight), over answered applicable indicators. */
  points: number;
  maxPoints: number;
  /** Per principle, the same points. */
  principlePoints: Record<string, { points: number; maxPoints: number }>;
  /** (answered + not applicable) / all indicators. */
  completeness: number;
}

/** Scores each institution's answers (indicator id → option id or `na`). */
export function scoreInstitution(fw: Framework, id: string, answers: Answers): InstitutionScore {
  const s = scoreAssessment(fw, answers);
  const principlePoints: Record<string, { points: number; maxPoints: number }> = {};
  let points = 0;
  let maxPoints = 0;
  for (const d of fw.domains) {
    const p = { points: 0, maxPoints: 0 };
    for (const q of d.questions) {
      const a = answers.get(q.id);
      if (a === undefined || a === '' || a === NA) continue;
      const option = q.options.find((o) => o.id === a);
      if (!option) continue;
      p.points += option.score * q.weight;
      p.maxPoints += q.weight;
    }
    principlePoints[d.id] = p;
    points += p.points;
    maxPoints += p.maxPoints;
  }
  return {
    id,
    overall: s.overall,
    principles: s.domains,
    points,
    maxPoints,
    principlePoints,
    completeness: s.completeness,
  };
}

/**
 * Standard competition ranking on full precision: the highest overall is 1, institutions with the
 * same overall (within 1e-9, as the policy paper ranks) share a rank and the next rank skips ("1, 2, 2, 4"). Institutions with no overall
 * have no rank (null) and come last, in the order given. Returns the entries in ranking order.
 *
 * @example
 * rankInstitutions([{id: 'a', overall: 50}, {id: 'b', overall: 70}, {id: 'c', overall: 50}, {id: 'd', overall: null}])
 * // → [{id: 'b', rank: 1}, {id: 'a', rank: 2}, {id: 'c', rank: 2}, {id: 'd', rank: null}]
 */
export function rankInstitutions<T extends { id: string; overall: number | null }>(
  entries: readonly T[],
): (T & { rank: number | null })[] {
  // One rule for the public pages and the policy paper: the paper's ranking.
  return rankByScore(entries, (e) => e.overall).map(({ item, rank }) => ({ ...item, rank }));
}

/** What moved for one institution since the previous wave: percentage points, overall and per principle. */
export interface InstitutionChange {
  /** The previous wave's overall; null when it had none (or did not measure the institution). */
  previous: number | null;
  /** later − earlier, null unless both waves have a value. */
  overall: number | null;
  principles: Record<string, number | null>;
}

/** The change of `current` since `previous` (the wave before, in round order), or null when not measured then. */
export function institutionChange(
  fw: Framework,
  current: Pick<InstitutionScore, 'overall' | 'principles'>,
  previous: Pick<InstitutionScore, 'overall' | 'principles'> | undefined,
): InstitutionChange | null {
  if (!previous) return null;
  const delta = (a: number | null | undefined, b: number | null | undefined) =>
    a === null || a === undefined || b === null || b === undefined ? null : a - b;
  return {
    previous: previous.overall,
    overall: delta(current.overall, previous.overall),
    principles: Object.fromEntries(
      fw.domains.map((d) => [d.id, delta(current.principles[d.id], previous.principles[d.id])]),
    ),
  };
}

/** Per country: how many institutions have a score and their mean overall (the regional comparison). */
export function compareCountries(
  entries: readonly { country: string; overall: number | null }[],
): { country: string; institutions: number; scored: number; mean: number | null }[] {
  const by = new Map<string, { institutions: number; values: number[] }>();
  for (const e of entries) {
    const c = by.get(e.country) ?? { institutions: 0, values: [] };
    c.institutions += 1;
    if (e.overall !== null) c.values.push(e.overall);
    by.set(e.country, c);
  }
  return [...by.entries()]
    .map(([country, c]) => ({
      country,
      institutions: c.institutions,
      scored: c.values.length,
      mean: c.values.length > 0 ? c.values.reduce((a, b) => a + b, 0) / c.values.length : null,
    }))
    .sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : 0));
}
