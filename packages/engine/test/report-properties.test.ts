import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOrganisationReport, buildProgrammeReport, collectAnswers, type Figure } from '../src/index.js';
import { cohortArb } from './fixtures/arbitraries.js';

/** Every figure anywhere in a report model, except the bounds of a confidence interval. */
function figures(value: unknown, out: Figure[] = []): Figure[] {
  if (Array.isArray(value)) for (const v of value) figures(v, out);
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.kind === 'string' && 'rounded' in o && 'text' in o && 'decimals' in o)
      out.push(o as unknown as Figure);
    else for (const [k, v] of Object.entries(o)) if (k !== 'ci95') figures(v, out);
  }
  return out;
}

/** A t-interval may reach past ±scale with few pairs, but it always holds the mean change. */
function intervals(value: unknown): void {
  if (Array.isArray(value)) for (const v of value) intervals(v);
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const ci = o.ci95 as [Figure, Figure] | null | undefined;
    const mean = o.mean as Figure | undefined;
    if (ci && mean && mean.value !== null && ci[0].value !== null && ci[1].value !== null) {
      expect(ci[0].value).toBeLessThanOrEqual(mean.value + 1e-9);
      expect(ci[1].value).toBeGreaterThanOrEqual(mean.value - 1e-9);
    }
    for (const v of Object.values(o)) intervals(v);
  }
}

function inRange(f: Figure, scale: number): void {
  for (const v of [f.value, f.rounded]) {
    if (v === null) continue;
    const [lo, hi] =
      f.kind === 'score'
        ? [0, scale]
        : f.kind === 'change'
          ? [-scale, scale]
          : f.kind === 'knowledge'
            ? [0, 100]
            : f.kind === 'rating'
              ? [1, 5]
              : [0, 1];
    expect(v).toBeGreaterThanOrEqual(lo - 1e-9 * scale);
    expect(v).toBeLessThanOrEqual(hi * (1 + 1e-12));
  }
  if (f.value === null) expect(f.rounded).toBeNull();
}

describe('report model properties', () => {
  it('keeps every figure null or within [0, scale] (changes within ±scale, shares within [0, 1])', () => {
    fc.assert(
      fc.property(
        cohortArb,
        fc.constantFrom('programme', 'observers') as fc.Arbitrary<'programme' | 'observers'>,
        ({ fw, records }, audience) => {
          const { set, problems } = collectAnswers(fw, records);
          fc.pre(problems.length === 0 && set.organisations.length > 0);
          const programme = buildProgrammeReport(fw, set, { audience, minCell: 2 });
          const all = figures(programme);
          expect(all.length).toBeGreaterThan(0);
          for (const f of all) inRange(f, fw.scale);
          intervals(programme);
          if (audience === 'observers') expect(programme.annex.rows).toEqual([]);
          const organisation = buildOrganisationReport(fw, set, set.organisations[0]!);
          for (const f of figures(organisation)) inRange(f, fw.scale);
        },
      ),
      { numRuns: 150 },
    );
  });
});
