import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changeOf,
  cohortFromScores,
  collectAnswers,
  roundChanges,
  scoreChoices,
  signedRank,
  smallestReachableP,
  type AssessmentScore,
} from '../src/index.js';
import { cohortArb } from './fixtures/arbitraries.js';

/*
 * The paired-statistics contract (docs/contracts.md, §5) read to the letter, as properties:
 * the smallest p reachable, unchanged organisations, ties, and the change over validated
 * assessments only with the provisional ones counted. The expected values come from the
 * contract's own words and from closed forms (the binomial distribution), not from the engine.
 */

/** C(n, k) as an exact double for n ≤ 50. */
function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** A change that is not "unchanged": at least 0.005 either way. */
const moved = fc.oneof(
  fc.constantFrom(0.005, 0.5, 1, 2, 0.25, 0.1 + 0.2, 0.3),
  fc.double({ min: 0.005, max: 10, noNaN: true }),
);
/** A change the contract calls unchanged: |d| < 0.005. */
const still = fc.oneof(fc.constantFrom(0, -0, 0.004, -0.004, 0.0049), fc.double({ min: -0.00499, max: 0.00499 }));

describe('the smallest p reachable', () => {
  it('is 2/2ⁿ at the values the contract lists', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(smallestReachableP)).toEqual([1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625]);
    expect(smallestReachableP(0)).toBeNull();
  });

  it('is what the exact test gives when every changed pair moved the same way, ties or not', () => {
    fc.assert(
      fc.property(fc.array(moved, { minLength: 1, maxLength: 50 }), fc.boolean(), (d, down) => {
        const w = signedRank(down ? d.map((x) => -x) : d)!;
        expect(w.n).toBe(d.length);
        expect(w.p).toBe(smallestReachableP(d.length));
      }),
      { numRuns: 300 },
    );
  });

  it('is never undercut, whatever the changes (exact up to 50 pairs)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            moved,
            moved.map((x) => -x),
            still,
          ),
          { maxLength: 50 },
        ),
        (d) => {
          const w = signedRank(d);
          if (w) expect(w.p).toBeGreaterThanOrEqual(smallestReachableP(w.n)!);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('unchanged organisations', () => {
  it('are left out of the Wilcoxon test only: its n is improved + declined, and adding them changes nothing there', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            moved,
            moved.map((x) => -x),
          ),
          { maxLength: 30 },
        ),
        fc.array(still, { maxLength: 10 }),
        (changed, unchanged) => {
          const all = [...changed, ...unchanged];
          const c = changeOf(all);
          expect(c.n).toBe(all.length);
          expect(c.unchanged).toBe(unchanged.length);
          expect(c.wilcoxon?.n ?? 0).toBe(c.improved + c.declined);
          expect(signedRank(all)).toEqual(signedRank(changed));
          // The interval and dz use every pair, unchanged ones included.
          expect(c.ci95 === null).toBe(all.length < 2);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('alone give no test at all, and no rank-biserial correlation', () => {
    fc.assert(
      fc.property(fc.array(still, { minLength: 1, maxLength: 20 }), (d) => {
        const c = changeOf(d);
        expect(c).toMatchObject({ wilcoxon: null, rankBiserial: null, improved: 0, declined: 0 });
        expect(c.unchanged).toBe(d.length);
      }),
    );
  });
});

describe('ties', () => {
  it('share their average rank: n equal changes, k of them up, have the binomial two-sided p', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.005, max: 10, noNaN: true }),
        fc.nat(),
        (n, size, seed) => {
          const k = seed % (n + 1);
          const d = Array.from({ length: n }, (_, i) => (i < k ? size : -size));
          const w = signedRank(d)!;
          // Every rank is (n + 1) / 2, so W⁺ = k(n + 1)/2 and its law is that of k ~ Bin(n, ½).
          expect(w.wPlus).toBe((k * (n + 1)) / 2);
          expect(w.wMinus).toBe(((n - k) * (n + 1)) / 2);
          let extreme = 0;
          for (let j = 0; j <= n; j++) if (Math.abs(2 * j - n) >= Math.abs(2 * k - n)) extreme += choose(n, j);
          expect(w.p).toBeCloseTo(Math.min(1, extreme / 2 ** n), 14);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('do not depend on the order of the pairs', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            moved,
            moved.map((x) => -x),
            still,
            fc.constantFrom(1, -1, 0.5),
          ),
          { maxLength: 40 },
        ),
        fc.nat(),
        (d, seed) => {
          const shuffled = [...d];
          let s = seed;
          for (let i = shuffled.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) % 2 ** 31;
            const j = s % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(signedRank(shuffled)).toEqual(signedRank(d));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the change over validated assessments', () => {
  it('leaves out each organisation provisional in either round, counts it, and is otherwise the cohort change', () => {
    fc.assert(
      fc.property(cohortArb, fc.func(fc.boolean()), ({ fw, records }, finalFlag) => {
        const { set } = collectAnswers(fw, records);
        const scored = new Map<string, Map<string, AssessmentScore>>();
        for (const [org, byRound] of set.assessments)
          scored.set(org, new Map([...byRound].map(([round, c]) => [round, scoreChoices(fw, c)])));
        const isFinal = (org: string, round: string) => finalFlag(`${org}\u0000${round}`);

        const final = roundChanges(fw, set.rounds, scored, isFinal);
        // The same figures as the cohort of the organisations final in both rounds, pair by pair.
        final.forEach((c, i) => {
          const from = set.rounds[i]!;
          const to = set.rounds[i + 1]!;
          const inBoth = [...scored].filter(([, m]) => m.has(from) && m.has(to));
          const kept = inBoth.filter(([org]) => isFinal(org, from) && isFinal(org, to));
          expect(c.n).toBe(kept.length);
          expect(c.provisional).toBe(inBoth.length - kept.length);
          const alone = cohortFromScores(fw, [from, to], new Map(kept)).change[0]!;
          expect({ ...c, provisional: undefined }).toEqual({ ...alone, provisional: undefined });
        });
        // With every assessment final, nothing is left out.
        const all = roundChanges(fw, set.rounds, scored, () => true);
        expect(all.every((c) => c.provisional === 0)).toBe(true);
        expect(all.map(({ provisional: _, ...c }) => c)).toEqual(cohortFromScores(fw, set.rounds, scored).change);
      }),
      { numRuns: 150 },
    );
  });
});
