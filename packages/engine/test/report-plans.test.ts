import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildOrganisationReport,
  buildProgrammeReport,
  loadCatalogue,
  loadFramework,
  rankInterventions,
  readAnswers,
  textFor,
  type PlanItemInput,
} from '../src/index.js';

const repo = new URL('../../../', import.meta.url).pathname;
const loaded = loadFramework(readFileSync(`${repo}content/frameworks/cso-media.yaml`, 'utf8'), { file: 'f.yaml' });
const cat = loadCatalogue(readFileSync(`${repo}content/interventions/cso-media.yaml`, 'utf8'), { file: 'c.yaml' });
if (!loaded.ok || !cat.ok) throw new Error('content');
const fw = loaded.value;
const catalogue = cat.value;
const sample = readAnswers(fw, readFileSync(`${repo}content/samples/answers.csv`, 'utf8'), { file: 'answers.csv' });
if (!sample.ok) throw new Error('answers');
const set = sample.value;
const [first, second] = set.organisations as [string, string];

const item = (over: Partial<PlanItemInput>): PlanItemInput => ({
  organisation: first,
  round: 'baseline',
  intervention: null,
  kind: 'technical',
  status: 'planned',
  dueOn: null,
  doneOn: null,
  overdue: false,
  dropReason: null,
  ...over,
});

describe('the plan in an organisation\u2019s report', () => {
  const ranking = rankInterventions(fw, catalogue, set.assessments.get(first)!.get('baseline')!);
  const [top, next] = ranking as [(typeof ranking)[number], (typeof ranking)[number]];
  const items = [
    item({ intervention: next.id, status: 'dropped', dropReason: 'Done another way.' }),
    item({ intervention: top.id, status: 'done', doneOn: '2026-04-02', dueOn: '2026-03-31' }),
    item({ title: 'Move the archive', status: 'in_progress', overdue: true, dueOn: '2026-01-15' }),
    // Another organisation's item is not this report's business.
    item({ organisation: second, intervention: top.id, status: 'done' }),
  ];
  const report = buildOrganisationReport(fw, set, first, { plan: { catalogue, items } });

  it('says what was chosen and why, done first, with where each stands', () => {
    const plan = report.plan!;
    expect(plan.items.map((i) => i.status)).toEqual(['done', 'in_progress', 'dropped']);
    const done = plan.items[0]!;
    expect(done.title).toBe(textFor(catalogue.interventions.find((i) => i.id === top.id)!.title));
    // Why: the questions its intervention raises at the round it answers, and the engine's gain.
    const q = fw.domains.flatMap((d) => d.questions).find((x) => x.id === top.questions[0])!;
    expect(done.why).toContain(textFor(q.text));
    expect(done.why).toMatch(/^For the gaps of baseline: raises .*; \+\d\.\d overall\.$/);
    expect(done.done).toBe('April 2, 2026');
    expect(plan.items[1]).toMatchObject({
      title: 'Move the archive',
      overdue: true,
      why: 'The team’s own item, for baseline.',
    });
    expect(plan.items[2]).toMatchObject({ dropReason: 'Done another way.', statusText: 'Dropped' });
    expect(plan.summary).toBe(
      '3 items: 1 done, 1 in progress, 0 planned and 1 dropped. 1 open item is past its due date.',
    );
  });

  it('says there is no plan when none was recorded, and leaves the section out when none was given', () => {
    expect(buildOrganisationReport(fw, set, second, { plan: { catalogue, items: [] } }).plan!.summary).toBe(
      'No plan has been recorded for this organisation yet.',
    );
    expect(buildOrganisationReport(fw, set, first).plan).toBeNull();
  });
});

describe('the plans in the programme report', () => {
  const latest = (org: string) =>
    set.assessments.get(org)!.get('reassessment') ?? set.assessments.get(org)!.get('baseline')!;
  const topOf = (org: string) => rankInterventions(fw, catalogue, latest(org))[0]!;

  it('counts what was delivered by kind and domain, and lists the gaps no live item covers', () => {
    const top = topOf(first);
    const kind = catalogue.interventions.find((i) => i.id === top.id)!.kind;
    const items = [
      item({ intervention: top.id, kind, status: 'done' }),
      item({ organisation: second, intervention: top.id, kind, status: 'dropped', dropReason: 'x' }),
      item({ organisation: 'Not in the set', intervention: top.id, kind, status: 'done' }),
    ];
    const report = buildProgrammeReport(fw, set, { plans: { catalogue, items } });
    const plans = report.plans!;
    expect(plans.byKind.find((k) => k.kind === kind)).toMatchObject({ done: 1, dropped: 1 });
    expect(plans.paragraphs[0]).toMatch(/^2 organisations have a plan: 2 items in all, 1 of them done \(50%\)/);
    const domain = top.moves[0]!.domain;
    expect(plans.byDomain.find((d) => d.id === domain)).toMatchObject({ done: 1, organisations: 1 });
  });

  it('lists as unaddressed the gaps of each organisation\u2019s latest round that no live item covers', () => {
    const questions = fw.domains.flatMap((d) => d.questions);
    const below = (org: string, id: string) => {
      const p = questions.findIndex((q) => q.id === id);
      const c = latest(org)[p]!;
      const q = questions[p]!;
      return c >= 0 && q.options[c]!.score < Math.max(...q.options.map((o) => o.score));
    };
    // No plans: each listed gap counts the organisations whose latest answer is below its best.
    const none = buildProgrammeReport(fw, set, { plans: { catalogue, items: [] } }).plans!;
    expect(none.unaddressed).toHaveLength(10);
    for (const g of none.unaddressed)
      expect(g.organisations, g.question).toBe(set.organisations.filter((o) => below(o, g.question)).length);
    const counts = none.unaddressed.map((g) => g.organisations);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // One organisation alone: its first gap leaves the list once an item covers it, and stays
    // there while the item is dropped.
    const solo = { ...set, organisations: [first], assessments: new Map([[first, set.assessments.get(first)!]]) };
    const gap = buildProgrammeReport(fw, solo, { plans: { catalogue, items: [] } }).plans!.unaddressed[0]!;
    expect(gap.organisations).toBe(1);
    const fix = catalogue.interventions.find((i) =>
      questions.find((q) => q.id === gap.question)!.interventions.includes(i.id),
    )!;
    const planned = (status: PlanItemInput['status']) =>
      buildProgrammeReport(fw, solo, {
        plans: { catalogue, items: [item({ intervention: fix.id, kind: fix.kind, status })] },
      }).plans!.unaddressed.map((g) => g.question);
    expect(planned('in_progress')).not.toContain(gap.question);
    expect(planned('done')).not.toContain(gap.question);
    expect(planned('dropped')).toContain(gap.question);
    const all = set.organisations.flatMap((o) =>
      catalogue.interventions.map((i) => item({ organisation: o, intervention: i.id, kind: i.kind, status: 'done' })),
    );
    const everything = buildProgrammeReport(fw, set, { plans: { catalogue, items: all } }).plans!;
    expect(everything.unaddressed).toEqual([]);
    expect(everything.unaddressedIntro).toMatch(/^Every gap the catalogue can address/);
  });

  it('leaves plans out of the observers\u2019 edition, and out when none were given', () => {
    const items = [item({ intervention: topOf(first).id, status: 'done' })];
    expect(buildProgrammeReport(fw, set, { audience: 'observers', plans: { catalogue, items } }).plans).toBeNull();
    expect(buildProgrammeReport(fw, set).plans).toBeNull();
  });
});
