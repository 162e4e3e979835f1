import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

const ORG = { kind: 'media', sizeBand: '6-10', municipality: 'Prizren', country: 'XK', focus: '', languages: [] };
const MFA = 'access.mfa-email';
const PM = 'access.password-manager';
const SHARED = 'access.shared-accounts';
/** A question of framework 1.0.0 that 2.0.0, this programme's version, no longer has. */
const OLD = 'awareness.leadership';
const NOTE = 'KALAJA-CARRY-CANARY-41c7';

interface AnswerRow {
  question: string;
  own: { answer: string | null; note: string } | null;
  validated: { answer: string | null; note: string } | null;
  carried: { answer: string | null; note: string } | null;
  version: number;
}

describe.each(DATABASES)('a reassessment that opens on the last round’s answers, on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let member: Client & { userId: string };
  let assessor: Client & { userId: string };
  let programmeId: string;
  let rounds: { id: string }[];
  let baseline: string;
  let reassessment: string;

  const answersOf = async (id: string, c: Client = member) =>
    new Map(((await c.get(`/api/v1/assessments/${id}`)).json.answers as AnswerRow[]).map((a) => [a.question, a]));
  const completeness = async (id: string) =>
    (
      (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json as {
        assessmentId: string;
        completeness: number;
      }[]
    ).find((r) => r.assessmentId === id)!.completeness;
  const confirm = (answers: { question: string; version: number }[], c: Client = member) =>
    c.post(`/api/v1/assessments/${reassessment}/confirmations`, { answers });

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const p = (
      await admin.post('/api/v1/programmes', {
        name: 'Reassess',
        frameworkId,
        rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
      })
    ).json;
    programmeId = p.id;
    rounds = p.rounds;
    const orgId = (await admin.post(`/api/v1/programmes/${programmeId}/organisations`, { ...ORG, name: 'Drita' })).json
      .id;
    member = await h.join(admin, {
      email: 'director@drita.test',
      role: 'org_admin',
      programmeId,
      organisationId: orgId,
    });
    assessor = await h.join(admin, { email: 'assessor@arcus.test', role: 'assessor', programmeId });
    await admin.post(`/api/v1/programmes/${programmeId}/assessors`, { userId: assessor.userId, organisationId: orgId });
    const progress = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json as {
      roundId: string;
      assessmentId: string;
    }[];
    baseline = progress.find((r) => r.roundId === rounds[0]!.id)!.assessmentId;
    reassessment = progress.find((r) => r.roundId === rounds[1]!.id)!.assessmentId;

    // The baseline: two answers with notes, a note without an answer; the assessor corrects one.
    const put = (q: string, body: object, layer = 'answers', c: Client = member) =>
      c.put(`/api/v1/assessments/${baseline}/${layer}/${q}`, body);
    expect((await put(MFA, { answer: 'some', note: 'Only the director' })).status).toBe(200);
    expect((await put(PM, { answer: 'notes', note: NOTE })).status).toBe(200);
    expect((await put(SHARED, { answer: null, note: 'We need to ask Arben' })).status).toBe(200);
    expect((await member.post(`/api/v1/assessments/${baseline}/submit`)).status).toBe(204);
    expect((await put(MFA, { answer: 'most', note: 'Seen: three of five' }, 'validated', assessor)).status).toBe(200);
    expect((await assessor.post(`/api/v1/assessments/${baseline}/validate`)).status).toBe(204);
    expect((await admin.post(`/api/v1/programmes/${programmeId}/rounds/${rounds[0]!.id}/close`)).status).toBe(204);
    expect((await admin.post(`/api/v1/programmes/${programmeId}/rounds/${rounds[1]!.id}/open`)).status).toBe(204);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('pre-fills each question with the answer that counted at the baseline, validated where there is one', async () => {
    const a = (await member.get(`/api/v1/assessments/${reassessment}`)).json;
    expect(a.previousRound).toBe('baseline');
    const rows = await answersOf(reassessment);
    expect(rows.get(MFA)).toMatchObject({
      own: null,
      validated: null,
      carried: { answer: 'most', note: 'Seen: three of five' },
      version: 1,
    });
    expect(rows.get(PM)?.carried).toEqual({ answer: 'notes', note: NOTE });
    // A note without an answer is not carried: there is nothing to confirm.
    expect(rows.has(SHARED)).toBe(false);
    expect([...rows.keys()].sort()).toEqual([MFA, PM].sort());
  });

  it('counts nothing carried as answered until it is confirmed: no completeness, no score', async () => {
    expect(await completeness(reassessment)).toBe(0);
    const results = (await member.get(`/api/v1/assessments/${reassessment}/results`)).json;
    expect(results.score).toMatchObject({ answered: 0, overall: null });
    // The carried answers are sealed like every answer: the note is nowhere in clear.
    const raw = await h.kalaja.database.db
      .selectFrom('answers')
      .select('carried_sealed')
      .where('assessment_id', '=', reassessment)
      .execute();
    expect(raw).toHaveLength(2);
    for (const r of raw) expect(Buffer.from(r.carried_sealed!).includes(Buffer.from(NOTE))).toBe(false);
  });

  it('refuses a confirmation for a question of another framework version, naming it, and writes nothing', async () => {
    const r = await confirm([
      { question: MFA, version: 1 },
      { question: OLD, version: 1 },
    ]);
    expect(r.status).toBe(400);
    expect(r.json.error.details).toEqual([
      {
        where: 'answers.1.question',
        message: `"${OLD}" is not a question of this programme's framework (cso-media 2.0.0)`,
      },
    ]);
    expect((await answersOf(reassessment)).get(MFA)?.own).toBeNull();
  });

  it('refuses a stale version for the whole confirmation, and what was never carried or is not the organisation’s', async () => {
    const stale = await confirm([
      { question: MFA, version: 1 },
      { question: PM, version: 7 },
    ]);
    expect([stale.status, stale.json.error.code]).toEqual([412, 'precondition_failed']);
    expect(stale.json.error.message).toMatch(
      /access\.password-manager was changed by someone else meanwhile; nothing was confirmed/,
    );
    expect((await answersOf(reassessment)).get(MFA)).toMatchObject({ own: null, version: 1 });

    const never = await confirm([{ question: SHARED, version: 1 }]);
    expect([never.status, never.json.error.details[0]]).toEqual([
      400,
      { where: 'answers.0.question', message: 'nothing to confirm' },
    ]);
    const twice = await confirm([
      { question: MFA, version: 1 },
      { question: MFA, version: 1 },
    ]);
    expect(twice.status).toBe(400);
    expect((await confirm([{ question: MFA, version: 1 }], assessor)).status).toBe(403);
    expect((await confirm([], member)).status).toBe(400);
    expect((await answersOf(reassessment)).get(MFA)?.own).toBeNull();
  });

  it('confirms a whole domain at once: the same answers and notes become the organisation’s own, and count', async () => {
    const r = await confirm([
      { question: MFA, version: 1 },
      { question: PM, version: 1 },
    ]);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      answers: [
        { question: MFA, version: 2 },
        { question: PM, version: 2 },
      ],
    });
    const rows = await answersOf(reassessment);
    expect(rows.get(MFA)).toMatchObject({
      own: { answer: 'most', note: 'Seen: three of five', by: member.userId },
      carried: { answer: 'most' },
      version: 2,
    });
    expect(rows.get(PM)?.own).toMatchObject({ answer: 'notes', note: NOTE });
    expect(await completeness(reassessment)).toBeCloseTo(2 / 83, 12);
    const results = (await member.get(`/api/v1/assessments/${reassessment}/results`)).json;
    expect(results.score.answered).toBe(2);
    // Confirmed once: a second confirmation of the same question is refused, nothing changes.
    const again = await confirm([{ question: MFA, version: 2 }]);
    expect([again.status, again.json.error.details[0].message]).toEqual([409, 'already answered']);
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'answer.own.confirm')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('shows the assessor what was confirmed unchanged and what changed', async () => {
    // The organisation changes one answer after confirming it.
    const v = (await answersOf(reassessment)).get(PM)!.version;
    const changed = await member.request(
      'PUT',
      `/api/v1/assessments/${reassessment}/answers/${PM}`,
      { answer: 'everyone-manager', note: 'Bitwarden for everyone since March' },
      { 'if-match': `"${v}"` },
    );
    expect(changed.status).toBe(200);
    const rows = await answersOf(reassessment, assessor);
    expect([rows.get(MFA)?.own?.answer, rows.get(MFA)?.carried?.answer]).toEqual(['most', 'most']);
    expect([rows.get(PM)?.own?.answer, rows.get(PM)?.carried?.answer]).toEqual(['everyone-manager', 'notes']);
  });

  it('refuses confirmations while the round is closed', async () => {
    const round = `/api/v1/programmes/${programmeId}/rounds/${rounds[1]!.id}`;
    expect((await admin.post(`${round}/close`)).status).toBe(204);
    const r = await confirm([{ question: MFA, version: 2 }]);
    expect([r.status, r.json.error.message]).toEqual([409, expect.stringMatching(/round "reassessment" is closed/)]);
    expect((await admin.post(`${round}/reopen`, { reason: 'Drita has not submitted yet' })).status).toBe(204);
  });

  it('shows the organisation’s change: every round, each domain before and after, the questions that moved', async () => {
    expect((await member.post(`/api/v1/assessments/${reassessment}/submit`)).status).toBe(204);
    const c = (await member.get(`/api/v1/assessments/${reassessment}/change`)).json;
    expect(c.rounds.map((r: { round: string; status: string }) => [r.round, r.status])).toEqual([
      ['baseline', 'validated'],
      ['reassessment', 'submitted'],
    ]);
    expect(c.changes).toHaveLength(1);
    const [change] = c.changes;
    expect([change.from, change.to]).toEqual(['baseline', 'reassessment']);
    // Two-step login was confirmed unchanged; the password manager moved up.
    expect(change.up.map((m: { question: string; from: string; to: string }) => [m.question, m.from, m.to])).toEqual([
      [PM, 'notes', 'everyone-manager'],
    ]);
    expect(change.down).toEqual([]);
    const access = change.domains.find((d: { domain: string }) => d.domain === 'access');
    expect(access.change).toBeCloseTo(access.after - access.before, 12);
    expect(access.change).toBeGreaterThan(0);
    expect(access.planItems).toEqual([]);
    // The same from the baseline's page, and for the assessor; nobody else.
    expect((await assessor.get(`/api/v1/assessments/${baseline}/change`)).json.changes).toEqual(c.changes);
  });

  it('gives the cohort’s change over assessments validated in both rounds, counting the provisional', async () => {
    const before = (await admin.get(`/api/v1/programmes/${programmeId}/change`)).json;
    expect(before.changes[0]).toMatchObject({ from: 'baseline', to: 'reassessment', n: 0, provisional: 1 });
    expect(before.changes[0].overall).toMatchObject({ n: 0, mean: null, wilcoxon: null });
    expect((await member.get(`/api/v1/programmes/${programmeId}/change`)).status).toBe(404);
    expect((await assessor.get(`/api/v1/programmes/${programmeId}/change`)).status).toBe(404);

    expect((await assessor.post(`/api/v1/assessments/${reassessment}/validate`)).status).toBe(204);
    const after = (await admin.get(`/api/v1/programmes/${programmeId}/change`)).json;
    expect(after.changes[0]).toMatchObject({ n: 1, provisional: 0 });
    expect(after.changes[0].overall).toMatchObject({ n: 1, improved: 1, ci95: null, wilcoxon: { n: 1, p: 1 } });
  });

  it('keeps, per domain, the assessor’s account of what changed and the organisation’s own, sealed and audited', async () => {
    const url = (domain: string, by: string, id = reassessment) => `/api/v1/assessments/${id}/accounts/${domain}/${by}`;
    const said = `Seen on every laptop: Bitwarden since March. ${NOTE}`;
    const saved = await assessor.put(url('access', 'assessor'), { text: said });
    expect([saved.status, saved.json]).toEqual([200, { domain: 'access', by: 'assessor', version: 1 }]);
    expect((await member.put(url('access', 'organisation'), { text: 'We trained everyone in March.' })).status).toBe(
      200,
    );
    // Each writes their own only; the domain must be the framework's; the first round has no change to explain.
    expect((await member.put(url('access', 'assessor'), { text: 'x' })).status).toBe(403);
    expect((await assessor.put(url('access', 'organisation'), { text: 'x' })).status).toBe(403);
    const unknown = await assessor.put(url('nowhere', 'assessor'), { text: 'x' });
    expect([unknown.status, unknown.json.error.details]).toEqual([
      400,
      [{ where: 'domain', message: 'unknown domain' }],
    ]);
    const first = await assessor.put(url('access', 'assessor', baseline), { text: 'x' });
    expect([first.status, first.json.error.message]).toEqual([409, expect.stringMatching(/"baseline" is the first/)]);
    const stale = await assessor.put(url('access', 'assessor'), { text: 'Rewritten', version: 7 });
    expect(stale.status).toBe(412);
    const bad = await assessor.put(url('access', 'assessor'), { text: 'a\u0000b' });
    expect(bad.status).toBe(400);

    const list = (await member.get(`/api/v1/assessments/${reassessment}/accounts`)).json;
    expect(list.map((a: { domain: string; by: string; text: string }) => [a.domain, a.by, a.text])).toEqual([
      ['access', 'assessor', said],
      ['access', 'organisation', 'We trained everyone in March.'],
    ]);
    // An empty text takes an account back.
    expect((await assessor.put(url('backup', 'assessor'), { text: 'Offline copy seen' })).status).toBe(200);
    expect((await assessor.put(url('backup', 'assessor'), { text: '  ', version: 1 })).status).toBe(200);
    expect((await member.get(`/api/v1/assessments/${reassessment}/accounts`)).json).toHaveLength(2);

    const raw = await h.kalaja.database.db.selectFrom('domain_accounts').select('body_sealed').execute();
    for (const r of raw) expect(Buffer.from(r.body_sealed).includes(Buffer.from(NOTE))).toBe(false);
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'account.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'account.assessor.save',
      'account.organisation.save',
      'account.assessor.save',
      'account.assessor.delete',
    ]);
    // Beside the numbers of the change.
    const change = (await member.get(`/api/v1/assessments/${reassessment}/change`)).json.changes[0];
    expect(change.accounts.map((a: { by: string }) => a.by)).toEqual(['assessor', 'organisation']);
  });

  it('carries the same change into the organisation report', async () => {
    const job = await admin.post(`/api/v1/programmes/${programmeId}/reports`, {
      kind: 'organisation',
      organisationId: (await admin.get(`/api/v1/assessments/${reassessment}`)).json.organisationId,
      format: 'html',
    });
    expect(job.status).toBe(202);
    for (let i = 0; i < 500; i++) {
      const r = await admin.get(`/api/v1/reports/${job.json.id}`);
      if (r.json.status === 'done' || r.json.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const html = (await admin.get(`/api/v1/reports/${job.json.id}/preview`)).body;
    expect(html).toContain('What moved between rounds');
    expect(html).toContain('Answered better');
    expect(html).toContain('What the assessor observed');
    expect(html).toContain('We trained everyone in March.');
  });
});
