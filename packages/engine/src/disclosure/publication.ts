/**
 * Published results: what observers see is a frozen version a manager published, never figures
 * computed live (docs/threat-model.md, T9). Live figures let an observer difference out one
 * organisation: read the mean before and after it joins (n 5 → 6) and 6 × after − 5 × before
 * is its score, to twelve digits. A version is therefore published only as figures rounded to
 * display precision (see disclose.ts), and each figure only when it cannot be set against any
 * figure published before to isolate fewer than k organisations.
 *
 * The rule, per figure ("cell"): a cell is a sum over organisations of some quantity (the
 * "variable": a round's overall score, a domain's score in a round, whether a question was
 * answered low). Each organisation contributes a value, known here only by a fingerprint. A cell
 * is shown when at least k organisations stand behind it, and when, for every set of
 * contributions to the same variable published before (in any version, by any cell, this one's
 * earlier cells included), the organisations whose contribution differs number 0 or at least k.
 * A change between rounds is a cell over two variables (the earlier and the later score of the
 * same pairs), so it is checked against both rounds' figures: a reassessment missing one
 * baseline organisation cannot reveal that organisation's baseline score.
 */
import type { AnswerSet } from '../answers/collect.js';
import { indexFramework } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import { scoreChoices, type AssessmentScore } from '../scoring/score.js';
import { SumAudit } from './audit.js';
import { change, stats } from '../scoring/stats.js';
import {
  DEFAULT_MIN_CELL,
  discloseChange,
  discloseStats,
  type DisclosedChange,
  type DisclosedStats,
} from './disclose.js';

/** An answer at or below this score, or "Don't know", is a gap (as the reports count them). */
export const GAP_SCORE = 0.25;

/** What one organisation contributes to a variable, by fingerprint. */
export interface CellVariable {
  name: string;
  contributors: ReadonlyMap<string, string>;
  /**
   * The sum of the contributions and the range each lies in: when the sum alone pins every
   * contribution to less than one point (a mean of 9.9 over five, on 0–10; every organisation
   * giving the same answer), the figure tells each organisation's own.
   */
  sum?: { value: number; lo: number; hi: number };
}

/** One figure to publish, over one or more variables. */
export interface Cell {
  key: string;
  /** How many organisations stand behind it. */
  n: number;
  variables: CellVariable[];
}

/** Whether a sum of n contributions, each within [lo, hi], leaves each one less than a point of room. */
function pins(n: number, sum: { value: number; lo: number; hi: number }): boolean {
  const top = Math.min(sum.hi, sum.value - (n - 1) * sum.lo);
  const bottom = Math.max(sum.lo, sum.value - (n - 1) * sum.hi);
  // Indicators (0 or 1) are pinned only when every contribution is equal (the count is 0 or n).
  if (sum.hi - sum.lo === 1) return sum.value <= sum.lo * n || sum.value >= sum.hi * n;
  return top - bottom < 1;
}

/** A set of contributions to a variable that was published, as stored (fingerprints only). */
export interface PublishedSet {
  variable: string;
  contributors: Readonly<Record<string, string>>;
}

export type CellReason = 'small-cell' | 'differencing' | 'pinned';

export interface CellDecision {
  key: string;
  shown: boolean;
  reason?: CellReason;
  /** With `differencing`: how many organisations differ from a set published before (1 to k − 1). */
  differing?: number;
}

/** How many organisations contribute differently to two sets (absent from one counts). */
export function organisationsDiffering(a: ReadonlyMap<string, string>, b: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const [org, fp] of a) if (b[org] !== fp) n++;
  for (const org of Object.keys(b)) if (!a.has(org)) n++;
  return n;
}

/**
 * Decides which cells may be shown, in the order given (put the most useful first: a later cell
 * that would difference against an earlier one of the same version is the one withheld).
 *
 * A cell is withheld when fewer than k organisations stand behind it; when its sum alone pins
 * each contribution; when, against some set of the same variable published before, the
 * organisations contributing differently number 1 to k − 1; or when, with every sum of the
 * variable published so far, it would determine some contribution exactly (SumAudit).
 */
export function decideCells(
  cells: readonly Cell[],
  history: readonly PublishedSet[],
  k = DEFAULT_MIN_CELL,
): CellDecision[] {
  const published = new Map<string, Readonly<Record<string, string>>[]>();
  const audits = new Map<string, SumAudit>();
  const unknowns = (contributors: Iterable<[string, string]>) => [...contributors].map(([o, fp]) => `${o}=${fp}`);
  const record = (variable: string, contributors: Readonly<Record<string, string>>) => {
    const list = published.get(variable);
    if (list) list.push(contributors);
    else published.set(variable, [contributors]);
    let audit = audits.get(variable);
    if (!audit) audits.set(variable, (audit = new SumAudit()));
    audit.add(unknowns(Object.entries(contributors)));
  };
  for (const h of history) record(h.variable, h.contributors);
  return cells.map((cell): CellDecision => {
    if (cell.n < k) return { key: cell.key, shown: false, reason: 'small-cell' };
    if (cell.variables.some((v) => v.sum && pins(v.contributors.size, v.sum)))
      return { key: cell.key, shown: false, reason: 'pinned' };
    for (const v of cell.variables) {
      for (const earlier of published.get(v.name) ?? []) {
        const d = organisationsDiffering(v.contributors, earlier);
        if (d > 0 && d < k) return { key: cell.key, shown: false, reason: 'differencing', differing: d };
      }
      if (audits.get(v.name)?.wouldReveal(unknowns(v.contributors)))
        return { key: cell.key, shown: false, reason: 'differencing' };
    }
    for (const v of cell.variables) record(v.name, Object.fromEntries(v.contributors));
    return { key: cell.key, shown: true };
  });
}

/** Turns a contribution into the fingerprint stored; the server passes a keyed hash. */
export type Fingerprint = (variable: string, organisation: string, value: string) => string;

/** The figures of one round as observers see a published version of it. */
export interface PublishedRound {
  round: string;
  /** The round compared with, when the round has a predecessor with results. */
  from: string | null;
  minCell: number;
  /** Organisations with a result in the round (the assessments the figures rest on). */
  organisations: number;
  overall: DisclosedStats;
  domains: Record<string, DisclosedStats>;
  change: { n: number; overall: DisclosedChange; domains: Record<string, DisclosedChange> } | null;
  /** Per question: how many answered it, and of those how many gave a low answer or did not know. */
  gaps: Record<string, { answered: number; low: number | null; unknown: number | null; critical: number | null }>;
  /** Every figure withheld, with why. */
  withheld: { cell: string; reason: CellReason; differing?: number }[];
}

export interface RoundPublication {
  figures: PublishedRound;
  /** The sets of contributions this version publishes, for the next version's checks. */
  published: PublishedSet[];
  /** Each organisation's combined fingerprint over the round: the next version counts who changed. */
  organisations: Record<string, string>;
}

/**
 * Builds the version of a round that observers may see: its cohort figures, the change from the
 * round before (over organisations in both), and each question's gap counts, each cell decided
 * by the rule above against what was published before. `set` holds the assessments the figures
 * rest on (validated ones, as the server chooses), keyed by a stable organisation key.
 */
export function publishRound(
  fw: Framework,
  set: AnswerSet,
  round: string,
  options: {
    from?: string | null;
    history?: readonly PublishedSet[];
    minCell?: number;
    fingerprint?: Fingerprint;
  } = {},
): RoundPublication {
  const k = options.minCell ?? DEFAULT_MIN_CELL;
  const fingerprint: Fingerprint = options.fingerprint ?? ((_v, _o, value) => value);
  const from = options.from ?? null;
  const scores = new Map<string, { now?: AssessmentScore; before?: AssessmentScore }>();
  for (const org of set.organisations) {
    const byRound = set.assessments.get(org);
    const now = byRound?.get(round);
    const before = from === null ? undefined : byRound?.get(from);
    if (now || before)
      scores.set(org, {
        ...(now && { now: scoreChoices(fw, now) }),
        ...(before && { before: scoreChoices(fw, before) }),
      });
  }
  const measures = [
    { id: 'overall', pick: (s: AssessmentScore) => s.overall },
    ...fw.domains.map((d) => ({ id: d.id, pick: (s: AssessmentScore) => s.domains[d.id] ?? null })),
  ];
  const variable = (r: string, m: string) => `score:${r}:${m}`;
  const cells: Cell[] = [];
  const values = new Map<string, number[]>();
  const pairs = new Map<string, [number, number][]>();

  for (const m of measures) {
    const contributors = new Map<string, string>();
    const list: number[] = [];
    for (const [org, s] of scores) {
      const v = s.now ? m.pick(s.now) : null;
      if (v === null) continue;
      list.push(v);
      contributors.set(org, fingerprint(variable(round, m.id), org, String(v)));
    }
    values.set(m.id, list);
    const sum = { value: list.reduce((x, y) => x + y, 0), lo: 0, hi: fw.scale };
    cells.push({
      key: `stats:${m.id}`,
      n: list.length,
      variables: [{ name: variable(round, m.id), contributors, sum }],
    });
  }
  if (from !== null) {
    for (const m of measures) {
      const before = new Map<string, string>();
      const after = new Map<string, string>();
      const list: [number, number][] = [];
      for (const [org, s] of scores) {
        const a = s.before ? m.pick(s.before) : null;
        const b = s.now ? m.pick(s.now) : null;
        if (a === null || b === null) continue;
        list.push([a, b]);
        before.set(org, fingerprint(variable(from, m.id), org, String(a)));
        after.set(org, fingerprint(variable(round, m.id), org, String(b)));
      }
      pairs.set(m.id, list);
      cells.push({
        key: `change:${m.id}`,
        n: list.length,
        variables: [
          {
            name: variable(from, m.id),
            contributors: before,
            sum: { value: list.reduce((x, [a]) => x + a, 0), lo: 0, hi: fw.scale },
          },
          {
            name: variable(round, m.id),
            contributors: after,
            sum: { value: list.reduce((x, [, b]) => x + b, 0), lo: 0, hi: fw.scale },
          },
        ],
      });
    }
  }
  const { ordered } = indexFramework(fw);
  const tallies = new Map<string, { answered: number; low: number; unknown: number; critical: number }>();
  ordered.forEach((q, p) => {
    const contributors = new Map<string, string>();
    const t = { answered: 0, low: 0, unknown: 0, critical: 0 };
    for (const org of set.organisations) {
      const c = set.assessments.get(org)?.get(round)?.[p];
      if (c === undefined || c < 0) continue;
      const o = q.question.options[c]!;
      const low = o.score <= GAP_SCORE || o.unknown;
      const critical = q.question.cap !== undefined && o.score <= q.question.capAt;
      t.answered++;
      if (low) t.low++;
      if (o.unknown) t.unknown++;
      if (critical) t.critical++;
      contributors.set(org, fingerprint(`gap:${round}:${q.question.id}`, org, `${+low}${+o.unknown}${+critical}`));
    }
    tallies.set(q.question.id, t);
    cells.push({
      key: `gap:${q.question.id}`,
      n: t.answered,
      // Whether an answer was low is an indicator: a count of 0, or of everyone who answered, tells each one's.
      variables: [{ name: `gap:${round}:${q.question.id}`, contributors, sum: { value: t.low, lo: 0, hi: 1 } }],
    });
  });

  const decisions = decideCells(cells, options.history ?? [], k);
  const shown = new Set(decisions.filter((d) => d.shown).map((d) => d.key));
  const reasonOf = (key: string) => decisions.find((x) => x.key === key)!.reason!;
  const statsOf = (id: string): DisclosedStats => {
    const s = discloseStats(stats(values.get(id)!), 'observers', k);
    if (shown.has(`stats:${id}`) || s.n === 0) return s;
    return { ...s, mean: null, withheld: { ...s.withheld, mean: reasonOf(`stats:${id}`) } };
  };
  const changeOfMeasure = (id: string): DisclosedChange => {
    const c = discloseChange(change(pairs.get(id)!), 'observers', k);
    if (shown.has(`change:${id}`) || c.n === 0) return c;
    const reason = reasonOf(`change:${id}`);
    return {
      ...c,
      ...{ mean: null, improved: 0, declined: 0, unchanged: 0, wilcoxon: null, rankBiserial: null },
      withheld: {
        ...c.withheld,
        ...{
          mean: reason,
          improved: reason,
          declined: reason,
          unchanged: reason,
          wilcoxon: reason,
          rankBiserial: reason,
        },
      },
    };
  };
  const figures: PublishedRound = {
    round,
    from,
    minCell: k,
    organisations: [...scores.values()].filter((s) => s.now).length,
    overall: statsOf('overall'),
    domains: Object.fromEntries(fw.domains.map((d) => [d.id, statsOf(d.id)])),
    change:
      from === null
        ? null
        : {
            n: pairs.get('overall')!.length,
            overall: changeOfMeasure('overall'),
            domains: Object.fromEntries(fw.domains.map((d) => [d.id, changeOfMeasure(d.id)])),
          },
    gaps: Object.fromEntries(
      [...tallies].map(([q, t]) => {
        const ok = shown.has(`gap:${q}`);
        return [
          q,
          {
            answered: t.answered,
            low: ok ? t.low : null,
            unknown: ok ? t.unknown : null,
            critical: ok ? t.critical : null,
          },
        ];
      }),
    ),
    withheld: decisions
      .filter((d) => !d.shown && cells.find((c) => c.key === d.key)!.n > 0)
      .map((d) => ({ cell: d.key, reason: d.reason!, ...(d.differing !== undefined && { differing: d.differing }) })),
  };
  const published = cells
    .filter((c) => shown.has(c.key))
    .flatMap((c) => c.variables.map((v) => ({ variable: v.name, contributors: Object.fromEntries(v.contributors) })));
  const perOrganisation = new Map<string, string[]>();
  for (const c of cells)
    for (const v of c.variables)
      for (const [org, fp] of v.contributors) {
        const list = perOrganisation.get(org);
        if (list) list.push(`${v.name}=${fp}`);
        else perOrganisation.set(org, [`${v.name}=${fp}`]);
      }
  const organisations = Object.fromEntries([...perOrganisation].map(([org, list]) => [org, list.sort().join('|')]));
  return { figures, published, organisations };
}

/**
 * How many organisations' figures differ between two versions of a round (present in one only,
 * or contributing differently). A new version is published only when this is 0 < n, and n ≥ k.
 */
export function versionDifference(
  previous: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>,
): number {
  return organisationsDiffering(new Map(Object.entries(current)), previous);
}
