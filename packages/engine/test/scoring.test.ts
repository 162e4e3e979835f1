import { describe, expect, it } from 'vitest';
import {
  explainAssessment,
  formatScore,
  levelFor,
  roundHalfUp,
  scoreAssessment,
  scoreCohort,
  stats,
} from '../src/index.js';
import { load, small } from './fixtures/frameworks.js';

const answers = (pairs: Record<string, string>) => new Map(Object.entries(pairs));

describe('scoring one assessment', () => {
  it('gives 8.33 for options scoring 1 and 0.5 with weights 2 and 1, plus one N/A (the contract vector)', () => {
    const fw = load(`kalaja: framework/1
id: vector
version: "1"
title: Vector
domains:
  - id: d
    title: D
    questions:
      - {id: d.a, text: A, weight: 2, options: [{id: no, label: No, score: 0}, {id: yes, label: Yes, score: 1}]}
      - {id: d.b, text: B, weight: 1, options: [{id: no, label: No, score: 0}, {id: half, label: Half, score: 0.5}]}
      - {id: d.c, text: C, na: true, options: [{id: no, label: No, score: 0}, {id: yes, label: Yes, score: 1}]}
`);
    const s = scoreAssessment(fw, answers({ 'd.a': 'yes', 'd.b': 'half', 'd.c': 'na' }));
    expect(s.domains.d).toBeCloseTo(25 / 3, 12);
    expect(formatScore(s.domains.d!, 2)).toBe('8.33');
    expect(s.completeness).toBe(1);
  });

  it('caps a domain when a capped question scores 0, also for "Don\'t know"', () => {
    const fw = small();
    const none = scoreAssessment(fw, answers({ 'access.mfa': 'none', 'access.admin': 'yes', 'access.manager': 'yes' }));
    // Uncapped: (2·0 + 1 + 1) / 4 × 10 = 5, capped at 4.
    expect(none.domains.access).toBe(4);
    const unknown = scoreAssessment(
      fw,
      answers({ 'access.mfa': 'dont-know', 'access.admin': 'yes', 'access.manager': 'yes' }),
    );
    expect(unknown.domains.access).toBe(4);
    const some = scoreAssessment(fw, answers({ 'access.mfa': 'some', 'access.admin': 'yes', 'access.manager': 'yes' }));
    expect(some.domains.access).toBe(7.5);
  });

  it('leaves a cap that is above the score without effect', () => {
    const s = scoreAssessment(small(), answers({ 'access.mfa': 'none', 'access.manager': 'no' }));
    expect(s.domains.access).toBe(0);
  });

  it('weighs domains in the overall and leaves out domains without answers', () => {
    const s = scoreAssessment(small(), answers({ 'access.mfa': 'all', 'backup.offline': 'no' }));
    // access 10 (weight 2), backup 0 (weight 1): 20 / 3.
    expect(s.overall).toBeCloseTo(20 / 3, 12);
    const onlyAccess = scoreAssessment(small(), answers({ 'access.mfa': 'all', 'backup.tested': 'na' }));
    expect(onlyAccess.domains.backup).toBeNull();
    expect(onlyAccess.overall).toBe(10);
  });

  it('counts answered and N/A questions towards completeness, blanks not', () => {
    const s = scoreAssessment(small(), answers({ 'access.mfa': 'all', 'access.admin': 'na', 'access.manager': '' }));
    expect(s.completeness).toBeCloseTo(2 / 5, 12);
    const blank = scoreAssessment(small(), answers({ 'access.mfa': '' }));
    expect(blank).toMatchObject({ overall: null, completeness: 0, domains: { access: null, backup: null } });
  });
});

describe('explaining a domain', () => {
  it('shows what pulled a domain down, what was left out, and which question capped it', () => {
    const e = explainAssessment(
      small(),
      answers({
        'access.mfa': 'none',
        'access.admin': 'yes',
        'access.manager': 'yes',
        'backup.offline': 'no',
        'backup.tested': 'na',
      }),
    );
    const access = e.domains.find((d) => d.domain === 'access')!;
    // Uncapped (2·0 + 1 + 1) / 4 × 10 = 5; MFA on nothing caps it at 4.
    expect(access).toMatchObject({
      score: 4,
      uncapped: 5,
      cap: { value: 4, questions: ['access.mfa'] },
      answered: 3,
      notApplicable: 0,
    });
    const [mfa, admin] = access.questions;
    expect(mfa).toMatchObject({ status: 'answered', option: 'none', score: 0, loss: 5, gapShare: 1, causedCap: true });
    expect(admin).toMatchObject({ status: 'answered', loss: 0, gapShare: 0, causedCap: false });
    const backup = e.domains.find((d) => d.domain === 'backup')!;
    expect(backup).toMatchObject({ score: 0, cap: null, answered: 1, notApplicable: 1, unanswered: 0 });
    expect(backup.questions[1]).toMatchObject({ status: 'na', loss: 0, gapShare: 0 });
    const none = explainAssessment(small(), answers({}));
    expect(none.domains.map((d) => [d.score, d.unanswered])).toEqual([
      [null, 3],
      [null, 2],
    ]);
  });

  it('splits the gap between questions by weight and missing score', () => {
    const e = explainAssessment(small(), answers({ 'backup.offline': 'no', 'backup.tested': 'yearly' }));
    const shares = e.domains[1]!.questions.map((q) => q.gapShare);
    expect(shares[0]).toBeCloseTo(1 / 1.25, 12);
    expect(shares[1]).toBeCloseTo(0.25 / 1.25, 12);
    // The losses add up to the distance from the top of the scale.
    const loss = e.domains[1]!.questions.reduce((s, q) => s + q.loss, 0);
    expect(10 - loss).toBeCloseTo(e.domains[1]!.score!, 12);
  });
});

describe('cohort figures', () => {
  it('takes the median of an even count as the mean of the two middle values, and sd with n − 1', () => {
    expect(stats([4, 1, 3, 2])).toEqual({ n: 4, mean: 2.5, median: 2.5, min: 1, max: 4, sd: Math.sqrt(5 / 3) });
    expect(stats([7])).toEqual({ n: 1, mean: 7, median: 7, min: 7, max: 7, sd: null });
    expect(stats([])).toEqual({ n: 0, mean: null, median: null, min: null, max: null, sd: null });
  });

  it('compares consecutive rounds over organisations present in both', () => {
    const rows = [
      ['A', 'base', 'backup.offline', 'no'],
      ['B', 'base', 'backup.offline', 'yes'],
      ['C', 'base', 'backup.offline', 'no'],
      ['A', 'again', 'backup.offline', 'yes'],
      ['B', 'again', 'backup.offline', 'yes'],
      ['D', 'again', 'backup.offline', 'yes'],
    ].map(([organisation, round, question, answer]) => ({
      organisation: organisation!,
      round: round!,
      question: question!,
      answer: answer!,
    }));
    const r = scoreCohort(small(), rows);
    expect(r.cohort.base!.n).toBe(3);
    expect(r.cohort.again!.overall.mean).toBe(10);
    expect(r.change).toEqual([
      expect.objectContaining({
        from: 'base',
        to: 'again',
        n: 2,
        overall: expect.objectContaining({ n: 2, mean: 5, improved: 1, declined: 0, unchanged: 1 }),
      }),
    ]);
    // Differences 10 and 0: the unchanged pair drops out of the Wilcoxon test, which then has one pair.
    expect(r.change[0]!.overall.wilcoxon).toEqual({ n: 1, wPlus: 1, wMinus: 0, p: 1 });
    expect(r.change[0]!.domains.access).toEqual({
      n: 0,
      mean: null,
      improved: 0,
      declined: 0,
      unchanged: 0,
      ci95: null,
      dz: null,
      wilcoxon: null,
      rankBiserial: null,
    });
    expect(r.results.map((x) => `${x.organisation}/${x.round}`)).toEqual([
      'A/base',
      'A/again',
      'B/base',
      'B/again',
      'C/base',
      'D/again',
    ]);
  });

  it('names the band of a score from the framework levels', () => {
    const fw = small();
    expect(levelFor(fw, 3.99)?.label).toBe('Initial');
    expect(levelFor(fw, 4)?.label).toBe('Developing');
    expect(levelFor(fw, null)).toBeNull();
    const r = scoreCohort(fw, [{ organisation: 'A', round: 'b', question: 'backup.offline', answer: 'yes' }]);
    expect(r.results[0]!.level).toBe('Established');
  });
});

describe('display rounding', () => {
  it('rounds half up on the decimal form', () => {
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(8.325, 2)).toBe(8.33);
    expect(roundHalfUp(4.45, 1)).toBe(4.5);
    expect(roundHalfUp(-0.125, 2)).toBe(-0.13);
    expect(roundHalfUp(-0.001, 2)).toBe(0);
    expect(roundHalfUp(1e-7, 2)).toBe(0);
    expect(formatScore(4, 1)).toBe('4.0');
    expect(formatScore(null, 1)).toBe('–');
  });
});
