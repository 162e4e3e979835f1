import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareCountries,
  institutionChange,
  loadFramework,
  rankInstitutions,
  scoreInstitution,
} from '../src/index.js';

const FW = `kalaja: framework/1
id: oi
version: "1"
title: Openness
subject: institution
scale: 100
domains:
  - id: transparency
    title: Transparency
    questions:
      - id: t.budget
        text: Is the budget published?
        source: desk-research
        weight: 3
        options: [{id: p0, label: None, score: 0}, {id: p1, label: One, score: 0.3333333333333333}, {id: p2, label: Two, score: 0.6666666666666666}, {id: p3, label: All, score: 1}]
      - id: t.minutes
        text: Are minutes published?
        source: desk-research
        weight: 1
        na: true
        options: [{id: p0, label: None, score: 0}, {id: p1, label: Yes, score: 1}]
  - id: integrity
    title: Integrity
    questions:
      - id: i.ethics
        text: Is there a code of ethics?
        source: questionnaire
        weight: 2
        options: [{id: p0, label: None, score: 0}, {id: p1, label: One, score: 0.5}, {id: p2, label: All, score: 1}]
`;
const loaded = loadFramework(FW, { file: 'oi.yaml' });
if (!loaded.ok) throw new Error('test framework');
const fw = loaded.value;

describe('an openness wave', () => {
  it('reads points earned over points possible, per principle and overall', () => {
    const s = scoreInstitution(
      fw,
      'a',
      new Map([
        ['t.budget', 'p2'],
        ['t.minutes', 'na'],
        ['i.ethics', 'p1'],
      ]),
    );
    expect(s.principlePoints.transparency).toEqual({ points: 2, maxPoints: 3 });
    expect(s.principlePoints.integrity).toEqual({ points: 1, maxPoints: 2 });
    expect(s.principles.transparency).toBeCloseTo(66.667, 3);
    expect(s.principles.integrity).toBe(50);
    expect(s.points).toBe(3);
    expect(s.maxPoints).toBe(5);
    expect(s.completeness).toBe(1);
  });

  it('ranks ties together, skips the next rank, and puts institutions with no score last, unranked', () => {
    const ranked = rankInstitutions([
      { id: 'a', overall: 50 },
      { id: 'none', overall: null },
      { id: 'b', overall: 70 },
      { id: 'c', overall: 50 },
      { id: 'd', overall: 10 },
    ]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 2],
      ['d', 4],
      ['none', null],
    ]);
  });

  it('ranks on full precision: 50.04 and 50.01 are not tied though both show as 50.0', () => {
    expect(
      rankInstitutions([
        { id: 'a', overall: 50.01 },
        { id: 'b', overall: 50.04 },
      ]).map((r) => r.rank),
    ).toEqual([1, 2]);
  });

  it('every rank is one more than the number of institutions strictly above (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }), { maxLength: 30 }), (values) => {
        const entries = values.map((v, i) => ({ id: `i${i}`, overall: v === null ? null : v * 20 }));
        const ranked = rankInstitutions(entries);
        expect(ranked).toHaveLength(entries.length);
        for (const r of ranked) {
          if (r.overall === null) expect(r.rank).toBeNull();
          else expect(r.rank).toBe(1 + entries.filter((e) => e.overall !== null && e.overall > r.overall!).length);
        }
        const firstNull = ranked.findIndex((r) => r.rank === null);
        if (firstNull >= 0) expect(ranked.slice(firstNull).every((r) => r.rank === null)).toBe(true);
      }),
    );
  });

  it('measures the change since the previous wave per principle, null where a wave has no value', () => {
    const now = scoreInstitution(
      fw,
      'a',
      new Map([
        ['t.budget', 'p3'],
        ['i.ethics', 'p1'],
      ]),
    );
    const before = scoreInstitution(fw, 'a', new Map([['t.budget', 'p1']]));
    const c = institutionChange(fw, now, before)!;
    expect(c.principles.transparency).toBeCloseTo(66.667, 3);
    expect(c.principles.integrity).toBeNull();
    expect(c.previous).toBeCloseTo(33.333, 3);
    expect(institutionChange(fw, now, undefined)).toBeNull();
  });

  it('compares countries by the mean of their scored institutions', () => {
    expect(
      compareCountries([
        { country: 'XK', overall: 40 },
        { country: 'AL', overall: null },
        { country: 'XK', overall: 60 },
      ]),
    ).toEqual([
      { country: 'AL', institutions: 1, scored: 0, mean: null },
      { country: 'XK', institutions: 2, scored: 2, mean: 50 },
    ]);
  });
});
