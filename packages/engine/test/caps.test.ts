import { describe, expect, it } from 'vitest';
import {
  criticalGaps,
  explainAssessment,
  formatProblem,
  loadFramework,
  scoreAssessment,
  toChoices,
} from '../src/index.js';
import { load } from './fixtures/frameworks.js';

const answers = (pairs: Record<string, string>) => new Map(Object.entries(pairs));

/** Email two-step login as the review found it: the weakest non-zero step must not lift the cap. */
const MFA = `kalaja: framework/1
id: caps
version: "1"
title: Caps
domains:
  - id: access
    title: Identity and access
    questions:
      - id: access.mfa
        text: Two-step login on email?
        cap: 4
        capAt: 0.25
        options:
          - {id: none, label: None, score: 0}
          - {id: director, label: Only the director, score: 0.25}
          - {id: most, label: Most accounts, score: 0.6}
          - {id: all, label: Every account, score: 1}
      - {id: access.pm, text: Password manager?, options: [{id: no, label: No, score: 0}, {id: yes, label: Yes, score: 1}]}
      - {id: access.shared, text: No shared accounts?, options: [{id: no, label: No, score: 0}, {id: yes, label: Yes, score: 1}]}
  - id: backup
    title: Backup
    questions:
      - id: backup.offline
        text: An offline copy?
        na: true
        cap: 3
        options:
          - {id: no, label: No, score: 0}
          - {id: yes, label: Yes, score: 1}
      - {id: backup.test, text: Restore tested?, options: [{id: no, label: No, score: 0}, {id: yes, label: Yes, score: 1}]}
`;

describe('caps with capAt', () => {
  const fw = load(MFA);

  it('keeps the cap when the chosen option scores at capAt, not only at 0', () => {
    // Uncapped: (0.25 + 1 + 1) / 3 × 10 = 7.5; "only the director" is at capAt, so at most 4.
    const director = scoreAssessment(
      fw,
      answers({ 'access.mfa': 'director', 'access.pm': 'yes', 'access.shared': 'yes' }),
    );
    expect(director.domains.access).toBe(4);
    const none = scoreAssessment(fw, answers({ 'access.mfa': 'none', 'access.pm': 'yes', 'access.shared': 'yes' }));
    expect(none.domains.access).toBe(4);
  });

  it('lifts the cap once the answer is above capAt', () => {
    const most = scoreAssessment(fw, answers({ 'access.mfa': 'most', 'access.pm': 'yes', 'access.shared': 'yes' }));
    expect(most.domains.access).toBeCloseTo(26 / 3, 12);
  });

  it('defaults capAt to 0: an option scoring above 0 lifts the cap', () => {
    expect(fw.domains[1]!.questions[0]!.capAt).toBe(0);
    const s = scoreAssessment(fw, answers({ 'backup.offline': 'no', 'backup.test': 'yes' }));
    expect(s.domains.backup).toBe(3);
  });

  it('explains which question capped the domain', () => {
    const e = explainAssessment(fw, answers({ 'access.mfa': 'director', 'access.pm': 'yes', 'access.shared': 'yes' }));
    expect(e.domains[0]!.cap).toEqual({ value: 4, questions: ['access.mfa'] });
    expect(e.domains[0]!.questions.find((q) => q.question === 'access.mfa')!.causedCap).toBe(true);
  });

  it('names every critical gap, in framework order and whichever domain, even where the cap changes nothing', () => {
    // access.pm and access.shared at 0 bring access to 0.83 uncapped: below the cap of 4, still a gap.
    const a = answers({ 'access.mfa': 'director', 'access.pm': 'no', 'access.shared': 'no', 'backup.offline': 'no' });
    const gaps = criticalGaps(fw, toChoices(fw, a));
    expect(gaps).toEqual([
      { question: 'access.mfa', domain: 'access', option: 'director', score: 0.25, cap: 4 },
      { question: 'backup.offline', domain: 'backup', option: 'no', score: 0, cap: 3 },
    ]);
  });

  it('finds no critical gap in N/A or unanswered capped questions', () => {
    const gaps = criticalGaps(fw, toChoices(fw, answers({ 'access.mfa': '', 'backup.offline': 'na' })));
    expect(gaps).toEqual([]);
  });
});

describe('capAt in the framework file', () => {
  const oneQuestion = (lines: string) => `kalaja: framework/1
id: t
version: "1"
title: T
domains:
  - id: d
    title: D
    questions:
      - id: d.q
        text: Q
${lines}
        options: [{id: a, label: A, score: 0}, {id: b, label: B, score: 0.5}, {id: c, label: C, score: 1}]
`;
  const problems = (text: string) => {
    const r = loadFramework(text, { file: 'f.yaml' });
    return r.ok ? [] : r.problems.map(formatProblem);
  };

  it('refuses capAt outside [0, 1] at its position', () => {
    expect(problems(oneQuestion('        cap: 4\n        capAt: 1.5'))).toEqual([
      'f.yaml:12:16: question `d.q`: capAt must be between 0 and 1 (an option score)',
    ]);
  });

  it('refuses capAt without a cap', () => {
    expect(problems(oneQuestion('        capAt: 0.5'))).toEqual([
      'f.yaml:11:16: question `d.q`: `capAt` needs a `cap`: it says when the cap applies',
    ]);
  });

  it('refuses a capAt that every option reaches, since nothing could lift the cap', () => {
    expect(problems(oneQuestion('        cap: 4\n        capAt: 1'))).toEqual([
      'f.yaml:12:16: question `d.q`: every option scores at or below capAt 1: the cap could never be lifted',
    ]);
  });

  it('suggests capAt for a near miss', () => {
    expect(problems(oneQuestion('        cap: 4\n        capat: 0.5'))[0]).toMatch(
      /unknown key `capat` \(did you mean `capAt`\?\)/,
    );
  });

  it('reads an optional description per level', () => {
    const fw = load(`kalaja: framework/1
id: t
version: "1"
title: T
levels:
  - {min: 0, label: Early, description: Basic protections are missing.}
  - {min: 5, label: Established}
domains:
  - id: d
    title: D
    questions:
      - {id: d.q, text: Q, options: [{id: a, label: A, score: 0}, {id: b, label: B, score: 1}]}
`);
    expect(fw.levels).toEqual([
      { min: 0, label: 'Early', description: 'Basic protections are missing.' },
      { min: 5, label: 'Established' },
    ]);
  });
});
