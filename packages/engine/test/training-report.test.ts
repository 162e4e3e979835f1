import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildOrganisationReport,
  buildProgrammeReport,
  changeOf,
  loadFramework,
  readAnswers,
  scoreAnswerSet,
  type Framework,
  type ProgrammeReport,
  type TrainingSession,
} from '../src/index.js';
import { spearman } from '../src/report/training-report.js';

const repo = new URL('../../../', import.meta.url).pathname;
const loaded = loadFramework(readFileSync(`${repo}content/frameworks/cso-media.yaml`, 'utf8'), { file: 'f' });
if (!loaded.ok) throw new Error('framework');
const fw: Framework = loaded.value;
const sample = readAnswers(fw, readFileSync(`${repo}content/samples/answers.csv`, 'utf8'), { file: 'a.csv' });
if (!sample.ok) throw new Error('answers');
const set = sample.value;
const orgs = set.organisations;

const mean = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const pairsOf = (pre: number[], post: number[], from: readonly string[]) =>
  pre.map((p, i) => ({ pre: p, post: post[i]!, organisation: from[i % from.length]! }));

/** Three sessions: one module twice (6 and 4 participants with both checks), another once (5). */
const sessions: TrainingSession[] = [
  {
    id: 's1',
    module: 'account-security',
    title: 'Account security and phishing',
    date: '2026-02-10',
    domains: ['access', 'awareness'],
    organisations: [orgs[0]!, orgs[0]!, orgs[1]!, orgs[2]!, orgs[3]!, orgs[3]!],
    participants: 6,
    registered: 8,
    knowledge: pairsOf(
      [40, 50, 30, 60, 45, 55],
      [80, 70, 60, 70, 75, 90],
      [orgs[0]!, orgs[0]!, orgs[1]!, orgs[2]!, orgs[3]!, orgs[3]!],
    ),
    confidence: [
      { pre: 2, post: 4 },
      { pre: 3, post: 4 },
      { pre: 2, post: 3 },
      { pre: 3, post: 5 },
      { pre: 1, post: 3 },
    ],
    reaction: [
      { usefulness: 5, relevance: 4 },
      { usefulness: 4, relevance: 4 },
      { usefulness: 5, relevance: 5 },
      { usefulness: 4, relevance: 3 },
      { usefulness: 5, relevance: 4 },
      { usefulness: 3, relevance: 4 },
    ],
    followUp: {
      days: 90,
      asked: 6,
      responded: 5,
      practices: [
        { text: 'Turned on two-step login for work email', yes: 3, partly: 1, no: 1 },
        { text: 'Reported a suspicious message', yes: 2, partly: 2, no: 1 },
      ],
    },
  },
  {
    id: 's2',
    module: 'account-security',
    title: 'Account security and phishing',
    date: '2026-03-02',
    domains: ['access', 'awareness'],
    organisations: [orgs[4]!, orgs[5]!, orgs[5]!, orgs[6]!],
    participants: 4,
    registered: 4,
    knowledge: pairsOf([50, 40, 70, 60], [60, 70, 80, 60], [orgs[4]!, orgs[5]!, orgs[5]!, orgs[6]!]),
    reaction: [
      { usefulness: 4, relevance: 4 },
      { usefulness: 5, relevance: 5 },
    ],
    followUp: {
      days: 30,
      asked: 4,
      responded: 3,
      practices: [{ text: 'Uses a password manager', yes: 2, partly: 1, no: 0 }],
    },
  },
  {
    id: 's3',
    module: 'backup-recovery',
    title: 'Backup and recovery',
    date: '2026-03-20',
    domains: ['backup'],
    organisations: [orgs[0]!, orgs[1]!, orgs[7]!, orgs[8]!, orgs[9]!],
    participants: 5,
    knowledge: pairsOf([20, 30, 40, 50, 60], [50, 40, 70, 50, 90], [orgs[0]!, orgs[1]!, orgs[7]!, orgs[8]!, orgs[9]!]),
  },
];

const team = buildProgrammeReport(fw, set, { trainings: sessions });
const observers = buildProgrammeReport(fw, set, { trainings: sessions, audience: 'observers' });
const diffs = (s: TrainingSession) => (s.knowledge ?? []).map((p) => p.post - p.pre);

describe('the training impact section', () => {
  it('shows each session: title, date, attended of registered, organisations, knowledge before → after', () => {
    const [s1, s2, s3] = team.training.sessions;
    expect(team.training.state).toBe('recorded');
    expect(s1).toMatchObject({ title: 'Account security and phishing', date: 'February 10, 2026' });
    expect(s1).toMatchObject({ participants: 6, registered: 8, organisations: 4 });
    expect(s3!.registered).toBeNull();
    expect(s1!.knowledge.pairs).toBe(6);
    expect(s1!.knowledge.pre.text).toBe('46.67');
    expect(s1!.knowledge.post.text).toBe('74.17');
    expect(s1!.knowledge.change.mean.text).toBe('+27.50');
    expect(s1!.knowledge.change.improved).toBe(6);
    expect(s2!.knowledge.change.mean.value).toBeCloseTo(mean([60, 70, 80, 60]) - mean([50, 40, 70, 60]), 12);
    expect(s1!.confidence.pre.text).toBe('2.20');
    expect(s1!.confidence.post.text).toBe('3.80');
    expect(s1!.reaction).toMatchObject({ n: 6 });
    expect(s1!.reaction.usefulness.text).toBe('4.33');
    expect(s1!.reaction.relevance.text).toBe('4.00');
    expect(s1!.followUp).toMatchObject({ days: 90, asked: 6, responded: 5 });
    expect(s1!.followUp!.practices.map((p) => [p.answered, p.yes.text, p.partly.text])).toEqual([
      [5, '60%', '20%'],
      [5, '40%', '40%'],
    ]);
  });

  it('gives each session, module and the whole the 95% interval of changeOf over the same pairs', () => {
    const [s1, s2, s3] = team.training.sessions;
    const interval = (c: { ci95: [{ value: number | null }, { value: number | null }] | null }) =>
      c.ci95 && [c.ci95[0].value, c.ci95[1].value];
    expect(interval(s1!.knowledge.change)).toEqual(changeOf(diffs(sessions[0]!)).ci95);
    expect(interval(s2!.knowledge.change)).toEqual(changeOf(diffs(sessions[1]!)).ci95);
    expect(interval(s3!.knowledge.change)).toEqual(changeOf(diffs(sessions[2]!)).ci95);
    const [security, backup] = team.training.modules;
    expect(security).toMatchObject({ module: 'account-security', sessions: 2, participants: 10 });
    expect(security!.knowledge.pairs).toBe(10);
    expect(interval(security!.knowledge.change)).toEqual(
      changeOf([...diffs(sessions[0]!), ...diffs(sessions[1]!)]).ci95,
    );
    expect(backup).toMatchObject({ module: 'backup-recovery', sessions: 1 });
    const all = sessions.flatMap(diffs);
    expect(team.training.totals!.knowledge.pairs).toBe(15);
    expect(interval(team.training.totals!.knowledge.change)).toEqual(changeOf(all).ci95);
    expect(team.training.totals!.knowledge.change.wilcoxon).toEqual(changeOf(all).wilcoxon);
  });

  it('counts sessions, attendances and the organisations reached of the cohort', () => {
    expect(team.training.totals).toMatchObject({
      sessions: 3,
      participants: 15,
      registration: { registered: 12, attended: 10 },
      organisationsReached: 10,
      cohort: 10,
    });
  });

  it('says in plain words what was delivered, what participants learned with the interval, and what they put into practice', () => {
    const text = team.training.paragraphs.join('\n');
    expect(text).toContain(
      '3 sessions of 2 modules reached 15 participants from 10 of the 10 organisations in the cohort.',
    );
    expect(text).toContain('10 of the 12 participants registered attended.');
    const ci = team.training.totals!.knowledge.change.ci95!;
    expect(text).toContain(
      `15 participants took the knowledge check before and after the training and scored 46.67 before and 67.67 after on average, out of 100: a mean change of +21.00 points (95% interval ${ci[0].text} to ${ci[1].text}); 13 of the 15 scored higher after.`,
    );
    expect(text).toMatch(/Wilcoxon signed-rank test over the 13 participants whose score moved: p [=<]/);
    expect(text).toContain(
      'Account security and phishing, after 90 days: 5 of the 6 participants asked answered the follow-up.',
    );
    expect(text).toContain('“Turned on two-step login for work email”, 60% yes and 20% partly');
    expect(team.training.limits.join(' ')).toMatch(/not drawn at random.*same items.*no control group/s);
  });

  it('withholds for observers every session figure over fewer than k pairs, and shows it at k', () => {
    const [s1, s2, s3] = observers.training.sessions;
    // Session 2: four pairs, below k = 5.
    expect(s2!.knowledge.pairs).toBe(4);
    for (const f of [s2!.knowledge.pre, s2!.knowledge.post, s2!.knowledge.change.mean]) {
      expect(f.withheld).toBe(true);
      expect(f.text).toBe('withheld');
    }
    expect(s2!.reaction.usefulness.withheld).toBe(true);
    expect(s2!.followUp!.practices[0]!.yes.withheld).toBe(true);
    // Session 3: exactly five pairs, shown, without the interval (it gives away the spread).
    expect(s3!.knowledge.pairs).toBe(5);
    expect(s3!.knowledge.change.mean.withheld).toBeUndefined();
    expect(s3!.knowledge.change.mean.text).toBe('+20.00');
    expect(s3!.knowledge.change.ci95).toBeNull();
    // Session 1: five confidence pairs (shown), six reactions (shown), five follow-up answers (shown).
    expect(s1!.confidence.post.text).toBe('3.80');
    expect(s1!.reaction.usefulness.text).toBe('4.33');
    expect(s1!.followUp!.practices[0]!.yes.text).toBe('60%');
    expect(observers.training.paragraphs).toContain(
      'Figures over fewer than 5 participants are withheld in this edition.',
    );
    expect(team.training.sessions[1]!.knowledge.change.mean.text).toBe('+12.50');
  });

  it('shows a figure at k and withholds it below, whatever k is set to', () => {
    const at4 = buildProgrammeReport(fw, set, { trainings: sessions, audience: 'observers', minCell: 4 });
    expect(at4.training.sessions[1]!.knowledge.change.mean.text).toBe('+12.50');
    const at7 = buildProgrammeReport(fw, set, { trainings: sessions, audience: 'observers', minCell: 7 });
    expect(at7.training.sessions[0]!.knowledge.change.mean.withheld).toBe(true);
    expect(at7.training.modules[0]!.knowledge.change.mean.text).toBe('+21.50');
  });

  it('names no one in the programme report: no participant, and no organisation in the observers’ edition', () => {
    const json = JSON.stringify(observers);
    for (const name of orgs) expect(json).not.toContain(name);
    expect(observers.training.organisations).toBeNull();
    // The team's edition shows organisations only under their annex pseudonyms.
    const section = JSON.stringify(team.training);
    for (const name of orgs) expect(section).not.toContain(name);
    expect(team.training.organisations!.rows.map((r) => r.pseudonym)).toEqual(team.annex.rows.map((r) => r.pseudonym));
  });

  it('sets each organisation’s participants and knowledge change beside its change in the domains served, as association', () => {
    const rows = team.training.organisations!;
    expect(rows).toMatchObject({ from: 'baseline', to: 'reassessment' });
    const first = rows.rows[0]!;
    // Organisation A sent two to the first session and one to the third.
    expect(first).toMatchObject({ pseudonym: 'Organisation A', participants: 3 });
    expect(first.knowledge.pairs).toBe(3);
    expect(first.knowledge.change.mean.value).toBeCloseTo(mean([40, 20, 30]), 12);
    expect(first.domains).toEqual(
      team.framework.domains.filter((d) => ['access', 'awareness', 'backup'].includes(d.id)).map((d) => d.title),
    );
    const results = scoreAnswerSet(fw, set).results.filter((r) => r.organisation === orgs[0]);
    const [before, after] = ['baseline', 'reassessment'].map((round) => results.find((r) => r.round === round)!);
    const served = ['access', 'awareness', 'backup'].map((d) => after!.domains[d]! - before!.domains[d]!);
    expect(first.domainChange.value).toBeCloseTo(mean(served), 12);
    expect(rows.paragraphs.join(' ')).toMatch(
      /This shows association, not effect|Even a clear one would show association, not effect/,
    );
  });

  it('says nothing of the organisations’ change before a reassessment', () => {
    const baseline = readAnswers(
      fw,
      readFileSync(`${repo}content/samples/answers.csv`, 'utf8')
        .split('\n')
        .filter((l) => !l.includes(',reassessment,'))
        .join('\n'),
      { file: 'a.csv' },
    );
    if (!baseline.ok) throw new Error('answers');
    const r = buildProgrammeReport(fw, baseline.value, { trainings: sessions });
    expect(r.training.organisations!.from).toBeNull();
    expect(r.training.organisations!.rows[0]!.domainChange.text).toBe('–');
    expect(r.training.organisations!.paragraphs[0]).toMatch(/once a reassessment is recorded/);
  });

  it('writes the section in Albanian and Serbian, Cyrillic transliterated from Latin', () => {
    const sq = buildProgrammeReport(fw, set, { trainings: sessions, locale: 'sq' });
    expect(sq.training.paragraphs[0]).toBe(
      'U zhvilluan 3 sesione (2 module) me 15 pjesëmarrës, që vinin nga 10 prej 10 organizata të grupit.',
    );
    const latn = buildProgrammeReport(fw, set, { trainings: sessions, locale: 'sr-Latn' });
    const cyrl = buildProgrammeReport(fw, set, { trainings: sessions, locale: 'sr-Cyrl' });
    expect(latn.training.paragraphs[0]).toBe(
      'Održane sesije: 3 sesije (2 modula). Učesnici: 15 učesnika, iz 10 od ukupno 10 organizacija u grupi.',
    );
    expect(cyrl.training.paragraphs[0]).toBe(
      'Одржане сесије: 3 сесије (2 модула). Учесници: 15 учесника, из 10 од укупно 10 организација у групи.',
    );
    expect(cyrl.training.limits[2]).toMatch(/^Нема контролне групе/);
  });

  it('ranks ties on average in the rank correlation, and has none when a side does not vary', () => {
    expect(
      spearman([
        [1, 2],
        [2, 4],
        [3, 6],
      ]),
    ).toBeCloseTo(1, 12);
    expect(
      spearman([
        [1, 3],
        [2, 2],
        [3, 1],
      ]),
    ).toBeCloseTo(-1, 12);
    expect(
      spearman([
        [1, 1],
        [1, 2],
        [2, 3],
      ]),
    ).toBeCloseTo(0.866025403784, 9);
    expect(
      spearman([
        [1, 5],
        [2, 5],
      ]),
    ).toBeNull();
  });

  it('says plainly when nothing is recorded', () => {
    const none = buildProgrammeReport(fw, set, {});
    expect(none.training).toMatchObject({ state: 'none', sessions: [], totals: null, organisations: null });
  });
});

describe('the organisation’s own report: its trainings', () => {
  const name = orgs[0]!;

  it('lists its people’s sessions with who attended and their scores before and after', () => {
    const r = buildOrganisationReport(fw, set, name, {
      organisationTrainings: [
        {
          title: 'Backup and recovery',
          date: '2026-03-20',
          participants: [{ name: 'Arta K.', attended: true, pre: 20, post: 50 }],
        },
        {
          title: 'Account security and phishing',
          date: '2026-02-10',
          participants: [
            { name: 'Arta K.', attended: true, pre: 40, post: 80 },
            { name: 'P-07', attended: true, pre: 62.5, post: null },
            { name: 'Blerim D.', attended: false, pre: null, post: null },
          ],
        },
      ],
    });
    const section = r.trainings!;
    expect(section.title).toBe('Trainings');
    expect(section.sessions.map((s) => [s.title, s.date])).toEqual([
      ['Account security and phishing', 'February 10, 2026'],
      ['Backup and recovery', 'March 20, 2026'],
    ]);
    expect(
      section.sessions[0]!.participants.map((p) => [p.name, p.attended, p.pre.text, p.post.text, p.change.text]),
    ).toEqual([
      ['Arta K.', true, '40.0', '80.0', '+40.0'],
      ['P-07', true, '62.5', '–', '–'],
      ['Blerim D.', false, '–', '–', '–'],
    ]);
  });

  it('has no Trainings section when its people took none', () => {
    expect(buildOrganisationReport(fw, set, name).trainings).toBeNull();
    expect(buildOrganisationReport(fw, set, name, { organisationTrainings: [] }).trainings).toBeNull();
  });
});

describe('training impact properties', () => {
  const pairArb = fc.record({ pre: fc.integer({ min: 0, max: 100 }), post: fc.integer({ min: 0, max: 100 }) });
  const build = (pairs: { pre: number; post: number }[], audience: 'programme' | 'observers', k: number) =>
    buildProgrammeReport(fw, set, {
      audience,
      minCell: k,
      trainings: [
        {
          id: 's',
          module: 'm',
          title: 'Module',
          organisations: pairs.map((_, i) => orgs[i % orgs.length]!),
          participants: pairs.length,
          knowledge: pairs.map((p, i) => ({ ...p, organisation: orgs[i % orgs.length]! })),
        },
      ],
    });

  it('makes Δ mean(post) − mean(pre) over the pairs, withheld for observers exactly when there are fewer than k', () => {
    fc.assert(
      fc.property(fc.array(pairArb, { maxLength: 40 }), fc.integer({ min: 1, max: 10 }), (pairs, k) => {
        const expected = pairs.length > 0 ? mean(pairs.map((p) => p.post)) - mean(pairs.map((p) => p.pre)) : null;
        const teamReport: ProgrammeReport = build(pairs, 'programme', k);
        for (const f of [teamReport.training.sessions[0]!.knowledge, teamReport.training.totals!.knowledge]) {
          expect(f.pairs).toBe(pairs.length);
          if (expected === null) expect(f.change.mean.value).toBeNull();
          else expect(f.change.mean.value).toBeCloseTo(expected, 9);
        }
        const obs = build(pairs, 'observers', k).training.sessions[0]!.knowledge.change.mean;
        const hidden = pairs.length > 0 && pairs.length < k;
        expect(obs.withheld === true).toBe(hidden);
        if (!hidden && expected !== null) expect(Math.abs(obs.value! - expected)).toBeLessThanOrEqual(0.005 + 1e-9);
        if (hidden) expect(obs.value).toBeNull();
      }),
      { numRuns: 60 },
    );
  });
});
