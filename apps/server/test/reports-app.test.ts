import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  csvLine,
  formatScore,
  loadFramework,
  parseAnswersCsv,
  readAnswers,
  scoreAnswerSet,
  textFor,
  type AnswerRecord,
  type LocalText,
} from '@kalaja/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { totpCode } from '../src/modules/auth/auth-totp.js';
import { inProcessJobs } from '../src/modules/reports/report-jobs.js';
import { PREVIEW_CSP } from '../src/modules/reports/report-routes.js';
import { DATABASES } from './support/databases.js';
import { PASSWORD, startHarness, storedFiles, type Client, type Harness } from './support/kalaja.js';

const repo = new URL('../../../', import.meta.url).pathname;
const FRAMEWORK = join(repo, 'content/frameworks/cso-media.yaml');

/** A small cohort: the first six sample organisations, both rounds. */
const COHORT = 6;
const organisations = readFileSync(join(repo, 'content/samples/organisations.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1, 1 + COHORT)
  .map((line) => {
    const [name, kind, size, municipality, country, focus, languages] = parseLine(line);
    return { name: name!, kind, sizeBand: size, municipality, country, focus, languages: languages!.split(';') };
  });
const names = organisations.map((o) => o.name);
const records = parseAnswersCsv(
  readFileSync(join(repo, 'content/samples/answers.csv'), 'utf8'),
  'answers.csv',
).records.filter((r) => names.includes(r.organisation));
const csvOf = (rs: AnswerRecord[]) =>
  [
    'organisation,round,question,answer,note',
    ...rs.map((r) => csvLine([r.organisation, r.round, r.question, r.answer, r.note ?? ''])),
  ].join('\n');

/** What the engine says about the same answers: the figures the reports must print. */
const fw = (() => {
  const l = loadFramework(readFileSync(FRAMEWORK, 'utf8'), { file: 'f' });
  if (!l.ok) throw new Error('framework');
  return l.value;
})();
const scores = (() => {
  const a = readAnswers(fw, csvOf(records), { file: 'a.csv' });
  if (!a.ok) throw new Error('answers');
  return scoreAnswerSet(fw, a.value);
})();
const cohortMeans = Object.values(scores.cohort).map((c) => formatScore(c.overall.mean, 2));

/** One line of the organisations CSV (quoted fields allowed). */
function parseLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

const pdfText = (bytes: Buffer) => {
  const dir = mkdtempSync(join(tmpdir(), 'kalaja-report-app-'));
  const path = join(dir, 'r.pdf');
  writeFileSync(path, bytes);
  const r = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  if (r.error) throw new Error(`pdftotext is needed for this test (apt-get install poppler-utils): ${r.error.message}`);
  return r.stdout;
};

describe.each(DATABASES)('reports in the app on %s', (kind) => {
  let h: Harness;
  let manager: Client & { userId: string };
  let orgAdmin: Client & { userId: string };
  let observer: Client & { userId: string };
  let programmeId: string;
  const orgIds = new Map<string, string>();

  beforeAll(async () => {
    h = await startHarness(kind);
    const admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const p = (
      await admin.post('/api/v1/programmes', {
        name: 'Resilient newsrooms 2026',
        frameworkId,
        rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
      })
    ).json;
    programmeId = p.id;
    for (const o of organisations) {
      const r = await admin.post(`/api/v1/programmes/${programmeId}/organisations`, o);
      if (r.status !== 201) throw new Error(`organisation: ${r.status} ${r.body}`);
      orgIds.set(o.name, r.json.id);
    }
    for (const round of p.rounds as { id: string; name: string; state: string }[]) {
      if (round.state === 'scheduled') await admin.post(`/api/v1/programmes/${programmeId}/rounds/${round.id}/open`);
      const r = await admin.post(`/api/v1/programmes/${programmeId}/rounds/${round.id}/answers`, {
        csv: csvOf(records.filter((x) => x.round === round.name)),
      });
      if (r.status !== 200) throw new Error(`import: ${r.status} ${r.body}`);
    }
    manager = await h.join(admin, { email: 'manager@x.test', role: 'programme_manager', programmeId });
    orgAdmin = await h.join(admin, {
      email: 'orgadmin@x.test',
      role: 'org_admin',
      programmeId,
      organisationId: orgIds.get(names[0]!)!,
    });
    observer = await h.join(admin, { email: 'observer@x.test', role: 'observer', programmeId });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  /** Follows a job through GET /reports/:id until it is done or failed. */
  async function settled(c: Client, id: string) {
    const seen: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const r = await c.get(`/api/v1/reports/${id}`);
      expect(r.status).toBe(200);
      seen.push(r.json.progress);
      if (r.json.status === 'done' || r.json.status === 'failed') return { job: r.json, seen };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`report ${id} did not finish`);
  }

  async function request(c: Client, body: object) {
    return c.post(`/api/v1/programmes/${programmeId}/reports`, body);
  }

  async function stepUp(c: Client) {
    h.clock.now += 31_000;
    const r = await c.post('/api/v1/session/reauth', {
      password: PASSWORD,
      code: totpCode(c.totpSecret!, h.clock.now),
    });
    expect(r.status).toBe(204);
  }

  /** A download as bytes (the harness client reads bodies as text). */
  async function download(c: Client, id: string) {
    return h.kalaja.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${id}/download`,
      headers: { cookie: c.cookie! },
    });
  }

  it('makes a programme PDF as a job that reaches 100, and downloads it only after a recent sign-in, audited', async () => {
    const r = await request(manager, { kind: 'programme', format: 'pdf', language: 'en', audience: 'programme' });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ kind: 'programme', format: 'pdf', organisationId: null, progress: 0 });
    expect(['queued', 'running', 'done']).toContain(r.json.status);
    const { job, seen } = await settled(manager, r.json.id);
    expect(job).toMatchObject({ status: 'done', progress: 100, error: null });
    expect(job.size).toBeGreaterThan(10_000);
    expect(job.finishedAt).not.toBeNull();
    // Progress only moves forward.
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    // In this process on SQLite; through pg-boss's tables on PostgreSQL.
    expect(h.kalaja.services.reports.jobs.kind).toBe(kind === 'postgres' ? 'pg-boss' : 'in-process');
    if (kind === 'postgres') {
      // pg-boss completes its job once the handler has returned, just after the row says done.
      const states = async () =>
        (
          await sql<{
            state: string;
          }>`select state from pgboss.job where data->>'reportId' = ${job.id}`.execute(h.kalaja.database.db)
        ).rows.map((x) => x.state);
      await vi.waitFor(async () => expect(await states()).toEqual(['completed']), { timeout: 5000, interval: 50 });
    }

    // Without a sign-in within the last five minutes: 401, and no audit row.
    h.clock.now += 6 * 60_000;
    const stale = await download(manager, job.id);
    expect([stale.statusCode, stale.json().error.code]).toEqual([401, 'reauthentication_required']);
    const audited = () =>
      h.kalaja.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'report.download')
        .where('object_id', '=', job.id)
        .execute();
    expect(await audited()).toEqual([]);

    await stepUp(manager);
    const file = await download(manager, job.id);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''programme%20report/);
    expect(file.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(file.rawPayload);
    expect(cohortMeans).toHaveLength(2);
    for (const mean of cohortMeans) expect(text).toContain(mean);
    expect(text).toContain('Resilient newsrooms 2026');
    // The programme report names no organisation: pseudonyms only.
    for (const name of names) expect(text).not.toContain(name);
    expect(text).toMatch(/Organisation F/);

    const rows = await audited();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: manager.userId, object_type: 'report', organisation_id: null });
  });

  it('previews a PDF report as self-contained HTML under its own CSP, framable by the app only', async () => {
    const r = await request(manager, { kind: 'programme', format: 'pdf' });
    const { job } = await settled(manager, r.json.id);
    h.clock.now += 6 * 60_000; // no step-up needed to look at it in the app
    const preview = await manager.get(`/api/v1/reports/${job.id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(preview.headers['content-security-policy']).toBe(PREVIEW_CSP);
    expect(PREVIEW_CSP).toMatch(
      /default-src 'none'.*style-src 'unsafe-inline'.*img-src data:.*frame-ancestors 'self'.*sandbox/,
    );
    expect(preview.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(preview.body).toMatch(/^<!doctype html>/);
    expect(preview.body).not.toMatch(/<script/i);
    for (const mean of cohortMeans) expect(preview.body).toContain(mean);
    // Every other response still may not be framed.
    const other = await manager.get(`/api/v1/reports/${job.id}`);
    expect(other.headers['x-frame-options']).toBe('DENY');
    expect(other.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('gives an organisation’s admin their confidential report, sealed on disk, and 404 for another organisation’s', async () => {
    const mine = orgIds.get(names[0]!)!;
    const theirs = orgIds.get(names[1]!)!;
    const r = await request(orgAdmin, { kind: 'organisation', organisationId: mine, format: 'html' });
    expect(r.status).toBe(202);
    const { job } = await settled(orgAdmin, r.json.id);
    expect(job).toMatchObject({ status: 'done', organisation: names[0], organisationId: mine });

    await stepUp(orgAdmin);
    const file = await download(orgAdmin, job.id);
    expect(file.statusCode).toBe(200);
    const html = file.rawPayload.toString('utf8');
    expect(html).toContain(names[0]);
    const latest = scores.results.find((x) => x.organisation === names[0] && x.round === 'reassessment')!;
    expect(html).toContain(formatScore(latest.overall, 1));
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'report.download')
      .where('object_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(audit.organisation_id).toBe(mine);

    // Another organisation's report (made by the manager): missing, whatever is asked.
    const other = await request(manager, { kind: 'organisation', organisationId: theirs, format: 'html' });
    const { job: otherJob } = await settled(manager, other.json.id);
    expect(otherJob.status).toBe('done');
    for (const path of ['', '/preview', '/download']) {
      const x = await orgAdmin.get(`/api/v1/reports/${otherJob.id}${path}`);
      expect([x.status, x.json.error.code], path).toEqual([404, 'not_found']);
    }
    const ask = await request(orgAdmin, { kind: 'organisation', organisationId: theirs });
    expect([ask.status, ask.json.error.code]).toEqual([404, 'not_found']);
    const full = await request(orgAdmin, { kind: 'programme' });
    expect([full.status, full.json.error.code]).toEqual([403, 'forbidden']);
    const listed = (await orgAdmin.get(`/api/v1/programmes/${programmeId}/reports`)).json;
    expect(listed.map((x: { id: string }) => x.id)).toEqual([job.id]);

    // Stored (on disk, or in PostgreSQL): sealed bytes only, no name, no markup, for every report made so far.
    const stored = await storedFiles(h, 'reports');
    expect([...stored.keys()]).toContain(job.id);
    for (const [name, bytes] of stored) {
      for (const n of names) expect(bytes.includes(Buffer.from(n, 'utf8')), `${name} holds ${n}`).toBe(false);
      expect(bytes.includes(Buffer.from('<html', 'utf8'))).toBe(false);
      expect(bytes.includes(Buffer.from('%PDF', 'latin1'))).toBe(false);
    }
  });

  it('puts into the confidential report what the organisation wrote and attached, but not the interview notes', async () => {
    const mine = orgIds.get(names[0]!)!;
    const list = (await orgAdmin.get('/api/v1/assessments')).json as {
      id: string;
      organisationId: string;
      round: string;
    }[];
    const a = list.find((x) => x.organisationId === mine && x.round === 'reassessment')!;
    const answered = records.find((x) => x.organisation === names[0] && x.round === 'reassessment' && x.answer)!;
    const own = await orgAdmin.put(`/api/v1/assessments/${a.id}/answers/${answered.question}`, {
      answer: answered.answer,
      note: 'Our own note: the key is kept in the safe',
    });
    expect(own.status, own.body).toBe(200);
    const validated = await manager.put(`/api/v1/assessments/${a.id}/validated/${answered.question}`, {
      answer: answered.answer,
      note: 'Assessor: saw the key in the safe',
    });
    expect(validated.status, validated.body).toBe(200);
    const domain = answered.question.split('.')[0]!;
    const interview = await manager.post(`/api/v1/assessments/${a.id}/interview-notes`, {
      domain,
      body: 'Said in confidence: the director reuses one password',
    });
    expect(interview.status, interview.body).toBe(201);
    const boundary = 'kalajaReportEvidence';
    const upload = await h.kalaja.app.inject({
      method: 'POST',
      url: `/api/v1/assessments/${a.id}/evidence`,
      headers: { cookie: orgAdmin.cookie!, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: [
        `--${boundary}\r\nContent-Disposition: form-data; name="question"\r\n\r\n${answered.question}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="Probni-povraćaj-2026.txt"\r\n`,
        'Content-Type: text/plain\r\n\r\nRestored 3 files from the offline disk.\r\n',
        `--${boundary}--\r\n`,
      ].join(''),
    });
    expect(upload.statusCode, upload.body).toBe(201);

    const r = await request(orgAdmin, { kind: 'organisation', organisationId: mine, format: 'html' });
    const { job } = await settled(orgAdmin, r.json.id);
    expect(job.status, job.error).toBe('done');
    await stepUp(orgAdmin);
    const html = (await download(orgAdmin, job.id)).rawPayload.toString('utf8');
    expect(html).toContain('Our own note: the key is kept in the safe');
    expect(html).toContain('Assessor: saw the key in the safe');
    expect(html).toContain('Written by');
    expect(html).toContain('Evidence on file');
    expect(html).toContain('Probni-povraćaj-2026.txt');
    expect(html).not.toContain('Said in confidence');
    expect(html).not.toContain('reuses one password');
  });

  it('puts the organisation\u2019s plan into its report, and what the plans delivered into the programme report', async () => {
    const mine = orgIds.get(names[0]!)!;
    const progress = (await manager.get(`/api/v1/programmes/${programmeId}/progress`)).json as {
      organisationId: string;
      roundId: string;
      assessmentId: string;
    }[];
    const baseline = progress.find((x) => x.organisationId === mine)!;
    const ranking = (await manager.get(`/api/v1/assessments/${baseline.assessmentId}/interventions`)).json;
    const [first, second] = ranking.interventions as { intervention: { id: string; title: LocalText } }[];
    const plan = `/api/v1/programmes/${programmeId}/organisations/${mine}/plan`;
    const done = (await manager.post(plan, { roundId: baseline.roundId, intervention: first!.intervention.id })).json;
    const dropped = (await manager.post(plan, { roundId: baseline.roundId, intervention: second!.intervention.id }))
      .json;
    await manager.post(`/api/v1/plan-items/${done.id}/status`, { status: 'done' });
    await manager.post(`/api/v1/plan-items/${dropped.id}/status`, {
      status: 'dropped',
      reason: 'The hosting company does this for us now',
    });

    const r = await request(manager, { kind: 'organisation', organisationId: mine, format: 'html' });
    const { job } = await settled(manager, r.json.id);
    expect(job.status, job.error).toBe('done');
    const html = (await manager.get(`/api/v1/reports/${job.id}/preview`)).body;
    expect(html).toContain('The plan: what was chosen and where it stands');
    expect(html).toContain('2 items: 1 done, 0 in progress, 0 planned and 1 dropped.');
    expect(html).toContain(textFor(first!.intervention.title));
    expect(html).toContain('For the gaps of baseline: raises');
    expect(html).toContain('The hosting company does this for us now');
    // The PDF lays out the same blocks.
    const pdf = await request(manager, { kind: 'organisation', organisationId: mine, format: 'pdf' });
    expect((await settled(manager, pdf.json.id)).job.status).toBe('done');
    await stepUp(manager);
    const text = pdfText((await download(manager, pdf.json.id)).rawPayload).replace(/\s+/g, ' ');
    expect(text).toContain('The plan: what was chosen and where it stands');
    expect(text).toContain('The hosting company does this for us now');

    const p = await request(manager, { kind: 'programme', format: 'html' });
    const programme = (await settled(manager, p.json.id)).job;
    expect(programme.status, programme.error).toBe('done');
    const team = (await manager.get(`/api/v1/reports/${programme.id}/preview`)).body;
    expect(team).toContain('Interventions delivered');
    expect(team).toMatch(/1 organisation has a plan: 2 items in all, 1 of them done \(50\s?%\)/);
    expect(team).toContain('Gaps no plan addresses yet');
    // No organisation's name, nor what it wrote, reaches the programme report.
    expect(team).not.toContain(names[0]!);
    expect(team).not.toContain('The hosting company does this for us now');
  });

  it('lets an observer make only the observers’ edition, and see nothing else', async () => {
    const full = await request(observer, { kind: 'programme', audience: 'programme' });
    expect([full.status, full.json.error.code]).toEqual([403, 'forbidden']);
    const org = await request(observer, { kind: 'organisation', organisationId: orgIds.get(names[0]!)! });
    expect([org.status, org.json.error.code]).toEqual([404, 'not_found']);

    // Nothing published yet: observers' figures come only from published versions.
    const early = await request(observer, { kind: 'programme', audience: 'observers', format: 'html' });
    expect((await settled(observer, early.json.id)).job).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/No results of this programme have been published/),
    });
    await h.kalaja.database.db
      .transaction()
      .execute((tx) => h.kalaja.stores.assessments.validateAll(programmeId, h.clock.now, tx));
    for (const round of ['baseline', 'reassessment'])
      expect((await manager.post(`/api/v1/programmes/${programmeId}/publications`, { round })).status).toBe(201);

    const r = await request(observer, {
      kind: 'programme',
      audience: 'observers',
      format: 'html',
      language: 'sr-Cyrl',
    });
    expect(r.status).toBe(202);
    const { job } = await settled(observer, r.json.id);
    expect(job).toMatchObject({ status: 'done', audience: 'observers', language: 'sr-Cyrl' });
    const preview = await observer.get(`/api/v1/reports/${job.id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('Сажетак');
    expect(preview.body).not.toContain('Organisation A');

    const listed = (await observer.get(`/api/v1/programmes/${programmeId}/reports`)).json as {
      audience: string;
      kind: string;
    }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((x) => x.kind === 'programme' && x.audience === 'observers')).toBe(true);
    const managers = (await manager.get(`/api/v1/programmes/${programmeId}/reports`)).json as {
      id: string;
      audience: string;
    }[];
    const hidden = managers.find((x) => x.audience === 'programme')!;
    expect((await observer.get(`/api/v1/reports/${hidden.id}`)).status).toBe(404);
  });

  it('lets managers edit, drop and add recommendations before the report, which says what the team changed', async () => {
    const url = `/api/v1/programmes/${programmeId}/recommendations`;
    const drafted = (await manager.get(`${url}?language=en`)).json;
    expect(drafted.items.length).toBeGreaterThanOrEqual(2);
    expect(drafted.items.every((x: { review: string }) => x.review === 'drafted')).toBe(true);
    const [first, second] = drafted.items as { id: string; title: string; rule: string }[];
    const at = (id: string) => `${url}/${encodeURIComponent(id)}`;
    expect(
      (await manager.put(at(first!.id), { language: 'en', title: 'Our own wording', text: 'As the team says it.' }))
        .status,
    ).toBe(204);
    expect((await manager.put(at(second!.id), { language: 'en', dropped: true })).status).toBe(204);
    const added = await manager.post(url, {
      language: 'en',
      title: 'Train new staff in their first month',
      text: 'Turnover in newsrooms is high: the basics go first.',
      priority: 'high',
    });
    expect(added.status).toBe(201);
    expect(added.json.id).toMatch(/^team:/);
    // Nobody else reviews them: an observer and an organisation's admin get "not found".
    expect((await observer.get(`${url}?language=en`)).status).toBe(404);
    expect((await orgAdmin.put(at(first!.id), { language: 'en', dropped: true })).status).toBe(404);
    expect((await manager.put(at('weakest-domain:nosuch'), { language: 'en', dropped: true })).status).toBe(404);
    expect((await manager.put(at(first!.id), { language: 'en', title: '' })).status).toBe(400);

    const reviewed = (await manager.get(`${url}?language=en`)).json.items as {
      id: string;
      review: string;
      rule: string;
      title: string;
      draft: { title: string } | null;
    }[];
    expect(reviewed.find((x) => x.id === first!.id)).toMatchObject({
      review: 'edited',
      rule: first!.rule,
      title: 'Our own wording',
      draft: { title: first!.title },
    });
    expect(reviewed.find((x) => x.id === second!.id)).toMatchObject({ review: 'dropped' });
    expect(reviewed.find((x) => x.id === added.json.id)).toMatchObject({ review: 'added', rule: 'team', draft: null });

    const r = await request(manager, { kind: 'programme', format: 'html', language: 'en', audience: 'programme' });
    const { job } = await settled(manager, r.json.id);
    expect(job.status).toBe('done');
    const html = (await manager.get(`/api/v1/reports/${job.id}/preview`)).body;
    expect(html).toContain('Our own wording');
    expect(html).toContain('edited by the programme team');
    expect(html).toContain('Train new staff in their first month');
    expect(html).toContain('Added by the programme team');
    expect(html).not.toContain(second!.title);
    expect(html).toContain('the team edited 1 and dropped 1, and it added 1 of its own');

    // Taken back: the draft as drafted again, the addition gone.
    expect((await manager.request('DELETE', at(first!.id))).status).toBe(204);
    expect((await manager.request('DELETE', at(added.json.id))).status).toBe(204);
    expect((await manager.request('DELETE', at(added.json.id))).status).toBe(404);
    const back = (await manager.get(`${url}?language=en`)).json.items as { id: string; review: string }[];
    expect(back.find((x) => x.id === first!.id)?.review).toBe('drafted');
    expect(back.some((x) => x.id === added.json.id)).toBe(false);
    expect((await manager.request('DELETE', at(second!.id))).status).toBe(204);
  });

  it('fails a report of a programme without answers with a plain message', async () => {
    const admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const empty = (
      await admin.post('/api/v1/programmes', { name: 'Empty', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
    const r = await admin.post(`/api/v1/programmes/${empty}/reports`, { kind: 'programme', format: 'html' });
    expect(r.status).toBe(202);
    const { job } = await settled(admin, r.json.id);
    expect(job).toMatchObject({ status: 'failed', error: expect.stringMatching(/no answers in this programme yet/) });
  });

  it('refuses requests that do not make sense, naming the field', async () => {
    const noOrg = await request(manager, { kind: 'organisation' });
    expect([noOrg.status, noOrg.json.error.details[0].where]).toEqual([400, 'organisationId']);
    const orgForObservers = await request(manager, {
      kind: 'organisation',
      organisationId: orgIds.get(names[0]!)!,
      audience: 'observers',
    });
    expect([orgForObservers.status, orgForObservers.json.error.details[0].where]).toEqual([400, 'audience']);
    const language = await request(manager, { kind: 'programme', language: 'de' });
    expect([language.status, language.json.error.details[0].where]).toEqual([400, 'language']);
    const unknown = await request(manager, { kind: 'programme', title: 'x' });
    expect(unknown.status).toBe(400);
  });
});

describe('the in-process report queue', () => {
  const log = { info: () => undefined, error: () => undefined };

  it('runs jobs one at a time in order, resumes unfinished ones first, and carries on after a failure', async () => {
    const jobs = inProcessJobs();
    const events: string[] = [];
    const progress: Record<string, number[]> = {};
    let running = 0;
    await jobs.start(
      async (id, report) => {
        running += 1;
        expect(running).toBe(1);
        events.push(`start ${id}`);
        await report(10);
        await report(5); // never goes back
        await new Promise((r) => setTimeout(r, 5));
        await report(150); // clamped
        running -= 1;
        if (id === 'b') throw new Error('boom');
        events.push(`end ${id}`);
      },
      async (id, p) => void (progress[id] ??= []).push(p),
      log,
      ['resumed'],
    );
    await jobs.enqueue('a');
    await jobs.enqueue('b');
    await jobs.enqueue('c');
    await jobs.enqueue('c'); // queued once
    await jobs.idle();
    expect(events).toEqual(['start resumed', 'end resumed', 'start a', 'end a', 'start b', 'start c', 'end c']);
    expect(progress.a).toEqual([10, 100]);
    await jobs.stop();
    await expect(jobs.enqueue('d')).rejects.toThrow(/stopped/);
  });
});
