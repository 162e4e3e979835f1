/**
 * A cohort as one audience sees it: the figures every surface — the results API, the web app,
 * each report format, the open data — is built from. Managers get the live figures; observers get
 * the published versions (publication.ts), never anything computed live. Building every surface
 * from this one view is what keeps screen, API and reports in agreement.
 */
import type { AnswerSet } from '../answers/collect.js';
import { indexFramework } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import { scoreAnswerSet, type OrganisationResult } from '../scoring/cohort.js';
import {
  DEFAULT_MIN_CELL,
  discloseChange,
  discloseStats,
  type Audience,
  type DisclosedChange,
  type DisclosedStats,
} from './disclose.js';
import { GAP_SCORE, publishRound, type PublishedRound, type PublishedSet } from './publication.js';

/** One question in one round: how many answered it, and of them how many low, don't know, critical gaps. */
export interface QuestionTally {
  answered: number;
  /** Score ≤ 0.25 or Don't know; null where withheld. */
  low: number | null;
  /** At or below the question's `capAt` (a critical gap when the question is capped); null where withheld. */
  critical: number | null;
  unknown: number | null;
}

export interface RoundView {
  round: string;
  /** Organisations with a result in the round. */
  n: number;
  overall: DisclosedStats;
  domains: Record<string, DisclosedStats>;
}

export interface ChangeView {
  from: string;
  to: string;
  n: number;
  overall: DisclosedChange;
  domains: Record<string, DisclosedChange>;
}

export interface CohortView {
  audience: Audience;
  minCell: number;
  rounds: string[];
  /** Organisations with a result in any round. */
  organisations: number;
  cohort: Record<string, RoundView>;
  change: ChangeView[];
  /** question id → round → tally. */
  tallies: ReadonlyMap<string, ReadonlyMap<string, QuestionTally>>;
  /** Per organisation and round (managers only; empty for observers), labelled as the set names them. */
  results: OrganisationResult[];
  /** The organisations' labels in order of first appearance (managers only). */
  names: string[];
}

/** The live view for managers: every figure at full precision, every organisation named. */
export function liveView(fw: Framework, set: AnswerSet, k = DEFAULT_MIN_CELL): CohortView {
  const report = scoreAnswerSet(fw, set);
  const { ordered } = indexFramework(fw);
  const tallies = new Map<string, Map<string, QuestionTally>>();
  for (const q of ordered)
    tallies.set(q.question.id, new Map(set.rounds.map((r) => [r, { answered: 0, low: 0, critical: 0, unknown: 0 }])));
  for (const byRound of set.assessments.values()) {
    for (const [round, choices] of byRound) {
      ordered.forEach((q, p) => {
        const c = choices[p]!;
        if (c < 0) return;
        const o = q.question.options[c]!;
        const tally = tallies.get(q.question.id)!.get(round)!;
        tally.answered++;
        if (o.unknown) tally.unknown!++;
        if (o.score <= q.question.capAt) tally.critical!++;
        if (o.score <= GAP_SCORE || o.unknown) tally.low!++;
      });
    }
  }
  return {
    audience: 'programme',
    minCell: k,
    rounds: [...report.rounds],
    organisations: set.organisations.length,
    cohort: Object.fromEntries(
      Object.entries(report.cohort).map(([round, c]) => [
        round,
        {
          round,
          n: c.n,
          overall: discloseStats(c.overall, 'programme'),
          domains: Object.fromEntries(Object.entries(c.domains).map(([d, s]) => [d, discloseStats(s, 'programme')])),
        },
      ]),
    ),
    change: report.change.map((c) => ({
      from: c.from,
      to: c.to,
      n: c.n,
      overall: discloseChange(c.overall, 'programme'),
      domains: Object.fromEntries(Object.entries(c.domains).map(([d, x]) => [d, discloseChange(x, 'programme')])),
    })),
    tallies,
    results: report.results,
    names: [...set.organisations],
  };
}

/** The observers' view from published versions, one per round, in round order. */
export function publishedView(fw: Framework, published: readonly PublishedRound[], k = DEFAULT_MIN_CELL): CohortView {
  const rounds = published.map((p) => p.round);
  const tallies = new Map<string, Map<string, QuestionTally>>();
  for (const q of indexFramework(fw).ordered) tallies.set(q.question.id, new Map());
  for (const p of published)
    for (const [q, g] of Object.entries(p.gaps))
      tallies.get(q)?.set(p.round, { answered: g.answered, low: g.low, critical: g.critical, unknown: g.unknown });
  return {
    audience: 'observers',
    minCell: k,
    rounds,
    organisations: Math.max(0, ...published.map((p) => p.organisations)),
    cohort: Object.fromEntries(
      published.map((p) => [p.round, { round: p.round, n: p.organisations, overall: p.overall, domains: p.domains }]),
    ),
    change: published.flatMap((p) =>
      p.change && p.from !== null
        ? [{ from: p.from, to: p.round, n: p.change.n, overall: p.change.overall, domains: p.change.domains }]
        : [],
    ),
    tallies,
    results: [],
    names: [],
  };
}

/**
 * The view an audience gets of a cohort held as answers (a spreadsheet, the command line): for
 * managers the live view; for observers each round published in order, as a first version with
 * the earlier rounds' versions as its history — the same rule the app applies.
 */
export function viewFor(fw: Framework, set: AnswerSet, audience: Audience, k = DEFAULT_MIN_CELL): CohortView {
  if (audience === 'programme') return liveView(fw, set, k);
  let history: PublishedSet[] = [];
  const published = set.rounds.map((round, i) => {
    const p = publishRound(fw, set, round, { from: set.rounds[i - 1] ?? null, history, minCell: k });
    history = [...history, ...p.published];
    return p.figures;
  });
  return publishedView(fw, published, k);
}
