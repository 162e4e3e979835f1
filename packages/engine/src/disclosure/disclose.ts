/**
 * What an audience may see of a cohort's figures — the one rule, used by the results API, the
 * web app and every report format (docs/threat-model.md, T9).
 *
 * - `programme` (managers, the programme's own report): everything, at full precision.
 * - `observers` (funders, policy makers): aggregates only, rounded to display precision, never
 *   a figure computed over fewer than k organisations, and never a statistic that is one
 *   organisation's own score (median, minimum, maximum) or that gives away the spread (standard
 *   deviation, the confidence interval and dz, which are built from it). Counts of organisations
 *   that improved or declined, the Wilcoxon p-value and the rank-biserial correlation rest on
 *   ranks, not scores, and are shown over k or more.
 */
import { roundHalfUp, DECIMALS } from '../scoring/round.js';
import type { Change, Stats } from '../scoring/stats.js';

export type Audience = 'programme' | 'observers';

/** The smallest number of organisations (or participants) a figure for observers may rest on. */
export const DEFAULT_MIN_CELL = 5;

/**
 * Why a figure is not shown: too few organisations behind it; comparing it with figures published
 * before would reveal one; its value alone pins each organisation's (every one gave the same
 * answer); or it is one organisation's own score or gives away the spread.
 */
export type WithheldReason = 'small-cell' | 'differencing' | 'pinned' | 'individual';

/** Stats as an audience sees them: values null where withheld, with the reason. */
export interface DisclosedStats extends Stats {
  /** The fields withheld, each with why; empty when everything is shown. */
  withheld: Partial<Record<keyof Omit<Stats, 'n'>, WithheldReason>>;
}

export interface DisclosedChange extends Change {
  withheld: Partial<Record<Exclude<keyof Change, 'n'>, WithheldReason>>;
}

/** The statistics that are one organisation's own score, or that give away the spread. */
const INDIVIDUAL: readonly (keyof Omit<Stats, 'n'>)[] = ['median', 'min', 'max', 'sd'];
/** The paired statistics built from the standard deviation of the changes. */
const SPREAD = ['ci95', 'dz'] as const;

const cohort = (x: number | null) => (x === null ? null : roundHalfUp(x, DECIMALS.cohort));

/**
 * A round's (or a domain's) statistics as the audience may see them.
 *
 * @example discloseStats({ n: 4, mean: 3.2, … }, 'observers', 5) // every value null, withheld 'small-cell'
 */
export function discloseStats(s: Stats, audience: Audience, k = DEFAULT_MIN_CELL): DisclosedStats {
  if (audience === 'programme') return { ...s, withheld: {} };
  const withheld: DisclosedStats['withheld'] = {};
  for (const f of INDIVIDUAL) if (s[f] !== null) withheld[f] = 'individual';
  if (s.n < k && s.mean !== null) {
    withheld.mean = 'small-cell';
    return { n: s.n, mean: null, median: null, min: null, max: null, sd: null, withheld };
  }
  return { n: s.n, mean: cohort(s.mean), median: null, min: null, max: null, sd: null, withheld };
}

/** A change between rounds as the audience may see it. */
export function discloseChange(c: Change, audience: Audience, k = DEFAULT_MIN_CELL): DisclosedChange {
  if (audience === 'programme') return { ...c, withheld: {} };
  if (c.n < k) {
    const withheld: DisclosedChange['withheld'] = {};
    if (c.n > 0)
      for (const f of ['mean', 'improved', 'declined', 'unchanged', 'wilcoxon', 'rankBiserial', ...SPREAD] as const)
        withheld[f] = 'small-cell';
    return {
      n: c.n,
      mean: null,
      improved: 0,
      declined: 0,
      unchanged: 0,
      ci95: null,
      dz: null,
      wilcoxon: null,
      rankBiserial: null,
      withheld,
    };
  }
  const withheld: DisclosedChange['withheld'] = {};
  for (const f of SPREAD) if (c[f] !== null) withheld[f] = 'individual';
  return {
    n: c.n,
    mean: cohort(c.mean),
    improved: c.improved,
    declined: c.declined,
    unchanged: c.unchanged,
    ci95: null,
    dz: null,
    wilcoxon: c.wilcoxon && { ...c.wilcoxon, p: roundHalfUp(c.wilcoxon.p, 3) },
    rankBiserial: c.rankBiserial === null ? null : roundHalfUp(c.rankBiserial, 2),
    withheld,
  };
}

/** A count of organisations with some property, out of those that answered: shown over k or more. */
export function discloseCount(count: number, of: number, audience: Audience, k = DEFAULT_MIN_CELL): number | null {
  return audience === 'observers' && of < k ? null : count;
}

/** Whether per-organisation rows (names or pseudonyms with their scores) may be shown at all. */
export function showsOrganisations(audience: Audience): boolean {
  return audience === 'programme';
}
