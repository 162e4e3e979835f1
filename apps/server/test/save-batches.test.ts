import { describe, expect, it } from 'vitest';
import { verifyStoredAuditChain } from '../src/ops/audit.js';
import { DATABASES } from './support/databases.js';
import { QUESTIONS as questions, savingInBatches } from './support/save-batches.js';

/**
 * Saves that arrive together share one transaction and one commit (group commit, on both
 * databases): each is still acknowledged only once its commit is durable, and writes its own
 * audit row into one intact chain. (save-batches.postgres.test.ts: failures inside a batch,
 * a batch waiting for a lock, two server processes.)
 */
describe.each(DATABASES)('saving answers in batches on %s', (kind) => {
  const fixture = savingInBatches(kind);
  const { batcher, organisations, answersOf, auditRows } = fixture;

  it('acknowledges 60 saves sent at once, stores every one, in fewer commits, and chains their audit rows', async () => {
    const writers = await organisations(3);
    const before = { commits: batcher().commits, audit: await auditRows('answer.own.save') };
    const saves = writers.flatMap((w, i) =>
      questions.slice(0, 20).map((q) => ({ ...w, q, note: `writer ${i} on ${q.id}` })),
    );
    const responses = await Promise.all(
      saves.map((s) =>
        s.member.put(`/api/v1/assessments/${s.assessment}/answers/${s.q.id}`, { answer: s.q.option, note: s.note }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(saves.map(() => 200));
    for (const [i, w] of writers.entries()) {
      const stored = await answersOf(w.member, w.assessment);
      expect(stored.size).toBe(20);
      for (const q of questions.slice(0, 20)) expect(stored.get(q.id)).toBe(`writer ${i} on ${q.id}`);
    }
    expect(batcher().commits - before.commits).toBeLessThan(saves.length);
    expect((await auditRows('answer.own.save')) - before.audit).toBe(saves.length);
    expect((await verifyStoredAuditChain(fixture.harness().kalaja.stores.audit)).problems).toEqual([]);
  });

  it('refuses a save once its round closed or its assessment was submitted, though it saved there before', async () => {
    // The server keeps in memory where an assessment belongs once it has saved into it; what
    // may change — the round closed, the assessment submitted — still counts at once.
    const [w] = await organisations(1);
    const admin = fixture.admin();
    const programme = fixture.programmeId();
    const round = (await admin.get(`/api/v1/programmes/${programme}`)).json.rounds[0].id;
    const [q1, q2, q3] = questions;
    const put = (q: (typeof questions)[number], note: string) =>
      w!.member.put(`/api/v1/assessments/${w!.assessment}/answers/${q.id}`, { answer: q.option, note });
    expect((await put(q1!, 'before')).status).toBe(200);
    expect((await admin.post(`/api/v1/programmes/${programme}/rounds/${round}/close`, {})).status).toBe(204);
    const closed = await put(q2!, 'after the close');
    expect([closed.status, closed.json.error.details[0]]).toEqual([409, { where: 'round', message: 'closed' }]);
    expect(
      (await admin.post(`/api/v1/programmes/${programme}/rounds/${round}/reopen`, { reason: 'one more answer' }))
        .status,
    ).toBe(204);
    expect((await put(q2!, 'after the reopening')).status).toBe(200);
    expect((await w!.member.post(`/api/v1/assessments/${w!.assessment}/submit`, {})).status).toBe(204);
    const submitted = await put(q3!, 'after the submit');
    expect([submitted.status, submitted.json.error.code]).toEqual([409, 'conflict']);
    const stored = await answersOf(w!.member, w!.assessment);
    expect(Object.fromEntries(stored)).toEqual({ [q1!.id]: 'before', [q2!.id]: 'after the reopening' });
  });
});
