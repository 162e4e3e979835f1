/**
 * Paired statistics over the differences d = later − earlier of n pairs: the 95% confidence
 * interval of the mean difference (Student's t), the standardised mean difference dz, the
 * Wilcoxon signed-rank test (exact for n ≤ 50, ties handled exactly) and the matched-pairs
 * rank-biserial correlation. The contract is in docs/contracts.md ("Paired statistics").
 *
 * The distribution functions are written here rather than taken from a library: the only
 * well-kept candidate (stdlib) brings 235 packages for these two functions, and the engine
 * stays dependency-light. They are checked against published table values and against the
 * independent implementation in test/oracle (decision 0008).
 */

/**
 * A change of at least this size (either way) counts as improved or declined; smaller ones are
 * "unchanged", and the Wilcoxon test leaves them out.
 */
export const CHANGE_THRESHOLD = 0.005;
/** Sorted absolute differences each this close to the one before are tied and share their average rank. */
export const TIE_TOLERANCE = 1e-9;
/** Up to this many non-zero pairs the p-value is exact; above it, the normal approximation. */
export const EXACT_MAX = 50;

/**
 * The smallest two-sided p the exact signed-rank test can give over n changed pairs: 2/2ⁿ, when
 * every pair moved the same way (ties or not). At 5 pairs it is 0.0625, so p < .05 cannot be
 * reached whatever happened; reports say so beside the figures (docs/contracts.md, §5). Null for
 * n = 0, where there is no test.
 *
 * @example smallestReachableP(5) // 0.0625
 */
export function smallestReachableP(n: number): number | null {
  if (!Number.isInteger(n) || n < 1) return null;
  return 2 / 2 ** n;
}

export interface Wilcoxon {
  /** Pairs whose difference is at least CHANGE_THRESHOLD either way. */
  n: number;
  /** Sum of the ranks of the positive differences. */
  wPlus: number;
  /** Sum of the ranks of the negative differences. */
  wMinus: number;
  /** Two-sided p-value: exact for n ≤ 50, normal approximation with tie correction above. */
  p: number;
}

export interface PairedStats {
  /** 95% confidence interval of the mean difference; null when n < 2. */
  ci95: [number, number] | null;
  /** Mean difference over its sample standard deviation; null when n < 2 or sd = 0. */
  dz: number | null;
  wilcoxon: Wilcoxon | null;
  /** (wPlus − wMinus) / (wPlus + wMinus); null when the Wilcoxon test is null. */
  rankBiserial: number | null;
}

/**
 * The paired statistics of a list of differences (later − earlier).
 *
 * @example pairedStats([0.5, 0.25, 1, 0.75, 2]).wilcoxon // { n: 5, wPlus: 15, wMinus: 0, p: 0.0625 }
 */
export function pairedStats(differences: readonly number[]): PairedStats {
  const n = differences.length;
  let ci95: [number, number] | null = null;
  let dz: number | null = null;
  if (n >= 2) {
    let sum = 0;
    for (const d of differences) sum += d;
    const mean = sum / n;
    let squares = 0;
    for (const d of differences) squares += (d - mean) ** 2;
    // Equal changes such as 0.1, 0.1, 0.1 leave a standard deviation of 1e-17 in floating
    // point, which would make dz 10¹⁶: below the tie tolerance it is taken as the 0 it is.
    const raw = Math.sqrt(squares / (n - 1));
    const sd = raw < TIE_TOLERANCE ? 0 : raw;
    const half = sd === 0 ? 0 : (tQuantile975(n - 1) * sd) / Math.sqrt(n);
    ci95 = [mean - half, mean + half];
    dz = sd === 0 ? null : mean / sd;
  }
  const wilcoxon = signedRank(differences);
  const rankBiserial = wilcoxon ? (wilcoxon.wPlus - wilcoxon.wMinus) / (wilcoxon.wPlus + wilcoxon.wMinus) : null;
  return { ci95, dz, wilcoxon, rankBiserial };
}

/** The Wilcoxon signed-rank test of the differences, or null when none is at least CHANGE_THRESHOLD. */
export function signedRank(differences: readonly number[]): Wilcoxon | null {
  const kept = differences.filter((d) => Math.abs(d) >= CHANGE_THRESHOLD);
  const n = kept.length;
  if (n === 0) return null;
  const order = kept.map((d, i) => ({ abs: Math.abs(d), positive: d > 0, i })).sort((a, b) => a.abs - b.abs);
  // Ranks doubled, so that average ranks of ties (which end in .5) stay whole numbers.
  const doubled = new Array<number>(n);
  const tieSizes: number[] = [];
  for (let start = 0; start < n;) {
    let end = start + 1;
    // A run of values each within the tolerance of the one before is one tie (float noise chains).
    while (end < n && order[end]!.abs - order[end - 1]!.abs <= TIE_TOLERANCE) end++;
    // Ranks start+1 … end share their average, (start + 1 + end) / 2; doubled: start + 1 + end.
    for (let k = start; k < end; k++) doubled[k] = start + 1 + end;
    tieSizes.push(end - start);
    start = end;
  }
  let plus2 = 0;
  let total2 = 0;
  for (let k = 0; k < n; k++) {
    total2 += doubled[k]!;
    if (order[k]!.positive) plus2 += doubled[k]!;
  }
  const wPlus = plus2 / 2;
  const wMinus = (total2 - plus2) / 2;
  const p = n <= EXACT_MAX ? exactP(doubled, plus2, total2) : normalP(n, wPlus, tieSizes);
  return { n, wPlus, wMinus, p };
}

/**
 * The share of the 2ⁿ equally likely sign assignments of these (doubled) ranks whose |W⁺ − total/2|
 * is at least the observed one. Subset sums are counted by dynamic programming; every quantity is
 * a whole number (doubled ranks, counts below 2⁵⁰), so the comparison and the counts are exact.
 */
function exactP(doubled: readonly number[], plus2: number, total2: number): number {
  const counts = new Float64Array(total2 + 1);
  counts[0] = 1;
  let reach = 0;
  for (const r of doubled) {
    for (let s = reach; s >= 0; s--) if (counts[s]! > 0) counts[s + r] = counts[s + r]! + counts[s]!;
    reach += r;
  }
  // |S − T/2| ≥ |W − T/2|, in doubled units and times two again to stay whole: |2S − T| ≥ |2W − T|.
  const observed = Math.abs(2 * plus2 - total2);
  let extreme = 0;
  for (let s = 0; s <= total2; s++) if (counts[s]! > 0 && Math.abs(2 * s - total2) >= observed) extreme += counts[s]!;
  return Math.min(1, extreme / 2 ** doubled.length);
}

/** Two-sided p of the normal approximation with the tie correction, without continuity correction. */
function normalP(n: number, wPlus: number, tieSizes: readonly number[]): number {
  let ties = 0;
  for (const t of tieSizes) ties += t ** 3 - t;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - ties / 48;
  const z = (wPlus - (n * (n + 1)) / 4) / Math.sqrt(variance);
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

const tCache = new Map<number, number>();

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom (12.706 at 1, 2.262 at 9),
 * found by bisection on the distribution function: slow-ish but exact to the last digits, and
 * needed once per degree of freedom.
 */
export function tQuantile975(df: number): number {
  const cached = tCache.get(df);
  if (cached !== undefined) return cached;
  let lo = 0;
  let hi = 64;
  while (tCdf(hi, df) < 0.975) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < 0.975) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  tCache.set(df, q);
  return q;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom, t ≥ 0. */
function tCdf(t: number, df: number): number {
  return 1 - 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The regularised incomplete beta function I_x(a, b), by its continued fraction (modified Lentz). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - logBeta(a, b));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 correct digits). */
function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < g + 2; i++) sum += c[i]! / (y + i);
  const t = y + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * The complementary error function, through the regularised upper incomplete gamma function
 * Q(1/2, x²): its series below x² < 1.5 and its continued fraction above, to about 15 digits.
 */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  const a = 0.5;
  const z = x * x;
  if (z === 0) return 1;
  const lead = Math.exp(-z + a * Math.log(z) - logGamma(a));
  if (z < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let k = 1; k < 10_000; k++) {
      term *= z / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * lead;
  }
  const tiny = 1e-300;
  let b = z + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return lead * h;
}
