import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Dialect, Executor } from '../../db/database.js';
import type { Actor } from '../access/access-types.js';

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId: string | null;
  organisationId: string | null;
}

/** The hash every chain starts from. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** The hash of one audit row: its content and the hash of the row before it. */
export function auditHash(
  prevHash: string,
  row: {
    at: number;
    actor_id: string | null;
    actor_role: string;
    organisation_id: string | null;
    action: string;
    object_type: string;
    object_id: string | null;
    request_id: string;
  },
): string {
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

/** The role an actor acts in towards an organisation, for the audit row. */
function roleOf(actor: Actor, organisationId: string | null): string {
  if (actor.userId === 'system') return 'system';
  const m = actor.memberships.find((x) => organisationId !== null && x.organisationId === organisationId);
  if (m) return m.role;
  if (actor.memberships.some((x) => x.role === 'programme_manager')) return 'programme_manager';
  if (actor.memberships.some((x) => x.role === 'assessor')) return 'assessor';
  return actor.isInstanceAdmin ? 'instance_admin' : (actor.memberships[0]?.role ?? 'user');
}

/**
 * Appends one audit row, inside the caller's transaction, chained to the previous row by
 * hash. On PostgreSQL an advisory lock held to the end of the transaction serialises
 * appends so that two writers never chain to the same row; SQLite serialises transactions
 * already.
 */
export async function appendAudit(
  tx: Executor,
  dialect: Dialect,
  actor: Actor,
  entry: AuditEntry,
  now = Date.now(),
): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7311)`.execute(tx);
  const last = await tx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? AUDIT_GENESIS;
  const row = {
    at: now,
    actor_id: actor.userId === 'system' ? null : actor.userId,
    actor_role: roleOf(actor, entry.organisationId),
    organisation_id: entry.organisationId,
    action: entry.action,
    object_type: entry.objectType,
    object_id: entry.objectId,
    request_id: actor.requestId,
  };
  await tx
    .insertInto('audit_log')
    .values({ ...row, prev_hash: prev, hash: auditHash(prev, row) })
    .execute();
}
