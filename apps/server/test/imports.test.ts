import { indexFramework } from '@kalaja/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAnswer } from '../src/modules/assessments/answer-sealing.js';
import { verifyAuditChain } from '../src/modules/audit/audit-chain.js';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

/**
 * Answer imports as jobs (decision 0010): the file sent as it is saved, answered at once, its
 * progress followed; all or nothing for the round; a job its process left behind is refused
 * (not yet accepted) or finished (accepted) by whoever notices.
 */
describe.each(DATABASES)('answer imports as jobs on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let programmeId: string;
  let roundId: string;
  let questions: { id: string; options: string[] }[];
  const ORGS = 60;
  const names = Array.from({ length: ORGS }, (_, i) => `Qendra ${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const p = (await admin.post('/api/v1/programmes', { name: 'Region', frameworkId, rounds: [{ name: 'baseline' }] }))
      .json;
    programmeId = p.id;
    roundId = p.rounds[0].id;
    for (const name of names)
      await admin.post(`/api/v1/programmes/${programmeId}/organisations`, {
        name,
        kind: 'cso',
        sizeBand: '1-5',
        country: 'XK',
      });
    const fw = await h.kalaja.services.frameworks.load(frameworkId);
    questions = indexFramework(fw).ordered.map((q) => ({
      id: q.question.id,
      options: q.question.options.map((o) => o.id),
    }));
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  /** Every organisation answers every question; the option picked depends on both, so rows differ. */
  const regionCsv = (pick = 0) => {
    const lines = ['organisation,round,question,answer,note'];
    names.forEach((name, o) =>
      questions.forEach((q, i) => {
        const note = i === 0 ? '"Checked with the director, twice"' : '';
        lines.push(`${name},baseline,${q.id},${q.options[(o + i + pick) % q.options.length]},${note}`);
      }),
    );
    return `${lines.join('\n')}\n`;
  };

  const send = (csv: string | Buffer, query = '', type = 'text/csv') =>
    admin.request('POST', `/api/v1/programmes/${programmeId}/rounds/${roundId}/imports${query}`, csv, {
      'content-type': type,
    });

  async function settled(id: string) {
    for (let i = 0; i < 600; i++) {
      const r = await admin.get(`/api/v1/programmes/${programmeId}/imports/${id}`);
      expect(r.status).toBe(200);
      if (r.json.status === 'done' || r.json.status === 'failed') return r.json;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the import never finished');
  }

  const exported = async () =>
    (await admin.get(`/api/v1/programmes/${programmeId}/rounds/${roundId}/answers.csv`)).body;

  it('takes a large file as it is saved, answers at once, and writes every row by the end', async () => {
    const csv = regionCsv();
    // Over the size that is checked in a worker thread, so this goes through it.
    expect(csv.length).toBeGreaterThan(256 * 1024);
    const started = await send(csv);
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ status: 'checking', progress: 0, layer: 'own' });
    const end = await settled(started.json.id);
    expect(end).toMatchObject({
      status: 'done',
      progress: 100,
      rows: ORGS * questions.length,
      organisations: ORGS,
      error: null,
      problems: [],
    });
    const progress = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json;
    expect(progress.filter((p: { completeness: number }) => p.completeness === 1)).toHaveLength(ORGS);
    // What went in comes out: every row, every option, the notes.
    const out = (await exported())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(out).toHaveLength(ORGS * questions.length + 1);
    expect(out).toContain(
      `Qendra 07,baseline,${questions[0]!.id},${questions[0]!.options[6 % questions[0]!.options.length]},"Checked with the director, twice"`,
    );
    const audit = (await admin.get('/api/v1/audit')).json as { action: string }[];
    expect(audit.filter((a) => a.action === 'answers.own.import').length).toBeGreaterThanOrEqual(ORGS);
  }, 120_000);

  it('refuses a file with problems as a job that failed, naming each line, and writes nothing', async () => {
    const before = await exported();
    const bad = regionCsv(1).replace(
      `Qendra 33,baseline,${questions[5]!.id},`,
      `Qendra 33,baseline,${questions[5]!.id}x,`,
    );
    const started = await send(bad);
    expect(started.status).toBe(202);
    const end = await settled(started.json.id);
    expect(end.status).toBe('failed');
    expect(end.problemCount).toBe(1);
    expect(end.problems).toEqual([
      { where: `line ${32 * questions.length + 6 + 1}`, message: expect.stringMatching(/unknown question/) },
    ]);
    expect(await exported()).toBe(before);
    const staged = await h.kalaja.database.db.selectFrom('answer_import_rows').select('seq').execute();
    expect(staged).toEqual([]);
  }, 120_000);

  it('refuses bytes that are not a CSV with where they stop being text', async () => {
    const r = await send('organisation,round,question,answer\nab\u0000c\n');
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_answers');
    expect(r.json.error.details[0].where).toBe('line 2');
  });

  it('says an import is not there for another programme, and to people who do not manage it', async () => {
    const r = await send('organisation,round,question,answer\n');
    const other = (
      await admin.post('/api/v1/programmes', {
        name: 'Other',
        frameworkId: (await admin.get('/api/v1/frameworks')).json[0].id,
        rounds: [{ name: 'baseline' }],
      })
    ).json;
    expect((await admin.get(`/api/v1/programmes/${other.id}/imports/${r.json.id}`)).status).toBe(404);
    const stranger = h.client();
    expect((await stranger.get(`/api/v1/programmes/${programmeId}/imports/${r.json.id}`)).status).toBe(401);
  });

  it('keeps an assessment open while an accepted import is still writing it', async () => {
    const db = h.kalaja.database.db;
    const target = (await h.kalaja.stores.assessments.ofRound(roundId))[0]!;
    const staff = await h.join(admin, {
      email: 'director@qendra.test',
      role: 'org_admin',
      programmeId,
      organisationId: target.organisationId,
    });
    await db.updateTable('assessments').set({ import_id: 'someimport0' }).where('id', '=', target.id).execute();
    try {
      const submit = await staff.post(`/api/v1/assessments/${target.id}/submit`);
      expect(submit.status).toBe(409);
      expect(submit.json.error.message).toMatch(/import of answers into this assessment is being written/);
    } finally {
      await db.updateTable('assessments').set({ import_id: null }).where('id', '=', target.id).execute();
    }
    expect((await staff.post(`/api/v1/assessments/${target.id}/submit`)).status).toBe(204);
  });

  it('finishes an accepted import whose process stopped, and refuses one that was not yet accepted', async () => {
    const { db } = h.kalaja.database;
    const targets = await h.kalaja.stores.assessments.ofRound(roundId);
    const [first, second] = targets;
    const q = questions[3]!;
    const now = h.clock.now;
    const job = (id: string, status: 'applying' | 'staging') => ({
      id,
      programme_id: programmeId,
      round_id: roundId,
      layer: 'own' as const,
      status,
      rows_total: 2,
      rows_done: 0,
      organisations: 2,
      error: null,
      problems: null,
      created_by: 'someone0001',
      created_at: now,
      heartbeat_at: now,
      finished_at: null,
    });
    await db
      .insertInto('answer_imports')
      .values([job('accepted001', 'applying'), job('unaccepted1', 'staging')])
      .execute();
    const rows = [];
    for (const [seq, t] of [first!, second!].entries())
      rows.push({
        import_id: 'accepted001',
        seq,
        assessment_id: t.id,
        question_id: q.id,
        sealed: await sealAnswer(
          h.kalaja.context.vault,
          { organisationId: t.organisationId, assessmentId: t.id, questionId: q.id, layer: 'own' },
          { answer: q.options.at(-1)!, note: 'left by a stopped server' },
        ),
      });
    await db.insertInto('answer_import_rows').values(rows).execute();
    await db
      .insertInto('answer_import_rows')
      .values({ ...rows[0]!, import_id: 'unaccepted1', seq: 0 })
      .execute();
    await db
      .updateTable('assessments')
      .set({ import_id: 'accepted001' })
      .where('id', 'in', [first!.id, second!.id])
      .execute();
    // Not stale yet: nobody takes a job whose process may still be working on it.
    await h.kalaja.services.exchange.resumeStale();
    expect((await h.kalaja.stores.imports.byId('accepted001'))!.status).toBe('applying');
    h.clock.now += 61_000;
    await h.kalaja.services.exchange.resumeStale();
    await h.kalaja.services.exchange.stop();
    expect((await h.kalaja.stores.imports.byId('accepted001'))!.status).toBe('done');
    const refused = (await h.kalaja.stores.imports.byId('unaccepted1'))!;
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/nothing was imported/);
    const out = await exported();
    expect(out).toContain(`${first!.name},baseline,${q.id},${q.options.at(-1)},left by a stopped server`);
    expect(out).toContain(`${second!.name},baseline,${q.id},${q.options.at(-1)},left by a stopped server`);
    expect(await db.selectFrom('answer_import_rows').select('seq').execute()).toEqual([]);
    const held = await db.selectFrom('assessments').select('id').where('import_id', 'is not', null).execute();
    expect(held).toEqual([]);
    // The audit chain still holds with the rows the resumed import appended.
    const log = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(verifyAuditChain(log).problems).toEqual([]);
  }, 60_000);
});
