import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitBatcher } from '../src/db/commit-batcher.js';
import { freshDatabase, type TestDatabase } from './support/databases.js';

describe('group commit on SQLite', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase('sqlite');
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('commits transactions that arrive together in one go, each keeping its own result', async () => {
    const batcher = new CommitBatcher(t.database.db);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        batcher.run(async (tx) => {
          await tx
            .insertInto('instance')
            .values({ key: `k${i}`, value: String(i) })
            .execute();
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // One commit for each 64 at the most: two disk flushes instead of a hundred.
    expect(batcher.commits).toBe(2);
    const rows = await t.database.db.selectFrom('instance').select('key').where('key', 'like', 'k%').execute();
    expect(rows).toHaveLength(100);
  });

  it('rolls back only the transaction that failed, and tells only its caller', async () => {
    const batcher = new CommitBatcher(t.database.db);
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c'].map((k) =>
        batcher.run(async (tx) => {
          await tx
            .insertInto('instance')
            .values({ key: `x-${k}`, value: k })
            .execute();
          if (k === 'b') throw new Error('refused b');
          return k;
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('refused b');
    const keys = (await t.database.db.selectFrom('instance').select('key').where('key', 'like', 'x-%').execute())
      .map((r) => r.key)
      .sort();
    expect(keys).toEqual(['x-a', 'x-c']);
  });
});
