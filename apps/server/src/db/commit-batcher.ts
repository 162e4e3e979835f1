import { sql } from 'kysely';
import type { Db, Tx } from './database.js';

interface Pending {
  fn: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Transactions taken into one commit at the most. */
const MAX_BATCH = 64;

/**
 * Group commit for SQLite. With synchronous=FULL every commit waits for the disk, and SQLite
 * runs one write transaction at a time, so fifty people saving answers at once queue behind
 * fifty disk flushes. The batcher runs the transactions that are waiting together inside one
 * database transaction — each in its own savepoint, so one that fails is rolled back alone
 * and reports its own error — and commits once. Nobody is answered before that commit is on
 * disk: an acknowledged write still survives a crash.
 */
export class CommitBatcher {
  private queue: Pending[] = [];
  private running = false;
  /** Commits made so far: fewer than transactions run is the point. */
  commits = 0;

  constructor(private readonly db: Db) {}

  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // better-sqlite3 answers synchronously, so a batch runs and commits without giving the
        // event loop a turn. Waiting for one turn first lets every request already read from
        // the network reach its transaction and join this batch; without it, each commit
        // carried a single save.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, MAX_BATCH);
        const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
        try {
          await this.db.transaction().execute(async (tx) => {
            for (const item of batch) {
              await sql`savepoint kalaja_batch`.execute(tx);
              try {
                const value = await item.fn(tx);
                await sql`release savepoint kalaja_batch`.execute(tx);
                outcomes.push({ ok: true, value });
              } catch (error) {
                await sql`rollback to savepoint kalaja_batch`.execute(tx);
                await sql`release savepoint kalaja_batch`.execute(tx);
                outcomes.push({ ok: false, error });
              }
            }
          });
          this.commits++;
        } catch (error) {
          // The commit itself failed: nothing of this batch is on disk.
          for (const item of batch) item.reject(error);
          continue;
        }
        batch.forEach((item, i) => {
          const o = outcomes[i]!;
          if (o.ok) item.resolve(o.value);
          else item.reject(o.error);
        });
      }
    } finally {
      this.running = false;
    }
  }
}
