import { readFileSync } from 'node:fs';
import { loadFramework } from '@kalaja/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FRAMEWORK } from '../src/server.js';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

describe.each(DATABASES)('concurrent writers on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let member: Client;
  let assessment: string;
  let programmeOf: string;

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const programmeId = (
      await admin.post('/api/v1/programmes', { name: 'P', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
    programmeOf = programmeId;
    const org = (
      await admin.post(`/api/v1/programmes/${programmeId}/organisations`, {
        name: 'Org',
        kind: 'cso',
        sizeBand: '1-5',
        country: 'XK',
      })
    ).json.id;
    member = await h.join(admin, { email: 'm@x.test', role: 'org_admin', programmeId, organisationId: org });
    assessment = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json[0].assessmentId;
  });

  afterAll(async () => {
    await h?.close();
  });

  const url = (q = 'access.mfa-email') => `/api/v1/assessments/${assessment}/answers/${q}`;
  const current = async (q = 'access.mfa-email') =>
    (
      (await member.get(`/api/v1/assessments/${assessment}`)).json.answers as {
        question: string;
        own: { note: string } | null;
        version: number;
      }[]
    ).find((a) => a.question === q);

  it('refuses a write that expects a version someone else has already replaced, with 412', async () => {
    const first = await member.request('PUT', url(), { answer: 'none', note: 'first' }, { 'if-match': '"0"' });
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"1"');
    expect((await member.request('PUT', url(), { answer: 'some', note: 'second' }, { 'if-match': '"1"' })).status).toBe(
      200,
    );
    const stale = await member.request(
      'PUT',
      url(),
      { answer: 'phishing-resistant', note: 'stale' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe('precondition_failed');
    expect((await member.request('PUT', url(), { answer: 'none' }, { 'if-match': '"0"' })).status).toBe(412);
    expect((await member.request('PUT', url(), { answer: 'none' }, { 'if-match': 'yesterday' })).status).toBe(400);
    expect((await current())?.own?.note).toBe('second');
  });

  it('loses no update when 50 writers read, change and write the same answer with If-Match', async () => {
    const q = 'access.password-manager';
    const writer = async (i: number) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const now = await current(q);
        const notes = now?.own?.note ? now.own.note.split(',') : [];
        const r = await member.request(
          'PUT',
          url(q),
          { answer: null, note: [...notes, `w${i}`].join(',') },
          { 'if-match': `"${now?.version ?? 0}"` },
        );
        if (r.status === 200) return attempt;
        expect(r.status).toBe(412);
      }
      throw new Error(`writer ${i} never got through`);
    };
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer(i)));
    const notes = (await current(q))!.own!.note.split(',');
    expect(notes.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `w${i}`).sort());
  });

  it('lands no answer after the assessment is submitted, while eight writers keep saving', async () => {
    // Its own assessment, and a real clock: the check compares the times the server recorded.
    const orgId = (
      await admin.post(`/api/v1/programmes/${programmeOf}/organisations`, {
        name: 'Busy newsroom',
        kind: 'cso',
        sizeBand: '1-5',
        country: 'RS',
      })
    ).json.id;
    const staff = await h.join(admin, {
      email: 'busy@x.test',
      role: 'org_admin',
      programmeId: programmeOf,
      organisationId: orgId,
    });
    const id = (await admin.get(`/api/v1/programmes/${programmeOf}/progress`)).json.find(
      (r: { organisationId: string }) => r.organisationId === orgId,
    ).assessmentId;
    const fixed = h.clock.now;
    Object.defineProperty(h.clock, 'now', { get: () => Date.now(), configurable: true });
    try {
      const fw = loadFramework(readFileSync(DEFAULT_FRAMEWORK, 'utf8'), { file: 'f' });
      if (!fw.ok) throw new Error('framework');
      const questions = fw.value.domains.flatMap((d) => d.questions.map((q) => q.id)).slice(0, 16);
      const writer = async (i: number) => {
        for (let n = 0; n < 60; n++) {
          const q = questions[(i + n) % questions.length]!;
          const r = await staff.put(`/api/v1/assessments/${id}/answers/${q}`, { answer: null, note: `w${i}-${n}` });
          if (r.status === 409) return;
          expect([200, 409]).toContain(r.status);
        }
      };
      const writers = Array.from({ length: 8 }, (_, i) => writer(i));
      await new Promise((resolve) => setTimeout(resolve, 30));
      const submit = await staff.post(`/api/v1/assessments/${id}/submit`, {});
      expect(submit.status).toBe(204);
      await Promise.all(writers);
      const row = await h.kalaja.database.db
        .selectFrom('assessments')
        .select('submitted_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const late = await h.kalaja.database.db
        .selectFrom('answers')
        .select(['question_id', 'own_at'])
        .where('assessment_id', '=', id)
        .where('own_at', '>', row.submitted_at!)
        .execute();
      expect(late).toEqual([]);
    } finally {
      Object.defineProperty(h.clock, 'now', { value: fixed, writable: true, configurable: true });
    }
  });
});
