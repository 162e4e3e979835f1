import { sql } from 'kysely';
import { transaction, type Context } from '../context.js';
import type { OrganisationKeyStore } from '../crypto/organisation-key-store.js';
import type { Tx } from '../db/database.js';
import type { Actor } from '../modules/access/access-types.js';
import type { AuditStore } from '../modules/audit/audit-store.js';
import type { ProgrammeStore } from '../modules/programmes/programme-store.js';
import { OpsError } from './instance.js';

/** The audit action of a crypto-shredding; `restore` looks for it to keep shreds shredded. */
export const SHRED_ACTION = 'organisation.shred';

export interface ShredResult {
  name: string;
  /**
   * Whether the deleted key's bytes were also cleared from the database's own files: on
   * SQLite the write-ahead log was checkpointed and truncated (false when a reader kept it
   * busy; the next checkpoint overwrites it), on PostgreSQL the table was rewritten.
   */
  scrubbed: boolean;
}

/**
 * Crypto-shreds an organisation: deletes its data key and writes the audit row, in one
 * transaction. The organisation, its assessments and their sealed answers, notes and evidence
 * stay where they are, but nothing can open them again; reading them answers 410 `gone`.
 * `confirmName` must be the organisation's exact name, so a mistyped id cannot shred another
 * organisation. The vault's cached copy of the key is dropped; other server processes keep
 * theirs until they restart.
 */
export async function shredOrganisation(
  ctx: Pick<Context, 'db' | 'dialect' | 'now' | 'batcher'> & { vault?: Pick<Context['vault'], 'forget'> },
  stores: ShredStores,
  actor: Actor,
  input: { organisationId: string; confirmName: string },
): Promise<ShredResult> {
  const name = await stores.programmes.organisationName(input.organisationId);
  const org = name === undefined ? undefined : { id: input.organisationId, name };
  if (!org) throw new OpsError(`there is no organisation with id ${input.organisationId}`);
  if (input.confirmName !== org.name)
    throw new OpsError(
      `--confirm must be the organisation's exact name, ${JSON.stringify(org.name)}; nothing was changed`,
    );
  const now = ctx.now();
  await transaction(ctx, async (tx) => {
    if (!(await shredKey(stores, actor, org.id, now, tx)))
      throw new OpsError(`organisation ${org.name} (${org.id}) was already shredded: it has no data key`);
  });
  ctx.vault?.forget(org.id);
  return { name: org.name, scrubbed: await scrubDeletedKey(ctx) };
}

/** What a shred writes through: the organisation's key and the audit log (and reads its name). */
export interface ShredStores {
  keys: Pick<OrganisationKeyStore, 'remove'>;
  audit: Pick<AuditStore, 'append'>;
  programmes: Pick<ProgrammeStore, 'organisationName'>;
}

/**
 * Deletes an organisation's data key and records the shred, in the caller's transaction;
 * false (and nothing written) when it had no key any more. Shared by `organisations shred`
 * and by `restore`, which shreds again what was shredded in the instance it replaces.
 */
export async function shredKey(
  stores: ShredStores,
  actor: Actor,
  organisationId: string,
  at: number,
  tx: Tx,
): Promise<boolean> {
  if (!(await stores.keys.remove(organisationId, tx))) return false;
  await stores.audit.append(
    actor,
    { action: SHRED_ACTION, objectType: 'organisation', objectId: organisationId, organisationId },
    at,
    tx,
  );
  return true;
}

/**
 * Clears what the database keeps of deleted rows. SQLite overwrites deleted content in its
 * pages (`secure_delete`), but the write-ahead log still holds earlier copies of the page
 * until it is checkpointed and truncated. PostgreSQL keeps dead rows until a vacuum; a full
 * one rewrites the (small) table. Either is best effort: copies in the file system's free
 * blocks and in PostgreSQL's own WAL are beyond an application's reach.
 */
async function scrubDeletedKey(ctx: Pick<Context, 'db' | 'dialect'>): Promise<boolean> {
  if (ctx.dialect === 'sqlite') {
    const r = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(ctx.db);
    return r.rows[0]?.busy === 0;
  }
  await sql`vacuum full organisation_keys`.execute(ctx.db);
  return true;
}
