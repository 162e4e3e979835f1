import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

const ORG = { kind: 'cso', sizeBand: '6-10', municipality: 'Prishtinë', country: 'XK', focus: '', languages: ['sq'] };
const Q = 'access.mfa-email';

/** A PDF as a browser would upload it, in a multipart/form-data body. */
function pdfUpload(): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----kalaja${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="policy.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DATABASES)('rounds that open and close on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let member: Client & { userId: string };
  let assessor: Client & { userId: string };
  let programmeId: string;
  let rounds: { id: string; name: string }[];
  let orgId: string;

  const programme = async (c: Client = admin) => (await c.get(`/api/v1/programmes/${programmeId}`)).json;
  const states = async (c: Client = admin) =>
    (await programme(c)).rounds.map((r: { name: string; state: string }) => `${r.name}:${r.state}`);
  const assessmentOf = async (round: number) => {
    const rows = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json as {
      roundId: string;
      assessmentId: string;
    }[];
    return rows.find((r) => r.roundId === rounds[round]!.id)!.assessmentId;
  };
  const roundUrl = (round: number, action: string) =>
    `/api/v1/programmes/${programmeId}/rounds/${rounds[round]!.id}/${action}`;

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const created = await admin.post('/api/v1/programmes', {
      name: 'Reassess',
      frameworkId,
      rounds: [
        { name: 'baseline', endsOn: '2027-01-31' },
        { name: 'reassessment', startsOn: '2027-06-01', endsOn: '2027-06-30' },
        { name: 'follow-up' },
      ],
    });
    programmeId = created.json.id;
    rounds = created.json.rounds;
    orgId = (await admin.post(`/api/v1/programmes/${programmeId}/organisations`, { ...ORG, name: 'Drita' })).json.id;
    member = await h.join(admin, {
      email: 'director@drita.test',
      role: 'org_admin',
      programmeId,
      organisationId: orgId,
    });
    assessor = await h.join(admin, { email: 'assessor@arcus.test', role: 'assessor', programmeId });
    await admin.post(`/api/v1/programmes/${programmeId}/assessors`, { userId: assessor.userId, organisationId: orgId });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('opens the first round with the programme; the others wait, and organisations see which are open until when', async () => {
    expect(await states()).toEqual(['baseline:open', 'reassessment:scheduled', 'follow-up:scheduled']);
    // The organisation reads the same from its programme and from its list of assessments.
    expect((await programme(member)).rounds[0]).toMatchObject({ state: 'open', endsOn: '2027-01-31' });
    const mine = (await member.get('/api/v1/assessments')).json as { round: string; roundState: string }[];
    expect(mine.map((a) => [a.round, a.roundState])).toEqual([
      ['baseline', 'open'],
      ['reassessment', 'scheduled'],
      ['follow-up', 'scheduled'],
    ]);
    const a = (await member.get(`/api/v1/assessments/${await assessmentOf(1)}`)).json;
    expect(a.round).toEqual({
      id: rounds[1]!.id,
      name: 'reassessment',
      state: 'scheduled',
      startsOn: '2027-06-01',
      endsOn: '2027-06-30',
    });
  });

  it('refuses answers to a round that has not opened, naming it, and writes nothing', async () => {
    const id = await assessmentOf(1);
    const r = await member.put(`/api/v1/assessments/${id}/answers/${Q}`, { answer: 'none', note: '' });
    expect(r.status).toBe(409);
    expect(r.json.error.message).toMatch(/round "reassessment" has not opened yet \(it opens on 2027-06-01\)/);
    expect((await member.get(`/api/v1/assessments/${id}`)).json.answers).toEqual([]);
  });

  it('opens rounds in order only, and only for the programme’s managers', async () => {
    const early = await admin.post(roundUrl(2, 'open'));
    expect(early.status).toBe(409);
    expect(early.json.error.message).toBe('The round "follow-up" cannot open before "reassessment" has been opened.');
    for (const c of [member, assessor]) expect((await c.post(roundUrl(1, 'open'))).status).toBe(404);
    expect((await admin.post(roundUrl(1, 'close'))).status).toBe(409);
    expect(await states()).toEqual(['baseline:open', 'reassessment:scheduled', 'follow-up:scheduled']);
  });

  it('makes a closed round read-only: saves, validation, notes, evidence, imports and submission are refused', async () => {
    const id = await assessmentOf(0);
    const saved = await member.put(`/api/v1/assessments/${id}/answers/${Q}`, {
      answer: 'all-app',
      note: 'Every account',
    });
    expect(saved.status).toBe(200);
    for (const c of [member, assessor]) expect((await c.post(roundUrl(0, 'close'))).status).toBe(404);
    expect((await admin.post(roundUrl(0, 'close'))).status).toBe(204);
    expect(await states(member)).toEqual(['baseline:closed', 'reassessment:scheduled', 'follow-up:scheduled']);
    expect((await admin.post(roundUrl(0, 'close'))).json.error.message).toBe('The round "baseline" is already closed.');

    const refused = [
      await member.put(`/api/v1/assessments/${id}/answers/${Q}`, { answer: 'none', note: '' }),
      await assessor.put(`/api/v1/assessments/${id}/validated/${Q}`, { answer: 'none', note: '' }),
      await assessor.post(`/api/v1/assessments/${id}/interview-notes`, { domain: 'access', body: 'Said so' }),
      await member.post(`/api/v1/assessments/${id}/submit`),
      await admin.post(`/api/v1/programmes/${programmeId}/rounds/${rounds[0]!.id}/answers`, {
        csv: `organisation,round,question,answer,note\nDrita,baseline,${Q},none,\n`,
      }),
    ];
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.json.error.message).toMatch(/round "baseline" is closed/);
    }
    const upload = pdfUpload();
    const file = await member.request('POST', `/api/v1/assessments/${id}/evidence`, upload.payload, upload.headers);
    expect([file.status, file.json.error.message]).toEqual([409, expect.stringMatching(/round "baseline" is closed/)]);

    // Nothing was written: the answer is as saved, with no validated layer, no note, no file.
    const a = (await admin.get(`/api/v1/assessments/${id}`)).json;
    expect(a.status).toBe('draft');
    expect(a.answers).toEqual([
      expect.objectContaining({ question: Q, own: expect.objectContaining({ answer: 'all-app' }), validated: null }),
    ]);
    expect((await admin.get(`/api/v1/assessments/${id}/interview-notes`)).json).toEqual([]);
    expect((await admin.get(`/api/v1/assessments/${id}/evidence`)).json).toEqual([]);
  });

  it('reopens a closed round only on purpose: a manager, a reason, a recent sign-in; and keeps why', async () => {
    const id = await assessmentOf(0);
    const noReason = await admin.post(roundUrl(0, 'reopen'), {});
    expect([noReason.status, noReason.json.error.details[0].where]).toEqual([400, 'reason']);
    expect((await admin.post(roundUrl(0, 'reopen'), { reason: '   ' })).status).toBe(400);
    for (const c of [member, assessor])
      expect((await c.post(roundUrl(0, 'reopen'), { reason: 'We forgot one' })).status).toBe(404);
    h.clock.now += 6 * 60_000;
    const stale = await admin.post(roundUrl(0, 'reopen'), { reason: 'Drita found its backup policy' });
    expect([stale.status, stale.json.error.code]).toEqual([401, 'reauthentication_required']);
    expect(await states()).toEqual(['baseline:closed', 'reassessment:scheduled', 'follow-up:scheduled']);
    // Back to a recent sign-in, a second after the close (the history is in time order).
    h.clock.now -= 6 * 60_000 - 1000;

    expect((await admin.post(roundUrl(0, 'reopen'), { reason: 'Drita found its backup policy' })).status).toBe(204);
    expect((await member.put(`/api/v1/assessments/${id}/answers/${Q}`, { answer: 'most', note: '' })).status).toBe(200);
    expect((await admin.post(roundUrl(1, 'reopen'), { reason: 'x' })).json.error.message).toBe(
      'The round "reassessment" is not closed, so there is nothing to reopen.',
    );

    const history = (await admin.get(`/api/v1/programmes/${programmeId}/round-events`)).json;
    expect(
      history.map((e: { round: string; action: string; reason: string | null }) => [e.round, e.action, e.reason]),
    ).toEqual([
      ['baseline', 'open', null],
      ['baseline', 'close', null],
      ['baseline', 'reopen', 'Drita found its backup policy'],
    ]);
    expect(history[2].by).toBe('Instance Admin');
    expect((await member.get(`/api/v1/programmes/${programmeId}/round-events`)).status).toBe(404);
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('action', 'like', 'round.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((x) => x.action)).toEqual(['round.close', 'round.reopen']);
  });

  it('opens a round by itself on its start date, once the round before it has been opened', async () => {
    const today = new Date(h.clock.now).toISOString().slice(0, 10);
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const later = (
      await admin.post('/api/v1/programmes', {
        name: 'Starts today',
        frameworkId,
        rounds: [
          { name: 'first', startsOn: '2999-01-01' },
          { name: 'second', startsOn: today },
        ],
      })
    ).json;
    // The first round starts in a far future, so the second, due today, waits for it.
    expect(later.rounds.map((r: { state: string }) => r.state)).toEqual(['scheduled', 'scheduled']);
    expect((await admin.get(`/api/v1/programmes/${later.id}`)).json.rounds[1].state).toBe('scheduled');
    expect((await admin.post(`/api/v1/programmes/${later.id}/rounds/${later.rounds[0].id}/open`)).status).toBe(204);
    // Once the first is open, the second opens by itself when anyone reads the programme.
    h.clock.now += 1000;
    expect(
      (await admin.get(`/api/v1/programmes/${later.id}`)).json.rounds.map((r: { state: string }) => r.state),
    ).toEqual(['open', 'open']);
    const history = (await admin.get(`/api/v1/programmes/${later.id}/round-events`)).json;
    expect(history.map((e: { round: string; by: string | null }) => [e.round, e.by])).toEqual([
      ['first', 'Instance Admin'],
      ['second', null],
    ]);
    expect(
      (await admin.post(`/api/v1/programmes/${later.id}/rounds/${later.rounds[1].id}/open`)).json.error.message,
    ).toBe('The round "second" is already open.');
  });

  it('opens the next round when a manager says so', async () => {
    expect((await admin.post(roundUrl(1, 'open'))).status).toBe(204);
    expect(await states(member)).toEqual(['baseline:open', 'reassessment:open', 'follow-up:scheduled']);
    const id = await assessmentOf(1);
    expect((await member.put(`/api/v1/assessments/${id}/answers/${Q}`, { answer: 'none', note: '' })).status).toBe(200);
  });

  it('does not close a round while an accepted import is writing into it, and an import cannot claim a closed round', async () => {
    const id = await assessmentOf(1);
    const db = h.kalaja.database.db;
    await db.updateTable('assessments').set({ import_id: 'import-under-way' }).where('id', '=', id).execute();
    const busy = await admin.post(roundUrl(1, 'close'));
    expect([busy.status, busy.json.error.message]).toEqual([
      409,
      expect.stringMatching(/import of answers into the round "reassessment" is being written/),
    ]);
    expect(await states()).toEqual(['baseline:open', 'reassessment:open', 'follow-up:scheduled']);
    await db.updateTable('assessments').set({ import_id: null }).where('id', '=', id).execute();

    expect((await admin.post(roundUrl(1, 'close'))).status).toBe(204);
    // The claim step of an import checked before the round closed finds nothing to claim.
    const claimed = await db
      .transaction()
      .execute((tx) => h.kalaja.stores.imports.reserve('late', [id], ['draft'], tx));
    expect(claimed).toBe(0);
    expect(
      (await db.selectFrom('assessments').select('import_id').where('id', '=', id).executeTakeFirst())?.import_id,
    ).toBeNull();
  });
});
