import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitBatcher, deferToBatch, type Deferral } from '../src/db/commit-batcher.js';
import type { Tx } from '../src/db/database.js';
import { DATABASES, freshDatabase, type TestDatabase } from './support/databases.js';

describe.each(DATABASES)('group commit on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.destroy();
  });

  /** A batcher as the server makes it: on PostgreSQL with the connections in pipeline mode. */
  const batcherOf = () => new CommitBatcher(t.database.db, { dialect: kind, pipeline: t.database.pipeline });
  const insert = (tx: Tx, key: string) => tx.insertInto('instance').values({ key, value: key }).execute();
  const keys = async (prefix: string) =>
    (await t.database.db.selectFrom('instance').select('key').where('key', 'like', `${prefix}%`).execute())
      .map((r) => r.key)
      .sort();

  it('commits transactions that arrive together in few commits, each keeping its own result', async () => {
    const batcher = batcherOf();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        batcher.run(
          async (tx) => {
            await insert(tx, `k${i}`);
            return i;
          },
          { group: true },
        ),
      ),
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // SQLite: one commit for each 64 at the most, two disk flushes instead of a hundred.
    // PostgreSQL: 48 at the most.
    expect(batcher.commits).toBe(kind === 'sqlite' ? 2 : 3);
    expect(await keys('k')).toHaveLength(100);
  });

  it('rolls back only the transaction that failed, and tells only its caller', async () => {
    const batcher = batcherOf();
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((k) =>
        batcher.run(
          async (tx) => {
            await insert(tx, `x-${k}`);
            if (k === 'b') throw new Error('refused b');
            // A database error too is this one's alone: on PostgreSQL it would abort the whole
            // transaction without its savepoint.
            if (k === 'c') await insert(tx, 'x-a');
            return k;
          },
          { group: true },
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('refused b');
    expect(batcher.commits).toBe(1);
    expect(await keys('x-')).toEqual(['x-a', 'x-d']);
  });

  it('runs a batch of grouped transactions once when none fails, and again with savepoints when one does', async () => {
    const batcher = batcherOf();
    const runs = new Map<string, number>();
    const grouped = (k: string, fail = false) =>
      batcher.run(
        async (tx) => {
          runs.set(k, (runs.get(k) ?? 0) + 1);
          await insert(tx, k);
          if (fail) throw new Error(`refused ${k}`);
          return k;
        },
        { group: true },
      );
    expect(await Promise.all(['o-1', 'o-2', 'o-3'].map((k) => grouped(k)))).toEqual(['o-1', 'o-2', 'o-3']);
    expect([...runs.values()]).toEqual([1, 1, 1]);
    runs.clear();
    const outcomes = await Promise.allSettled([grouped('p-1'), grouped('p-2', true), grouped('p-3')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The first attempt ran all three at once on PostgreSQL, and stopped at p-2 on SQLite (p-3
    // never ran in it); the second ran each in a savepoint.
    expect(Object.fromEntries(runs)).toEqual({ 'p-1': 2, 'p-2': 2, 'p-3': kind === 'postgres' ? 2 : 1 });
    expect(await keys('p-')).toEqual(['p-1', 'p-3']);
  });

  it('tells no one a save is stored when a transaction of its batch caught a database error itself', async () => {
    const batcher = batcherOf();
    const outcomes = await Promise.allSettled(
      ['w-a', 'w-b', 'w-c'].map((k) =>
        batcher.run(
          async (tx) => {
            await insert(tx, k);
            // On PostgreSQL the failed statement leaves the transaction failed, caught or not.
            if (k === 'w-b') await insert(tx, 'w-a').catch(() => undefined);
            return k;
          },
          { group: true },
        ),
      ),
    );
    const stored = await keys('w-');
    const told = ['w-a', 'w-b', 'w-c'].filter((_, i) => outcomes[i]!.status === 'fulfilled');
    expect(told).toEqual(stored);
    // SQLite goes on after a failed statement; PostgreSQL fails w-b alone.
    expect(stored).toEqual(kind === 'postgres' ? ['w-a', 'w-c'] : ['w-a', 'w-b', 'w-c']);
  });

  it('runs the transactions of a batch in the order of what they lock, so that two batches never wait in a circle', async () => {
    const batcher = batcherOf();
    const order: string[] = [];
    await Promise.all(
      ['assessment-c', 'assessment-a', 'assessment-b', 'assessment-a'].map((key, i) =>
        batcher.run(
          async (tx) => {
            order.push(`${key}#${i}`);
            await insert(tx, `lock-order-${i}`);
          },
          { group: true, key },
        ),
      ),
    );
    // One batch; the same key keeps its order of arrival.
    expect(batcher.commits).toBe(1);
    expect(order).toEqual(['assessment-a#1', 'assessment-a#3', 'assessment-b#2', 'assessment-c#0']);
  });

  it('writes what grouped transactions leave to the end once, in their order, without those that failed', async () => {
    const flushed: string[][] = [];
    const deferral: Deferral<string> = {
      async flush(items, tx) {
        flushed.push(items);
        for (const k of items) await insert(tx, k);
      },
    };
    const batcher = batcherOf();
    const outcomes = await Promise.allSettled(
      ['d-1', 'd-2', 'd-3', 'd-4'].map((k) =>
        batcher.run(
          async (tx) => {
            expect(deferToBatch(tx, deferral, k)).toBe(true);
            if (k === 'd-3') throw new Error('refused');
            return k;
          },
          { group: true },
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(flushed).toEqual([['d-1', 'd-2', 'd-4']]);
    expect(await keys('d-')).toEqual(['d-1', 'd-2', 'd-4']);
    // A transaction that did not ask to be grouped does its work itself.
    expect(await batcher.run(async (tx) => deferToBatch(tx, deferral, 'never'))).toBe(false);
  });

  it('runs the last statement a deferral hands back in the batch, and tells no one a save is stored when it failed', async () => {
    const batcher = batcherOf();
    let flushes = 0;
    // Handed back, not run: the batch runs it (on PostgreSQL sent with the commit). The first
    // time it is refused (one key twice); the batch's commit must then store nothing.
    const last: Deferral<string> = {
      async flush(items, tx) {
        flushes++;
        const keysOf = flushes === 1 ? items.map(() => 'l-twice') : items;
        return tx
          .insertInto('instance')
          .values(keysOf.map((key) => ({ key, value: key })))
          .compile();
      },
    };
    const outcomes = await Promise.allSettled(
      ['l-1', 'l-2', 'l-3'].map((k) =>
        batcher.run(
          async (tx) => {
            await insert(tx, `${k}-own`);
            deferToBatch(tx, last, k);
            return k;
          },
          { group: true },
        ),
      ),
    );
    const stored = await keys('l-');
    expect(stored).not.toContain('l-twice');
    // Whoever was told stored is stored, with its deferred row; whoever was not, is not.
    for (const [i, o] of outcomes.entries()) {
      const k = `l-${i + 1}`;
      const expected = o.status === 'fulfilled' ? [k, `${k}-own`] : [];
      expect(stored.filter((s) => s.startsWith(k))).toEqual(expected);
    }
    // PostgreSQL runs a batch that failed in its pipeline again, with savepoints: then it stores.
    if (kind === 'postgres') {
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(flushes).toBe(2);
    }
  });

  it('runs again a transaction that lost a deadlock, and answers it once it committed', async () => {
    const batcher = batcherOf();
    let attempts = 0;
    const value = await batcher.run(
      async (tx) => {
        attempts++;
        await insert(tx, `r-${attempts}`);
        if (attempts < 3) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        return 'done';
      },
      { group: true },
    );
    expect(value).toBe('done');
    expect(attempts).toBe(3);
    expect(await keys('r-')).toEqual(['r-3']);
    // Not for ever, and never for any other error.
    let tries = 0;
    await expect(
      batcher.run(async () => {
        tries++;
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      }),
    ).rejects.toThrow('deadlock detected');
    expect(tries).toBe(4);
    tries = 0;
    await expect(
      batcher.run(async () => {
        tries++;
        throw Object.assign(new Error('unique violation'), { code: '23505' });
      }),
    ).rejects.toThrow('unique violation');
    expect(tries).toBe(1);
  });

  it('answers nobody of a batch whose commit failed, and stores none of it', async () => {
    const batcher = batcherOf();
    const failing: Deferral<string> = {
      async flush() {
        throw new Error('the disk is full');
      },
    };
    const outcomes = await Promise.allSettled(
      ['f-1', 'f-2'].map((k) =>
        batcher.run(
          async (tx) => {
            await insert(tx, k);
            deferToBatch(tx, failing, k);
            return k;
          },
          { group: true },
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await keys('f-')).toEqual([]);
  });
});
