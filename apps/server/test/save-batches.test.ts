import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { loadFramework } from '@kalaja/engine';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitBatcher } from '../src/db/commit-batcher.js';
import { openDatabase } from '../src/db/database.js';
import { verifyStoredAuditChain } from '../src/ops/audit.js';
import { createKalaja, DEFAULT_FRAMEWORK, type Kalaja } from '../src/server.js';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

/**
 * Saves that arrive together share one transaction and one commit (group commit, on both
 * databases): each is still acknowledged only once its commit is durable, succeeds or fails
 * alone, and writes its own audit row into one intact chain.
 */
describe.each(DATABASES)('saving answers in batches on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let programmeId: string;
  const questions = (() => {
    const fw = loadFramework(readFileSync(DEFAULT_FRAMEWORK, 'utf8'), { file: 'f' });
    if (!fw.ok) throw new Error('framework');
    return fw.value.domains.flatMap((d) => d.questions.map((q) => ({ id: q.id, option: q.options[0]!.id })));
  })();

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    programmeId = (await admin.post('/api/v1/programmes', { name: 'P', frameworkId, rounds: [{ name: 'baseline' }] }))
      .json.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  let orgs = 0;
  /** New organisations, one after the other (signing in moves the shared clock). */
  async function organisations(n: number) {
    const list = [];
    for (let i = 0; i < n; i++) list.push(await organisation());
    return list;
  }
  /** A new organisation with its admin signed in, and its draft assessment. */
  async function organisation(): Promise<{ member: Client; assessment: string }> {
    const n = ++orgs;
    const org = (
      await admin.post(`/api/v1/programmes/${programmeId}/organisations`, {
        name: `Newsroom ${n}`,
        kind: 'media',
        sizeBand: '1-5',
        country: 'XK',
      })
    ).json.id;
    const member = await h.join(admin, { email: `m${n}@x.test`, role: 'org_admin', programmeId, organisationId: org });
    const assessment = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json.find(
      (r: { organisationId: string }) => r.organisationId === org,
    ).assessmentId;
    return { member, assessment };
  }

  const batcher = () => h.kalaja.context.batcher!;
  const until = async (what: () => boolean) => {
    for (let i = 0; i < 2000 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(what()).toBe(true);
  };

  /**
   * Keeps every batch slot busy until `release` is called, so that the saves started meanwhile
   * all wait and then run in one batch. PostgreSQL only: on SQLite a batch holds the one
   * connection, and the saves could not even read their session meanwhile (the batcher's own
   * tests cover a failure inside a SQLite batch).
   */
  async function holdBatches() {
    const b = batcher();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const blockers: Promise<unknown>[] = [];
    for (let i = 0; i < b.concurrency; i++) {
      blockers.push(b.run(() => gate, { group: true }));
      await until(() => b.running === i + 1);
    }
    return async () => {
      open();
      await Promise.all(blockers);
    };
  }

  const answersOf = async (c: Client, id: string) =>
    new Map(
      ((await c.get(`/api/v1/assessments/${id}`)).json.answers as { question: string; own: { note: string } | null }[])
        .filter((a) => a.own)
        .map((a) => [a.question, a.own!.note]),
    );
  const auditRows = async (action: string) =>
    Number(
      (
        await h.kalaja.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('action', '=', action)
          .executeTakeFirstOrThrow()
      ).n,
    );

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
    expect((await verifyStoredAuditChain(h.kalaja.stores.audit)).problems).toEqual([]);
  });

  it.runIf(kind === 'postgres')(
    'refuses a stale save in a batch alone: the others of its batch are stored',
    async () => {
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
      expect((await verifyStoredAuditChain(h.kalaja.stores.audit)).problems).toEqual([]);
    },
  );

  it.runIf(kind === 'postgres')(
    'refuses the saves of an assessment submitted while they waited for their batch, and stores the rest',
    async () => {
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
      expect((await verifyStoredAuditChain(h.kalaja.stores.audit)).problems).toEqual([]);
    },
  );

  it.runIf(kind === 'postgres')(
    'lets other saves through while a batch waits for a row lock held elsewhere',
    async () => {
      const [held, free] = await organisations(2);
      const q = questions[0]!;
      const url = (w: typeof held) => `/api/v1/assessments/${w!.assessment}/answers/${q.id}`;
      expect((await held!.member.put(url(held), { answer: q.option, note: 'before' })).status).toBe(200);
      // Another process (an import, say) holds the answer's row.
      const other = new pg.Client({ connectionString: (h.config.database as { url: string }).url });
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
    },
  );

  it.runIf(kind === 'postgres')(
    'keeps one intact audit chain when two server processes save on one database at once',
    async () => {
      // A second server on the same database: its own pool and its own batcher, as another
      // process would have. Sessions live in the database, so the same cookies work on both.
      const database = openDatabase(h.config.database);
      const second: Kalaja = await createKalaja(h.config, {
        database,
        now: () => h.clock.now,
        logStream: new PassThrough(),
      });
      expect(second.context.batcher).toBeInstanceOf(CommitBatcher);
      try {
        const writers = await organisations(4);
        const auditBefore = await auditRows('answer.own.save');
        const responses = await Promise.all(
          writers.flatMap((w, i) =>
            questions.slice(0, 25).map(async (q) => {
              const app = i % 2 ? second.app : h.kalaja.app;
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
        const verified = await verifyStoredAuditChain(h.kalaja.stores.audit);
        expect(verified.problems).toEqual([]);
      } finally {
        await second.close();
      }
    },
  );
});
