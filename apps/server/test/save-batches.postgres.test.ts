import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CommitBatcher } from '../src/db/commit-batcher.js';
import { openDatabase } from '../src/db/database.js';
import { verifyStoredAuditChain } from '../src/ops/audit.js';
import { createKalaja, type Kalaja } from '../src/server.js';
import { QUESTIONS as questions, savingInBatches } from './support/save-batches.js';

/**
 * Saves in batches on PostgreSQL, where a batch is one transaction on one connection beside
 * others and other server processes: a save that fails inside a batch fails alone, a batch
 * waiting for a lock holds up no one else, and two server processes keep one audit chain.
 * (`*.postgres.test.ts` files run when KALAJA_TEST_DATABASE_URL is set.)
 */
describe('saving answers in batches on PostgreSQL', () => {
  const fixture = savingInBatches('postgres');
  const { batcher, organisation, organisations, answersOf, auditRows, holdBatches, until } = fixture;

  it('refuses a stale save in a batch alone: the others of its batch are stored', async () => {
    const w = await organisation();
    const url = (q: string) => `/api/v1/assessments/${w.assessment}/answers/${q}`;
    const [first, second] = questions;
    expect((await w.member.put(url(first!.id), { answer: first!.option, note: 'v1' })).status).toBe(200);
    const auditBefore = await auditRows('answer.own.save');
    const commitsBefore = batcher().commits;

    const release = await holdBatches();
    const stale = w.member.request('PUT', url(first!.id), { answer: null, note: 'stale' }, { 'if-match': '"7"' });
    const good = questions
      .slice(1, 11)
      .map((q) => w.member.put(url(q.id), { answer: q.option, note: `batched ${q.id}` }));
    await until(() => batcher().waiting === 11);
    await release();
    const [staleResponse, ...goodResponses] = await Promise.all([stale, ...good]);

    expect(staleResponse!.status).toBe(412);
    expect(goodResponses.map((r) => r.status)).toEqual(good.map(() => 200));
    // The blockers' batches and one batch for the eleven saves.
    expect(batcher().commits - commitsBefore).toBe(batcher().concurrency + 1);
    const stored = await answersOf(w.member, w.assessment);
    expect(stored.get(first!.id)).toBe('v1');
    expect(stored.get(second!.id)).toBe(`batched ${second!.id}`);
    expect(stored.size).toBe(11);
    expect((await auditRows('answer.own.save')) - auditBefore).toBe(10);
    expect((await verifyStoredAuditChain(fixture.harness().kalaja.stores.audit)).problems).toEqual([]);
  });

  it('refuses the saves of an assessment submitted while they waited for their batch, and stores the rest', async () => {
    const open = await organisation();
    const closing = await organisation();
    const auditBefore = await auditRows('answer.own.save');
    const release = await holdBatches();
    const put = (w: typeof open, q: (typeof questions)[number], note: string) =>
      w.member.put(`/api/v1/assessments/${w.assessment}/answers/${q.id}`, { answer: q.option, note });
    // Interleaved, so that refused and stored saves alternate within the batch.
    const pending = questions
      .slice(0, 12)
      .map((q, i) => (i % 2 ? put(closing, q, 'too late') : put(open, q, `kept ${q.id}`)));
    await until(() => batcher().waiting === 12);
    // The submit runs on its own (PostgreSQL groups only saves) and commits first.
    expect((await closing.member.post(`/api/v1/assessments/${closing.assessment}/submit`, {})).status).toBe(204);
    await release();
    const statuses = (await Promise.all(pending)).map((r) => r.status);
    expect(statuses).toEqual(questions.slice(0, 12).map((_, i) => (i % 2 ? 409 : 200)));
    expect((await answersOf(open.member, open.assessment)).size).toBe(6);
    expect((await answersOf(closing.member, closing.assessment)).size).toBe(0);
    expect((await auditRows('answer.own.save')) - auditBefore).toBe(6);
    expect((await verifyStoredAuditChain(fixture.harness().kalaja.stores.audit)).problems).toEqual([]);
  });

  it('lets other saves through while a batch waits for a row lock held elsewhere', async () => {
    const [held, free] = await organisations(2);
    const q = questions[0]!;
    const url = (w: typeof held) => `/api/v1/assessments/${w!.assessment}/answers/${q.id}`;
    expect((await held!.member.put(url(held), { answer: q.option, note: 'before' })).status).toBe(200);
    // Another process (an import, say) holds the answer's row.
    const other = new pg.Client({ connectionString: (fixture.harness().config.database as { url: string }).url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select 1 from answers where assessment_id = $1 for update', [held!.assessment]);
      const waiting = held!.member.put(url(held), { answer: q.option, note: 'after the lock' });
      await until(() => batcher().running === 1 && batcher().waiting === 0);
      const through = await Promise.race([
        free!.member.put(url(free), { answer: q.option, note: 'meanwhile' }),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the save waited behind the blocked batch')), 3000),
        ),
      ]);
      expect(through.status).toBe(200);
      expect((await answersOf(free!.member, free!.assessment)).get(q.id)).toBe('meanwhile');
      await other.query('commit');
      expect((await waiting).status).toBe(200);
      expect((await answersOf(held!.member, held!.assessment)).get(q.id)).toBe('after the lock');
    } finally {
      await other.end();
    }
  });

  it('keeps one intact audit chain when two server processes save on one database at once', async () => {
    // A second server on the same database: its own pool and its own batcher, as another
    // process would have. Sessions live in the database, so the same cookies work on both.
    const database = openDatabase(fixture.harness().config.database);
    const second: Kalaja = await createKalaja(fixture.harness().config, {
      database,
      now: () => fixture.harness().clock.now,
      logStream: new PassThrough(),
    });
    expect(second.context.batcher).toBeInstanceOf(CommitBatcher);
    try {
      const writers = await organisations(4);
      const auditBefore = await auditRows('answer.own.save');
      const responses = await Promise.all(
        writers.flatMap((w, i) =>
          questions.slice(0, 25).map(async (q) => {
            const app = i % 2 ? second.app : fixture.harness().kalaja.app;
            const res = await app.inject({
              method: 'PUT',
              url: `/api/v1/assessments/${w.assessment}/answers/${q.id}`,
              headers: { cookie: w.member.cookie!, 'content-type': 'application/json' },
              payload: JSON.stringify({ answer: q.option, note: randomBytes(4).toString('hex') }),
            });
            return res.statusCode;
          }),
        ),
      );
      expect(responses).toEqual(responses.map(() => 200));
      for (const w of writers) expect((await answersOf(w.member, w.assessment)).size).toBe(25);
      expect((await auditRows('answer.own.save')) - auditBefore).toBe(100);
      const verified = await verifyStoredAuditChain(fixture.harness().kalaja.stores.audit);
      expect(verified.problems).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
