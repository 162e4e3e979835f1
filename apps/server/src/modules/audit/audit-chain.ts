import { createHash } from 'node:crypto';
import type { DB } from '../../db/schema.js';

/**
 * Verification of the audit chain. Each audit row stores the hash of the row before it
 * (`prev_hash`) and its own hash over its content and that link (`auditHash`). Walking the
 * rows in `seq` order finds:
 *
 * - an **edited** row: its content no longer gives its stored hash;
 * - a **removed** row: the next row chains to a hash that no row has (a gap). A row edited
 *   with its hash recomputed looks the same from the row after it, and is reported so;
 * - a **reordered** row: it chains to a row that exists, but not to the one before it.
 *
 * Sequence numbers are not expected to be contiguous: PostgreSQL skips values on rollback, so
 * only the hash links count. Rows removed from the end leave no trace in the chain itself;
 * record the head (`lastHash`) somewhere else and pass it back as `expectHead` to catch that.
 * Pure: no I/O, so the server (which appends, see audit-store.ts) and the command line share it.
 */

/** One audit row as stored. */
export type AuditChainRow = Omit<DB['audit_log'], 'seq'> & { seq: number };

/** What an audit row's hash covers: everything but its place in the table and the chain. */
export type AuditContent = Omit<AuditChainRow, 'seq' | 'prev_hash' | 'hash'>;

/** The hash every chain starts from. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** The hash of one audit row: its content and the hash of the row before it. */
export function auditHash(prevHash: string, row: AuditContent): string {
  const content = JSON.stringify([
    row.at,
    row.actor_id,
    row.actor_role,
    row.organisation_id,
    row.action,
    row.object_type,
    row.object_id,
    row.request_id,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export type AuditProblemKind = 'edited' | 'removed' | 'reordered' | 'head_missing';

export interface AuditProblem {
  /** The row where the problem shows; for `head_missing`, the last row's seq (0 when empty). */
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerification {
  /** How many rows were read. */
  rows: number;
  problems: AuditProblem[];
  /** The last row's seq and hash, to record for a later `expectHead`; null for an empty log. */
  head: { seq: number; hash: string } | null;
}

/**
 * Checks rows handed over one at a time in ascending `seq` order, so a long log can be read
 * in pages. It keeps every hash seen (to tell a reordered row from a removed one), about
 * 100 bytes a row.
 */
export class AuditChainVerifier {
  readonly #seqOfHash = new Map<string, number>();
  /** Rows whose `prev_hash` did not match the row before them, classified at the end. */
  readonly #broken: { seq: number; prevHash: string; after: number | null }[] = [];
  readonly #problems: AuditProblem[] = [];
  #rows = 0;
  #last: { seq: number; hash: string } | null = null;

  add(row: AuditChainRow): void {
    const seq = Number(row.seq);
    if (this.#last !== null && seq <= this.#last.seq)
      throw new Error(`audit rows must come in ascending seq order (${seq} after ${this.#last.seq})`);
    this.#rows += 1;
    if (auditHash(row.prev_hash, row) !== row.hash) {
      this.#problems.push({
        seq,
        kind: 'edited',
        message: 'edited: its content does not match its hash',
      });
    }
    const expected = this.#last?.hash ?? AUDIT_GENESIS;
    if (row.prev_hash !== expected) {
      this.#broken.push({ seq, prevHash: row.prev_hash, after: this.#last?.seq ?? null });
    }
    if (!this.#seqOfHash.has(row.hash)) this.#seqOfHash.set(row.hash, seq);
    this.#last = { seq, hash: row.hash };
  }

  finish(options: { expectHead?: string | undefined } = {}): AuditVerification {
    const problems = [...this.#problems];
    for (const b of this.#broken) {
      const target = this.#seqOfHash.get(b.prevHash);
      const follows = b.after === null ? 'it is the first row' : `it follows seq ${b.after}`;
      if (target !== undefined && target !== b.seq) {
        problems.push({
          seq: b.seq,
          kind: 'reordered',
          message: `reordered: it chains to the row at seq ${target}, but ${follows}`,
        });
      } else if (b.prevHash === AUDIT_GENESIS) {
        problems.push({
          seq: b.seq,
          kind: 'reordered',
          message: `reordered: it chains to the start of the log, but ${follows}`,
        });
      } else {
        problems.push({
          seq: b.seq,
          kind: 'removed',
          message:
            b.after === null
              ? 'removed rows before it: it chains to a row that is not in the log (a removed row, or one edited with its hash recomputed)'
              : `removed rows between seq ${b.after} and it: it chains to a row that is not in the log (a removed row, or one edited with its hash recomputed)`,
        });
      }
    }
    if (options.expectHead !== undefined && !this.#seqOfHash.has(options.expectHead)) {
      problems.push({
        seq: this.#last?.seq ?? 0,
        kind: 'head_missing',
        message: `the recorded head ${options.expectHead} is not in the log: rows were removed from its end, or it was replaced`,
      });
    }
    problems.sort((a, b) => a.seq - b.seq || a.kind.localeCompare(b.kind));
    return { rows: this.#rows, problems, head: this.#last };
  }
}

/** Verifies a whole chain at once; rows in ascending `seq` order. */
export function verifyAuditChain(
  rows: Iterable<AuditChainRow>,
  options: { expectHead?: string | undefined } = {},
): AuditVerification {
  const verifier = new AuditChainVerifier();
  for (const row of rows) verifier.add(row);
  return verifier.finish(options);
}
