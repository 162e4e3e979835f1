import { sql } from 'kysely';
import type { Db, Dialect, Executor, Tx } from '../../db/database.js';
import { isLinkActor, type Actor } from '../access/access-types.js';
import { deferToBatch, runDeferred, type Deferral } from '../../db/commit-batcher.js';
import { AUDIT_GENESIS, auditHash, type AuditContent } from './audit-chain.js';
import type { AuditEntry } from './audit-types.js';

/** The role an actor acts in towards an organisation, for the audit row. */
function roleOf(actor: Actor, organisationId: string | null): string {
  if (actor.userId === 'system') return 'system';
  if (isLinkActor(actor)) return 'participant_link';
  const m = actor.memberships.find((x) => organisationId !== null && x.organisationId === organisationId);
  if (m) return m.role;
  if (actor.memberships.some((x) => x.role === 'programme_manager')) return 'programme_manager';
  if (actor.memberships.some((x) => x.role === 'assessor')) return 'assessor';
  if (actor.memberships.some((x) => x.role === 'trainer')) return 'trainer';
  return actor.isInstanceAdmin ? 'instance_admin' : (actor.memberships[0]?.role ?? 'user');
}

/**
 * The audit log (`audit_log`): appended inside the transaction of the change it records,
 * read by instance and organisation admins, walked by `kalaja audit verify`.
 */
export function auditStore(db: Db, dialect: Dialect) {
  /**
   * Writes rows at the end of the chain. On PostgreSQL an advisory lock held to the end of the
   * transaction serialises appends — across server processes too — so that two writers never
   * chain to the same row. The last row is read in a statement of its own after the lock (a
   * statement sees what was committed when it began, so it must begin once the lock is held);
   * both go in one round trip. SQLite serialises transactions already.
   */
  const lastRow = async (tx: Tx): Promise<{ hash: string } | undefined> => {
    if (dialect === 'sqlite')
      return tx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const { rows } = await sql
      .raw<{ hash: string }>('select pg_advisory_xact_lock(7311); select hash from audit_log order by seq desc limit 1')
      .execute(tx);
    return rows[0];
  };
  const chain: Deferral<AuditContent> = {
    async flush(rows, tx) {
      if (rows.length === 0) return undefined;
      const last = await lastRow(tx);
      let prev = last?.hash ?? AUDIT_GENESIS;
      const values = rows.map((row) => {
        const hash = auditHash(prev, row);
        const linked = { ...row, prev_hash: prev, hash };
        prev = hash;
        return linked;
      });
      // One statement: the rows take their seq in this order, the order of the chain. Handed
      // back for the batch to run, on PostgreSQL with its commit (see Deferral).
      if (dialect === 'sqlite') return tx.insertInto('audit_log').values(values).compile();
      // PostgreSQL: the rows as one array a column, so that the statement reads the same for a
      // batch of any size and stays prepared (a row list would be a new statement each size).
      const column = <K extends keyof (typeof values)[number]>(k: K) => values.map((v) => v[k]);
      return sql`insert into audit_log (at, actor_id, actor_role, organisation_id, action, object_type, object_id, request_id, prev_hash, hash)
        select at, actor_id, actor_role, organisation_id, action, object_type, object_id, request_id, prev_hash, hash
        from unnest(${column('at')}::bigint[], ${column('actor_id')}::text[], ${column('actor_role')}::text[],
          ${column('organisation_id')}::text[], ${column('action')}::text[], ${column('object_type')}::text[],
          ${column('object_id')}::text[], ${column('request_id')}::text[], ${column('prev_hash')}::text[],
          ${column('hash')}::text[])
          with ordinality as r(at, actor_id, actor_role, organisation_id, action, object_type, object_id, request_id, prev_hash, hash, n)
        order by n`.compile(tx);
    },
  };

  return {
    /**
     * Appends one row, chained to the previous row by hash. It takes the transaction of the
     * change it records, never the bare database: the row commits with the change or not at
     * all. Inside a batch of grouped transactions (see CommitBatcher) the row is written at the
     * batch's end with the rows of the others, in the order they ran, and dropped with its
     * transaction if that one fails.
     */
    async append(actor: Actor, entry: AuditEntry, at: number, tx: Tx): Promise<void> {
      const row: AuditContent = {
        at,
        actor_id: actor.userId === 'system' ? null : actor.userId,
        actor_role: roleOf(actor, entry.organisationId),
        organisation_id: entry.organisationId,
        action: entry.action,
        object_type: entry.objectType,
        object_id: entry.objectId,
        request_id: actor.requestId,
      };
      if (!deferToBatch(tx, chain, row)) await runDeferred(chain, [row], tx);
    },

    /** Newest first, 200 at a time (`before` a seq), optionally one organisation's rows only. */
    async newest(query: { organisationId?: string | undefined; before?: number | undefined }, tx: Executor = db) {
      let q = tx.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(200);
      if (query.organisationId) q = q.where('organisation_id', '=', query.organisationId);
      if (query.before !== undefined) q = q.where('seq', '<', query.before);
      return q.execute();
    },

    /** Oldest first, `limit` rows after seq `after` (null: from the start): the chain, page by page. */
    async page(after: number | null, limit: number, tx: Executor = db) {
      let q = tx.selectFrom('audit_log').selectAll().orderBy('seq').limit(limit);
      if (after !== null) q = q.where('seq', '>', after);
      return q.execute();
    },

    /** The organisations whose rows record this action (the shreds a restore must repeat). */
    async organisationsWith(action: string, tx: Executor = db): Promise<string[]> {
      const rows = await tx.selectFrom('audit_log').select('organisation_id').where('action', '=', action).execute();
      return [...new Set(rows.map((r) => r.organisation_id).filter((id) => id !== null))];
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;
