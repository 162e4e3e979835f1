import type { Db, Executor } from '../../db/database.js';
import type { PlanChange } from './plan-types.js';

/** A plan item's row as the service reads it, with its round's name. */
export type PlanItemRow = NonNullable<Awaited<ReturnType<ReturnType<typeof planStore>['byId']>>>;

/**
 * Organisations' plans: `plan_items` (one row per item; its texts sealed), `plan_evidence` (the
 * rows of evidence files; the sealed bytes are in the evidence folder under the same id) and
 * `plan_item_events` (each item's history).
 */
export function planStore(db: Db) {
  const items = (tx: Executor) =>
    tx
      .selectFrom('plan_items')
      .innerJoin('rounds', 'rounds.id', 'plan_items.round_id')
      .selectAll('plan_items')
      .select(['rounds.name as round', 'rounds.position as round_position']);

  return {
    async insert(
      item: {
        id: string;
        programmeId: string;
        organisationId: string;
        roundId: string;
        interventionId: string | null;
        kind: string;
        ownerId: string | null;
        dueOn: string | null;
        textsSealed: Uint8Array;
        by: string;
        at: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('plan_items')
        .values({
          id: item.id,
          programme_id: item.programmeId,
          organisation_id: item.organisationId,
          round_id: item.roundId,
          intervention_id: item.interventionId,
          kind: item.kind,
          status: 'planned',
          owner_id: item.ownerId,
          due_on: item.dueOn,
          done_at: null,
          texts_sealed: item.textsSealed,
          version: 1,
          created_by: item.by,
          created_at: item.at,
          updated_by: item.by,
          updated_at: item.at,
        })
        .execute();
    },

    async byId(id: string, tx: Executor = db) {
      return items(tx).where('plan_items.id', '=', id).executeTakeFirst();
    },

    /** An organisation's items in a programme, oldest first. */
    async ofOrganisation(programmeId: string, organisationId: string, tx: Executor = db) {
      return items(tx)
        .where('plan_items.programme_id', '=', programmeId)
        .where('plan_items.organisation_id', '=', organisationId)
        .orderBy('plan_items.created_at')
        .orderBy('plan_items.id')
        .execute();
    },

    /** Every item of a programme, oldest first. */
    async ofProgramme(programmeId: string, tx: Executor = db) {
      return items(tx)
        .where('plan_items.programme_id', '=', programmeId)
        .orderBy('plan_items.created_at')
        .orderBy('plan_items.id')
        .execute();
    },

    /** Whether the organisation's plan already has this intervention for this round. */
    async hasIntervention(
      key: { programmeId: string; organisationId: string; roundId: string; interventionId: string },
      tx: Executor = db,
    ): Promise<boolean> {
      const hit = await tx
        .selectFrom('plan_items')
        .select('id')
        .where('programme_id', '=', key.programmeId)
        .where('organisation_id', '=', key.organisationId)
        .where('round_id', '=', key.roundId)
        .where('intervention_id', '=', key.interventionId)
        .executeTakeFirst();
      return hit !== undefined;
    },

    /**
     * Writes a change to an item if it is still at `version` (compare and set): the new version,
     * or undefined when someone else changed it meanwhile (nothing is written then).
     */
    async update(
      id: string,
      version: number,
      set: {
        status?: string;
        kind?: string;
        ownerId?: string | null;
        dueOn?: string | null;
        doneAt?: number | null;
        textsSealed?: Uint8Array;
        by: string;
        at: number;
      },
      tx: Executor = db,
    ): Promise<number | undefined> {
      const updated = await tx
        .updateTable('plan_items')
        .set((eb) => ({
          ...(set.status !== undefined && { status: set.status }),
          ...(set.kind !== undefined && { kind: set.kind }),
          ...(set.ownerId !== undefined && { owner_id: set.ownerId }),
          ...(set.dueOn !== undefined && { due_on: set.dueOn }),
          ...(set.doneAt !== undefined && { done_at: set.doneAt }),
          ...(set.textsSealed !== undefined && { texts_sealed: set.textsSealed }),
          updated_by: set.by,
          updated_at: set.at,
          version: eb('plan_items.version', '+', 1),
        }))
        .where('id', '=', id)
        .where('version', '=', version)
        .returning('version')
        .executeTakeFirst();
      return updated?.version;
    },

    /** Deletes an item if it is still at `version`; false when it changed meanwhile. Its evidence rows and history go with it. */
    async remove(id: string, version: number, tx: Executor = db): Promise<boolean> {
      const r = await tx
        .deleteFrom('plan_items')
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async addEvent(
      e: { itemId: string; at: number; actorId: string | null; action: string; changes: PlanChange[] },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('plan_item_events')
        .values({
          item_id: e.itemId,
          at: e.at,
          actor_id: e.actorId,
          action: e.action,
          changes: JSON.stringify(e.changes),
        })
        .execute();
    },

    /** The history of these items, oldest first. */
    async eventsOf(itemIds: readonly string[], tx: Executor = db) {
      if (itemIds.length === 0) return [];
      return tx.selectFrom('plan_item_events').selectAll().where('item_id', 'in', itemIds).orderBy('seq').execute();
    },

    async insertEvidence(
      e: {
        id: string;
        itemId: string;
        nameSealed: Uint8Array;
        mediaType: string;
        size: number;
        uploadedBy: string;
        at: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('plan_evidence')
        .values({
          id: e.id,
          item_id: e.itemId,
          name_sealed: e.nameSealed,
          media_type: e.mediaType,
          size: e.size,
          uploaded_by: e.uploadedBy,
          created_at: e.at,
        })
        .execute();
    },

    /** The evidence rows of these items, oldest first. */
    async evidenceOf(itemIds: readonly string[], tx: Executor = db) {
      if (itemIds.length === 0) return [];
      return tx
        .selectFrom('plan_evidence')
        .selectAll()
        .where('item_id', 'in', itemIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** One evidence row with its item's programme and organisation, for the permission check. */
    async evidenceWithItem(id: string, tx: Executor = db) {
      return tx
        .selectFrom('plan_evidence')
        .innerJoin('plan_items', 'plan_items.id', 'plan_evidence.item_id')
        .selectAll('plan_evidence')
        .select(['plan_items.programme_id', 'plan_items.organisation_id'])
        .where('plan_evidence.id', '=', id)
        .executeTakeFirst();
    },

    /** The findings linked to these items (the findings module writes the link), most severe first. */
    async findingsOf(itemIds: readonly string[], tx: Executor = db) {
      if (itemIds.length === 0) return [];
      const rows = await tx
        .selectFrom('findings')
        .select(['id', 'plan_item_id', 'severity', 'status'])
        .where('plan_item_id', 'in', itemIds)
        .orderBy('created_at')
        .execute();
      const order = ['critical', 'high', 'medium', 'low', 'info'];
      return rows.sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
    },

    async removeEvidence(id: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('plan_evidence').where('id', '=', id).execute();
    },
  };
}

export type PlanStore = ReturnType<typeof planStore>;
