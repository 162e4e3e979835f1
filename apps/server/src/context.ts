import type { CommitBatcher } from './db/commit-batcher.js';
import type { Db, Dialect, Tx } from './db/database.js';
import type { Vault } from './crypto/vault.js';

/**
 * What every service needs, built once in the composition root (`server.ts`) and passed in:
 * the database, its dialect, the vault that seals posture data, and a clock.
 */
export interface Context {
  db: Db;
  dialect: Dialect;
  vault: Vault;
  now(): number;
  /**
   * Group commit (see CommitBatcher): every transaction on SQLite, the grouped ones
   * (`groupedTransaction`) on PostgreSQL.
   */
  batcher?: CommitBatcher | undefined;
}

/**
 * Runs `fn` in one transaction: every write and its audit row commit together or not at all.
 * Keep hashing, sealing with unknown keys, network and rendering outside when possible.
 */
export function transaction<T>(ctx: Pick<Context, 'db' | 'batcher'>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.batcher?.takesEvery ? ctx.batcher.run(fn) : ctx.db.transaction().execute(fn);
}

/**
 * `transaction` for a short transaction that many people run at once — saving an answer —
 * which shares its commit with others arriving together on PostgreSQL too (on SQLite every
 * transaction does), and still succeeds or fails alone. Its audit rows are written at the end
 * of the batch, so it must not read them; it may be run more than once (when another of its
 * batch fails, or it loses a deadlock), so it must do nothing but its database work.
 */
export function groupedTransaction<T>(
  ctx: Pick<Context, 'db' | 'batcher'>,
  /** What it locks first (the assessment a save writes into): a batch runs in this order. */
  key: string,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return ctx.batcher ? ctx.batcher.run(fn, { group: true, key }) : ctx.db.transaction().execute(fn);
}
