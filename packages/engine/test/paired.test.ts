import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeOf, pairedStats, signedRank, tQuantile975 } from '../src/index.js';

/*
 * Expected values and where they come from:
 * - t quantiles: the two-sided 5% column of any table of Student's t (and scipy.stats.t.ppf).
 * - exact Wilcoxon p-values: enumeration of all 2ⁿ sign assignments of the same ranks (a short
 *   Python loop), and scipy.stats.wilcoxon(method='exact') where there are no ties.
 * - the normal approximation: scipy.stats.wilcoxon(zero_method='wilcox', correction=False,
 *   method='approx'), which applies the same tie correction.
 */

describe('the t quantile behind the 95% interval', () => {
  it.each([
    [1, 12.706],
    [2, 4.303],
    [4, 2.776],
    [9, 2.262],
    [29, 2.045],
    [1000, 1.962],
  ])('is the table value at %i degrees of freedom', (df, table) => {
    expect(tQuantile975(df)).toBeCloseTo(table, 3);
  });
});

describe('paired statistics of a change', () => {
  const d = [0.5, 0.25, 1.1, -0.75, 2, 1.3, 0.9, -0.2, 0.6, 1.7];

  it('gives the 95% interval of the mean change and dz as scipy does', () => {
    const s = pairedStats(d);
    expect(s.ci95![0]).toBeCloseTo(0.13680522003579576, 12);
    expect(s.ci95![1]).toBeCloseTo(1.3431947799642043, 12);
    expect(s.dz).toBeCloseTo(0.8776006159232781, 12);
  });

  it('has no interval or effect size for a single pair, and a zero-width interval when every change is equal', () => {
    expect(pairedStats([0.7])).toMatchObject({ ci95: null, dz: null });
    const same = pairedStats([0.5, 0.5, 0.5]);
    expect(same.ci95).toEqual([0.5, 0.5]);
    expect(same.dz).toBeNull();
    // 0.1 three times has a floating-point sd of about 1e-17, which is no spread at all.
    expect(pairedStats([0.1, 0.1, 0.1]).dz).toBeNull();
    expect(pairedStats(Array(7).fill(0.7)).dz).toBeNull();
  });

  it('gives the smallest reachable p at five pairs all improved: 2/2⁵, which is not below .05', () => {
    expect(signedRank([0.5, 0.25, 1, 0.75, 2])).toEqual({ n: 5, wPlus: 15, wMinus: 0, p: 0.0625 });
  });

  it('matches the exact test without ties (n = 10)', () => {
    expect(signedRank([1, -2, 3, -4, 5, 6, 7, 8, 9, 10])).toEqual({ n: 10, wPlus: 49, wMinus: 6, p: 0.02734375 });
  });

  it('gives tied changes their average rank and counts the exact p over those ranks', () => {
    expect(signedRank([1, 1, -1, 2, 2, 3])).toEqual({ n: 6, wPlus: 19, wMinus: 2, p: 0.125 });
    expect(signedRank([2.1, -0.3, 0.8, 0.8, -0.8, 1.5, 0.2, 0.9, -1.1, 0.4, 0.6, 1.0])).toEqual({
      n: 12,
      wPlus: 60,
      wMinus: 18,
      p: 0.109375,
    });
  });

  it('leaves out changes under 0.005 either way: they are the unchanged', () => {
    expect(signedRank([0.5, -0.5, 0.5, 1.2, -2, 3, 3, 0.001, -0.004])).toEqual({
      n: 7,
      wPlus: 21,
      wMinus: 7,
      p: 0.28125,
    });
    expect(signedRank([0, 0.004, -0.0049])).toBeNull();
    expect(pairedStats([0, 0.004]).rankBiserial).toBeNull();
  });

  it('treats changes within 1e-9 of each other as tied, as float noise makes them, chaining a run', () => {
    const noisy = signedRank([0.1 + 0.2, 0.3, -0.7]);
    expect(noisy).toMatchObject({ wPlus: 3, wMinus: 3 });
    // 1, 1 + 0.8e-9 and 1 + 1.6e-9 are one tie: each is within 1e-9 of the one before.
    expect(signedRank([1, 1 + 0.8e-9, -(1 + 1.6e-9), 2])).toMatchObject({ wPlus: 8, wMinus: 2 });
  });

  it('uses the normal approximation with the tie correction above 50 pairs', () => {
    // 59 changes rounded to one decimal (many ties), from a seeded normal sample.
    const big = [
      0.3, 0.6, -0.6, -0.2, -0.7, 0.4, 1.6, -0.2, -0.3, 0.8, 0.7, 0.4, -0.6, 0.3, 1.0, -1.0, -0.2, -1.6, -1.0, -1.5,
      0.1, -1.0, 0.6, 0.5, 0.1, -2.2, -0.2, 0.3, 0.4, -1.2, -0.2, -0.7, -0.5, 1.4, -0.5, 0.3, 1.2, -0.3, 0.2, 0.4, 0.4,
      -0.9, 0.4, 1.7, -1.2, 1.2, 0.4, -0.3, 2.3, 1.1, -0.9, 0.4, 0.9, 0.1, 1.0, 0.2, 1.0, 1.7, -0.4,
    ];
    const w = signedRank(big)!;
    expect(w.n).toBe(59);
    expect(Math.min(w.wPlus, w.wMinus)).toBe(761);
    expect(w.p).toBeCloseTo(0.34877545777274277, 12);
  });

  it('reports the rank-biserial correlation from the same ranks', () => {
    expect(pairedStats([1, -2, 3, -4, 5, 6, 7, 8, 9, 10]).rankBiserial).toBeCloseTo((49 - 6) / 55, 14);
  });

  it('keeps the contract Change together with its paired statistics', () => {
    const c = changeOf([1, 0.001, -0.5]);
    expect(c).toMatchObject({ n: 3, improved: 1, declined: 1, unchanged: 1, wilcoxon: { n: 2 } });
    expect(c.mean).toBeCloseTo(0.501 / 3, 14);
  });
});

describe('paired statistics, whatever the changes', () => {
  const changes = fc.array(
    fc.oneof(fc.constantFrom(0, 0.5, -0.5, 1, -1, 0.004), fc.double({ min: -10, max: 10, noNaN: true })),
    { minLength: 0, maxLength: 60 },
  );

  it('gives a p-value in (0, 1], never below 2/2ⁿ when exact, and ranks summing to n(n+1)/2', () => {
    fc.assert(
      fc.property(changes, (d) => {
        const w = signedRank(d);
        if (!w) return d.every((x) => Math.abs(x) < 0.005);
        expect(w.p).toBeGreaterThan(0);
        expect(w.p).toBeLessThanOrEqual(1);
        if (w.n <= 50) expect(w.p).toBeGreaterThanOrEqual(2 / 2 ** w.n - 1e-15);
        expect(w.wPlus + w.wMinus).toBeCloseTo((w.n * (w.n + 1)) / 2, 9);
        return true;
      }),
    );
  });

  it('is symmetric: reversing every change swaps W⁺ and W⁻, keeps p and negates the correlation', () => {
    fc.assert(
      fc.property(changes, (d) => {
        const a = pairedStats(d);
        const b = pairedStats(d.map((x) => -x));
        expect(b.wilcoxon?.wPlus).toBe(a.wilcoxon?.wMinus);
        expect(b.wilcoxon?.p).toBe(a.wilcoxon?.p);
        if (a.rankBiserial !== null) expect(b.rankBiserial).toBeCloseTo(-a.rankBiserial, 12);
        if (a.ci95 && b.ci95) expect(b.ci95[0]).toBeCloseTo(-a.ci95[1], 9);
      }),
    );
  });

  it('holds the mean change inside its interval', () => {
    fc.assert(
      fc.property(changes, (d) => {
        const c = changeOf(d);
        if (c.ci95 === null) return d.length < 2;
        expect(c.ci95[0]).toBeLessThanOrEqual(c.mean! + 1e-12);
        expect(c.ci95[1]).toBeGreaterThanOrEqual(c.mean! - 1e-12);
        return true;
      }),
    );
  });
});
