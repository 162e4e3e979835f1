import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { threatLandscape, type LandscapeIncident, type LandscapeInput } from '../src/index.js';

const LISTS = {
  categories: ['phishing', 'ddos', 'doxxing', 'smear-campaign'],
  actors: ['state', 'criminal', 'unknown'],
  targeting: ['targeted', 'opportunistic', 'unknown'],
  certainty: ['confirmed', 'suspected', 'near-miss'],
};
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };

const day = fc
  .integer({ min: 0, max: 400 })
  .map((d) => new Date(Date.UTC(2025, 11, 1) + d * 86_400_000).toISOString().slice(0, 10));
const input = fc
  .integer({ min: 1, max: 14 })
  .chain((n) => {
    const orgs = Array.from({ length: n }, (_, i) => `org${i}`);
    const incident: fc.Arbitrary<LandscapeIncident> = fc
      .record({
        organisationId: fc.constantFrom(...orgs),
        occurredOn: day,
        span: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
        category: fc.constantFrom(...LISTS.categories),
        actor: fc.constantFrom(...LISTS.actors),
        targeting: fc.constantFrom(...LISTS.targeting),
        certainty: fc.constantFrom(...LISTS.certainty),
      })
      .map(({ span, ...i }) => ({
        ...i,
        endedOn:
          span === null ? null : new Date(Date.parse(i.occurredOn) + span * 86_400_000).toISOString().slice(0, 10),
      }));
    return fc.record({ organisations: fc.constant(orgs), incidents: fc.array(incident, { maxLength: 60 }) });
  })
  .map((x): LandscapeInput => ({ ...x, period: PERIOD, lists: LISTS }));
const k = fc.integer({ min: 2, max: 6 });
const BREAKDOWNS = ['categories', 'actors', 'targeting', 'certainty'] as const;

describe('the threat landscape', () => {
  it('counts every incident of the period once per breakdown, for the programme', () => {
    fc.assert(
      fc.property(input, (x) => {
        const l = threatLandscape(x, 'programme');
        const within = x.incidents.filter(
          (i) => i.occurredOn <= PERIOD.to && (i.endedOn ?? i.occurredOn) >= PERIOD.from,
        );
        expect(l.incidents).toBe(within.length);
        expect(l.affected).toBe(new Set(within.map((i) => i.organisationId)).size);
        for (const b of BREAKDOWNS) {
          expect(l[b].reduce((s, r) => s + r.incidents!, 0)).toBe(within.length);
          for (const r of l[b]) {
            expect(r.share).toBeGreaterThanOrEqual(0);
            expect(r.share).toBeLessThanOrEqual(1);
            expect(r.organisations).toBeLessThanOrEqual(r.incidents!);
          }
        }
      }),
    );
  });

  it('never shows observers a count from fewer than k organisations, nor one the total gives away', () => {
    fc.assert(
      fc.property(input, k, (x, k) => {
        const l = threatLandscape(x, 'observers', k);
        if (x.organisations.length < k) {
          expect(l.incidents).toBeNull();
          for (const b of BREAKDOWNS) expect(l[b].every((r) => r.withheld)).toBe(true);
          return;
        }
        if (l.affected !== null && l.affected > 0) expect(l.affected).toBeGreaterThanOrEqual(k);
        for (const b of BREAKDOWNS) {
          for (const r of l[b])
            if (!r.withheld && r.organisations! > 0) expect(r.organisations).toBeGreaterThanOrEqual(k);
          // A single withheld non-empty row would be the total minus the shown ones.
          if (l[b].filter((r) => r.withheld).length === 1) expect(l.incidents).toBeNull();
        }
      }),
    );
  });

  it('gives observers what it gives the programme when every count is large enough', () => {
    const orgs = Array.from({ length: 6 }, (_, i) => `o${i}`);
    const incidents = orgs.map((organisationId) => ({
      organisationId,
      occurredOn: '2026-02-01',
      endedOn: null,
      category: 'phishing',
      actor: 'criminal',
      targeting: 'opportunistic',
      certainty: 'confirmed',
    }));
    const x: LandscapeInput = { period: PERIOD, organisations: orgs, incidents, lists: LISTS };
    const seen = threatLandscape(x, 'observers', 5);
    expect(seen.categories[0]).toEqual({ id: 'phishing', incidents: 6, organisations: 6, share: 1, withheld: false });
    expect(seen.categories.map((r) => r.incidents)).toEqual(
      threatLandscape(x, 'programme').categories.map((r) => r.incidents),
    );
  });

  it('withholds a baseline domain scored by fewer than k organisations from observers only', () => {
    const x: LandscapeInput = {
      period: PERIOD,
      organisations: ['a'],
      incidents: [],
      lists: LISTS,
      baseline: [{ id: 'access', score: 1.23456, n: 3 }],
    };
    expect(threatLandscape(x, 'observers', 5).baseline[0]).toEqual({ id: 'access', score: null, n: 3, withheld: true });
    expect(threatLandscape(x, 'programme', 5).baseline[0]).toEqual({
      id: 'access',
      score: 1.235,
      n: 3,
      withheld: false,
    });
  });
});
