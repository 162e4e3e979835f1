import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  landscapeCells,
  loadFramework,
  organisationsDiffering,
  publishLandscape,
  type LandscapeIncident,
  type LandscapeInput,
} from '../src/index.js';

const LISTS = {
  categories: ['phishing', 'ddos', 'malware', 'doxxing'],
  actors: ['state', 'criminal', 'unknown'],
  targeting: ['targeted', 'opportunistic'],
  certainty: ['confirmed', 'suspected'],
};
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };
const ORGS = Array.from({ length: 10 }, (_, i) => `org${i}`);
const incident = (
  organisationId: string,
  category: string,
  over: Partial<LandscapeIncident> = {},
): LandscapeIncident => ({
  organisationId,
  occurredOn: '2026-03-01',
  endedOn: null,
  category,
  actor: 'criminal',
  targeting: 'targeted',
  certainty: 'confirmed',
  ...over,
});
const input = (incidents: LandscapeIncident[]): LandscapeInput => ({
  period: PERIOD,
  organisations: ORGS,
  incidents,
  lists: LISTS,
});
/** Six organisations phished, five hit by DDoS, five by malware. */
const first = [
  ...ORGS.slice(0, 6).map((o) => incident(o, 'phishing')),
  ...ORGS.slice(0, 5).map((o) => incident(o, 'ddos', { actor: 'state' })),
  ...ORGS.slice(5, 10).map((o) => incident(o, 'malware', { actor: 'unknown' })),
];
const row = (l: { categories: { id: string }[] }, id: string) => l.categories.find((c) => c.id === id)!;

describe('the threat landscape frozen against the ones before', () => {
  it('withholds a category one organisation changed since the last landscape, and the next smallest with it', () => {
    const before = publishLandscape(input(first));
    expect(before.landscape.withheldCells).toEqual([]);
    expect(row(before.landscape, 'malware')).toMatchObject({ incidents: 5, withheld: false });
    const after = publishLandscape(input([...first, incident('org7', 'malware', { actor: 'unknown' })]), {
      history: before.published,
    });
    expect(row(after.landscape, 'malware')).toMatchObject({ incidents: null, withheld: true });
    expect(after.landscape.withheldCells).toContainEqual({
      cell: 'categories:malware',
      reason: 'differencing',
      differing: 1,
    });
    // Malware alone withheld would be the total minus the rest: DDoS, the next smallest, goes with it.
    expect(row(after.landscape, 'ddos')).toMatchObject({ withheld: true });
    expect(after.landscape.withheldCells).toContainEqual({ cell: 'categories:ddos', reason: 'complement' });
    expect(row(after.landscape, 'phishing')).toMatchObject({ incidents: 6, organisations: 6, withheld: false });
    // The totals moved by one organisation's incident too.
    expect(after.landscape.incidents).toBeNull();
    expect(after.landscape.affected).toBeNull();
    // The withheld counts are not stored as published: the next landscape is checked against what was shown.
    expect(after.published.map((s) => s.variable)).not.toContain('landscape:category:malware');
    expect(after.published.map((s) => s.variable)).toContain('landscape:category:phishing');
  });

  it('shows a landscape again once at least k organisations changed', () => {
    const before = publishLandscape(input(first));
    const more = ORGS.slice(0, 5).map((o) => incident(o, 'malware', { actor: 'unknown' }));
    const after = publishLandscape(input([...first, ...more]), { history: before.published });
    expect(row(after.landscape, 'malware')).toMatchObject({ incidents: 10, organisations: 10, withheld: false });
    expect(after.landscape.incidents).toBe(21);
  });

  it('withholds a survey option one organisation moved to, though it stands on more than k', () => {
    const loaded = loadFramework(
      readFileSync(new URL('../../../content/frameworks/cso-threat-survey.yaml', import.meta.url), 'utf8'),
      { file: 'cso-threat-survey.yaml' },
    );
    if (!loaded.ok) throw new Error('the threat survey does not load');
    const fw = loaded.value;
    const survey = (answers: string[]) => ({
      framework: fw,
      answers: answers.map((a, i) => ({ organisationId: ORGS[i]!, answers: new Map([['experience.targeting', a]]) })),
    });
    const yes5no5 = [...Array(5).fill('targeted'), ...Array(5).fill('opportunistic')] as string[];
    const cells = landscapeCells({ ...input([]), survey: survey(yes5no5) });
    expect(cells.filter((c) => c.key.startsWith('survey:')).map((c) => [c.key, c.n])).toEqual([
      ['survey:experience.targeting:targeted', 5],
      ['survey:experience.targeting:opportunistic', 5],
    ]);
    const before = publishLandscape({ ...input([]), survey: survey(yes5no5) });
    expect(
      before.landscape.survey?.questions
        .find((q) => q.id === 'experience.targeting')
        ?.options.every((o) => !o.withheld),
    ).toBe(true);
    const moved = [...yes5no5];
    // One organisation moves to 'targeted': 6 there, and 'opportunistic' falls under k.
    moved[9] = 'targeted';
    const after = publishLandscape({ ...input([]), survey: survey(moved) }, { history: before.published });
    const options = after.landscape.survey!.questions.find((q) => q.id === 'experience.targeting')!.options;
    expect(options.find((o) => o.id === 'targeted')).toMatchObject({ count: null, withheld: true });
    expect(after.landscape.withheldCells).toContainEqual({
      cell: 'survey:experience.targeting:targeted',
      reason: 'differencing',
      differing: 1,
    });
  });
});

const day = fc
  .integer({ min: 0, max: 240 })
  .map((d) => new Date(Date.UTC(2025, 11, 1) + d * 86_400_000).toISOString().slice(0, 10));
const incidents = fc.array(
  fc.record({
    organisationId: fc.constantFrom(...ORGS),
    occurredOn: day,
    endedOn: fc.constant(null),
    category: fc.constantFrom(...LISTS.categories),
    actor: fc.constantFrom(...LISTS.actors),
    targeting: fc.constantFrom(...LISTS.targeting),
    certainty: fc.constantFrom(...LISTS.certainty),
  }),
  { maxLength: 40 },
);

describe('the landscape\u2019s cells (property)', () => {
  it('stand on the organisations behind each count, each with its own count', () => {
    fc.assert(
      fc.property(incidents, (list) => {
        const l = input(list);
        const inside = list.filter((i) => i.occurredOn >= PERIOD.from && i.occurredOn <= PERIOD.to);
        for (const c of landscapeCells(l)) {
          const [list_, id] = c.key.split(':');
          const field = { categories: 'category', actors: 'actor', targeting: 'targeting', certainty: 'certainty' }[
            list_ as 'categories'
          ] as 'category' | undefined;
          const mine = c.key === 'totals' ? inside : inside.filter((i) => field && i[field] === id);
          const counts = new Map<string, number>();
          for (const i of mine) counts.set(i.organisationId, (counts.get(i.organisationId) ?? 0) + 1);
          expect(c.n).toBe(counts.size);
          expect(Object.fromEntries(c.variables[0]!.contributors)).toEqual(
            Object.fromEntries([...counts].map(([o, n]) => [o, String(n)])),
          );
        }
      }),
    );
  });

  it('never show a count that differs from one frozen before by 1 to k\u22121 organisations', () => {
    fc.assert(
      fc.property(incidents, incidents, (a, b) => {
        const before = publishLandscape(input(a));
        const after = publishLandscape(input(b), { history: before.published });
        const cells = new Map(landscapeCells(input(b)).map((c) => [c.key, c]));
        for (const set of after.published) {
          const earlier = before.published.find((s) => s.variable === set.variable);
          if (!earlier) continue;
          const d = organisationsDiffering(new Map(Object.entries(set.contributors)), earlier.contributors);
          expect(d === 0 || d >= 5).toBe(true);
        }
        // Every count shown has a set stored, and every shown breakdown row stands on k organisations.
        for (const r of after.landscape.categories)
          if (!r.withheld && (r.organisations ?? 0) > 0) {
            expect(r.organisations).toBeGreaterThanOrEqual(5);
            expect(after.published.some((s) => s.variable === `landscape:category:${r.id}`)).toBe(true);
            expect(cells.get(`categories:${r.id}`)?.n).toBe(r.organisations);
          }
        // A breakdown with exactly one withheld row shows no other count above zero to subtract.
        for (const rows of [after.landscape.categories, after.landscape.actors, after.landscape.targeting])
          if (rows.filter((r) => r.withheld).length === 1)
            expect(rows.filter((r) => !r.withheld && (r.organisations ?? 0) > 0)).toEqual([]);
      }),
    );
  });

  it('name organisations only as the contributor function gives them', () => {
    fc.assert(
      fc.property(incidents, (list) => {
        const { published } = publishLandscape(input(list), {
          contributor: (o) => `p-${o.length}-${[...o].reverse().join('')}`,
          fingerprint: (v, o, n) => `f-${v.length}-${o.length}-${n.length}`,
        });
        expect(JSON.stringify(published)).not.toMatch(/"org\d"/);
      }),
    );
  });
});
