import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  oracleCountBruteForce,
  oracleCountBySums,
  oracleNormalUpperTail,
  oraclePaired,
  oraclePairedChange,
  oracleSignedRanks,
  oracleTCdf,
  oracleTQuantile,
  oracleWilcoxon,
} from './oracle-paired.js';

/*
 * Where the expected values come from:
 * - "table": printed Student's t and Wilcoxon signed-rank tables (any statistics textbook).
 * - "hand": worked out in the comment beside the assertion.
 * - "scipy": SciPy 1.17.1 on this machine, run once while writing the test:
 *   scipy.stats.t.ppf(0.975, df); scipy.stats.t.interval(0.95, n−1, loc=mean, scale=sd/√n);
 *   scipy.stats.wilcoxon(d, method='exact') for untied data;
 *   scipy.stats.wilcoxon(d, method='approx', correction=False) for n > 50 (zero_method 'wilcox',
 *   tie-corrected variance, no continuity correction, the contract's recipe);
 *   for tied data, scipy.stats.permutation_test((d,), |W⁺ − total/2|, permutation_type='samples',
 *   n_resamples=inf, alternative='greater'), which enumerates all 2ⁿ sign flips exactly.
 * - "mpmath": mpmath 1.3.0 at 30 digits, erfc(|z|/√2) with z from the tie-corrected formula.
 */

describe('oracle: Student t quantile', () => {
  it('matches printed t tables at 0.975 for df 1, 2, 4, 9, 29 (to the 3 decimals tables give)', () => {
    expect(oracleTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(oracleTQuantile(0.975, 2)).toBeCloseTo(4.303, 3);
    expect(oracleTQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(oracleTQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(oracleTQuantile(0.975, 29)).toBeCloseTo(2.045, 3);
  });

  it('matches the closed forms for df 1 and 2 to 1e-10', () => {
    // df 1 is Cauchy: F(t) = 1/2 + atan(t)/π, so t = tan(0.475π).
    expect(Math.abs(oracleTQuantile(0.975, 1) - Math.tan(0.475 * Math.PI))).toBeLessThan(1e-10);
    // df 2: F(t) = 1/2 + t / (2√(2 + t²)); t/√(2 + t²) = 0.95 gives t² = 2 × 0.9025 / 0.0975.
    expect(Math.abs(oracleTQuantile(0.975, 2) - Math.sqrt(1.805 / 0.0975))).toBeLessThan(1e-10);
  });

  it('matches scipy to 1e-9 and tends to the normal 1.95996 as df grows', () => {
    expect(Math.abs(oracleTQuantile(0.975, 4) - 2.7764451051977934)).toBeLessThan(1e-9); // scipy
    expect(Math.abs(oracleTQuantile(0.975, 9) - 2.262157162798205)).toBeLessThan(1e-9); // scipy
    expect(Math.abs(oracleTQuantile(0.975, 29) - 2.045229642132703)).toBeLessThan(1e-9); // scipy
    expect(Math.abs(oracleTQuantile(0.975, 100) - 1.9839715185235518)).toBeLessThan(1e-9); // scipy
    expect(oracleTQuantile(0.975, 2000)).toBeGreaterThan(1.959964);
    expect(oracleTQuantile(0.975, 2000)).toBeLessThan(1.962);
  });

  it('has a symmetric CDF with F(0) = 1/2 and rejects df that is not a positive integer', () => {
    expect(oracleTCdf(0, 7)).toBeCloseTo(0.5, 15);
    expect(oracleTCdf(-1.3, 7) + oracleTCdf(1.3, 7)).toBeCloseTo(1, 12);
    // Cauchy: F(1) = 3/4 (hand).
    expect(oracleTCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(() => oracleTCdf(1, 0)).toThrow();
    expect(() => oracleTCdf(1, 2.5)).toThrow();
    expect(() => oracleTQuantile(0.4, 3)).toThrow();
  });
});

describe('oracle: normal upper tail', () => {
  it('matches known values, keeping relative precision far in the tail', () => {
    expect(oracleNormalUpperTail(0)).toBeCloseTo(0.5, 13);
    expect(oracleNormalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 13);
    // mpmath: erfc(3/√2)/2 = 0.00134989803163009452665181476759; erfc(10/√2)/2 = 7.6198530241605260659733e-24.
    expect(Math.abs(oracleNormalUpperTail(3) / 0.0013498980316300946 - 1)).toBeLessThan(1e-10);
    expect(Math.abs(oracleNormalUpperTail(10) / 7.619853024160525e-24 - 1)).toBeLessThan(1e-8);
  });
});

describe('oracle: ci95 and dz', () => {
  it('gives the t interval and dz for d = 1, 2, 3', () => {
    // hand: mean 2, sd 1, half = t(2) × 1 / √3 = 4.3027 / 1.7321; scipy interval below.
    const out = oraclePaired([1, 2, 3]);
    expect(out.ci95?.[0]).toBeCloseTo(-0.48413771175033027, 9);
    expect(out.ci95?.[1]).toBeCloseTo(4.48413771175033, 9);
    expect(out.dz).toBe(2);
  });

  it('gives the t interval and dz for five mixed differences (scipy)', () => {
    const out = oraclePaired([0.5, 1.5, -0.25, 2, 0.75]);
    expect(out.ci95?.[0]).toBeCloseTo(-0.18867099766627426, 9);
    expect(out.ci95?.[1]).toBeCloseTo(1.9886709976662744, 9);
    expect(out.dz).toBeCloseTo(1.026478707321962, 12);
  });

  it('uses the mean it is given (the Change mean)', () => {
    // With a mean of 0 given instead of 2, sd = √((1 + 4 + 9) / 2) = √7 (hand).
    const out = oraclePaired([1, 2, 3], 0);
    expect(out.dz).toBe(0);
    const half = (oracleTQuantile(0.975, 2) * Math.sqrt(7)) / Math.sqrt(3);
    expect(out.ci95?.[0]).toBeCloseTo(-half, 12);
  });

  it('is null for n < 2, and gives [mean, mean] with dz null when sd = 0', () => {
    expect(oraclePaired([])).toEqual({ ci95: null, dz: null, wilcoxon: null, rankBiserial: null });
    const one = oraclePaired([1.5]);
    expect(one.ci95).toBeNull();
    expect(one.dz).toBeNull();
    // A single kept pair still has a Wilcoxon: 2 of 2 assignments are as extreme, p = 1 (hand).
    expect(one.wilcoxon).toEqual({ n: 1, wPlus: 1, wMinus: 0, p: 1 });
    expect(one.rankBiserial).toBe(1);
    const flat = oraclePaired([0.5, 0.5, 0.5]);
    expect(flat.ci95).toEqual([0.5, 0.5]);
    expect(flat.dz).toBeNull();
  });

  it('treats equal differences as sd = 0 even when their float mean is off in the last bit', () => {
    // (0.1 + 0.1 + 0.1) / 3 is 0.10000000000000002 in doubles; the differences are still all equal.
    expect((0.1 + 0.1 + 0.1) / 3).not.toBe(0.1);
    const out = oraclePaired([0.1, 0.1, 0.1]);
    expect(out.dz).toBeNull();
    expect(out.ci95?.[0]).toBe(out.ci95?.[1]);
  });
});

describe('oracle: Wilcoxon signed-rank, exact', () => {
  it('gives p = 2/32 for five positive differences, the smallest p at n = 5 (hand)', () => {
    // Only "all +" and "all −" are as far from 7.5 as W⁺ = 15: 2 of 2⁵.
    expect(oracleWilcoxon([1, 2, 3, 4, 5])).toEqual({ n: 5, wPlus: 15, wMinus: 0, p: 0.0625 });
    expect(oracleWilcoxon([-1, -2, -3, -4, -5])).toEqual({ n: 5, wPlus: 0, wMinus: 15, p: 0.0625 });
  });

  it('drops |d| < 0.005 before ranking but keeps |d| = 0.005', () => {
    // Three dropped pairs, then the same five as above (hand).
    const out = oracleWilcoxon([0, 1, 0.004, 2, -0.0049999, 3, 4, 5]);
    expect(out).toEqual({ n: 5, wPlus: 15, wMinus: 0, p: 0.0625 });
    // −0.005 is kept and ranked first: W⁻ = 1; subsets of 1..5 with sum ≤ 1: 2, two-sided 4/32 (hand; scipy 0.125).
    expect(oracleWilcoxon([-0.005, 1, 2, 3, 4])).toEqual({ n: 5, wPlus: 14, wMinus: 1, p: 0.125 });
    expect(oracleWilcoxon([0, 0.001, -0.004])).toBeNull();
  });

  it('matches the exact distribution for n = 6..10 (hand from subset counts, scipy agrees)', () => {
    // n = 6, W⁻ = 2: subsets of 1..6 with sum ≤ 2: {}, {1}, {2}; two-sided 6/64.
    expect(oracleWilcoxon([1, -2, 3, 4, 5, 6])?.p).toBe(0.09375);
    // n = 6, W⁻ = 6: sums ≤ 6 count 1+1+1+2+2+3+4 = 14; 28/64.
    expect(oracleWilcoxon([1, 2, 3, 4, 5, -6])?.p).toBe(0.4375);
    // n = 7, W⁻ = 10: sums ≤ 10 count 37; 74/128.
    expect(oracleWilcoxon([1, 2, -3, 4, 5, 6, -7])?.p).toBe(0.578125);
    // n = 8, all positive: 2/256.
    expect(oracleWilcoxon([1, 2, 3, 4, 5, 6, 7, 8])?.p).toBe(0.0078125);
    // n = 9, W⁻ = 6: 28/512.
    expect(oracleWilcoxon([1, -2, 3, -4, 5, 6, 7, 8, 9])?.p).toBe(0.0546875);
    // n = 10, W⁻ = 8 is the table's two-sided 5 % critical value: sums ≤ 8 count 25, p = 50/1024 < .05 …
    expect(oracleWilcoxon([1, 2, -3, 4, -5, 6, 7, 8, 9, 10])?.p).toBe(0.048828125);
    // … and W⁻ = 9 (sums ≤ 9 count 33) is not: 66/1024.
    expect(oracleWilcoxon([1, 2, 3, 4, -9, 5, 6, 7, 8, 10])?.p).toBe(0.064453125);
    // n = 10, W⁻ = 15: sums ≤ 15 count 119, 238/1024 (scipy 0.232421875).
    expect(oracleWilcoxon([1, 2, -3, 4, -5, 6, -7, 8, 9, 10])?.p).toBe(0.232421875);
    // scipy: W = 19 → 0.431640625, W = 21 → 0.556640625.
    expect(oracleWilcoxon([-1, -2, -3, -4, -5, -6, -7, -8, 9, 10])?.p).toBe(0.431640625);
    expect(oracleWilcoxon([-1, -2, -3, -4, 5, -6, 7, -8, 9, -10])?.p).toBe(0.556640625);
  });

  it('gives tied values their average rank and an exact p over the tied ranks', () => {
    // |d| = 1, 1, 2, 3 → ranks 1.5, 1.5, 3, 4; W⁺ = 1.5 + 1.5 + 4 = 7, W⁻ = 3. Doubled ranks 3, 3, 6, 8:
    // of the 16 subset sums, 10 are at least 4 (doubled) from the centre 10: p = 10/16 (hand; scipy 0.625).
    expect(oracleWilcoxon([1, 1, -2, 3])).toEqual({ n: 4, wPlus: 7, wMinus: 3, p: 0.625 });
    // All tied: ranks 3, 3, 3, 3, 3; only all + or all − reach W⁺ = 15: 2/32 (hand).
    expect(oracleWilcoxon([1, 1, 1, 1, 1])).toEqual({ n: 5, wPlus: 15, wMinus: 0, p: 0.0625 });
    // scipy permutation_test values.
    expect(oracleWilcoxon([0.5, -0.5, 0.5, 1, -2, 2, 2])?.p).toBe(0.421875);
    expect(oracleWilcoxon([3, 3, -3, 3, 1, -1, 2, 2])?.p).toBe(0.1953125);
    expect(oracleWilcoxon([1, 2, 2, -3, 3, 3, 4, -4, 5, 5, 5, 5])?.p).toBe(0.03515625);
  });

  it('ties values within 1e-9 of the previous one as a chain', () => {
    // 1, 1 + 0.8e-9, 1 + 1.6e-9 are one group (each within 1e-9 of the one before): ranks 2, 2, 2, then 4.
    const out = oracleWilcoxon([1, -(1 + 0.8e-9), 1 + 1.6e-9, 2]);
    expect(out?.wPlus).toBe(8);
    expect(out?.wMinus).toBe(2);
    // Doubled ranks 4, 4, 4, 8, sum 20; observed doubled W⁺ 16: sums ≤ 4 or ≥ 16 are 1 + 3 + 3 + 1 of 16 (hand).
    expect(out?.p).toBe(0.5);
    // 2⁻³⁰ ≈ 9.3e-10 apart is tied, 2⁻²⁹ ≈ 1.9e-9 apart is not.
    expect(oracleSignedRanks([0.5, 0.5 + 2 ** -30]).doubledRanks).toEqual([3, 3]);
    expect(oracleSignedRanks([0.5, 0.5 + 2 ** -29]).doubledRanks).toEqual([2, 4]);
  });

  it('is exact for 17 ≤ n ≤ 50 by counting subset sums (scipy exact values)', () => {
    const d20: number[] = [];
    for (let i = 1; i <= 20; i++) d20.push(i % 4 === 0 ? -i : i);
    expect(oracleWilcoxon(d20)?.wMinus).toBe(60);
    expect(Math.abs((oracleWilcoxon(d20)?.p ?? NaN) - 0.09730720520019531)).toBeLessThan(1e-15);
    const d30: number[] = [];
    for (let i = 1; i <= 30; i++) d30.push(i % 5 === 0 ? -i : i);
    expect(Math.abs((oracleWilcoxon(d30)?.p ?? NaN) - 0.007612137123942375)).toBeLessThan(1e-15);
    // n = 50 all positive: the smallest reachable p, 2/2⁵⁰, still exact.
    const d50: number[] = [];
    for (let i = 1; i <= 50; i++) d50.push(i);
    expect(oracleWilcoxon(d50)?.p).toBe(2 / 2 ** 50);
  });

  it('counts the same by brute force and by subset sums, ties included', () => {
    const tiedRanks = fc
      .array(fc.record({ size: fc.integer({ min: 1, max: 4 }), sign: fc.boolean() }), { minLength: 1, maxLength: 8 })
      .filter((groups) => groups.reduce((s, g) => s + g.size, 0) <= 14);
    fc.assert(
      fc.property(tiedRanks, fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }), (groups, signs) => {
        // Differences whose |d| are the group index, so tie groups are exactly the groups.
        const d: number[] = [];
        let k = 0;
        for (let g = 0; g < groups.length; g++) {
          for (let j = 0; j < (groups[g]?.size ?? 0); j++) {
            d.push((signs[k] ? 1 : -1) * (g + 1));
            k += 1;
          }
        }
        const { kept, doubledRanks } = oracleSignedRanks(d);
        let a = 0;
        let plus = 0;
        for (let i = 0; i < kept.length; i++) {
          a += doubledRanks[i] ?? 0;
          if ((kept[i] ?? 0) > 0) plus += doubledRanks[i] ?? 0;
        }
        const distance = Math.abs(2 * plus - a);
        expect(oracleCountBySums(doubledRanks, distance)).toBe(oracleCountBruteForce(doubledRanks, distance));
      }),
      { numRuns: 300 },
    );
  });
});

describe('oracle: Wilcoxon signed-rank, normal approximation for n > 50', () => {
  it('at n = 60 without ties matches scipy', () => {
    const d: number[] = [];
    for (let i = 1; i <= 60; i++) d.push(i % 3 === 0 ? -i : i);
    const out = oracleWilcoxon(d);
    // W⁻ = 3 + 6 + … + 60 = 630 (hand), W⁺ = 1830 − 630.
    expect(out?.wMinus).toBe(630);
    expect(out?.wPlus).toBe(1200);
    expect(Math.abs((out?.p ?? NaN) / 0.03590012321587811 - 1)).toBeLessThan(1e-9);
    // All positive: z = 915 / √18452.5; scipy 1.6295557943119345e-11, mpmath 1.62955579431193e-11.
    const all: number[] = [];
    for (let i = 1; i <= 60; i++) all.push(i);
    expect(Math.abs((oracleWilcoxon(all)?.p ?? NaN) / 1.6295557943119345e-11 - 1)).toBeLessThan(1e-8);
  });

  it('at n = 60 with ties uses the tie-corrected variance (scipy and mpmath agree)', () => {
    const d: number[] = [];
    for (let i = 0; i < 60; i++) d.push(((i % 7) + 1) * (i % 4 === 0 ? -1 : 1));
    const out = oracleWilcoxon(d);
    // Seven tie groups of sizes 9, 9, 9, 9, 8, 8, 8.
    expect(oracleSignedRanks(d).tieSizes).toEqual([9, 9, 9, 9, 8, 8, 8]);
    expect(out?.wPlus).toBe(1386);
    expect(out?.wMinus).toBe(444);
    // mpmath: 0.000509059014803380786069411842877; scipy 0.0005090590148033811.
    expect(Math.abs((out?.p ?? NaN) / 0.0005090590148033808 - 1)).toBeLessThan(1e-9);
  });

  it('switches from exact at n = 50 to the approximation at n = 51', () => {
    const d51: number[] = [];
    for (let i = 1; i <= 51; i++) d51.push(i);
    // scipy approx 5.145276051717656e-10, far from the exact 2/2⁵¹ ≈ 8.9e-16.
    expect(Math.abs((oracleWilcoxon(d51)?.p ?? NaN) / 5.145276051717656e-10 - 1)).toBeLessThan(1e-8);
  });

  it('gives p = 1 when W⁺ sits at the centre', () => {
    // In each block 4k+1 .. 4k+4, + on the outer two and − on the inner two: both sum to 8k + 5.
    const d: number[] = [];
    for (let i = 1; i <= 60; i++) d.push(i % 4 === 1 || i % 4 === 0 ? i : -i);
    const out = oracleWilcoxon(d);
    expect(out?.wPlus).toBe(915);
    expect(out?.p).toBeCloseTo(1, 12);
  });
});

describe('oracle: rank-biserial and the full Change', () => {
  it('is (W⁺ − W⁻) / (W⁺ + W⁻), null when the Wilcoxon is', () => {
    // W⁺ 7, W⁻ 3: 4/10 (hand).
    expect(oraclePaired([1, 1, -2, 3]).rankBiserial).toBeCloseTo(0.4, 15);
    expect(oraclePaired([0, 0.001]).rankBiserial).toBeNull();
    expect(oraclePaired([0, 0.001]).wilcoxon).toBeNull();
    // But ci95 is still defined over both pairs.
    expect(oraclePaired([0, 0.001]).ci95).not.toBeNull();
  });

  it('builds a Change from pairs with its counts and paired statistics', () => {
    // Δ = 50, 50, 0 (hand): mean 33.3, improved 2, unchanged 1; Wilcoxon on 50, 50: ranks 1.5, 1.5, p = 2/4.
    const change = oraclePairedChange([
      [25, 75],
      [0, 50],
      [25, 25],
    ]);
    expect(change.n).toBe(3);
    expect(change.mean).toBeCloseTo(100 / 3, 12);
    expect([change.improved, change.declined, change.unchanged]).toEqual([2, 0, 1]);
    expect(change.wilcoxon).toEqual({ n: 2, wPlus: 3, wMinus: 0, p: 0.5 });
    expect(change.rankBiserial).toBe(1);
    // scipy: interval (−38.37754549582437, 105.04421216249105), dz = 2/√3.
    expect(change.ci95?.[0]).toBeCloseTo(-38.37754549582437, 8);
    expect(change.ci95?.[1]).toBeCloseTo(105.04421216249105, 8);
    expect(change.dz).toBeCloseTo(2 / Math.sqrt(3), 12);
    expect(oraclePairedChange([])).toEqual({
      n: 0,
      mean: null,
      improved: 0,
      declined: 0,
      unchanged: 0,
      ci95: null,
      dz: null,
      wilcoxon: null,
      rankBiserial: null,
    });
  });
});
