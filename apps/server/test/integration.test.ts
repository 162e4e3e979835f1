import { readFileSync } from 'node:fs';
import { loadFramework, readAnswers, scoreAnswerSet } from '@kalaja/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/modules/auth/auth-totp.js';
import { DEFAULT_FRAMEWORK } from '../src/server.js';
import { DATABASES } from './support/databases.js';
import { PASSWORD, startHarness, type Client, type Harness } from './support/kalaja.js';

const ORG = {
  kind: 'cso',
  sizeBand: '6-10',
  municipality: 'Prishtinë',
  country: 'XK',
  focus: 'election monitoring',
  languages: ['sq', 'en'],
} as const;

describe.each(DATABASES)('the server on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let programmeId: string;
  let roundIds: string[];
  let orgA: string;
  let orgB: string;
  let memberA: Client & { userId: string };
  let memberB: Client & { userId: string };
  let assessor: Client & { userId: string };
  const assessmentOf = async (c: Client, org: string, round = 0) => {
    const rows = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json as {
      organisationId: string;
      roundId: string;
      assessmentId: string;
    }[];
    void c;
    return rows.find((r) => r.organisationId === org && r.roundId === roundIds[round])!.assessmentId;
  };

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworks = await admin.get('/api/v1/frameworks');
    const created = await admin.post('/api/v1/programmes', {
      name: 'KnowCyber 2026',
      frameworkId: frameworks.json[0].id,
      rounds: [{ name: 'baseline', startsOn: '2026-01-15' }, { name: 'reassessment' }],
    });
    expect(created.status).toBe(201);
    programmeId = created.json.id;
    roundIds = created.json.rounds.map((r: { id: string }) => r.id);
    orgA = (await admin.post(`/api/v1/programmes/${programmeId}/organisations`, { ...ORG, name: 'Zëri i Lirë' })).json
      .id;
    orgB = (
      await admin.post(`/api/v1/programmes/${programmeId}/organisations`, {
        ...ORG,
        name: 'Glas Severa',
        kind: 'media',
      })
    ).json.id;
    memberA = await h.join(admin, {
      email: 'director@zeri.test',
      role: 'org_admin',
      programmeId,
      organisationId: orgA,
    });
    memberB = await h.join(admin, { email: 'editor@glas.test', role: 'org_member', programmeId, organisationId: orgB });
    assessor = await h.join(admin, { email: 'assessor@arcus.test', role: 'assessor', programmeId });
    expect(
      (
        await admin.post(`/api/v1/programmes/${programmeId}/assessors`, {
          userId: assessor.userId,
          organisationId: orgA,
        })
      ).status,
    ).toBe(204);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('answers health, serves its OpenAPI document, and refuses anonymous calls with 401', async () => {
    const anonymous = h.client();
    expect((await anonymous.get('/api/v1/health')).json).toEqual({ status: 'ok' });
    // The OpenAPI document lists every API route the server answers (the document itself
    // aside), each method under its path, and takes its bodies from the same schemas.
    const openapi = await anonymous.get('/api/v1/openapi.json');
    const documented = Object.entries(openapi.json.paths as Record<string, object>)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const served = h.kalaja.app.routeTable
      .filter((r) => r.url !== '/api/v1/openapi.json')
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(served.sort());
    expect(
      openapi.json.paths['/api/v1/programmes'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['name', 'frameworkId', 'rounds']);
    const r = await anonymous.get('/api/v1/programmes');
    expect(r.status).toBe(401);
    expect(r.json.error).toMatchObject({ code: 'unauthenticated', requestId: r.headers['x-request-id'] });
  });

  it('ships both framework versions, the newest first so that new programmes start on 2.0.0, and the openness index', async () => {
    const list = (await admin.get('/api/v1/frameworks')).json as {
      key: string;
      version: string;
      questions: number;
      subject: string;
    }[];
    expect(list.map((f) => [f.key, f.version, f.questions, f.subject])).toEqual([
      ['cso-media', '2.0.0', 83, 'organisation'],
      ['cso-media', '1.0.0', 80, 'organisation'],
      ['openness-index', '1.0.0', 70, 'institution'],
    ]);
  });

  it('accepts the setup token only once', async () => {
    const again = await h
      .client()
      .post('/api/v1/setup', { token: h.kalaja.setupToken, email: 'x@y.test', displayName: 'X', password: PASSWORD });
    expect(again.status).toBe(403);
  });

  it('requires the second factor before anything else, and accepts each code once', async () => {
    const c = h.client();
    const signIn = await c.post('/api/v1/session', { email: 'director@zeri.test', password: PASSWORD });
    expect(signIn.json).toEqual({ next: 'mfa', factors: ['totp', 'recovery_code'] });
    expect((await c.get('/api/v1/me')).json.error.code).toBe('mfa_required');
    h.clock.now += 31_000;
    const code = totpCode(memberA.totpSecret!, h.clock.now);
    expect((await c.post('/api/v1/session/mfa', { code })).status).toBe(200);
    expect((await c.get('/api/v1/me')).json.email).toBe('director@zeri.test');
    const other = h.client();
    await other.post('/api/v1/session', { email: 'director@zeri.test', password: PASSWORD });
    expect((await other.post('/api/v1/session/mfa', { code })).status).toBe(401);
  });

  it('throttles wrong second-factor codes like wrong passwords', async () => {
    const c = h.client();
    await c.post('/api/v1/session', { email: 'assessor@arcus.test', password: PASSWORD });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await c.post('/api/v1/session/mfa', { code: '000000' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    h.clock.now += 5 * 60_000;
  });

  it('answers an unknown account and a wrong password alike, then throttles', async () => {
    const c = h.client();
    const unknown = await c.post('/api/v1/session', { email: 'nobody@x.test', password: PASSWORD });
    const wrong = await c.post('/api/v1/session', {
      email: 'editor@glas.test',
      password: 'not the right password at all',
    });
    expect(unknown.status).toBe(401);
    expect(wrong.json.error.message).toBe(unknown.json.error.message);
    for (let i = 0; i < 5; i++)
      await c.post('/api/v1/session', { email: 'editor@glas.test', password: 'still not the right password' });
    const throttled = await c.post('/api/v1/session', { email: 'editor@glas.test', password: PASSWORD });
    // Six failures within the minute, all at this instant: the wait is the rest of that minute.
    expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '60']);
    h.clock.now += 5 * 60_000;
  });

  it('refuses a password under 15 characters or on the common list when accepting an invitation', async () => {
    const inv = await admin.post('/api/v1/invitations', { email: 'short@x.test', role: 'observer', programmeId });
    const token = new URL(inv.json.link).hash.slice(1);
    const short = await h
      .client()
      .post('/api/v1/invitations/accept', { token, displayName: 'Short', password: 'fourteen chars' });
    expect(short.status).toBe(400);
    expect(short.json.error.details[0].where).toBe('password');
  });

  it('keeps both layers of an answer and counts the validated one, with the engine\u2019s numbers', async () => {
    const a = await assessmentOf(memberA, orgA);
    expect(
      (
        await memberA.put(`/api/v1/assessments/${a}/answers/access.mfa-email`, {
          answer: 'none',
          note: 'Only the director, so far',
        })
      ).status,
    ).toBe(200);
    expect(
      (await memberA.put(`/api/v1/assessments/${a}/answers/backup.offline-copy`, { answer: 'dont-know' })).status,
    ).toBe(200);
    expect((await memberA.put(`/api/v1/assessments/${a}/answers/backup.website`, { answer: 'na' })).status).toBe(200);
    expect((await memberA.post(`/api/v1/assessments/${a}/submit`)).status).toBe(204);
    expect((await memberA.put(`/api/v1/assessments/${a}/answers/access.mfa-email`, { answer: 'some' })).status).toBe(
      409,
    );
    expect(
      (
        await assessor.put(`/api/v1/assessments/${a}/validated/access.mfa-email`, {
          answer: 'some',
          note: 'Two of six accounts',
        })
      ).status,
    ).toBe(200);
    const view = await assessor.get(`/api/v1/assessments/${a}`);
    const mfa = view.json.answers.find((x: { question: string }) => x.question === 'access.mfa-email');
    expect(mfa.own).toMatchObject({ answer: 'none', note: 'Only the director, so far', by: memberA.userId });
    expect(mfa.validated).toMatchObject({ answer: 'some', note: 'Two of six accounts', by: assessor.userId });
    expect((await assessor.post(`/api/v1/assessments/${a}/validate`)).status).toBe(204);

    const fw = loadFramework(readFileSync(DEFAULT_FRAMEWORK, 'utf8'), { file: 'cso-media.yaml' });
    if (!fw.ok) throw new Error('framework');
    const csv =
      'organisation,round,question,answer\nA,baseline,access.mfa-email,some\nA,baseline,backup.offline-copy,dont-know\nA,baseline,backup.website,na\n';
    const expected = readAnswers(fw.value, csv, { file: 'x.csv' });
    if (!expected.ok) throw new Error('answers');
    const engine = scoreAnswerSet(fw.value, expected.value).results[0]!;
    const results = (await memberA.get(`/api/v1/assessments/${a}/results`)).json;
    expect(results.score.overall).toBeCloseTo(engine.overall!, 12);
    expect(results.score.completeness).toBeCloseTo(engine.completeness, 12);
    expect(results.score.domains).toEqual(engine.domains);
    const access = results.domains.find((d: { domain: string }) => d.domain === 'access');
    expect(access.questions.find((q: { question: string }) => q.question === 'access.mfa-email')).toMatchObject({
      option: 'some',
    });
  });

  it('keeps interview notes to the assigned assessor and the managers, not the organisation\u2019s own staff', async () => {
    const a = await assessmentOf(memberA, orgA);
    const body = 'The director said in confidence that the old laptop is still in use';
    expect((await assessor.post(`/api/v1/assessments/${a}/interview-notes`, { domain: 'devices', body })).status).toBe(
      201,
    );
    expect(
      (await assessor.get(`/api/v1/assessments/${a}/interview-notes`)).json.map((n: { body: string }) => n.body),
    ).toContain(body);
    expect((await admin.get(`/api/v1/assessments/${a}/interview-notes`)).status).toBe(200);
    const staff = await memberA.get(`/api/v1/assessments/${a}/interview-notes`);
    expect(staff.status).toBe(403);
    expect(staff.body).not.toContain('confidence');
    // the organisation still reads its own assessment
    expect((await memberA.get(`/api/v1/assessments/${a}`)).status).toBe(200);
  });

  it('answers another organisation\u2019s assessment with the same 404 as a missing one', async () => {
    const b = await assessmentOf(memberB, orgB);
    const foreign = await memberA.get(`/api/v1/assessments/${b}`);
    const missing = await memberA.get('/api/v1/assessments/AAAAAAAAAAAAAAAAAAAAAA');
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe(missing.json.error.code);
    expect(foreign.json.error.message).toBe(missing.json.error.message);
    expect((await memberA.put(`/api/v1/assessments/${b}/answers/access.mfa-email`, { answer: 'none' })).status).toBe(
      404,
    );
    expect((await assessor.get(`/api/v1/assessments/${b}`)).status).toBe(404);
    expect((await memberB.get(`/api/v1/programmes/${programmeId}/results`)).status).toBe(404);
  });

  it('shows managers the people of the programme, and everyone the framework in full', async () => {
    const members = (await admin.get(`/api/v1/programmes/${programmeId}/members`)).json;
    expect(members.find((m: { email: string }) => m.email === 'assessor@arcus.test')).toMatchObject({
      role: 'assessor',
      assignedOrganisations: [orgA],
    });
    expect(members.find((m: { email: string }) => m.email === 'director@zeri.test')).toMatchObject({
      role: 'org_admin',
      organisationId: orgA,
    });
    expect((await memberA.get(`/api/v1/programmes/${programmeId}/members`)).status).toBe(404);
    const programme = (await memberA.get(`/api/v1/programmes/${programmeId}`)).json;
    const fw = (await memberA.get(`/api/v1/frameworks/${programme.framework.id}`)).json;
    expect(fw.domains).toHaveLength(11);
    expect(fw.domains[1].questions[0]).toMatchObject({ id: 'access.mfa-email', cap: 4 });
  });

  it('lists to each person the assessments they work on, and no others', async () => {
    const mine = (await memberA.get('/api/v1/assessments')).json;
    expect(
      mine.map((a: { organisation: string; round: string; as: string }) => [a.organisation, a.round, a.as]),
    ).toEqual([
      ['Zëri i Lirë', 'baseline', 'organisation'],
      ['Zëri i Lirë', 'reassessment', 'organisation'],
    ]);
    const review = (await assessor.get('/api/v1/assessments')).json;
    expect(new Set(review.map((a: { organisation: string; as: string }) => `${a.organisation}/${a.as}`))).toEqual(
      new Set(['Zëri i Lirë/assessor']),
    );
    expect(
      (await memberB.get('/api/v1/assessments')).json.every(
        (a: { organisation: string }) => a.organisation === 'Glas Severa',
      ),
    ).toBe(true);
  });

  it('keeps every answer of an assessment saved at the same instant', async () => {
    const b = await assessmentOf(memberB, orgB);
    const fw = loadFramework(readFileSync(DEFAULT_FRAMEWORK, 'utf8'), { file: 'f' });
    if (!fw.ok) throw new Error('framework');
    const questions = fw.value.domains.flatMap((d) => d.questions).slice(0, 45);
    const saves = await Promise.all(
      questions.map((q) =>
        memberB.put(`/api/v1/assessments/${b}/answers/${q.id}`, { answer: q.options[q.options.length - 1]!.id }),
      ),
    );
    expect(saves.map((s) => s.status)).toEqual(questions.map(() => 200));
    const view = await memberB.get(`/api/v1/assessments/${b}`);
    expect(view.json.answers.filter((x: { own: unknown }) => x.own !== null)).toHaveLength(45);
  });

  it('shows managers the live cohort by name, and observers nothing until a round is published', async () => {
    const named = await admin.get(`/api/v1/programmes/${programmeId}/results`);
    expect(named.json.view).toBe('named');
    expect(named.json.report.results.map((r: { organisation: string }) => r.organisation).sort()).toEqual([
      'Glas Severa',
      'Zëri i Lirë',
    ]);
    const observer = await h.join(admin, { email: 'funder@eu.test', role: 'observer', programmeId });
    const anon = await observer.get(`/api/v1/programmes/${programmeId}/results`);
    expect(anon.json.view).toBe('anonymised');
    expect(anon.json.report.results).toEqual([]);
    // Live figures are the managers' alone (publications.test.ts covers what observers do see).
    expect(anon.json).toMatchObject({ rounds: [], published: [], report: { cohort: {}, change: [] } });
    expect(JSON.stringify(anon.json)).not.toMatch(/Zëri|Glas/);
  });

  it('counts the organisation\u2019s answer where the assessor left only a note', async () => {
    const b = await assessmentOf(memberB, orgB);
    const access = async () =>
      (await admin.get(`/api/v1/assessments/${b}/results`)).json.score.domains.access as number;
    const before = await access();
    expect(
      (
        await admin.put(`/api/v1/assessments/${b}/validated/access.mfa-critical`, {
          answer: null,
          note: 'Checked with the director',
        })
      ).status,
    ).toBe(200);
    expect(await access()).toBe(before);
    expect(
      (
        await admin.put(`/api/v1/assessments/${b}/validated/access.mfa-critical`, {
          answer: 'none',
          note: 'Not on the CMS',
        })
      ).status,
    ).toBe(200);
    expect(await access()).toBeLessThan(before);
    expect(
      (await admin.put(`/api/v1/assessments/${b}/validated/access.mfa-critical`, { answer: null, note: '' })).status,
    ).toBe(200);
    expect(await access()).toBe(before);
  });

  it('recomputes cohort results after any answer changes, though it keeps opened answers between calls', async () => {
    const overall = async () =>
      (await admin.get(`/api/v1/programmes/${programmeId}/results`)).json.report.results.find(
        (r: { organisation: string; round: string }) => r.organisation === 'Glas Severa' && r.round === 'baseline',
      ).domains.access as number;
    const before = await overall();
    expect(await overall()).toBe(before);
    const b = await assessmentOf(memberB, orgB);
    expect((await memberB.put(`/api/v1/assessments/${b}/answers/access.mfa-email`, { answer: 'none' })).status).toBe(
      200,
    );
    const after = await overall();
    expect(after).toBeLessThan(before);
    expect(
      (await memberB.put(`/api/v1/assessments/${b}/answers/access.mfa-email`, { answer: 'phishing-resistant' })).status,
    ).toBe(200);
    expect(await overall()).toBe(before);
  });

  it('turns bad requests into clear 4xx answers and keeps serving', async () => {
    const malformed = await admin.request('POST', '/api/v1/programmes', '{"name": ', {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('malformed_json');
    const huge = await admin.request('POST', '/api/v1/programmes', JSON.stringify({ name: 'x'.repeat(1100 * 1024) }), {
      'content-type': 'application/json',
    });
    expect(huge.status).toBe(413);
    const unknownField = await admin.post('/api/v1/programmes', {
      name: 'P',
      frameworkId: 'AAAAAAAAAAAAAAAAAAAAAA',
      rounds: [{ name: 'r' }],
      owner: 'me',
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.json.error.code).toBe('invalid_request');
    const wrongType = await admin.post('/api/v1/programmes', { name: 5, frameworkId: 'x', rounds: 'all' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.error.details.map((d: { where: string }) => d.where)).toEqual(
      expect.arrayContaining(['name', 'rounds']),
    );
    const badOption = await memberB.put(
      `/api/v1/assessments/${await assessmentOf(memberB, orgB)}/answers/access.mfa-email`,
      { answer: 'maybe' },
    );
    expect(badOption.status).toBe(400);
    const crossSite = await admin.request(
      'POST',
      '/api/v1/programmes',
      { name: 'P', frameworkId: 'x', rounds: [] },
      { origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    expect((await h.client().get('/api/v1/health')).status).toBe(200);
  });

  it('ends a session after 30 idle minutes and on sign-out', async () => {
    const c = h.client();
    await c.post('/api/v1/session', { email: 'editor@glas.test', password: PASSWORD });
    h.clock.now += 31_000;
    await c.post('/api/v1/session/mfa', { code: totpCode(memberB.totpSecret!, h.clock.now) });
    expect((await c.get('/api/v1/me')).status).toBe(200);
    const cookie = c.cookie;
    expect((await c.request('DELETE', '/api/v1/session')).status).toBe(204);
    c.cookie = cookie;
    expect((await c.get('/api/v1/me')).status).toBe(401);
    const idle = h.client();
    idle.cookie = memberB.cookie;
    h.clock.now += 31 * 60_000;
    expect((await idle.get('/api/v1/me')).status).toBe(401);
  });

  it('writes one audit row per change, chained by hash', async () => {
    const rows = await h.kalaja.database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'framework.import',
        'programme.create',
        'organisation.create',
        'answer.own.save',
        'answer.validated.save',
        'assessment.submitted',
        'assessment.validated',
      ]),
    );
    rows.forEach((r, i) => expect(r.prev_hash).toBe(i === 0 ? '0'.repeat(64) : rows[i - 1]!.hash));
  });

  it('never writes answers, notes, passwords or tokens to the log', async () => {
    const logs = h.logs.join('\n');
    for (const secret of ['Only the director, so far', 'Two of six accounts', PASSWORD, h.kalaja.setupToken!])
      expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/kalaja_session=[A-Za-z0-9_-]{20}/);
  });
});
