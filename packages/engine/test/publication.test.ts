import fc from 'fast-check';
import highsLoader from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decideCells,
  publishRound,
  versionDifference,
  type AnswerSet,
  type Choices,
  type PublishedSet,
} from '../src/index.js';
import { SumAudit } from '../src/disclosure/audit.js';
import { load } from './fixtures/frameworks.js';

/** Two domains of two questions, each answered on a five-step ladder. */
const FW = load(`kalaja: framework/1
id: pub
version: "1"
title: Publication
domains:
  - id: a
    title: A
    questions:
      - {id: a.1, text: A1, options: [{id: s0, label: "0", score: 0}, {id: s1, label: "1", score: 0.25}, {id: s2, label: "2", score: 0.5}, {id: s3, label: "3", score: 0.75}, {id: s4, label: "4", score: 1}]}
      - {id: a.2, text: A2, options: [{id: s0, label: "0", score: 0}, {id: s1, label: "1", score: 0.25}, {id: s2, label: "2", score: 0.5}, {id: s3, label: "3", score: 0.75}, {id: s4, label: "4", score: 1}]}
  - id: b
    title: B
    questions:
      - {id: b.1, text: B1, options: [{id: s0, label: "0", score: 0}, {id: s1, label: "1", score: 0.25}, {id: s2, label: "2", score: 0.5}, {id: s3, label: "3", score: 0.75}, {id: s4, label: "4", score: 1}]}
      - {id: b.2, text: B2, options: [{id: s0, label: "0", score: 0}, {id: s1, label: "1", score: 0.25}, {id: s2, label: "2", score: 0.5}, {id: s3, label: "3", score: 0.75}, {id: s4, label: "4", score: 1}]}
`);

type Cohort = Map<string, Map<string, number[]>>;
const setOf = (cohort: Cohort): AnswerSet => {
  const rounds = [...new Set([...cohort.values()].flatMap((m) => [...m.keys()]))];
  return {
    organisations: [...cohort.keys()],
    rounds,
    assessments: new Map(
      [...cohort].map(([org, byRound]) => [
        org,
        new Map([...byRound].map(([r, c]) => [r, Int16Array.from(c) as Choices])),
      ]),
    ),
    count: 0,
  };
};
/** Organisations named O0…, with answers from a fixed pattern so that scores differ. */
const cohortOf = (n: number, round = 'baseline', offset = 0): Cohort =>
  new Map(
    Array.from({ length: n }, (_, i) => [
      `O${i + offset}`,
      new Map([[round, [(i + 1) % 5, (i * 2) % 5, (i + 3) % 5, (i * 3 + 1) % 5]]]),
    ]),
  );

describe('publishing a round for observers', () => {
  it('shows the mean rounded to two decimals, never the median, extremes or spread', () => {
    const { figures } = publishRound(FW, setOf(cohortOf(6)), 'baseline');
    expect(figures.organisations).toBe(6);
    expect(figures.overall.n).toBe(6);
    expect(figures.overall.mean).toBe(Math.round(figures.overall.mean! * 100) / 100);
    expect(figures.overall).toMatchObject({ median: null, min: null, max: null, sd: null });
    expect(figures.overall.withheld).toEqual({
      median: 'individual',
      min: 'individual',
      max: 'individual',
      sd: 'individual',
    });
  });

  it('withholds every figure over fewer than k organisations', () => {
    const { figures } = publishRound(FW, setOf(cohortOf(4)), 'baseline');
    expect(figures.overall.mean).toBeNull();
    expect(figures.overall.withheld.mean).toBe('small-cell');
    expect(figures.gaps['a.1']).toEqual({ answered: 4, low: null, unknown: null, critical: null });
  });

  it('refuses to difference out an organisation that joins: n 5 → 6', () => {
    const first = publishRound(FW, setOf(cohortOf(5)), 'baseline');
    expect(first.figures.overall.mean).not.toBeNull();
    const joined = publishRound(FW, setOf(cohortOf(6)), 'baseline', { history: first.published });
    expect(versionDifference(first.organisations, joined.organisations)).toBe(1);
    expect(joined.figures.overall.mean).toBeNull();
    expect(joined.figures.withheld).toContainEqual({ cell: 'stats:overall', reason: 'differencing', differing: 1 });
  });

  it('refuses one that leaves, and one changed answer', () => {
    const first = publishRound(FW, setOf(cohortOf(8)), 'baseline');
    const left = publishRound(FW, setOf(cohortOf(7)), 'baseline', { history: first.published });
    expect(left.figures.overall.mean).toBeNull();
    const changed = cohortOf(8);
    const answers = changed.get('O3')!.get('baseline')!;
    answers[0] = (answers[0]! + 2) % 5;
    const again = publishRound(FW, setOf(changed), 'baseline', { history: first.published });
    expect(versionDifference(first.organisations, again.organisations)).toBe(1);
    expect(again.figures.domains.a!.mean).toBeNull();
    // Domain b did not move: its figure is the one already published, and it stays shown.
    expect(again.figures.domains.b!.mean).toBe(first.figures.domains.b!.mean);
  });

  it('publishes a new version once at least k organisations differ', () => {
    const first = publishRound(FW, setOf(cohortOf(5)), 'baseline');
    const grown = publishRound(FW, setOf(cohortOf(10)), 'baseline', { history: first.published });
    expect(versionDifference(first.organisations, grown.organisations)).toBe(5);
    expect(grown.figures.overall.mean).not.toBeNull();
  });

  it('withholds a change that would reveal the baseline score of an organisation missing from the reassessment', () => {
    const baseline = cohortOf(10);
    const first = publishRound(FW, setOf(baseline), 'baseline');
    const both: Cohort = new Map([...baseline].map(([o, m]) => [o, new Map(m)]));
    for (const [o, m] of both)
      if (o !== 'O9')
        m.set(
          'reassessment',
          m.get('baseline')!.map((c) => Math.min(4, c + 1)),
        );
    const re = publishRound(FW, setOf(both), 'reassessment', { from: 'baseline', history: first.published });
    expect(re.figures.overall.n).toBe(9);
    expect(re.figures.overall.mean).not.toBeNull();
    expect(re.figures.change!.n).toBe(9);
    expect(re.figures.change!.overall.mean).toBeNull();
    expect(re.figures.change!.overall.withheld.mean).toBe('differencing');
  });

  it('withholds a figure whose value alone pins every organisation: all at the top, or the same answer everywhere', () => {
    const top: Cohort = new Map(Array.from({ length: 6 }, (_, i) => [`T${i}`, new Map([['baseline', [4, 4, 4, 4]]])]));
    const { figures } = publishRound(FW, setOf(top), 'baseline');
    expect(figures.overall.withheld.mean).toBe('pinned');
    expect(figures.gaps['a.1']!.low).toBeNull();
  });
});

describe('the audit of published sums', () => {
  it('catches a combination that pairwise comparison misses: (F..K) − (A..J) + (A..E) is K', () => {
    const audit = new SumAudit();
    const names = (s: string) => [...s].map((c) => `${c}=1`);
    expect(audit.add(names('ABCDE'))).toBe(false);
    expect(audit.add(names('ABCDEFGHIJ'))).toBe(false);
    expect(audit.wouldReveal(names('FGHIJK'))).toBe(true);
    expect(audit.wouldReveal(names('FGHIJKLMNO'))).toBe(false);
  });

  it('is used by the cell decision', () => {
    const set = (s: string): PublishedSet => ({
      variable: 'v',
      contributors: Object.fromEntries([...s].map((c) => [c, '1'])),
    });
    const [d] = decideCells(
      [{ key: 'x', n: 6, variables: [{ name: 'v', contributors: new Map([...'FGHIJK'].map((c) => [c, '1'])) }] }],
      [set('ABCDE'), set('ABCDEFGHIJ')],
    );
    expect(d).toEqual({ key: 'x', shown: false, reason: 'differencing' });
  });
});

/**
 * The attack as a property: any sequence of joins, departures and changed answers, with a
 * version published whenever the rules allow, and whatever an observer then reads — every mean
 * as published, rounded to two decimals — bounds no organisation's score to less than a point:
 * for each, a linear programme finds the smallest and largest value consistent with everything
 * published, and they are at least 1 apart (the ±0.5 of the requirement).
 */
describe('no sequence of observer reads narrows an organisation to ±0.5', () => {
  let highs: Awaited<ReturnType<typeof highsLoader>>;
  beforeAll(async () => {
    highs = await highsLoader();
  });

  type Event = { kind: 'join' | 'leave' | 'change' | 'publish'; org: number; q: number; option: number };
  const event = fc.record({
    kind: fc.constantFrom('join', 'leave', 'change', 'publish', 'publish') as fc.Arbitrary<Event['kind']>,
    org: fc.nat(30),
    q: fc.nat(3),
    option: fc.nat(4),
  });

  it('holds for generated sequences', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 9 }), fc.array(event, { minLength: 3, maxLength: 14 }), (start, events) => {
        const cohort = cohortOf(start);
        let next = start;
        let history: PublishedSet[] = [];
        let previous: Record<string, string> | null = null;
        const equations: { terms: Map<string, number>; lo: number; hi: number }[] = [];
        const unknowns = new Set<string>();
        const publish = () => {
          const p = publishRound(FW, setOf(cohort), 'baseline', { history });
          if (previous) {
            const d = versionDifference(previous, p.organisations);
            if (d < 5) return; // the server refuses a version that differs by fewer than k
          }
          previous = p.organisations;
          history = [...history, ...p.published];
          // What the observer reads: each shown mean, over its contributors (by organisation and value).
          const scored = p.published.filter((s) => s.variable.startsWith('score:'));
          for (const s of scored) {
            const measure = s.variable.split(':')[2]!;
            const mean = measure === 'overall' ? p.figures.overall.mean : p.figures.domains[measure]!.mean;
            const n = Object.keys(s.contributors).length;
            const terms = new Map<string, number>();
            for (const [org, fp] of Object.entries(s.contributors)) {
              const u = `${measure}|${org}|${fp}`;
              unknowns.add(u);
              terms.set(u, 1);
            }
            equations.push({ terms, lo: n * (mean! - 0.005), hi: n * (mean! + 0.005) });
          }
        };
        for (const e of events) {
          const orgs = [...cohort.keys()];
          if (e.kind === 'join')
            cohort.set(`O${next++}`, new Map([['baseline', [e.q, e.option, (e.q + e.option) % 5, e.org % 5]]]));
          else if (e.kind === 'leave' && orgs.length > 1) cohort.delete(orgs[e.org % orgs.length]!);
          else if (e.kind === 'change') cohort.get(orgs[e.org % orgs.length]!)!.get('baseline')![e.q] = e.option;
          else if (e.kind === 'publish') publish();
        }
        if (equations.length === 0) return true;
        const vars = [...unknowns];
        const name = new Map(vars.map((v, i) => [v, `x${i}`]));
        const constraints = equations
          .map((eq, i) => {
            const lhs = [...eq.terms.keys()].map((u) => name.get(u)).join(' + ');
            return ` l${i}: ${lhs} >= ${eq.lo.toFixed(6)}\n u${i}: ${lhs} <= ${eq.hi.toFixed(6)}`;
          })
          .join('\n');
        const bounds = vars.map((v) => ` 0 <= ${name.get(v)} <= 10`).join('\n');
        for (const v of vars) {
          const solve = (sense: 'Maximize' | 'Minimize') =>
            highs.solve(`${sense}\n obj: ${name.get(v)}\nSubject To\n${constraints}\nBounds\n${bounds}\nEnd`)
              .ObjectiveValue;
          const width = solve('Maximize') - solve('Minimize');
          expect(width, `${v} is pinned to ±${(width / 2).toFixed(3)}`).toBeGreaterThanOrEqual(1 - 1e-6);
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });
});
