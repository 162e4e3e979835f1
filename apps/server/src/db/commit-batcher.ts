import { Kysely, PostgresDialect, sql, type CompiledQuery, type KyselyPlugin } from 'kysely';
import type pg from 'pg';
import type { Db, Dialect, Tx } from './database.js';
import type { DB } from './schema.js';

interface Pending {
  fn: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Asked to be grouped (see `groupedTransaction`): it may run more than once, and leave work to the batch's end. */
  group: boolean;
  /** Times this one was run again after losing a deadlock (PostgreSQL). */
  retries: number;
  /** What it locks first (an assessment): a batch runs its transactions in this order. */
  key: string;
}

/**
 * Work that the transactions of a batch leave to its end: run once, after the last of them and
 * before the commit, with what each transaction that succeeded handed over (see `deferToBatch`).
 * The audit log uses it: a batch's audit rows are chained and written in one statement, and on
 * PostgreSQL its lock on the chain is held only from there to the commit.
 *
 * `flush` may hand back its last statement instead of running it: the batch runs it, on
 * PostgreSQL sent together with the commit (one round trip for both, and the lock held one
 * round trip less). `runDeferred` runs one where there is no batch.
 */
export interface Deferral<T> {
  flush(items: T[], tx: Tx): Promise<CompiledQuery | undefined | void>;
}

/** Runs a deferral's work now, its last statement too (outside a batch, or in one without a pipeline). */
export async function runDeferred<T>(deferral: Deferral<T>, items: T[], tx: Tx): Promise<void> {
  const last = await deferral.flush(items, tx);
  if (last) await tx.executeQuery(last);
}

/** What a batch running in a transaction has been handed: by the transaction running now, and by those that succeeded. */
interface BatchState {
  /** The transaction running now asked to be grouped, and may defer. */
  deferring: boolean;
  current: Map<Deferral<unknown>, unknown[]>;
  done: Map<Deferral<unknown>, unknown[]>;
}
const batches = new WeakMap<Tx, BatchState>();

/**
 * Hands `item` to `deferral` for the end of the batch `tx` belongs to, and returns true; or
 * returns false when `tx` is no batch's, or its transaction did not ask to be grouped (the
 * caller does the work itself, now). An item of a transaction that fails is dropped with it.
 */
export function deferToBatch<T>(tx: Tx, deferral: Deferral<T>, item: T): boolean {
  const state = batches.get(tx);
  if (!state?.deferring) return false;
  const d = deferral as Deferral<unknown>;
  const list = state.current.get(d);
  if (list) list.push(item);
  else state.current.set(d, [item]);
  return true;
}

/** PostgreSQL's deadlock_detected and serialization_failure: the statement lost to another transaction, and may run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_RETRIES = 3;
/** How long a batch in flight may take before another starts beside it (PostgreSQL). */
const LANE_DELAY_MS = 50;

export interface BatcherOptions {
  dialect: Dialect;
  /** Transactions taken into one commit at the most. */
  maxBatch?: number;
  /** Batches in flight at once at the most (SQLite: 1, it writes one transaction at a time). */
  concurrency?: number;
  /**
   * PostgreSQL: connections in pipeline mode (see openDatabase), on which the saves of a batch
   * are sent together instead of one round trip after another.
   */
  pipeline?: pg.Pool | undefined;
}

/** Leaves every query as it is: gives each transaction of a pipelined batch an executor of its own. */
const AS_IS: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => args.result,
};

/**
 * Kysely on one connection, without the queue Kysely keeps for a transaction's connection (it
 * sends one statement after the other has answered): statements made at once are sent at once.
 */
function onConnection(client: pg.PoolClient): Db {
  const connection = { query: client.query.bind(client), release: () => undefined };
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool: { connect: async () => connection, end: async () => undefined } }),
  });
}

/**
 * Group commit. Many people saving answers at once each wait for a commit, and a commit waits
 * for the disk. The batcher runs the transactions that are waiting together inside one
 * database transaction and commits once; one that fails is rolled back alone and reports its
 * own error (see `runBatch`). Nobody is answered before that commit is durable: an
 * acknowledged write survives a crash.
 *
 * SQLite runs one write transaction at a time, so every transaction goes through the batcher,
 * one batch at a time. On PostgreSQL only the short, frequent ones are grouped
 * (`groupedTransaction`: saving an answer): there the audit log's chain is the bottleneck — every
 * audited transaction holds one lock from its audit row to its commit, so fifty saves queued
 * behind fifty commits — and a batch takes that lock once, at its end, for all its audit rows
 * (`deferToBatch`). Batches run one at a time, more (each on its own connection) when saves back
 * up behind one (see `schedule`). A transaction that loses a deadlock to another batch or
 * process is run again, in a later batch.
 *
 * Grouped transactions must be safe to run more than once: a batch of them first runs without
 * savepoints — on PostgreSQL all at once, pipelined on one connection — and again, one after
 * the other with a savepoint each, if one fails (see `runBatch`).
 */
export class CommitBatcher {
  private queue: Pending[] = [];
  private active = 0;
  private scheduled = false;
  /** Opens another lane when the batch in flight takes long (see `schedule`). */
  private laneTimer: NodeJS.Timeout | undefined;
  private readonly maxBatch: number;
  /** Batches in flight at once at the most. */
  readonly concurrency: number;
  /** Every transaction goes through this batcher (SQLite), or only those asking to be grouped (PostgreSQL). */
  readonly takesEvery: boolean;
  /** Commits made so far: fewer than transactions run is the point. */
  commits = 0;

  constructor(
    private readonly db: Db,
    private readonly options: BatcherOptions = { dialect: 'sqlite' },
  ) {
    const sqlite = options.dialect === 'sqlite';
    this.takesEvery = sqlite;
    // PostgreSQL keeps the ids of 64 subtransactions per transaction in shared memory; beyond
    // that every other transaction's snapshot gets slower. A savepoint that wrote is one.
    this.maxBatch = options.maxBatch ?? (sqlite ? 64 : 48);
    this.concurrency = sqlite ? 1 : (options.concurrency ?? 4);
  }

  /** Batches in flight now. */
  get running(): number {
    return this.active;
  }

  /** Transactions waiting for a batch. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Runs `fn` in the next batch; `group`: it asked to be grouped, and may defer work to the batch's end. */
  run<T>(fn: (tx: Tx) => Promise<T>, options: { group?: boolean; key?: string } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        fn,
        resolve: resolve as (v: unknown) => void,
        reject,
        group: options.group ?? false,
        key: options.key ?? '',
        retries: 0,
      });
      this.schedule();
    });
  }

  /**
   * Starts a batch when one may start. One batch at a time is the cheapest way to commit
   * (fewest commits, and no two batches of this process queueing for the audit lock), so on
   * PostgreSQL another runs beside it only when a full batch is already waiting, or when the
   * one in flight has taken LANE_DELAY_MS (waiting for a row lock, say): then the saves behind
   * it need not wait for it.
   */
  private schedule(): void {
    if (this.scheduled || this.active >= this.concurrency || this.queue.length === 0) return;
    if (this.active > 0 && this.queue.length < this.maxBatch) {
      this.laneTimer ??= setTimeout(() => {
        this.laneTimer = undefined;
        this.start();
      }, LANE_DELAY_MS).unref();
      return;
    }
    this.start();
  }

  private start(): void {
    if (this.scheduled || this.active >= this.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    // Wait one turn of the event loop before taking the queue, so that every request already
    // read from the network reaches its transaction and joins this batch. (better-sqlite3
    // answers synchronously: without the wait a batch ran and committed before anyone else
    // could join, and each commit carried a single save.)
    setImmediate(() => {
      this.scheduled = false;
      if (this.active >= this.concurrency || this.queue.length === 0) return;
      // In the order of what they lock: two batches that lock the same rows (two server
      // processes, or two batches of one) then lock them in the same order, and neither waits
      // for the other in a circle. Those without a key keep their order, first.
      const batch = this.queue.splice(0, this.maxBatch).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.active++;
      this.resetLaneTimer();
      void this.runBatch(batch).finally(() => {
        this.active--;
        this.resetLaneTimer();
        this.schedule();
      });
      this.schedule();
    });
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    // Grouped transactions may run more than once, so a batch of them first runs without a
    // savepoint each — on PostgreSQL a savepoint is a round trip per save — and, on
    // PostgreSQL, all at once on one connection in pipeline mode; it commits if none of them
    // fails, which is nearly always. If one fails, nothing of that attempt is kept or
    // answered: the batch runs again, one after the other, each in a savepoint of its own.
    if (batch.every((item) => item.group)) {
      const pool = this.options.pipeline;
      if (pool && this.options.dialect === 'postgres') {
        if (await this.pipelined(batch, pool)) return;
      } else if (batch.length > 1 && (await this.attempt(batch, false))) return;
    }
    // On PostgreSQL one alone takes a savepoint too: its release shows a failure it caught itself.
    await this.attempt(batch, batch.length > 1 || this.options.dialect === 'postgres');
  }

  /**
   * PostgreSQL: the batch's transactions all at once, in one transaction on one connection in
   * pipeline mode, so that their statements go out together and their answers come back
   * together: a batch of fifty saves takes about the round trips of one. False, with nothing
   * kept and nobody answered, when one of them (or the connection) failed before the commit.
   */
  private async pipelined(batch: Pending[], pool: pg.Pool): Promise<boolean> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch {
      return false; // the batch runs again on the other connections, and reports what fails there
    }
    // A connection given back must be out of its transaction: unless it ended in a commit or a
    // rollback, it is given back broken, and the pool closes it.
    let broken: Error | undefined = new Error('the batch ended inside its transaction');
    const ended = () => (broken = undefined);
    const rollBack = () =>
      client.query('rollback').then(
        () => (ended(), false),
        (e: Error) => ((broken = e), false),
      );
    // Corked until every save has handed its statement to the connection: the batch's statements
    // go out in one write, not one system call (and one wake-up of the database's process) each.
    const stream = (client as unknown as { connection?: { stream?: { cork?(): void; uncork?(): void } } }).connection
      ?.stream;
    let corked = false;
    const uncork = () => {
      if (corked) stream?.uncork?.();
      corked = false;
    };
    try {
      const db = onConnection(client);
      if (stream?.cork && stream.uncork) {
        stream.cork();
        corked = true;
        // After the turn of the event loop in which the saves made their statements.
        setImmediate(uncork);
      }
      const begun = client.query('begin');
      const states = batch.map((): BatchState => ({ deferring: true, current: new Map(), done: new Map() }));
      const settled = await Promise.allSettled(
        batch.map(async (item, i) => {
          const tx = db.withPlugin(AS_IS) as unknown as Tx;
          batches.set(tx, states[i]!);
          return item.fn(tx);
        }),
      );
      const began = await begun.then(
        () => true,
        () => false,
      );
      if (!began || settled.some((s) => s.status === 'rejected')) return await rollBack();
      uncork();
      const deferred = new Map<Deferral<unknown>, unknown[]>();
      for (const state of states)
        for (const [d, items] of state.current) deferred.set(d, [...(deferred.get(d) ?? []), ...items]);
      const last: CompiledQuery[] = [];
      try {
        for (const [d, items] of deferred) {
          const q = await d.flush(items, db as unknown as Tx);
          if (q) last.push(q);
        }
      } catch {
        return await rollBack();
      }
      // The deferrals' last statements and the commit, in one write: pipelined, each answered in
      // turn. One that fails leaves the transaction aborted, and the commit then rolls back.
      stream?.cork?.();
      const finals = last.map((q) =>
        client.query(q.sql, q.parameters as unknown[]).then(
          () => true,
          () => false,
        ),
      );
      const committing = client.query('commit') as Promise<{ command?: string }>;
      stream?.uncork?.();
      const finished = await Promise.all(finals);
      let committed: { command?: string };
      try {
        committed = await committing;
      } catch (error) {
        // Whether it committed is unknown: nobody is told it did, and it does not run again.
        broken = error as Error;
        for (const item of batch) item.reject(error);
        return true;
      }
      ended();
      // A transaction in which a statement failed (one a save caught itself, or a last
      // statement) ends in a rollback.
      if (committed.command !== 'COMMIT' || finished.includes(false)) return false;
      this.commits++;
      settled.forEach((s, i) => batch[i]!.resolve((s as PromiseFulfilledResult<unknown>).value));
      return true;
    } finally {
      uncork();
      client.release(broken);
    }
  }

  /**
   * Runs the batch in one transaction and answers everyone; with `savepoints`, each in a
   * savepoint of its own, rolled back alone if it fails. Without, the first failure rolls the
   * whole back and nobody is answered: false.
   */
  private async attempt(batch: Pending[], savepoints: boolean): Promise<boolean> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const state: BatchState = { deferring: false, current: new Map(), done: new Map() };
    const postgres = this.options.dialect === 'postgres';
    const gaveUp = new Error('a transaction of the batch failed');
    try {
      await this.db.transaction().execute(async (tx) => {
        batches.set(tx, state);
        if (savepoints) await sql`savepoint kalaja_batch`.execute(tx);
        for (let i = 0; i < batch.length; i++) {
          const item = batch[i]!;
          state.current = new Map();
          state.deferring = item.group;
          const last = i === batch.length - 1;
          let value: unknown;
          try {
            value = await item.fn(tx);
            // Its work is kept (released into the transaction) and the next one gets a savepoint
            // of its own, on PostgreSQL in one round trip. The release fails if a statement
            // failed unseen (one the transaction caught itself): then this one failed, where a
            // commit would quietly have rolled everything back and told everyone it was stored.
            if (savepoints && postgres)
              await sql
                .raw(last ? 'release savepoint kalaja_batch' : 'release savepoint kalaja_batch; savepoint kalaja_batch')
                .execute(tx);
          } catch (error) {
            // Alone, it fails with its own error; without savepoints the batch runs again.
            if (!savepoints && batch.length === 1) throw error;
            if (!savepoints) throw gaveUp;
            // Back to where it began; the savepoint stays, for the next one.
            await sql`rollback to savepoint kalaja_batch`.execute(tx);
            outcomes.push({ ok: false, error });
            continue;
          }
          outcomes.push({ ok: true, value });
          for (const [d, items] of state.current) {
            const list = state.done.get(d);
            if (list) list.push(...items);
            else state.done.set(d, items);
          }
          // SQLite: the same, in two statements; the commit releases the last.
          if (savepoints && !postgres && !last) {
            await sql`release savepoint kalaja_batch`.execute(tx);
            await sql`savepoint kalaja_batch`.execute(tx);
          }
        }
        state.deferring = false;
        for (const [d, items] of state.done) await runDeferred(d, items, tx);
      });
      this.commits++;
    } catch (error) {
      if (error === gaveUp) return false;
      // The commit failed, or the audit rows, or the one transaction: nothing of this batch is
      // stored. After a lost deadlock all of it may run again.
      for (const item of batch) if (!this.retry(item, error)) item.reject(error);
      return true;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else if (!this.retry(item, o.error)) item.reject(o.error);
    });
    return true;
  }

  private resetLaneTimer(): void {
    clearTimeout(this.laneTimer);
    this.laneTimer = undefined;
  }

  /** Queues a transaction that lost a deadlock to run again; false when it may not. */
  private retry(item: Pending, error: unknown): boolean {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !RETRYABLE.has(code) || item.retries >= MAX_RETRIES) return false;
    item.retries++;
    this.queue.push(item);
    this.schedule();
    return true;
  }
}
