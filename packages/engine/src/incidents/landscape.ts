import { DEFAULT_MIN_CELL, type Audience } from '../disclosure/disclose.js';
import type { Framework } from '../framework/types.js';
import type { SurveyAnswers } from '../survey/answers.js';
import type { LandscapeWithheld } from './landscape-publication.js';
import { surveyTally, type SurveyTally } from '../survey/tally.js';

/**
 * The threat landscape (issue 17): a programme's incidents over a period, counted per category,
 * per actor, by targeting and by certainty, with the share of the cohort's organisations each
 * category touched, beside the cohort's baseline capacity per domain. Pure: the service opens
 * the sealed incidents and hands them here; nothing here knows an incident's words.
 *
 * For observers the landscape is k-anonymous like every cohort figure (packages/engine/src/
 * disclosure/): a count that comes from fewer than `k` organisations is withheld (`null`), and
 * when a breakdown would have exactly one withheld row that the total gives away, the next
 * smallest row is withheld with it. A cohort smaller than `k` shows observers nothing but its size.
 */

/** What the landscape needs of one incident: its organisation, its dates and its taxonomy ids. */
export interface LandscapeIncident {
  organisationId: string;
  /** YYYY-MM-DD: the day it happened, or the first day of the period it went on. */
  occurredOn: string;
  /** YYYY-MM-DD: the last day of the period, or null for one day. */
  endedOn: string | null;
  category: string;
  actor: string;
  targeting: string;
  certainty: string;
}

/** One row of a breakdown: incidents and distinct organisations; null when withheld. */
export interface LandscapeRow {
  id: string;
  incidents: number | null;
  organisations: number | null;
  /** Organisations with at least one such incident, out of the cohort (0–1); null when withheld. */
  share: number | null;
  withheld: boolean;
}

export interface LandscapeDomain {
  id: string;
  /** The cohort's mean baseline score in the domain, or null (none, or withheld). */
  score: number | null;
  /** Organisations with a score in the domain. */
  n: number;
  withheld: boolean;
}

export interface Landscape {
  period: { from: string; to: string };
  audience: Audience;
  k: number;
  /** Organisations of the cohort. */
  organisations: number;
  /** Organisations with at least one incident in the period; null when withheld. */
  affected: number | null;
  /** Incidents in the period; null when withheld. */
  incidents: number | null;
  categories: LandscapeRow[];
  actors: LandscapeRow[];
  targeting: LandscapeRow[];
  certainty: LandscapeRow[];
  baseline: LandscapeDomain[];
  /**
   * The threat survey's answers aggregated (`surveyTally`), when the programme runs one;
   * absent otherwise, and in landscapes frozen before surveys existed.
   */
  survey?: SurveyTally;
  /**
   * Frozen for observers (`publishLandscape`): every withheld count and why, `differencing` when
   * setting it beside a landscape frozen before would isolate fewer than k organisations. Absent
   * in the team's edition and in landscapes frozen before the rule.
   */
  withheldCells?: LandscapeWithheld[];
}

export interface LandscapeInput {
  period: { from: string; to: string };
  /** Every organisation of the cohort, with or without incidents. */
  organisations: readonly string[];
  incidents: readonly LandscapeIncident[];
  /** The lists' ids in their taxonomy order: every id gets a row, zero or not. */
  lists: {
    categories: readonly string[];
    actors: readonly string[];
    targeting: readonly string[];
    certainty: readonly string[];
  };
  /** The cohort's baseline per domain: the mean score and how many organisations have one. */
  baseline?: readonly { id: string; score: number | null; n: number }[];
  /** The survey the programme runs and each organisation's answers (organisations outside the cohort are left out). */
  survey?: { framework: Framework; answers: readonly { organisationId: string; answers: SurveyAnswers }[] };
}

/** Whether an incident's day or period meets [from, to] (both YYYY-MM-DD, inclusive). */
export function inPeriod(i: Pick<LandscapeIncident, 'occurredOn' | 'endedOn'>, period: { from: string; to: string }) {
  return i.occurredOn <= period.to && (i.endedOn ?? i.occurredOn) >= period.from;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function breakdown(
  ids: readonly string[],
  incidents: readonly LandscapeIncident[],
  key: 'category' | 'actor' | 'targeting' | 'certainty',
  cohort: number,
  audience: Audience,
  k: number,
): LandscapeRow[] {
  const rows = ids.map((id) => {
    const mine = incidents.filter((i) => i[key] === id);
    return { id, incidents: mine.length, organisations: new Set(mine.map((i) => i.organisationId)).size };
  });
  if (audience === 'programme')
    return rows.map((r) => ({ ...r, share: cohort === 0 ? 0 : round3(r.organisations / cohort), withheld: false }));
  const withheld = new Set(rows.filter((r) => r.organisations > 0 && r.organisations < k).map((r) => r.id));
  // One withheld row among shown ones is the total minus the rest: withhold the next smallest with it.
  if (withheld.size === 1) {
    const next = rows
      .filter((r) => r.organisations > 0 && !withheld.has(r.id))
      .sort((a, b) => a.incidents - b.incidents || a.id.localeCompare(b.id))[0];
    if (next) withheld.add(next.id);
  }
  return rows.map((r) =>
    withheld.has(r.id)
      ? { id: r.id, incidents: null, organisations: null, share: null, withheld: true }
      : { ...r, share: cohort === 0 ? 0 : round3(r.organisations / cohort), withheld: false },
  );
}

/** The landscape of a cohort's incidents over a period, for the programme or for observers. */
export function threatLandscape(input: LandscapeInput, audience: Audience, k = DEFAULT_MIN_CELL): Landscape {
  const cohort = new Set(input.organisations);
  const incidents = input.incidents.filter((i) => cohort.has(i.organisationId) && inPeriod(i, input.period));
  const affected = new Set(incidents.map((i) => i.organisationId)).size;
  const small = audience === 'observers' && cohort.size < k;
  const observersSeeTotals = audience === 'programme' || (!small && (affected === 0 || affected >= k));
  const rows = (ids: readonly string[], key: 'category' | 'actor' | 'targeting' | 'certainty') =>
    small
      ? ids.map((id) => ({ id, incidents: null, organisations: null, share: null, withheld: true }))
      : breakdown(ids, incidents, key, cohort.size, audience, k);
  return {
    period: { ...input.period },
    audience,
    k,
    organisations: cohort.size,
    affected: observersSeeTotals ? affected : null,
    incidents: observersSeeTotals ? incidents.length : null,
    categories: rows(input.lists.categories, 'category'),
    actors: rows(input.lists.actors, 'actor'),
    targeting: rows(input.lists.targeting, 'targeting'),
    certainty: rows(input.lists.certainty, 'certainty'),
    baseline: (input.baseline ?? []).map((d) => {
      const hidden = audience === 'observers' && d.n < k;
      return { id: d.id, score: hidden || d.score === null ? null : round3(d.score), n: d.n, withheld: hidden };
    }),
    ...(input.survey && {
      survey: surveyTally(
        input.survey.framework,
        input.survey.answers.filter((a) => cohort.has(a.organisationId)).map((a) => a.answers),
        audience,
        k,
      ),
    }),
  };
}
