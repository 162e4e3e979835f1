import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemActor } from '../src/modules/access/access-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/kalaja.js';

/**
 * Plants distinctive strings in everything that describes an organisation's posture — the
 * chosen answers' notes, the assessor's notes, interview notes — and then reads the SQLite
 * file and its write-ahead log byte by byte: none of them may appear in clear.
 */
describe('data at rest on SQLite', () => {
  let h: Harness;
  const CANARIES = [
    'CANARY-own-note-7f3a',
    'CANARY-validated-note-91bc',
    'CANARY-interview-4d2e',
    'CANARY-evidence-body-5a0c',
    'CANARY-evidence-name-b81d',
    'CANARY-plan-notes-2c6e',
    'CANARY-plan-title-e03f',
    'CANARY-plan-drop-reason-7b19',
    'CANARY-plan-evidence-body-4f8a',
    'CANARY-plan-evidence-name-d52c',
  ];

  beforeAll(async () => {
    h = await startHarness('sqlite');
    const admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const programmeId = (
      await admin.post('/api/v1/programmes', { name: 'P', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
    const org = (
      await admin.post(`/api/v1/programmes/${programmeId}/organisations`, {
        name: 'Kumbona',
        kind: 'media',
        sizeBand: '1-5',
        country: 'XK',
      })
    ).json.id;
    const member = await h.join(admin, { email: 'm@x.test', role: 'org_admin', programmeId, organisationId: org });
    const assessment = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json[0].assessmentId;
    expect(
      (
        await member.put(`/api/v1/assessments/${assessment}/answers/access.mfa-email`, {
          answer: 'none',
          note: CANARIES[0],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin.put(`/api/v1/assessments/${assessment}/validated/access.mfa-email`, {
          answer: 'some',
          note: CANARIES[1],
        })
      ).status,
    ).toBe(200);
    expect(
      (await admin.post(`/api/v1/assessments/${assessment}/interview-notes`, { domain: 'access', body: CANARIES[2] }))
        .status,
    ).toBe(201);
    await h.kalaja.services.evidence.upload(systemActor('test'), assessment, async () => ({
      file: {
        name: `${CANARIES[4]}.txt`,
        declaredType: 'text/plain',
        bytes: Buffer.from(`Router password policy: ${CANARIES[3]}\n`),
      },
    }));
    // A plan: an intervention with notes, an own item (its title) dropped with a reason, and a file.
    const round = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json[0].roundId;
    const plan = `/api/v1/programmes/${programmeId}/organisations/${org}/plan`;
    const picked = await admin.post(plan, { roundId: round, intervention: 'mfa-rollout', notes: CANARIES[5] });
    expect(picked.status).toBe(201);
    const own = await admin.post(plan, { roundId: round, title: CANARIES[6], kind: 'policy' });
    expect(own.status).toBe(201);
    expect(
      (await member.post(`/api/v1/plan-items/${own.json.id}/status`, { status: 'dropped', reason: CANARIES[7] }))
        .status,
    ).toBe(200);
    await h.kalaja.services.plans.uploadEvidence(systemActor('test'), picked.json.id, async () => ({
      file: {
        name: `${CANARIES[9]}.txt`,
        declaredType: 'text/plain',
        bytes: Buffer.from(`Two-step login on for everyone: ${CANARIES[8]}\n`),
      },
    }));
  });

  afterAll(async () => {
    await h?.close();
  });

  it('keeps no answer note, interview note, plan text or evidence in clear in the database file, its WAL or the evidence folder', () => {
    const file = (h.test.config as { file: string }).file;
    const evidenceDir = join(h.config.dataDir, 'evidence');
    const evidence = readdirSync(evidenceDir).map((f) => join(evidenceDir, f));
    expect(evidence).toHaveLength(2);
    const files = [file, `${file}-wal`, `${file}-shm`, ...evidence].filter(existsSync);
    expect(files.length).toBeGreaterThanOrEqual(2);
    // The scan does see what is stored in clear: the organisation's name is not posture data.
    expect(files.some((f) => readFileSync(f).includes(Buffer.from('Kumbona')))).toBe(true);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const canary of CANARIES) {
        expect(bytes.includes(Buffer.from(canary, 'utf8')), `${canary} in ${f}`).toBe(false);
        expect(bytes.includes(Buffer.from(canary, 'utf16le')), `${canary} (UTF-16) in ${f}`).toBe(false);
      }
    }
  });

  it('pads sealed answers and plan texts so that their size does not tell the options apart', async () => {
    const admin = await h.admin();
    const programmes = (await admin.get('/api/v1/programmes')).json;
    const assessment = (await admin.get(`/api/v1/programmes/${programmes[0].id}/progress`)).json[0].assessmentId;
    for (const [question, answer] of [
      ['access.mfa-critical', 'none'],
      ['backup.website', 'na'],
      ['devices.disk-encryption', 'laptops-only'],
    ]) {
      expect((await admin.put(`/api/v1/assessments/${assessment}/validated/${question}`, { answer })).status).toBe(200);
    }
    const rows = await h.kalaja.database.db
      .selectFrom('answers')
      .select(['question_id', 'validated_sealed'])
      .where('question_id', 'in', ['access.mfa-critical', 'backup.website', 'devices.disk-encryption'])
      .execute();
    const sizes = new Set(rows.map((r) => r.validated_sealed!.length));
    expect(rows).toHaveLength(3);
    expect(sizes.size).toBe(1);
    // A plan item's texts likewise: an item dropped with a reason is as long as one with a note.
    const items = await h.kalaja.database.db.selectFrom('plan_items').select(['status', 'texts_sealed']).execute();
    expect(items.map((i) => i.status).sort()).toEqual(['dropped', 'planned']);
    expect(new Set(items.map((i) => i.texts_sealed.length)).size).toBe(1);
  });

  it('still reads them back through the API', async () => {
    const admin = await h.admin();
    const programmes = (await admin.get('/api/v1/programmes')).json;
    const assessment = (await admin.get(`/api/v1/programmes/${programmes[0].id}/progress`)).json[0].assessmentId;
    const list = await admin.get(`/api/v1/assessments/${assessment}/evidence`);
    const file = await admin.get(`/api/v1/evidence/${list.json[0].id}`);
    const org = (await admin.get(`/api/v1/programmes/${programmes[0].id}/organisations`)).json[0].id;
    const plan = await admin.get(`/api/v1/programmes/${programmes[0].id}/organisations/${org}/plan`);
    const planFile = plan.json.items.flatMap((i: { evidence: { id: string }[] }) => i.evidence)[0];
    const body = [
      plan.body,
      (await admin.get(`/api/v1/plan-evidence/${planFile.id}`)).body,
      (await admin.get(`/api/v1/assessments/${assessment}`)).body,
      (await admin.get(`/api/v1/assessments/${assessment}/interview-notes`)).body,
      list.body,
      file.body,
    ].join('\n');
    for (const canary of CANARIES) expect(body).toContain(canary);
  });
});
