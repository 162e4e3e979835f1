import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { criticalGaps, pairedStats, scoreCohort, signedRank, toChoices } from '../src/index.js';
import { cohortArb } from './fixtures/arbitraries.js';
import { oracleScore } from './oracle/oracle.js';
import { oraclePaired, oraclePairedChange, oracleWilcoxon } from './oracle/oracle-paired.js';

/** Equal to within 1e-9 of the larger, or both null. */
const close = (a: number | null | undefined, b: number | null | undefined, tolerance = 1e-9) => {
  if (a === null || a === undefined || b === null || b === undefined) return expect(a ?? null).toBe(b ?? null);
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(a), Math.abs(b)));
};

/**
 * Changes as cohorts make them: many ties (whole and half points, the same value twice), changes
 * on either side of the 0.005 threshold, float noise (0.1 + 0.2 against 0.3), and any value.
 */
const change = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, 0.5, -0.5, 1, -1, 2, 0.25, 0.004, -0.004, 0.005, -0.005, 0.1 + 0.2, 0.3) },
  { weight: 3, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  { weight: 1, arbitrary: fc.integer({ min: -20, max: 20 }).map((k) => k / 3) },
);

function agree(d: number[]) {
  const ours = pairedStats(d);
  const mean = d.length ? d.reduce((s, x) => s + x, 0) / d.length : null;
  const theirs = oraclePaired(d, mean);
  const w = signedRank(d);
  const v = oracleWilcoxon(d);
  expect(w === null).toBe(v === null);
  if (w && v) {
    expect([w.n, w.wPlus, w.wMinus]).toEqual([v.n, v.wPlus, v.wMinus]);
    close(w.p, v.p, w.n <= 50 ? 1e-12 : 1e-9);
  }
  expect(ours.ci95 === null).toBe(theirs.ci95 === null);
  // The oracle integrates the t density numerically: good to about 1e-10.
  if (ours.ci95 && theirs.ci95) for (const i of [0, 1] as const) close(ours.ci95[i], theirs.ci95[i], 1e-8);
  close(ours.dz, theirs.dz);
  close(ours.rankBiserial, theirs.rankBiserial);
}

describe('paired statistics agree with an independent implementation', () => {
  it('on small cohorts with ties and unchanged organisations (exact p)', () => {
    fc.assert(
      fc.property(fc.array(change, { minLength: 0, maxLength: 14 }), (d) => agree(d)),
      { numRuns: 400 },
    );
  });

  it('on cohorts up to the exact limit of 50 pairs', () => {
    fc.assert(
      fc.property(fc.array(change, { minLength: 30, maxLength: 52 }), (d) => agree(d)),
      { numRuns: 60 },
    );
  });

  it('on large cohorts (normal approximation)', () => {
    fc.assert(
      fc.property(fc.array(change, { minLength: 51, maxLength: 400 }), (d) => agree(d)),
      { numRuns: 60 },
    );
  });

  it('on the change between rounds of generated cohorts, overall and per domain', () => {
    fc.assert(
      fc.property(cohortArb, ({ fw, records }) => {
        const ours = scoreCohort(fw, records);
        const theirs = oracleScore(fw, records);
        ours.change.forEach((ch) => {
          const before = new Map(theirs.results.filter((r) => r.round === ch.from).map((r) => [r.organisation, r]));
          const after = theirs.results.filter((r) => r.round === ch.to && before.has(r.organisation));
          const pairsOf = (pick: (r: (typeof after)[number]) => number | null) =>
            after.flatMap((r) => {
              const a = pick(before.get(r.organisation)!);
              const b = pick(r);
              return a === null || b === null ? [] : [[a, b] as [number, number]];
            });
          const checks = [
            [ch.overall, oraclePairedChange(pairsOf((r) => r.overall))] as const,
            ...fw.domains.map(
              (d) => [ch.domains[d.id]!, oraclePairedChange(pairsOf((r) => r.domains[d.id] ?? null))] as const,
            ),
          ];
          for (const [s, u] of checks) {
            expect([s.n, s.improved, s.declined, s.unchanged]).toEqual([u.n, u.improved, u.declined, u.unchanged]);
            expect(s.wilcoxon?.n ?? null).toBe(u.wilcoxon?.n ?? null);
            close(s.wilcoxon?.p, u.wilcoxon?.p, 1e-9);
            close(s.dz, u.dz, 1e-6);
            close(s.rankBiserial, u.rankBiserial, 1e-9);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('critical gaps agree with an independent implementation', () => {
  it('on generated cohorts with caps and capAt', () => {
    fc.assert(
      fc.property(cohortArb, ({ fw, records }) => {
        const theirs = oracleScore(fw, records);
        for (const t of theirs.results) {
          const mine = records.filter((r) => r.organisation === t.organisation && r.round === t.round);
          const answers = new Map(mine.map((r) => [r.question, r.answer]));
          expect(criticalGaps(fw, toChoices(fw, answers)).map((g) => g.question)).toEqual(t.criticalGaps);
        }
        const report = scoreCohort(fw, records);
        expect(report.results.map((r) => r.criticalGaps)).toEqual(theirs.results.map((r) => r.criticalGaps));
      }),
      { numRuns: 200 },
    );
  });
});
