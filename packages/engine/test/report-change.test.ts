import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildOrganisationReport,
  buildProgrammeReport,
  loadFramework,
  readAnswers,
  scoreAnswerSet,
  type Framework,
} from '../src/index.js';

const repo = new URL('../../../', import.meta.url).pathname;
const loaded = loadFramework(readFileSync(`${repo}content/frameworks/cso-media.yaml`, 'utf8'), {
  file: 'cso-media.yaml',
});
if (!loaded.ok) throw new Error('framework');
const fw: Framework = loaded.value;
const sample = readAnswers(fw, readFileSync(`${repo}content/samples/answers.csv`, 'utf8'), { file: 'answers.csv' });
if (!sample.ok) throw new Error('answers');
const set = sample.value;

describe('the programme report’s change in plain words', () => {
  it('says how many improved, the mean with its interval, the test, and the limits', () => {
    const report = buildProgrammeReport(fw, set);
    const [c] = report.change.sections;
    const live = scoreAnswerSet(fw, set).change[0]!.overall;
    expect(c!.provisional).toBeNull();
    expect(c!.paragraphs[0]).toBe(
      `${live.improved} of ${live.n} organisations improved; the mean change was ${c!.overall.change.mean.text} (95% interval ${c!.overall.change.ci95![0].text} to ${c!.overall.change.ci95![1].text}).`,
    );
    expect(c!.paragraphs[1]).toMatch(/^Wilcoxon signed-rank test over the \d+ organisations whose score moved: p = /);
    expect(c!.limits[0]).toMatch(/^There is no control group/);
    expect(c!.limits[1]).toMatch(/^The cohort was selected/);
    const n = live.wilcoxon!.n;
    // 2/2ⁿ, printed with three decimals (below 0.001 from ten pairs on).
    expect(c!.limits[2]).toBe(
      `With ${n} changed pairs, the smallest p the test can reach is ${n >= 11 ? '< 0.001' : (2 / 2 ** n).toFixed(3)}.`,
    );
  });

  it('rests on the assessments validated in both rounds, and counts the provisional ones it leaves out', () => {
    const [first, second, third, ...rest] = set.organisations;
    const provisional = new Set([`${first}|reassessment`, `${second}|baseline`, `${third}|reassessment`]);
    const report = buildProgrammeReport(fw, set, { final: (org, round) => !provisional.has(`${org}|${round}`) });
    const [c] = report.change.sections;
    expect(c!.n).toBe(rest.length);
    expect(c!.provisional).toBe(3);
    expect(c!.overall.change.n).toBe(rest.length);
    expect(c!.paragraphs).toContain(
      `These figures rest on the assessments validated in both rounds, ${rest.length} in all: the assessor checked each of them.`,
    );
    expect(c!.paragraphs).toContain(
      '3 organisations with a result in both rounds are left out: their assessments are not validated in both rounds yet.',
    );
    // The rounds' own figures still cover every organisation assessed in them.
    expect(report.summary.rounds.map((r) => r.n)).toEqual([10, 10]);
  });

  it('says that p below 0.05 was impossible with five changed pairs or fewer', () => {
    const few = new Set(set.organisations.slice(0, 5));
    const report = buildProgrammeReport(fw, set, { final: (org) => few.has(org) });
    const [c] = report.change.sections;
    const moved = c!.overall.change.wilcoxon!.n;
    expect(moved).toBeLessThanOrEqual(5);
    expect(c!.limits[2]).toBe(
      `With ${moved} changed pairs, the smallest p the test can reach is ${(2 / 2 ** moved).toFixed(3)}, so p below 0.05 was impossible whatever happened.`,
    );
  });
});

describe('the organisation report’s change between rounds', () => {
  const organisation = set.organisations[0]!;

  it('shows each domain before and after, the questions that moved, the plan items and the accounts', () => {
    const report = buildOrganisationReport(fw, set, organisation, {
      changeContext: [
        {
          from: 'baseline',
          to: 'reassessment',
          planItems: [
            {
              id: 'p1',
              title: 'Two-step login for every account',
              domains: ['access'],
              doneAt: '2026-04-01T09:00:00Z',
            },
          ],
          accounts: [
            { domain: 'access', by: 'organisation', text: 'We moved everyone to an authenticator app.' },
            { domain: 'access', by: 'assessor', text: 'Seen on three laptops; the director still uses SMS.' },
          ],
        },
      ],
    });
    const c = report.change!.sections[0]!;
    expect([c.from, c.to]).toEqual(['baseline', 'reassessment']);
    const summary = report.summary.rounds;
    expect([c.overall.before.text, c.overall.after.text]).toEqual([summary[0]!.overall.text, summary[1]!.overall.text]);
    expect(c.domains.map((d) => d.id)).toEqual(fw.domains.map((d) => d.id));
    const access = c.domains.find((d) => d.id === 'access')!;
    expect(access.planItems).toEqual([{ title: 'Two-step login for every account', date: expect.any(String) }]);
    // The assessor's account first, then the organisation's own.
    expect(access.accounts.map((a) => a.by)).toEqual(['assessor', 'organisation']);
    expect(
      c.domains.filter((d) => d.id !== 'access').every((d) => d.planItems.length === 0 && d.accounts.length === 0),
    ).toBe(true);
    const moved = c.domains.flatMap((d) => [...d.up, ...d.down]);
    expect(moved.length).toBeGreaterThan(0);
    for (const m of moved) expect(m.from).not.toBe(m.to);
  });

  it('has no change section with a single round', () => {
    const one = {
      ...set,
      rounds: ['baseline'],
      assessments: new Map([
        [organisation, new Map([['baseline', set.assessments.get(organisation)!.get('baseline')!]])],
      ]),
    };
    expect(buildOrganisationReport(fw, one, organisation).change).toBeNull();
  });
});
