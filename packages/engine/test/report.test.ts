import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildOrganisationReport,
  buildProgrammeReport,
  collectAnswers,
  criticalGaps,
  explainChoices,
  figure,
  formatScore,
  loadFramework,
  missingTexts,
  pseudonym,
  readAnswers,
  REPORT_CATALOGUES,
  reportText,
  scoreAnswerSet,
  SUPPORTED_LOCALES,
  type AnswerRecord,
  type Framework,
  type ProgrammeReport,
  type TextKey,
  hasCyrillic,
  latinToCyrillic,
  textFor,
} from '../src/index.js';

const repo = new URL('../../../', import.meta.url).pathname;
const fwText = readFileSync(`${repo}content/frameworks/cso-media.yaml`, 'utf8');
const loaded = loadFramework(fwText, { file: 'cso-media.yaml' });
if (!loaded.ok) throw new Error('framework');
const fw: Framework = loaded.value;
const sampleText = readFileSync(`${repo}content/samples/answers.csv`, 'utf8');
const sample = readAnswers(fw, sampleText, { file: 'answers.csv' });
if (!sample.ok) throw new Error('answers');
const set = sample.value;
const GENERATED = '2026-06-12T10:00:00Z';

/** Every organisation answers every question with its best option, except where `plant` says. */
function cohort(
  organisations: number,
  rounds: string[],
  plant: (org: number, round: string, question: string) => string | undefined = () => undefined,
): AnswerRecord[] {
  const records: AnswerRecord[] = [];
  for (const round of rounds) {
    for (let o = 0; o < organisations; o++) {
      for (const d of fw.domains) {
        for (const q of d.questions) {
          const best = [...q.options].sort((a, b) => b.score - a.score)[0]!.id;
          records.push({ organisation: `Org ${o}`, round, question: q.id, answer: plant(o, round, q.id) ?? best });
        }
      }
    }
  }
  return records;
}

function build(records: AnswerRecord[], options: Parameters<typeof buildProgrammeReport>[2] = {}): ProgrammeReport {
  const { set: s, problems } = collectAnswers(fw, records);
  expect(problems).toEqual([]);
  return buildProgrammeReport(fw, s, { generatedAt: GENERATED, ...options });
}

const zeroOf = (id: string) =>
  fw.domains
    .flatMap((d) => d.questions)
    .find((q) => q.id === id)!
    .options.find((o) => o.score === 0 && !o.unknown)!.id;
const worstOf = (id: string) =>
  [...fw.domains.flatMap((d) => d.questions).find((q) => q.id === id)!.options].sort((a, b) => a.score - b.score)[0]!
    .id;

describe('the programme report model', () => {
  const report = buildProgrammeReport(fw, set, { generatedAt: GENERATED });
  const scores = scoreAnswerSet(fw, set);

  it('carries the cohort figures of scoreAnswerSet, exactly, per round and per domain', () => {
    for (const r of report.summary.rounds) {
      const c = scores.cohort[r.round]!;
      expect(r.n).toBe(c.n);
      expect(r.overall.mean.value).toBe(c.overall.mean);
      expect(r.overall.median.value).toBe(c.overall.median);
      expect(r.overall.min.value).toBe(c.overall.min);
      expect(r.overall.max.value).toBe(c.overall.max);
      expect(r.overall.sd.value).toBe(c.overall.sd);
    }
    for (const d of report.findings.domains) {
      for (const r of d.rounds) {
        const s = scores.cohort[r.round]!.domains[d.id]!;
        expect([r.stats.n, r.stats.mean.value, r.stats.median.value, r.stats.min.value, r.stats.max.value]).toEqual([
          s.n,
          s.mean,
          s.median,
          s.min,
          s.max,
        ]);
      }
    }
    const [change] = report.change.sections;
    const expected = scores.change[0]!;
    expect(change!.overall.change.mean.value).toBe(expected.overall.mean);
    expect([
      change!.overall.change.improved,
      change!.overall.change.declined,
      change!.overall.change.unchanged,
    ]).toEqual([expected.overall.improved, expected.overall.declined, expected.overall.unchanged]);
    for (const d of change!.domains) {
      expect(d.change.mean.value).toBe(expected.domains[d.id]!.mean);
      expect(d.before.value).toBe(scores.cohort[expected.from]!.domains[d.id]!.mean);
      expect(d.after.value).toBe(scores.cohort[expected.to]!.domains[d.id]!.mean);
    }
  });

  it('shows cohort figures with two decimals and an organisation’s with one, rounded half up', () => {
    expect(report.summary.rounds.map((r) => r.overall.mean.text)).toEqual(['3.44', '4.07']);
    expect(report.summary.changes[0]!.overall.mean.text).toBe('+0.63');
    for (const r of report.summary.rounds) expect(r.overall.mean.text).toBe(formatScore(r.overall.mean.value, 2));
    const byOrg = new Map(scores.results.map((r) => [`${r.organisation}/${r.round}`, r.overall]));
    report.annex.rows.forEach((row, i) => {
      row.rounds.forEach((x, j) => {
        const exact = byOrg.get(`${set.organisations[i]}/${set.rounds[j]}`)!;
        expect(x!.overall.value).toBe(exact);
        expect(x!.overall.text).toBe(formatScore(exact, 1));
      });
    });
    const t = reportText('en');
    expect(figure(t, 'score', 1.005, 2)).toMatchObject({ value: 1.005, rounded: 1.01, text: '1.01' });
    expect(figure(t, 'score', 8.325, 2).text).toBe('8.33');
    expect(figure(t, 'score', 1.45, 1).text).toBe('1.5');
    expect(figure(t, 'change', -0.355, 2).text).toBe('-0.36');
    expect(figure(t, 'change', 0.004, 2).text).toBe('0.00');
    expect(figure(t, 'share', 0.995, 0).text).toBe('100%');
  });

  it('formats numbers and dates for the locale', () => {
    const sq = buildProgrammeReport(fw, set, { locale: 'sq', generatedAt: GENERATED });
    expect(sq.summary.rounds[0]!.overall.mean.text).toBe('3,44');
    expect(sq.cover.date).toMatch(/2026/);
    expect(sq.cover.date).not.toBe(report.cover.date);
    expect(report.cover.date).toBe('June 12, 2026');
  });

  it('names the organisations A, B, … in order of first appearance, and AA after Z', () => {
    expect(report.annex.rows.map((r) => r.pseudonym).slice(0, 3)).toEqual([
      'Organisation A',
      'Organisation B',
      'Organisation C',
    ]);
    expect(report.annex.rows[0]!.rounds[0]!.overall.value).toBe(scores.results[0]!.overall);
    expect([pseudonym(25), pseudonym(26), pseudonym(27), pseudonym(701), pseudonym(702)]).toEqual([
      'Organisation Z',
      'Organisation AA',
      'Organisation AB',
      'Organisation ZZ',
      'Organisation AAA',
    ]);
    expect(JSON.stringify(report.annex)).not.toContain('Dosja');
  });

  it('counts the most common gaps as "n of m" over the organisations that answered', () => {
    const top = report.findings.gaps[0]!;
    const last = top.rounds[top.rounds.length - 1]!;
    expect(top.latestText).toBe(`${last.count} of ${last.of}`);
    const counts = report.findings.gaps.map((g) => g.rounds[g.rounds.length - 1]!.count!);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  });

  it('says plainly when no trainings are recorded, and sums them up when they are', () => {
    expect(report.training.state).toBe('none');
    expect(report.training.paragraphs[0]).toMatch(/No trainings have been recorded yet/);
    const trained = buildProgrammeReport(fw, set, {
      trainings: [
        {
          id: 's1',
          module: 'account-security',
          title: 'Two-step login clinic',
          date: '2026-02-10',
          domains: ['access'],
          organisations: set.organisations.slice(0, 6),
          participants: 6,
          knowledge: [
            { pre: 40, post: 80, organisation: set.organisations[0]! },
            { pre: 50, post: 70, organisation: set.organisations[1]! },
          ],
        },
      ],
    });
    expect(trained.training.state).toBe('recorded');
    expect(trained.training.totals).toMatchObject({ sessions: 1, participants: 6, organisationsReached: 6 });
    expect(trained.training.totals!.knowledge.pairs).toBe(2);
    expect(trained.training.totals!.knowledge.pre.text).toBe('45.00');
    expect(trained.training.totals!.knowledge.post.text).toBe('75.00');
    expect(trained.training.totals!.knowledge.change.mean.text).toBe('+30.00');
  });
});

describe('policy recommendations', () => {
  const ids = (r: ProgrammeReport) => r.recommendations.items.map((x) => x.id);

  it('fires the critical-control rule when at least 30% lack the control, with its evidence', () => {
    const r = build(
      cohort(10, ['baseline'], (o, _r, q) => (q === 'incident.response-plan' && o < 3 ? zeroOf(q) : undefined)),
    );
    const rec = r.recommendations.items.find((x) => x.id === 'critical-control:incident.response-plan')!;
    expect(rec.rule).toBe('critical-control');
    expect(rec.text).toMatch(/^3 of 10 organisations had no written incident response plan at baseline\./);
    expect(rec.evidence).toEqual(
      expect.arrayContaining([
        { name: 'count', value: 3 },
        { name: 'of', value: 10 },
      ]),
    );
  });

  it('does not fire the critical-control rule below 30%', () => {
    const r = build(
      cohort(10, ['baseline'], (o, _r, q) => (q === 'incident.response-plan' && o < 2 ? zeroOf(q) : undefined)),
    );
    expect(ids(r)).toEqual([]);
  });

  it('fires the weakest-domain rule only when the weakest domain is below half the scale', () => {
    const weak = build(cohort(10, ['baseline'], (_o, _r, q) => (q.startsWith('physical.') ? worstOf(q) : undefined)));
    expect(ids(weak)).toContain('weakest-domain:physical');
    const strong = build(cohort(10, ['baseline']));
    expect(ids(strong)).not.toContain('weakest-domain:physical');
  });

  it('fires the unknown-answers rule at 5% of answers "Don’t know", and not below', () => {
    const withUnknown = fw.domains.flatMap((d) => d.questions).filter((q) => q.options.some((o) => o.unknown));
    const plantUnknown = (count: number) => {
      let left = count;
      return cohort(10, ['baseline'], (_o, _r, q) => {
        const question = withUnknown.find((x) => x.id === q);
        if (!question || left === 0 || q.startsWith('incident.') || question.cap !== undefined) return undefined;
        left--;
        return question.options.find((x) => x.unknown)!.id;
      });
    };
    const answers = 10 * fw.domains.reduce((n, d) => n + d.questions.length, 0);
    const planted = Math.ceil(0.05 * answers);
    const fires = build(plantUnknown(planted));
    const rec = fires.recommendations.items.find((x) => x.rule === 'unknown-answers')!;
    expect(rec.evidence.slice(0, 3)).toEqual([
      { name: 'unknown', value: planted },
      { name: 'answers', value: answers },
      { name: 'share', value: planted / answers },
    ]);
    const quiet = build(plantUnknown(7));
    expect(quiet.recommendations.items.filter((x) => x.rule === 'unknown-answers')).toEqual([]);
  });

  it('fires the declined rule when an organisation’s overall score fell, and not when none did', () => {
    const fell = build(
      cohort(10, ['baseline', 'reassessment'], (o, round, q) =>
        o === 0 && round === 'reassessment' && q.startsWith('backup.') ? worstOf(q) : undefined,
      ),
    );
    expect(ids(fell)).toContain('declined');
    expect(fell.recommendations.items.find((x) => x.id === 'declined')!.text).toMatch(
      /^1 of 10 organisations scored lower/,
    );
    const steady = build(cohort(10, ['baseline', 'reassessment']));
    expect(ids(steady)).not.toContain('declined');
  });

  it('fires the stalled-domains rule for domains that did not move while the overall rose', () => {
    const rose = build(
      cohort(10, ['baseline', 'reassessment'], (_o, round, q) =>
        round === 'baseline' && (q.startsWith('access.') || q.startsWith('physical.'))
          ? worstOf(q)
          : q.startsWith('physical.')
            ? worstOf(q)
            : undefined,
      ),
    );
    const rec = rose.recommendations.items.find((x) => x.rule === 'stalled-domains')!;
    expect(rec.subject.domains).toContain('physical');
    expect(rec.subject.domains).not.toContain('access');
  });

  it('documents every rule and lets a caller edit a recommendation before rendering', () => {
    const r = buildProgrammeReport(fw, set);
    expect(r.recommendations.rules.map((x) => x.id)).toEqual([
      'critical-control',
      'weakest-domain',
      'unknown-answers',
      'declined',
      'stalled-domains',
    ]);
    const edited = structuredClone(r);
    edited.recommendations.items[0]!.text = 'Edited by the programme team.';
    expect(edited.recommendations.items[0]!.text).toBe('Edited by the programme team.');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('the edition for observers', () => {
  it('has no per-organisation rows', () => {
    const r = buildProgrammeReport(fw, set, { audience: 'observers' });
    expect(r.annex.rows).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/fewer than 5 organisations/);
    expect(r.summary.rounds[0]!.overall.mean.text).toBe('3.44');
  });

  it('withholds every figure computed over fewer than 5 organisations', () => {
    const small = build(cohort(4, ['baseline', 'reassessment']), { audience: 'observers' });
    const mean = small.summary.rounds[0]!.overall.mean;
    expect(mean).toMatchObject({ value: null, rounded: null, withheld: true, text: 'withheld' });
    expect(small.findings.domains.every((d) => d.rounds.every((r) => r.stats.mean.value === null))).toBe(true);
    expect(small.change.sections[0]!.overall.change).toMatchObject({ improved: null, declined: null });
    expect(small.findings.gaps.every((g) => g.rounds.every((r) => r.count === null))).toBe(true);
    expect(small.recommendations.items).toEqual([]);
    // the same cohort for the programme team shows them
    const team = build(cohort(4, ['baseline', 'reassessment']));
    expect(team.summary.rounds[0]!.overall.mean.value).toBe(10);
  });

  it('withholds a domain answered by fewer than 5 organisations while showing the rest', () => {
    const r = build(
      // one organisation weak on MFA, so that the access mean is neither 0 nor the top (a pinned mean names everyone)
      cohort(10, ['baseline'], (o, _r, q) =>
        q.startsWith('physical.') && o >= 3 ? '' : q === 'access.mfa-email' && o === 0 ? worstOf(q) : undefined,
      ),
      { audience: 'observers' },
    );
    const physical = r.findings.domains.find((d) => d.id === 'physical')!.rounds[0]!.stats;
    expect(physical.n).toBe(3);
    expect(physical.mean.withheld).toBe(true);
    const access = r.findings.domains.find((d) => d.id === 'access')!.rounds[0]!.stats;
    expect(access.mean.withheld).toBeFalsy();
    expect(access.mean.value).toBeGreaterThan(0);
    expect(access.mean.value).toBeLessThan(10);
  });
});

describe('the organisation report model', () => {
  const name = 'Ženska Inicijativa Đurđevak';
  const notes = [
    { round: 'baseline', question: 'access.mfa-email', note: 'Samo direktorka koristi 2FA' },
    { round: 'reassessment', question: 'backup.offline-copy', note: 'Disk u ormaru' },
  ];
  const r = buildOrganisationReport(fw, set, name, { notes, generatedAt: GENERATED });
  const scores = scoreAnswerSet(fw, set);

  it('carries its scores and bands as scoreAnswerSet and explainChoices have them', () => {
    for (const [i, round] of r.rounds.entries()) {
      const result = scores.results.find((x) => x.organisation === name && x.round === round)!;
      expect(r.summary.rounds[i]!.overall.value).toBe(result.overall);
      expect(r.summary.rounds[i]!.overall.text).toBe(formatScore(result.overall, 1));
      expect(r.summary.rounds[i]!.level).toBe(result.level);
      for (const d of r.domains.items) expect(d.scores[i]!.value).toBe(result.domains[d.id]);
    }
    const e = explainChoices(fw, set.assessments.get(name)!.get('reassessment')!);
    for (const [i, d] of r.domains.items.entries()) {
      expect(d.explanation.score.value).toBe(e.domains[i]!.score);
      expect(d.explanation.cap?.value ?? null).toBe(e.domains[i]!.cap?.value ?? null);
    }
  });

  it('ranks its gaps by what the best answer would add to the overall score', () => {
    const gains = r.gaps.items.map((g) => g.gain.value!);
    expect(gains.length).toBeGreaterThan(0);
    expect([...gains].sort((a, b) => b - a)).toEqual(gains);
    for (const g of r.gaps.items) {
      expect(g.stepGain.value!).toBeLessThanOrEqual(g.gain.value! + 1e-12);
      expect(g.quickWin).toBe(g.gain.value! > 0 && g.stepGain.value! >= g.gain.value! / 2);
    }
  });

  it('names every critical gap of its latest round, in framework order, with the answer and the cap', () => {
    const expected = criticalGaps(fw, set.assessments.get(name)!.get('reassessment')!);
    expect(r.criticalGaps.round).toBe('reassessment');
    expect(r.criticalGaps.items.map((g) => [g.question, g.domain, g.cap])).toEqual(
      expected.map((g) => [g.question, g.domain, g.cap]),
    );
    for (const g of r.criticalGaps.items) {
      const q = fw.domains.flatMap((d) => d.questions).find((x) => x.id === g.question)!;
      const chosen = q.options.find((o) => o.id === expected.find((e) => e.question === g.question)!.option)!;
      expect(g.answer).toBe(textFor(chosen.label));
      expect(chosen.score).toBeLessThanOrEqual(q.capAt);
    }
    // an organisation with every control at its best has none, and says so
    const clean = collectAnswers(fw, cohort(1, ['baseline'])).set;
    const none = buildOrganisationReport(fw, clean, 'Org 0');
    expect(none.criticalGaps.items).toEqual([]);
    expect(none.criticalGaps.intro).toMatch(/No critical gaps at baseline/);
    // one capped control at its weakest step is named, whichever domain it is in
    const weak = collectAnswers(
      fw,
      cohort(1, ['baseline'], (_o, _r, q) => (q === 'devices.disk-encryption' ? 'some' : undefined)),
    ).set;
    const one = buildOrganisationReport(fw, weak, 'Org 0');
    expect(one.criticalGaps.items.map((g) => g.question)).toEqual(['devices.disk-encryption']);
  });

  it('keeps its own notes in round and framework order', () => {
    expect(r.notes.items.map((n) => n.note)).toEqual(['Samo direktorka koristi 2FA', 'Disk u ormaru']);
    expect(r.cover.note).toMatch(/^Confidential\./);
  });

  it('keeps the organisation’s notes and the assessor’s side by side, saying who wrote which', () => {
    const both = buildOrganisationReport(fw, set, name, {
      notes: [
        { round: 'reassessment', question: 'backup.offline-copy', note: 'Disk u ormaru', by: 'organisation' },
        { round: 'reassessment', question: 'backup.offline-copy', note: 'Disk seen, not tested', by: 'assessor' },
        { round: 'baseline', question: 'access.mfa-email', note: 'Samo direktorka', by: 'organisation' },
      ],
    });
    expect(both.notes.items.map((n) => [n.round, n.by, n.note])).toEqual([
      ['baseline', 'organisation', 'Samo direktorka'],
      ['reassessment', 'organisation', 'Disk u ormaru'],
      ['reassessment', 'assessor', 'Disk seen, not tested'],
    ]);
  });

  it('lists the evidence on file: each file, what it supports and when it was attached', () => {
    const evidence = [
      {
        round: 'reassessment',
        name: 'restore-test.pdf',
        question: 'backup.offline-copy',
        domain: 'backup',
        at: '2026-05-02T10:00:00Z',
      },
      { round: 'baseline', name: 'policy.docx', question: null, domain: 'governance', at: '2026-01-10T09:00:00Z' },
      { round: 'reassessment', name: 'notes.txt', question: null, domain: null, at: '2026-05-01T08:00:00Z' },
      { round: 'no-such-round', name: 'x.pdf', question: null, domain: null, at: '2026-05-01T08:00:00Z' },
    ];
    const withEvidence = buildOrganisationReport(fw, set, name, { evidence });
    expect(withEvidence.evidence!.title).toBe('Evidence on file');
    expect(withEvidence.evidence!.items).toEqual([
      { round: 'baseline', name: 'policy.docx', question: null, domain: 'governance', supports: expect.stringMatching(/^Governance.* \(the domain as a whole\)$/), date: 'January 10, 2026' },
      { round: 'reassessment', name: 'notes.txt', question: null, domain: null, supports: 'The assessment as a whole', date: 'May 1, 2026' },
      { round: 'reassessment', name: 'restore-test.pdf', question: 'backup.offline-copy', domain: 'backup', supports: expect.stringContaining('offline'), date: 'May 2, 2026' },
    ]); // prettier-ignore
    // No evidence given (the command line has none): no section, rather than a claim there is none.
    expect(r.evidence).toBeNull();
    const none = buildOrganisationReport(fw, set, name, { evidence: [] });
    expect(none.evidence).toMatchObject({ items: [], intro: 'No files were attached to the assessment as evidence.' });
    const sr = buildOrganisationReport(fw, set, name, { evidence, locale: 'sr-Cyrl' });
    expect(sr.evidence!.title).toBe('Приложени докази');
    expect(sr.evidence!.items[1]!.supports).toBe('Процена у целини');
    const sq = buildOrganisationReport(fw, set, name, { evidence, locale: 'sq' });
    expect(sq.evidence!.title).toBe('Dëshmitë e bashkëngjitura');
  });
});

describe('the report texts', () => {
  /** The `{placeholders}` of a text, sorted: the figures and names a sentence carries. */
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

  it('carry in every translation the figures and names the English sentence carries', () => {
    const english = REPORT_CATALOGUES.en as Readonly<Record<string, string>>;
    for (const locale of SUPPORTED_LOCALES) {
      for (const [key, text] of Object.entries(REPORT_CATALOGUES[locale] as Record<string, string>)) {
        // A plural form a language has and English lacks (`.few`) answers to English's `.other`.
        const source = english[key] ?? english[key.replace(/\.(one|few)$/, '.other')];
        expect(source, `${locale}: ${key} is not an English text`).toBeDefined();
        // English's `.one` may say "one" instead of {n}; every other form names what English names.
        if (!key.endsWith('.one')) expect(placeholders(text), `${locale}: ${key}`).toEqual(placeholders(source!));
      }
    }
  });

  it('agrees with the count in every sentence that has one: 1, 2, 5 and 21 in English and Serbian', () => {
    const en = reportText('en');
    const sr = reportText('sr-Latn');
    const withheld = (t: typeof en, n: number) =>
      t.plural('summary.roundWithheld', n, { round: 'baseline', n: t.count('organisations', n) });
    expect([1, 2, 5, 21].map((n) => withheld(en, n).split(':')[0])).toEqual([
      'At baseline, 1 organisation was assessed',
      'At baseline, 2 organisations were assessed',
      'At baseline, 5 organisations were assessed',
      'At baseline, 21 organisations were assessed',
    ]);
    // Serbian: one (1, 21), few (2), other (5), and the verb agrees with each
    expect([1, 2, 5, 21].map((n) => withheld(sr, n).split(':')[0])).toEqual([
      'U krugu baseline procenjena je 1 organizacija',
      'U krugu baseline procenjene su 2 organizacije',
      'U krugu baseline procenjeno je 5 organizacija',
      'U krugu baseline procenjena je 21 organizacija',
    ]);
    const gap = (t: typeof en, of: number) =>
      t.plural('summary.topGap', of, { round: 'r', count: 1, of, question: 'Q?' });
    expect([1, 2, 5, 21].map((of) => /1 of \d+ \w+/.exec(gap(en, of))![0])).toEqual([
      '1 of 1 organisation',
      '1 of 2 organisations',
      '1 of 5 organisations',
      '1 of 21 organisations',
    ]);
    expect([1, 2, 5, 21].map((of) => /\(1 od .*\)/.exec(gap(sr, of))![0])).toEqual([
      '(1 od 1 organizacije)',
      '(1 od 2 organizacije)',
      '(1 od 5 organizacija)',
      '(1 od 21 organizacije)',
    ]);
    const more = (t: ReturnType<typeof reportText>, n: number) => t.plural('org.moreGaps', n, { n }).split(';')[0];
    expect([1, 2, 5, 21].map((n) => more(en, n))).toEqual([
      '1 smaller gap follows the ones listed here',
      '2 smaller gaps follow the ones listed here',
      '5 smaller gaps follow the ones listed here',
      '21 smaller gaps follow the ones listed here',
    ]);
    expect([1, 2, 5, 21].map((n) => more(sr, n))).toEqual([
      'Posle navedenih sledi još 1 manji nedostatak',
      'Posle navedenih slede još 2 manja nedostatka',
      'Posle navedenih sledi još 5 manjih nedostataka',
      'Posle navedenih sledi još 21 manji nedostatak',
    ]);
    expect(more(reportText('sr-Cyrl'), 2)).toBe('После наведених следе још 2 мања недостатка');
    expect(more(reportText('sq'), 1)).toBe(
      'Pas atyre të renditura këtu vjen edhe 1 mangësi më e vogël, që sjell më pak se ato më sipër.',
    );
    const lead = (t: typeof en, n: number) =>
      t.plural('summary.lead', n, {
        organisations: t.count('organisations', n),
        framework: 'F',
        questions: t.count('questions', 2),
        domains: t.count('domains', 1),
        scale: 10,
      });
    expect(lead(en, 1)).toMatch(/^1 organisation took part in the programme and was assessed/);
    expect(lead(en, 21)).toMatch(/^21 organisations took part in the programme and were assessed/);
    expect([1, 2, 5, 21].map((n) => lead(sr, n).split(' u programu')[0])).toEqual([
      '1 organizacija je učestvovala',
      '2 organizacije su učestvovale',
      '5 organizacija je učestvovalo',
      '21 organizacija je učestvovala',
    ]);
  });

  it('says what is missing in a tense that agrees with one organisation as with many', () => {
    for (const key of Object.keys(REPORT_CATALOGUES.en).filter((k) => /^control\..*\.missing$/.test(k)))
      expect(reportText('en').t(key as TextKey), key).not.toMatch(/^(do|have|use|keep)\b/);
  });

  it('read in English where a language has no text yet, never as a bare key', () => {
    for (const locale of SUPPORTED_LOCALES) {
      const t = reportText(locale);
      for (const key of missingTexts(locale)) expect(t.t(key)).toBe(reportText('en').t(key));
      for (const key of Object.keys(REPORT_CATALOGUES.en) as TextKey[]) expect(t.t(key)).not.toBe(key);
    }
  });

  it('has every text in every language, and writes Serbian Cyrillic from the Latin catalogue', () => {
    for (const locale of SUPPORTED_LOCALES) expect(missingTexts(locale), locale).toEqual([]);
    const latin = reportText('sr-Latn');
    const cyrillic = reportText('sr-Cyrl');
    for (const key of Object.keys(REPORT_CATALOGUES['sr-Latn']) as TextKey[]) {
      expect(cyrillic.t(key)).toBe(latinToCyrillic(latin.t(key)));
      expect(hasCyrillic(latin.t(key)), key).toBe(false);
    }
    expect(reportText('sr-Cyrl').t('section.summary')).toBe('Сажетак');
    expect(reportText('sr-Latn').count('organisations', 3)).toBe('3 organizacije');
    expect(reportText('sq').count('organisations', 1)).toBe('1 organizatë');
  });
});
