import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatScore, loadFramework, readAnswers, scoreAnswerSet } from '@kalaja/engine';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { loadConfig } from '../src/config.js';
import { totpCode } from '../src/modules/auth/auth-totp.js';
import { createKalaja, DEFAULT_FRAMEWORK, type Kalaja } from '../src/server.js';
import { PASSWORD } from './support/kalaja.js';

const repo = new URL('../../../', import.meta.url).pathname;

async function run(env: Record<string, string>, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, env);
  return { code, stdout, stderr };
}

/** Calls an instance's API in-process: the JSON answer and the session cookie it set, if any. */
function injector(kalaja: Kalaja) {
  return async (method: string, url: string, body?: unknown, cookie?: string) => {
    const r = await kalaja.app.inject({
      method: method as 'GET',
      url,
      ...(body !== undefined && { payload: body as object }),
      headers: cookie ? { cookie } : {},
    });
    return {
      status: r.statusCode,
      json: r.json(),
      cookie: (r.headers['set-cookie'] as string | undefined)?.split(';')[0],
    };
  };
}

describe('the instance commands on the embedded database', () => {
  it('migrates once, then finds the database up to date', async () => {
    const env = { KALAJA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kalaja-cli-')) };
    expect(await run(env, 'migrate')).toMatchObject({
      code: 0,
      // Every migration in order (1100: report jobs; 1200: session handles and 1300: passkeys,
      // decision 7; 20261203: published results, threat model T9, the recommendations' review,
      // answer imports as jobs, decision 0010, files in the database, organisations' plans, the
      // results cache, decision 0011, and rounds that open and close, with carried answers and
      // each domain's account of what changed; trainings with their participants and checks;
      // technical findings; each person's language; the incident log; the openness index).
      stdout:
        'Applied: 20261123T0900-initial, 20261123T1000-assessor-index, 20261123T1100-report-jobs, ' +
        '20261123T1200-session-handles, 20261123T1300-passkeys, 20261203T0900-publications, ' +
        '20261203T1000-recommendation-edits, 20261203T1100-answer-imports, 20261203T1200-stored-files, ' +
        '20261203T1300-plans, 20261203T1400-results-cache, 20261203T1500-round-lifecycle, ' +
        '20261203T1600-carried-answers, 20261203T1700-domain-accounts, 20261203T1800-trainings, ' +
        '20261203T2000-findings, 20261204T0100-user-language, 20261204T0200-published-findings, ' +
        '20261204T1000-reporting, 20261204T1100-incidents, 20261205T0100-surveys, ' +
        '20261205T0200-openness, 20261205T0700-threat-differencing\n',
    });
    expect(await run(env, 'migrate')).toMatchObject({ code: 0, stdout: 'The database is up to date.\n' });
  });

  it('gives the operator a recovery link for an admin who lost every factor, usable only with the password', async () => {
    const env = { KALAJA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kalaja-cli-')) };
    const kalaja = await createKalaja({ ...loadConfig(env), logLevel: 'silent' });
    const inject = injector(kalaja);
    try {
      const setup = await inject('POST', '/api/v1/setup', {
        token: kalaja.setupToken,
        email: 'admin@x.test',
        displayName: 'Admin',
        password: PASSWORD,
      });
      const { secret } = (await inject('POST', '/api/v1/session/totp', {}, setup.cookie)).json;
      await inject('POST', '/api/v1/session/totp/confirm', { code: totpCode(secret, Date.now()) }, setup.cookie);
    } finally {
      await kalaja.close();
    }

    expect(await run(env, 'users', 'reset-second-factor', '--email', 'nobody@x.test')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No account has the email nobody@x.test'),
    });
    expect((await run(env, 'users', 'reset')).code).toBe(2);
    const reset = await run(env, 'users', 'reset-second-factor', '--email', 'Admin@X.test');
    expect(reset.code).toBe(0);
    const link = /http:\/\/\S+\/recover#(\S+)/.exec(reset.stdout);
    expect(link).not.toBeNull();

    const after = await createKalaja({ ...loadConfig(env), logLevel: 'silent' });
    try {
      const signIn = await after.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: 'admin@x.test', password: PASSWORD },
      });
      expect(signIn.json()).toEqual({ next: 'recover' });
      const cookie = (signIn.headers['set-cookie'] as string).split(';')[0]!;
      const redeemed = await after.app.inject({
        method: 'POST',
        url: '/api/v1/session/recover',
        payload: { token: link![1] },
        headers: { cookie },
      });
      expect(redeemed.json()).toEqual({ next: 'enrol_totp' });
      const audit = await after.database.db.selectFrom('audit_log').select('action').execute();
      expect(audit.map((a) => a.action)).toContain('user.mfa_reset');
    } finally {
      await after.close();
    }
  });

  it('exports the plans of a programme as CSV or Excel, all of them or one organisation\u2019s, audited', async () => {
    const env = { KALAJA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kalaja-cli-')) };
    expect((await run(env, 'demo')).code).toBe(0);
    const listed = await run(env, 'programmes');
    const programmeId = /^(\S{22})\s+Demo programme/m.exec(listed.stdout)![1]!;
    const all = await run(env, 'plans', 'export', '--programme', programmeId);
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'organisation,round,intervention,title,kind,effort,cost,owner,due,status,overdue,done on,drop reason,notes,evidence',
    );
    const organisations = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    expect(organisations.size).toBe(10);
    expect(lines.some((l) => l.includes(',dropped,'))).toBe(true);

    const kalaja = await createKalaja({ ...loadConfig(env), logLevel: 'silent' });
    const [first] = await kalaja.stores.programmes.organisations(programmeId);
    await kalaja.close();
    const one = await run(env, 'plans', 'export', '--programme', programmeId, '--organisation', first!.id);
    expect(one.code, one.stderr).toBe(0);
    expect(
      one.stdout
        .trim()
        .split('\r\n')
        .slice(1)
        .every((l) => l.startsWith(first!.name)),
    ).toBe(true);
    const out = join(env.KALAJA_DATA_DIR, 'plans.xlsx');
    expect((await run(env, 'plans', 'export', '--programme', programmeId, '--out', out)).code).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString('latin1')).toBe('PK');

    expect((await run(env, 'plans', 'export', '--programme', programmeId, '--format', 'xlsx')).code).toBe(2);
    expect((await run(env, 'plans', 'export')).code).toBe(2);
    expect((await run(env, 'plans', 'send', '--programme', programmeId)).code).toBe(2);
    const missing = await run(
      env,
      'plans',
      'export',
      '--programme',
      programmeId,
      '--organisation',
      'AAAAAAAAAAAAAAAAAAAAAA',
    );
    expect([missing.code, missing.stderr]).toEqual([
      1,
      expect.stringContaining('no organisation "AAAAAAAAAAAAAAAAAAAAAA"'),
    ]);
    expect((await run(env, 'plans', 'export', '--programme', 'AAAAAAAAAAAAAAAAAAAAAA')).code).toBe(1);

    const audited = await createKalaja({ ...loadConfig(env), logLevel: 'silent' });
    try {
      const rows = await audited.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'plan.export')
        .execute();
      expect(rows).toHaveLength(3);
    } finally {
      await audited.close();
    }
  });

  it('loads the demo, which the first account then manages, with the same cohort figures as `kalaja score`', async () => {
    const env = { KALAJA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kalaja-cli-')) };
    const loaded = await run(env, 'demo');
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toMatch(/10 organisations, 1660 answers/);

    const kalaja = await createKalaja({ ...loadConfig(env), logLevel: 'silent' });
    try {
      const inject = injector(kalaja);
      const setup = await inject('POST', '/api/v1/setup', {
        token: kalaja.setupToken,
        email: 'admin@x.test',
        displayName: 'Admin',
        password: PASSWORD,
      });
      const { secret } = (await inject('POST', '/api/v1/session/totp', {}, setup.cookie)).json;
      // Completing the session issues a new token (the one from setup stops working).
      const cookie = (
        await inject('POST', '/api/v1/session/totp/confirm', { code: totpCode(secret, Date.now()) }, setup.cookie)
      ).cookie!;
      // The demo holds the programme and, beside it, the openness index.
      const programmes = (await inject('GET', '/api/v1/programmes', undefined, cookie)).json as { name: string }[];
      expect(programmes.map((p) => p.name).sort()).toEqual([
        'Demo openness index (fictional institutions)',
        'Demo programme (fictional cohort)',
      ]);
      const programme = programmes.find((p) => p.name.startsWith('Demo programme')) as { id: string; name: string };
      const results = (await inject('GET', `/api/v1/programmes/${programme.id}/results`, undefined, cookie)).json;

      const fw = loadFramework(readFileSync(DEFAULT_FRAMEWORK, 'utf8'), { file: 'f' });
      const answers =
        fw.ok && readAnswers(fw.value, readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8'), { file: 'a' });
      if (!fw.ok || !answers || !answers.ok) throw new Error('samples');
      const cli = scoreAnswerSet(fw.value, answers.value);
      for (const round of ['baseline', 'reassessment']) {
        expect(results.report.cohort[round].n).toBe(cli.cohort[round]!.n);
        expect(results.report.cohort[round].overall.mean).toBeCloseTo(cli.cohort[round]!.overall.mean!, 9);
        for (const d of Object.keys(cli.cohort[round]!.domains)) {
          expect(results.report.cohort[round].domains[d].mean).toBeCloseTo(cli.cohort[round]!.domains[d]!.mean!, 9);
        }
      }
      expect(results.report.change[0].overall).toMatchObject({
        improved: cli.change[0]!.overall.improved,
        declined: cli.change[0]!.overall.declined,
      });

      // An observer of the same programme: the versions the demo published of both rounds —
      // aggregates over the ten organisations, rounded, with no minimum, maximum, median or
      // standard deviation (each is one organisation's own score, or gives the spread away).
      const invitation = (
        await inject(
          'POST',
          '/api/v1/invitations',
          { email: 'funder@x.test', role: 'observer', programmeId: programme.id },
          cookie,
        )
      ).json;
      const accepted = await inject('POST', '/api/v1/invitations/accept', {
        token: new URL(invitation.link).hash.slice(1),
        displayName: 'Funder',
        password: PASSWORD,
      });
      const enrolment = (await inject('POST', '/api/v1/session/totp', {}, accepted.cookie)).json;
      const observerCookie = (
        await inject(
          'POST',
          '/api/v1/session/totp/confirm',
          { code: totpCode(enrolment.secret, Date.now()) },
          accepted.cookie,
        )
      ).cookie!;
      const anonymised = (await inject('GET', `/api/v1/programmes/${programme.id}/results`, undefined, observerCookie))
        .json;
      expect(anonymised.view).toBe('anonymised');
      expect(anonymised.report.results).toEqual([]);
      expect(anonymised.published.map((p: { round: string; version: number }) => [p.round, p.version])).toEqual([
        ['baseline', 1],
        ['reassessment', 1],
      ]);
      for (const round of ['baseline', 'reassessment'])
        expect(anonymised.report.cohort[round].overall).toEqual({
          n: 10,
          mean: Number(formatScore(cli.cohort[round]!.overall.mean, 2)),
          median: null,
          min: null,
          max: null,
          sd: null,
        });
    } finally {
      await kalaja.close();
    }
  });

  it('imports answers offline all or nothing, naming the lines of every problem', async () => {
    const env = { KALAJA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kalaja-cli-')) };
    await run(env, 'demo');
    const kalaja = await createKalaja({ ...loadConfig(env), logLevel: 'silent' });
    const programme = await kalaja.database.db
      .selectFrom('programmes')
      .select('id')
      .where('name', 'like', 'Demo programme%')
      .executeTakeFirstOrThrow();
    await kalaja.close();
    const bad = join(env.KALAJA_DATA_DIR, 'bad.csv');
    // Into the demo's reassessment: its baseline is closed, and a closed round takes no import.
    writeFileSync(
      bad,
      'organisation,round,question,answer\nDosja e Hapur,reassessment,access.mfa-email,maybe\nNobody,reassessment,access.mfa-email,none\n',
    );
    const late = join(env.KALAJA_DATA_DIR, 'late.csv');
    writeFileSync(late, 'organisation,round,question,answer\nDosja e Hapur,baseline,access.mfa-email,none\n');
    const closed = await run(
      env,
      'import-answers',
      '--programme',
      programme.id,
      '--round',
      'baseline',
      '--answers',
      late,
    );
    expect(closed).toMatchObject({ code: 1, stderr: expect.stringMatching(/round "baseline" is closed/) });
    const r = await run(
      env,
      'import-answers',
      '--programme',
      programme.id,
      '--round',
      'reassessment',
      '--answers',
      bad,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${bad}:2: question \`access.mfa-email\` has no option \`maybe\``));
    expect(r.stderr).toMatch(/:3: organisation "Nobody" does not take part/);
    const missing = await run(env, 'import-answers', '--programme', programme.id, '--round', 'nope', '--answers', bad);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/has no round "nope"/) });
    expect((await run(env, 'import-answers', '--programme', programme.id)).code).toBe(2);
  });

  it('refuses to start with a key that does not open the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalaja-cli-'));
    expect((await run({ KALAJA_DATA_DIR: dir }, 'demo')).code).toBe(0);
    const other = { KALAJA_DATA_DIR: dir, KALAJA_KEY: Buffer.alloc(32, 7).toString('base64') };
    const r = await run(other, 'demo');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not open this instance/);
  });
});
