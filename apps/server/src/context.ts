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
  /** Group commit on SQLite (see CommitBatcher); PostgreSQL commits concurrently by itself. */
  batcher?: CommitBatcher | undefined;
}

/**
 * Runs `fn` in one transaction: every write and its audit row commit together or not at all.
 * Keep hashing, sealing with unknown keys, network and rendering outside when possible.
 */
export function transaction<T>(ctx: Pick<Context, 'db' | 'batcher'>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.batcher ? ctx.batcher.run(fn) : ctx.db.transaction().execute(fn);
}
