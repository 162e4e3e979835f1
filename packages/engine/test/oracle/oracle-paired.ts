/**
 * Independent reference implementation ("oracle") of the Kalaja paired-statistics contract
 * (docs/contracts.md §5, paired statistics): ci95, dz, the Wilcoxon signed-rank test and the
 * rank-biserial correlation over the differences d = later − earlier of a Change's n pairs.
 *
 * Written from the contract text alone, for tests that cross-check the real engine. Deliberately
 * simple: plain loops, no statistics library, Student's t by numerical integration of its density.
 *
 * Decisions where the contract is silent:
 * - Input: the differences in pair order, and optionally the mean the Change already holds (if
 *   omitted it is Σd / n summed in order). sd is the two-pass sample sd around that mean,
 *   sqrt(Σ(d − mean)² / (n − 1)).
 * - "sd = 0" means: the sample sd is below 1e-9 (the project's reading, settled by the integrator
 *   and written in docs/contracts.md: equal differences such as 0.1, 0.1, 0.1 leave a float sd of
 *   about 1e-17, which is no spread at all). Then ci95 = [mean, mean] and dz = null.
 * - t is the 0.975 quantile of Student's t with n − 1 degrees of freedom (an integer ≥ 1). The
 *   CDF is 1/2 + ∫₀ˣ f(u) du, integrated by composite Simpson's rule (step at most 1/4000), and
 *   the quantile is found by doubling an upper bound from 1, then 60 bisection halvings. The
 *   density's constant Γ((ν+1)/2)/Γ(ν/2) comes from the exact recurrence r(ν+2) = r(ν)·(ν+1)/ν
 *   with r(1) = 1/√π, r(2) = √π/2. Accurate to about 1e-10 absolute; compare with a tolerance.
 * - ci95 = [mean − t·sd/√n, mean + t·sd/√n], evaluated as half = t × sd / sqrt(n).
 * - Wilcoxon drop rule: a pair is dropped when |d| < 0.005 as raw doubles, so |d| = 0.005 is kept
 *   (consistent with the Change's improved Δ ≥ 0.005 / declined Δ ≤ −0.005).
 * - Ties "within 1e-9": the kept |d| are sorted ascending and cut into groups of consecutive
 *   values; a value joins the current group when it is at most 1e-9 (inclusive, absolute) above
 *   the PREVIOUS value in sorted order (a chain: 1, 1 + 0.8e-9, 1 + 1.6e-9 are one group even
 *   though the ends are 1.6e-9 apart). Each group gets the average of the positions it spans.
 *   The sign of d decides wPlus or wMinus; a tied group may mix signs.
 * - All rank arithmetic is exact: average ranks are multiples of 1/2, so the oracle works in
 *   doubled ranks (integers). The exact p compares |2W⁺ − total| ≥ |2w⁺ − total| in integers,
 *   with total = n(n+1)/2 (the sum of the ranks is the same with or without ties); no tolerance
 *   is needed or used. wPlus and wMinus are returned as doubled / 2 (exact doubles).
 * - Exact p (n ≤ 50): count of the 2ⁿ sign assignments of the same (tied) ranks; brute-force
 *   enumeration for n ≤ 16, a subset-sum count over doubled ranks for 17 ≤ n ≤ 50 (counts stay
 *   below 2⁵⁰ < 2⁵³, so doubles hold them exactly); p = count / 2ⁿ, which can be 1.
 * - Normal approximation (n > 50): z = (W⁺ − n(n+1)/4) / σ, σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48
 *   over tie groups of size t; p = 2·P(Z ≥ |z|), the upper tail integrated directly by Simpson's
 *   rule over [|z|, |z| + 40] (so tiny p keep their relative precision), capped at 1.
 * - rankBiserial = (wPlus − wMinus) / (wPlus + wMinus), null when the Wilcoxon is null.
 */

/** The signed-rank test of the kept pairs (|d| ≥ 0.005). */
export interface OracleWilcoxon {
  n: number;
  wPlus: number;
  wMinus: number;
  p: number;
}
/** The paired statistics every Change carries. */
export interface OraclePaired {
  ci95: [number, number] | null;
  dz: number | null;
  wilcoxon: OracleWilcoxon | null;
  rankBiserial: number | null;
}
/** A Change with its paired statistics (docs/contracts.md §4 and §5). */
export interface OraclePairedChange extends OraclePaired {
  n: number;
  mean: number | null;
  improved: number;
  declined: number;
  unchanged: number;
}

const DROP_BELOW = 0.005;
const TIE_WITHIN = 1e-9;
const EXACT_UP_TO = 50;
const BRUTE_FORCE_UP_TO = 16;

/* ------------------------------------------------------------------ */
/* Student's t                                                         */
/* ------------------------------------------------------------------ */

/** Γ((ν+1)/2) / Γ(ν/2) for an integer ν ≥ 1, by the exact two-step recurrence. */
function gammaRatio(nu: number): number {
  let r = nu % 2 === 1 ? 1 / Math.sqrt(Math.PI) : Math.sqrt(Math.PI) / 2;
  let k = nu % 2 === 1 ? 1 : 2;
  while (k < nu) {
    r = (r * (k + 1)) / k;
    k += 2;
  }
  return r;
}

function tDensity(x: number, nu: number, constant: number): number {
  return constant * Math.pow(1 + (x * x) / nu, -(nu + 1) / 2);
}

/** ∫₀ˣ of the t density, composite Simpson's rule. */
function tIntegral(x: number, nu: number, constant: number): number {
  const panels = 2 * Math.max(1, Math.ceil(2000 * x)); // even, h ≤ 1/4000
  const h = x / panels;
  let sum = tDensity(0, nu, constant) + tDensity(x, nu, constant);
  for (let i = 1; i < panels; i++) {
    const weight = i % 2 === 1 ? 4 : 2;
    sum += weight * tDensity(i * h, nu, constant);
  }
  return (sum * h) / 3;
}

/** CDF of Student's t with ν degrees of freedom (integer ν ≥ 1). */
export function oracleTCdf(x: number, nu: number): number {
  if (!Number.isInteger(nu) || nu < 1) throw new Error(`oracle: degrees of freedom must be an integer >= 1, got ${nu}`);
  const constant = gammaRatio(nu) / Math.sqrt(nu * Math.PI);
  if (x < 0) return 0.5 - tIntegral(-x, nu, constant);
  return 0.5 + tIntegral(x, nu, constant);
}

const tQuantileCache = new Map<string, number>();

/** The p quantile (0.5 < p < 1) of Student's t with ν degrees of freedom, by bisection. */
export function oracleTQuantile(p: number, nu: number): number {
  if (!(p > 0.5 && p < 1)) throw new Error(`oracle: quantile level must be in (0.5, 1), got ${p}`);
  const key = `${p}/${nu}`;
  const cached = tQuantileCache.get(key);
  if (cached !== undefined) return cached;

  let lo = 0;
  let hi = 1;
  while (oracleTCdf(hi, nu) < p) {
    lo = hi;
    hi = hi * 2;
  }
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (oracleTCdf(mid, nu) < p) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  tQuantileCache.set(key, t);
  return t;
}

/* ------------------------------------------------------------------ */
/* Standard normal upper tail                                          */
/* ------------------------------------------------------------------ */

/** P(Z ≥ a) for a ≥ 0: Simpson's rule on the density over [a, a + 40]. */
export function oracleNormalUpperTail(a: number): number {
  if (a < 0) return 1 - oracleNormalUpperTail(-a);
  const panels = 100000; // even
  const length = 40;
  const h = length / panels;
  const c = 1 / Math.sqrt(2 * Math.PI);
  const phi = (x: number): number => c * Math.exp(-(x * x) / 2);
  let sum = phi(a) + phi(a + length);
  for (let i = 1; i < panels; i++) {
    const weight = i % 2 === 1 ? 4 : 2;
    sum += weight * phi(a + i * h);
  }
  return (sum * h) / 3;
}

/* ------------------------------------------------------------------ */
/* Wilcoxon signed-rank                                                */
/* ------------------------------------------------------------------ */

/** Kept differences (|d| ≥ 0.005) with their doubled average ranks, and the tie group sizes. */
export function oracleSignedRanks(differences: number[]): {
  kept: number[];
  doubledRanks: number[];
  tieSizes: number[];
} {
  const kept: number[] = [];
  for (const d of differences) {
    if (Math.abs(d) >= DROP_BELOW) kept.push(d);
  }

  // Indexes of kept, sorted by |d| ascending (stable: original order on equal |d|).
  const order: number[] = [];
  for (let i = 0; i < kept.length; i++) order.push(i);
  order.sort((i, j) => Math.abs(kept[i] as number) - Math.abs(kept[j] as number) || i - j);

  const doubledRanks: number[] = new Array<number>(kept.length).fill(0);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start; // inclusive
    while (
      end + 1 < order.length &&
      Math.abs(kept[order[end + 1] as number] as number) - Math.abs(kept[order[end] as number] as number) <= TIE_WITHIN
    ) {
      end += 1;
    }
    // Positions start+1 .. end+1; their average doubled is (start+1) + (end+1).
    const doubled = start + 1 + (end + 1);
    for (let k = start; k <= end; k++) doubledRanks[order[k] as number] = doubled;
    tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { kept, doubledRanks, tieSizes };
}

/**
 * How many of the 2ⁿ sign assignments of these doubled ranks are at least as far from the centre
 * as observed. With S the doubled W⁺ of an assignment and A the sum of all doubled ranks,
 * |W⁺ − total/2| = |2S − A| / 4, so the test is |2S − A| ≥ observedDistance, all in integers
 * (observedDistance = |2S_observed − A|). Brute force over every subset.
 */
export function oracleCountBruteForce(doubledRanks: number[], observedDistance: number): number {
  const n = doubledRanks.length;
  if (n > 24) throw new Error('oracle: brute force is for small n only');
  let sumAll = 0;
  for (const r of doubledRanks) sumAll += r;
  // Compare 2·S with sumAll so that everything stays an integer.
  let count = 0;
  const assignments = Math.pow(2, n);
  for (let mask = 0; mask < assignments; mask++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      if ((mask >> i) & 1) s += doubledRanks[i] as number;
    }
    if (Math.abs(2 * s - sumAll) >= observedDistance) count += 1;
  }
  return count;
}

/** The same count as oracleCountBruteForce, by counting subsets per doubled sum. */
export function oracleCountBySums(doubledRanks: number[], observedDistance: number): number {
  let sumAll = 0;
  for (const r of doubledRanks) sumAll += r;
  // ways[s] = number of subsets of the ranks seen so far whose doubled sum is s.
  let ways: number[] = new Array<number>(sumAll + 1).fill(0);
  ways[0] = 1;
  for (const r of doubledRanks) {
    const next: number[] = ways.slice();
    for (let s = 0; s + r <= sumAll; s++) {
      next[s + r] = (next[s + r] as number) + (ways[s] as number);
    }
    ways = next;
  }
  let count = 0;
  for (let s = 0; s <= sumAll; s++) {
    if (Math.abs(2 * s - sumAll) >= observedDistance) count += ways[s] as number;
  }
  return count;
}

/** The Wilcoxon signed-rank test as the contract defines it; null when no pair is kept. */
export function oracleWilcoxon(differences: number[]): OracleWilcoxon | null {
  const { kept, doubledRanks, tieSizes } = oracleSignedRanks(differences);
  const n = kept.length;
  if (n === 0) return null;

  let doubledPlus = 0;
  let doubledMinus = 0;
  for (let i = 0; i < n; i++) {
    if ((kept[i] as number) > 0) doubledPlus += doubledRanks[i] as number;
    else doubledMinus += doubledRanks[i] as number;
  }
  const wPlus = doubledPlus / 2;
  const wMinus = doubledMinus / 2;
  const doubledTotal = doubledPlus + doubledMinus; // = n(n+1)
  if (doubledTotal !== n * (n + 1)) throw new Error('oracle: ranks do not sum to n(n+1)/2');

  let p: number;
  if (n <= EXACT_UP_TO) {
    // |W⁺ − total/2| in units of 1/4: |2·doubledPlus − doubledTotal|.
    const observedDistance = Math.abs(2 * doubledPlus - doubledTotal);
    const count =
      n <= BRUTE_FORCE_UP_TO
        ? oracleCountBruteForce(doubledRanks, observedDistance)
        : oracleCountBySums(doubledRanks, observedDistance);
    p = count / Math.pow(2, n);
  } else {
    const mu = (n * (n + 1)) / 4;
    let tieTerm = 0;
    for (const t of tieSizes) tieTerm += t * t * t - t;
    const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
    const z = (wPlus - mu) / Math.sqrt(variance);
    p = 2 * oracleNormalUpperTail(Math.abs(z));
    if (p > 1) p = 1;
  }
  return { n, wPlus, wMinus, p };
}

/* ------------------------------------------------------------------ */
/* Everything together                                                 */
/* ------------------------------------------------------------------ */

/** The paired statistics over the differences d (in pair order) of a Change. */
export function oraclePaired(differences: number[], mean?: number | null): OraclePaired {
  const n = differences.length;
  let m: number | null = mean === undefined ? null : mean;
  if (mean === undefined && n > 0) {
    let sum = 0;
    for (const d of differences) sum += d;
    m = sum / n;
  }

  let ci95: [number, number] | null = null;
  let dz: number | null = null;
  if (n >= 2 && m !== null) {
    let squares = 0;
    for (const d of differences) squares += (d - m) * (d - m);
    let sd = Math.sqrt(squares / (n - 1));
    if (sd < 1e-9) sd = 0;
    const t = oracleTQuantile(0.975, n - 1);
    const half = (t * sd) / Math.sqrt(n);
    ci95 = [m - half, m + half];
    dz = sd === 0 ? null : m / sd;
  }

  const wilcoxon = oracleWilcoxon(differences);
  const rankBiserial =
    wilcoxon === null ? null : (wilcoxon.wPlus - wilcoxon.wMinus) / (wilcoxon.wPlus + wilcoxon.wMinus);
  return { ci95, dz, wilcoxon, rankBiserial };
}

/** A full Change over (earlier, later) pairs: counts with Δ ≥ 0.005 / ≤ −0.005, and paired statistics. */
export function oraclePairedChange(pairs: Array<[number, number]>): OraclePairedChange {
  const differences: number[] = [];
  let improved = 0;
  let declined = 0;
  let unchanged = 0;
  let sum = 0;
  for (const [earlier, later] of pairs) {
    const d = later - earlier;
    differences.push(d);
    sum += d;
    if (d >= 0.005) improved += 1;
    else if (d <= -0.005) declined += 1;
    else unchanged += 1;
  }
  const n = pairs.length;
  const mean = n === 0 ? null : sum / n;
  return { n, mean, improved, declined, unchanged, ...oraclePaired(differences, mean) };
}
