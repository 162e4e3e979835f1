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
});
