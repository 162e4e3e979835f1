import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const FRAMEWORK = `kalaja: framework/1
id: plan-cli
version: "1"
title: Plan CLI
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
          - {id: none, label: No account, score: 0}
          - {id: some, label: Only some accounts, score: 0.25}
          - {id: all, label: Every account, score: 1}
      - id: access.pm
        text: A password manager?
        interventions: [password-manager]
        options: [{id: no, label: No, score: 0}, {id: yes, label: Yes, score: 1}]
  - id: backup
    title: Backup
    questions:
      - id: backup.offline
        text: An offline copy?
        interventions: [offline-backup]
        options: [{id: no, label: No, score: 0}, {id: yes, label: Yes, score: 1}]
`;

const CATALOGUE = `kalaja: interventions/1
id: cli-interventions
version: "1.0.0"
title: CLI interventions
interventions:
  - {id: mfa-rollout, title: Two-step login everywhere, kind: technical, effort: low, cost: none, summary: Turn it on.}
  - {id: password-manager, title: A password manager, kind: technical, effort: medium, cost: low, summary: One vault.}
  - {id: offline-backup, title: An offline backup, kind: technical, effort: high, cost: medium, summary: A copy out of reach.}
`;

const ANSWERS = `organisation,round,question,answer
Zëri i Lirë,baseline,access.mfa,some
Zëri i Lirë,baseline,access.pm,no
Zëri i Lirë,baseline,backup.offline,no
Glas Severa,baseline,access.mfa,all
Glas Severa,baseline,access.pm,yes
Glas Severa,baseline,backup.offline,yes
`;

const MODULE = `kalaja: training/1
id: phishing-basics
version: "1.0.0"
title: Spotting phishing
domains: [access]
interventions: [mfa-rollout]
agenda: [{minutes: 90, title: Practice}]
check:
  items:
    - id: link
      text: Sign in through a link in an email?
      options: [{id: yes, label: Yes}, {id: no, label: "No: open the site yourself", correct: true}]
    - id: code
      text: Share a code you just received?
      options: [{id: yes, label: Yes}, {id: no, label: Never, correct: true}]
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalaja-cli-plan-'));
});

describe('kalaja plan', () => {
  it('prints the contract JSON: every organisation and round with a result, interventions ranked', async () => {
    const r = await run(
      'plan',
      ...['--framework', file('f.yaml', FRAMEWORK), '--interventions', file('c.yaml', CATALOGUE)],
      ...['--answers', file('a.csv', ANSWERS), '--format', 'json'],
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout);
    expect(out.framework).toEqual({ id: 'plan-cli', version: '1' });
    expect(out.catalogue).toEqual({ id: 'cli-interventions', version: '1.0.0' });
    expect(out.plans.map((p: { organisation: string }) => p.organisation)).toEqual(['Zëri i Lirë', 'Glas Severa']);
    const [first] = out.plans[0].interventions;
    // access (0.25 + 0) / 2 × 10 = 1.25 → MFA at its best: 5; overall (2 × 1.25 + 0) / 3 → (2 × 5) / 3.
    expect(first).toMatchObject({ id: 'mfa-rollout', effort: 'low', questions: ['access.mfa'] });
    expect(first.gain).toBeCloseTo(2.5, 12);
    expect(first.priority).toBeCloseTo(2.5, 12);
    expect(out.plans[1].interventions).toEqual([]);
  });

  it('explains each place in the table in words', async () => {
    const r = await run(
      'plan',
      ...['--framework', file('f.yaml', FRAMEWORK), '--interventions', file('c.yaml', CATALOGUE)],
      ...['--answers', file('a.csv', ANSWERS), '--organisation', 'Zëri i Lirë'],
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Zëri i Lirë — baseline: overall 0\.8, 3 interventions ranked/);
    expect(r.stdout).toMatch(/1 +Two-step login everywhere +technical +low +none +\+2\.5 +2\.50 +quick win/);
    expect(r.stdout).toContain(
      'raises access.mfa from "Only some accounts" to "Every account": +2.5 overall, +3.8 Identity and access',
    );
    expect(r.stdout).not.toContain('Glas Severa');
  });

  it('writes CSV rows for a spreadsheet', async () => {
    const r = await run(
      'plan',
      ...['--framework', file('f.yaml', FRAMEWORK), '--interventions', file('c.yaml', CATALOGUE)],
      ...['--answers', file('a.csv', ANSWERS), '--format', 'csv'],
    );
    const lines = r.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('organisation,round,rank,intervention,title,kind,effort,cost,gain,priority,questions');
    expect(lines[1]).toBe(
      'Zëri i Lirë,baseline,1,mfa-rollout,Two-step login everywhere,technical,low,none,2.5,2.50,access.mfa',
    );
    expect(lines).toHaveLength(4);
  });

  it('refuses a framework that names an intervention the catalogue lacks, at the question\u2019s line', async () => {
    const r = await run(
      'plan',
      ...['--framework', file('f2.yaml', FRAMEWORK.replace('[password-manager]', '[password-vault]'))],
      ...['--interventions', file('c.yaml', CATALOGUE), '--answers', file('a.csv', ANSWERS)],
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `${join(dir, 'f2.yaml')}:21: question \`access.pm\`: intervention \`password-vault\` is not in catalogue cli-interventions 1.0.0`,
    );
  });

  it('says which organisations an answers file holds when asked for another, and exits 1', async () => {
    const r = await run(
      'plan',
      ...['--framework', file('f.yaml', FRAMEWORK), '--interventions', file('c.yaml', CATALOGUE)],
      ...['--answers', file('a.csv', ANSWERS), '--organisation', 'zëri i lirë'],
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'has no organisation "zëri i lirë" (did you mean "Zëri i Lirë"?); it has: "Zëri i Lirë", "Glas Severa"',
    );
  });

  it('answers wrong usage with exit 2', async () => {
    const r = await run('plan', '--framework', 'f.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--interventions is required/);
  });
});

describe('kalaja training', () => {
  const responses = `participant,phase,item,answer
Arta,pre,link,yes
Arta,pre,code,no
Arta,post,link,no
Arta,post,code,no
Milan,pre,link,no
Milan,pre,code,
Milan,post,link,no
Milan,post,code,no
Vesa,pre,link,yes
`;

  it('prints the contract JSON: participants before and after, and the impact with paired statistics', async () => {
    const r = await run(
      'training',
      '--module',
      file('m.yaml', MODULE),
      '--responses',
      file('r.csv', responses),
      '--format',
      'json',
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout);
    expect(out.module).toEqual({ id: 'phishing-basics', version: '1.0.0' });
    expect(out.participants).toEqual([
      { participant: 'Arta', pre: 50, post: 100 },
      { participant: 'Milan', pre: 50, post: 100 },
      { participant: 'Vesa', pre: 0, post: null },
    ]);
    expect(out.impact).toMatchObject({
      n: 2,
      mean: 50,
      improved: 2,
      ci95: [50, 50],
      dz: null,
      wilcoxon: { n: 2, wPlus: 3, wMinus: 0, p: 0.5 },
    });
  });

  it('says in the table what the figures can and cannot show', async () => {
    const r = await run('training', '--module', file('m.yaml', MODULE), '--responses', file('r.csv', responses));
    expect(r.stdout).toMatch(/Arta +50 +100 +\+50\.0/);
    expect(r.stdout).toMatch(/the smallest p reachable with 2 is 0\.500/);
    expect(r.stdout).toMatch(/no control group/);
  });

  it('scores the sample responses shipped in content/samples against their module, as the README shows', async () => {
    const repo = new URL('../../../', import.meta.url).pathname;
    const r = await run(
      'training',
      '--module',
      join(repo, 'content/trainings/account-security-and-phishing.yaml'),
      '--responses',
      join(repo, 'content/samples/training-responses.csv'),
      '--format',
      'json',
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout) as { participants: { post: number | null }[]; impact: { n: number } };
    expect(out.participants).toHaveLength(6);
    expect(out.participants.filter((p) => p.post === null)).toHaveLength(1);
    expect(out.impact.n).toBe(5);
  });

  it('reports every problem of a responses file on its line and exits 1', async () => {
    const r = await run(
      'training',
      '--module',
      file('m.yaml', MODULE),
      '--responses',
      file('bad.csv', 'participant,phase,item,answer\nA,pre,lnk,yes\nA,later,code,no\n'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      `${join(dir, 'bad.csv')}:2: unknown item \`lnk\`: module phishing-basics 1.0.0 has no such item`,
      `${join(dir, 'bad.csv')}:3: phase \`later\` is neither \`pre\` nor \`post\``,
    ]);
  });
});

describe('kalaja validate, for every kind of data file', () => {
  it('says what each holds and checks them against each other', async () => {
    const r = await run('validate', file('f.yaml', FRAMEWORK), file('c.yaml', CATALOGUE), file('m.yaml', MODULE));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'c.yaml: ok — cli-interventions 1.0.0, 3 interventions (0 policy, 3 technical, 0 training)',
    );
    expect(r.stdout).toContain('m.yaml: ok — phishing-basics 1.0.0, 2 check items, 1 agenda part (90 minutes)');
  });

  it('refuses a module whose item has two correct options, and a module naming an unknown intervention', async () => {
    const two = MODULE.replace(
      '{id: yes, label: Yes}, {id: no, label: Never, correct: true}',
      '{id: yes, label: Yes, correct: true}, {id: no, label: Never, correct: true}',
    );
    const r = await run('validate', file('two.yaml', two));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /two\.yaml:13:7: item `code`: 2 options are marked correct \(`yes`, `no`\); exactly one must be/,
    );
    const unknown = await run(
      'validate',
      file('c.yaml', CATALOGUE),
      file('m2.yaml', MODULE.replace('[mfa-rollout]', '[mfa-rolout]')),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'module `phishing-basics`: intervention `mfa-rolout` is in none of the catalogues given',
    );
  });
});
