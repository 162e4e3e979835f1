import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCatalogue,
  formatProblem,
  loadCatalogue,
  loadFramework,
  planAnswerSet,
  rankInterventions,
  readAnswers,
  toChoices,
  type Framework,
  type InterventionCatalogue,
} from '../src/index.js';
import { cohortArb } from './fixtures/arbitraries.js';
import { oraclePlans } from './oracle/oracle-plan.js';

const load = (text: string, file = 'c.yaml') => {
  const r = loadCatalogue(text, { file });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.value;
};
const problems = (text: string) => {
  const r = loadCatalogue(text, { file: 'c.yaml' });
  return r.ok ? [] : r.problems.map(formatProblem);
};
const answers = (pairs: Record<string, string>) => new Map(Object.entries(pairs));

const CATALOGUE = `kalaja: interventions/1
id: test-interventions
version: "1.0.0"
title: Test interventions
interventions:
  - id: mfa-rollout
    title: Two-step login on every email account
    kind: technical
    effort: low
    cost: none
    summary: Turn on two-step login for every mailbox.
    steps: [List the mailboxes, Turn it on for each]
    handbook: [accounts-two-step]
  - id: password-manager
    title: A password manager for the team
    kind: technical
    effort: medium
    cost: low
    summary: Everyone keeps their passwords in one manager.
  - id: offline-backup
    title: An offline backup
    kind: technical
    effort: high
    cost: medium
    summary: A copy that ransomware cannot reach.
  - id: security-policy
    title: A one-page security policy
    kind: policy
    effort: low
    cost: none
    summary: The few rules everyone follows.
`;

const FRAMEWORK = `kalaja: framework/1
id: plan-test
version: "1"
title: Plan test
domains:
  - id: access
    title: Identity and access
    weight: 2
    questions:
      - id: access.mfa
        text: Two-step login on email?
        cap: 4
        capAt: 0.25
        interventions: [mfa-rollout]
        options:
          - {id: none, label: None, score: 0}
          - {id: some, label: Some accounts, score: 0.25}
          - {id: all, label: Every account, score: 1}
      - id: access.pm
        text: A password manager?
        interventions: [password-manager]
        options: [{id: no, label: No, score: 0}, {id: some, label: Some, score: 0.5}, {id: yes, label: Yes, score: 1}, {id: also-yes, label: Yes too, score: 1}]
  - id: backup
    title: Backup
    questions:
      - id: backup.offline
        text: An offline copy?
        na: true
        interventions: [offline-backup, security-policy]
        options: [{id: no, label: No, score: 0}, {id: yes, label: Yes, score: 1}]
      - id: backup.rules
        text: Written backup rules?
        interventions:
          - security-policy
        options: [{id: no, label: No, score: 0}, {id: yes, label: Yes, score: 1}]
`;

const framework = (text = FRAMEWORK): Framework => {
  const r = loadFramework(text, { file: 'f.yaml' });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.value;
};

describe('loading an interventions catalogue', () => {
  it('fills in the defaults and keeps catalogue order', () => {
    const c = load(CATALOGUE);
    expect(c.interventions.map((i) => i.id)).toEqual([
      'mfa-rollout',
      'password-manager',
      'offline-backup',
      'security-policy',
    ]);
    expect(c.interventions[1]).toMatchObject({ steps: [], handbook: [], effort: 'medium', cost: 'low' });
  });

  it('reports every problem at once, at its position', () => {
    const bad = CATALOGUE.replace('kind: technical\n    effort: low', 'kind: tech\n    efort: low').replace(
      'id: offline-backup',
      'id: mfa-rollout',
    );
    expect(problems(bad)).toEqual([
      'c.yaml:6:5: intervention `mfa-rollout`: missing required key `effort`',
      'c.yaml:8:11: intervention `mfa-rollout`: kind must be one of: policy, technical, training',
      'c.yaml:9:5: intervention `mfa-rollout`: unknown key `efort` (did you mean `effort`?)',
      'c.yaml:20:9: intervention `mfa-rollout`: duplicate intervention id `mfa-rollout` (also intervention 1)',
    ]);
  });

  it('refuses a cost that is a price rather than a band, and a file of another kind', () => {
    expect(problems(CATALOGUE.replace('cost: low', 'cost: 200'))).toEqual([
      'c.yaml:18:11: intervention `password-manager`: cost must be one of: none, low, medium, high',
    ]);
    expect(problems('kalaja: framework/1\nid: x\nversion: "1"\ntitle: X\ninterventions: []\n')[0]).toBe(
      'c.yaml:1:9: the first key must be `kalaja: interventions/1`',
    );
  });
});

describe('a framework used with a catalogue', () => {
  it('is an error at the line where a question names an intervention the catalogue lacks', () => {
    const fw = framework(FRAMEWORK.replace('interventions: [password-manager]', 'interventions: [password-manger]'));
    expect(checkCatalogue(fw, load(CATALOGUE), 'f.yaml').map(formatProblem)).toEqual([
      'f.yaml:21: question `access.pm`: intervention `password-manger` is not in catalogue test-interventions 1.0.0',
    ]);
  });

  it('passes when every named intervention is in the catalogue', () => {
    expect(checkCatalogue(framework(), load(CATALOGUE), 'f.yaml')).toEqual([]);
  });
});

describe('ranking interventions for one assessment', () => {
  const fw = framework();
  const catalogue = load(CATALOGUE);
  const rank = (pairs: Record<string, string>) => rankInterventions(fw, catalogue, toChoices(fw, answers(pairs)));

  it('puts a capped gap first and explains every move', () => {
    // As answered: access (0.25 + 0) / 2 × 10 = 1.25 (weight 2), backup 0 → overall 2.5 / 3.
    // MFA at its best: access (1 + 0) / 2 × 10 = 5 → overall 10 / 3: gain 2.5 at low effort.
    const ranked = rank({ 'access.mfa': 'some', 'access.pm': 'no', 'backup.offline': 'no', 'backup.rules': 'no' });
    expect(ranked.map((r) => r.id)).toEqual(['security-policy', 'mfa-rollout', 'password-manager', 'offline-backup']);
    const mfa = ranked.find((r) => r.id === 'mfa-rollout')!;
    expect(mfa.gain).toBeCloseTo(2.5, 12);
    expect(mfa.priority).toBeCloseTo(2.5, 12);
    expect(mfa.moves).toEqual([{ question: 'access.mfa', domain: 'access', from: 'some', to: 'all' }]);
    expect(mfa.domains.access).toBeCloseTo(3.75, 12);
    // The password manager alone would bring access to 6.25, but MFA at "some" still caps it at 4.
    const pm = ranked.find((r) => r.id === 'password-manager')!;
    expect(pm.domains.access).toBeCloseTo(4 - 1.25, 12);
    expect(pm.gain).toBeCloseTo((2 * 4) / 3 - 2.5 / 3, 12);
    // The policy raises two questions at once: backup goes from 0 to 10, overall by 10 / 3.
    const policy = ranked[0]!;
    expect(policy.questions).toEqual(['backup.offline', 'backup.rules']);
    expect(policy.gain).toBeCloseTo(10 / 3, 12);
  });

  it('divides the gain by effort: low 1, medium 2, high 3', () => {
    const ranked = rank({ 'access.mfa': 'all', 'access.pm': 'no', 'backup.offline': 'no', 'backup.rules': 'yes' });
    const pm = ranked.find((r) => r.id === 'password-manager')!;
    const backup = ranked.find((r) => r.id === 'offline-backup')!;
    expect(pm.priority).toBeCloseTo(pm.gain / 2, 12);
    expect(backup.priority).toBeCloseTo(backup.gain / 3, 12);
  });

  it('aims at the first best-scoring option when two share the best score', () => {
    const pm = rank({ 'access.pm': 'some' }).find((r) => r.id === 'password-manager')!;
    expect(pm.moves[0]).toMatchObject({ from: 'some', to: 'yes' });
  });

  it('leaves out N/A and unanswered questions, and interventions with nothing to raise', () => {
    const ranked = rank({ 'access.mfa': 'all', 'access.pm': 'yes', 'backup.offline': 'na' });
    expect(ranked).toEqual([]);
  });

  it('breaks a tie in priority by gain, then by catalogue order', () => {
    // mfa (low) and security-policy (low) both raise one question of weight 1 in a domain of two.
    const equal = framework(
      FRAMEWORK.replace('weight: 2\n', 'weight: 1\n').replace('        cap: 4\n        capAt: 0.25\n', ''),
    );
    const ranked = rankInterventions(
      equal,
      catalogue,
      toChoices(
        equal,
        answers({ 'access.mfa': 'none', 'access.pm': 'yes', 'backup.offline': 'yes', 'backup.rules': 'no' }),
      ),
    );
    expect(ranked.map((r) => r.id)).toEqual(['mfa-rollout', 'security-policy']);
    expect(ranked[0]!.priority).toBeCloseTo(ranked[1]!.priority, 12);
  });
});

describe('plans for a whole answers file', () => {
  it('ranks every organisation and round with a result, in the order results are listed', () => {
    const fw = framework();
    const csv =
      'organisation,round,question,answer\nB,base,access.mfa,none\nA,base,access.mfa,all\nB,again,access.mfa,all\nC,base,access.pm,\n';
    const set = readAnswers(fw, csv, { file: 'a.csv' });
    if (!set.ok) throw new Error('answers');
    const report = planAnswerSet(fw, load(CATALOGUE), set.value);
    expect(report.framework).toEqual({ id: 'plan-test', version: '1' });
    expect(report.catalogue).toEqual({ id: 'test-interventions', version: '1.0.0' });
    expect(report.plans.map((p) => [p.organisation, p.round, p.interventions.map((i) => i.id)])).toEqual([
      ['B', 'base', ['mfa-rollout']],
      ['B', 'again', []],
      ['A', 'base', []],
      ['C', 'base', []],
    ]);
    expect(planAnswerSet(fw, load(CATALOGUE), set.value, { organisation: 'B', round: 'again' }).plans).toHaveLength(1);
  });
});

/** A catalogue for a generated framework: every intervention its questions name, efforts varied. */
function catalogueFor(fw: Framework, efforts: readonly ('low' | 'medium' | 'high')[]): InterventionCatalogue {
  const ids = [...new Set(fw.domains.flatMap((d) => d.questions.flatMap((q) => q.interventions)))];
  return {
    id: 'gen',
    version: '1',
    title: 'Generated',
    interventions: ids.map((id, i) => ({
      id,
      title: id,
      kind: 'technical',
      effort: efforts[i % efforts.length]!,
      cost: 'none',
      summary: id,
      steps: [],
      handbook: [],
    })),
  };
}

/** A generated cohort whose questions name a few shared interventions. */
const withInterventions = fc
  .tuple(
    cohortArb,
    fc.array(fc.constantFrom('low', 'medium', 'high') as fc.Arbitrary<'low' | 'medium' | 'high'>, {
      minLength: 1,
      maxLength: 4,
    }),
    fc.integer({ min: 1, max: 5 }),
  )
  .map(([{ fw, records }, efforts, pool]) => {
    const named: Framework = {
      ...fw,
      domains: fw.domains.map((d, di) => ({
        ...d,
        questions: d.questions.map((q, qi) => ({
          ...q,
          interventions: [`i${(di + qi) % pool}`, ...((di * 7 + qi) % 3 === 0 ? [`i${(qi + 1) % pool}`] : [])].filter(
            (x, k, all) => all.indexOf(x) === k,
          ),
        })),
      })),
    };
    return { fw: named, records, catalogue: catalogueFor(named, efforts) };
  });

describe('plan ranking, whatever the answers', () => {
  it('agrees with an independent implementation of the contract', () => {
    fc.assert(
      fc.property(withInterventions, ({ fw, records, catalogue }) => {
        const set = readAnswers(
          fw,
          records
            .map((r) => `${r.organisation},${r.round},${r.question},${r.answer}`)
            .join('\n')
            .replace(/^/, 'organisation,round,question,answer\n'),
          { file: 'a.csv' },
        );
        if (!set.ok) throw new Error('answers');
        const ours = planAnswerSet(fw, catalogue, set.value);
        const theirs = oraclePlans(fw, catalogue.interventions, records);
        expect(ours.plans.map((p) => [p.organisation, p.round])).toEqual(theirs.map((p) => [p.organisation, p.round]));
        ours.plans.forEach((p, i) => {
          const t = theirs[i]!.interventions;
          expect(p.interventions.map((x) => [x.id, x.effort, x.questions])).toEqual(
            t.map((x) => [x.id, x.effort, x.questions]),
          );
          p.interventions.forEach((x, k) => {
            expect(Math.abs(x.gain - t[k]!.gain)).toBeLessThanOrEqual(1e-9);
            expect(Math.abs(x.priority - t[k]!.priority)).toBeLessThanOrEqual(1e-9);
          });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never raises an intervention\u2019s gain when one of its own questions is answered higher', () => {
    fc.assert(
      fc.property(withInterventions, fc.nat(), ({ fw, catalogue }, seed) => {
        const questions = fw.domains.flatMap((d) => d.questions);
        const answers = new Map(questions.map((q, i) => [q.id, q.options[(seed + i) % q.options.length]!.id]));
        const before = rankInterventions(fw, catalogue, toChoices(fw, answers));
        for (const q of questions) {
          const current = q.options.find((o) => o.id === answers.get(q.id))!;
          const higher = q.options.find((o) => o.score > current.score);
          if (!higher) continue;
          const after = rankInterventions(fw, catalogue, toChoices(fw, new Map(answers).set(q.id, higher.id)));
          for (const id of q.interventions) {
            const was = before.find((r) => r.id === id)?.gain ?? 0;
            const now = after.find((r) => r.id === id)?.gain ?? 0;
            expect(now).toBeLessThanOrEqual(was + 1e-9);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never lists an intervention whose questions are all at their best, and lists the rest in priority order', () => {
    fc.assert(
      fc.property(withInterventions, fc.nat(), ({ fw, catalogue }, seed) => {
        const questions = fw.domains.flatMap((d) => d.questions);
        const answers = new Map(questions.map((q, i) => [q.id, q.options[(seed * 3 + i) % q.options.length]!.id]));
        const ranked = rankInterventions(fw, catalogue, toChoices(fw, answers));
        for (const r of ranked) {
          const own = questions.filter((q) => q.interventions.includes(r.id));
          const best = (q: (typeof own)[number]) => Math.max(...q.options.map((o) => o.score));
          expect(own.some((q) => q.options.find((o) => o.id === answers.get(q.id))!.score < best(q))).toBe(true);
          expect(r.gain).toBeGreaterThanOrEqual(0.005);
        }
        for (let i = 1; i < ranked.length; i++)
          expect(ranked[i - 1]!.priority).toBeGreaterThanOrEqual(ranked[i]!.priority - 1e-9);
      }),
      { numRuns: 150 },
    );
  });
});
