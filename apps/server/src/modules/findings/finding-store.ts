import type { Db, Executor } from '../../db/database.js';
import type { FindingChange } from './finding-types.js';

/** A finding's row as the service reads it, with its round's name. */
export type FindingRow = NonNullable<Awaited<ReturnType<ReturnType<typeof findingStore>['byId']>>>;

/**
 * Technical findings: `findings` (one row per finding; its texts sealed), `finding_evidence`
 * (rows of evidence files; the sealed bytes in the evidence folder under the same id) and
 * `finding_events` (each finding's history).
 */
export function findingStore(db: Db) {
  const rows = (tx: Executor) =>
    tx
      .selectFrom('findings')
      .innerJoin('rounds', 'rounds.id', 'findings.round_id')
      .selectAll('findings')
      .select(['rounds.name as round']);

  return {
    async insert(
      f: {
        id: string;
        programmeId: string;
        organisationId: string;
        roundId: string;
        target: string;
        severity: string;
        foundOn: string;
        questions: readonly string[];
        interventions: readonly string[];
        textsSealed: Uint8Array;
        by: string;
        at: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('findings')
        .values({
          id: f.id,
          programme_id: f.programmeId,
          organisation_id: f.organisationId,
          round_id: f.roundId,
          target: f.target,
          severity: f.severity,
          status: 'draft',
          found_on: f.foundOn,
          questions: JSON.stringify(f.questions),
          interventions: JSON.stringify(f.interventions),
          author_id: f.by,
          reviewer_id: null,
          approved_at: null,
          plan_item_id: null,
          retest_on: null,
          retest_by: null,
          texts_sealed: f.textsSealed,
          version: 1,
          created_at: f.at,
          updated_by: f.by,
          updated_at: f.at,
        })
        .execute();
    },

    async byId(id: string, tx: Executor = db) {
      return rows(tx).where('findings.id', '=', id).executeTakeFirst();
    },

    /** An organisation's findings in a programme, oldest first. */
    async ofOrganisation(programmeId: string, organisationId: string, tx: Executor = db) {
      return rows(tx)
        .where('findings.programme_id', '=', programmeId)
        .where('findings.organisation_id', '=', organisationId)
        .orderBy('findings.created_at')
        .orderBy('findings.id')
        .execute();
    },

    /** Every finding of a programme, oldest first. */
    async ofProgramme(programmeId: string, tx: Executor = db) {
      return rows(tx)
        .where('findings.programme_id', '=', programmeId)
        .orderBy('findings.created_at')
        .orderBy('findings.id')
        .execute();
    },

    /** The findings linked to these plan items. */
    async ofPlanItems(itemIds: readonly string[], tx: Executor = db) {
      if (itemIds.length === 0) return [];
      return tx
        .selectFrom('findings')
        .select(['id', 'plan_item_id', 'severity', 'status'])
        .where('plan_item_id', 'in', itemIds)
        .execute();
    },

    /**
     * Writes a change if the finding is still at `version` (compare and set): the new version,
     * or undefined when someone else changed it meanwhile (nothing is written then).
     */
    async update(
      id: string,
      version: number,
      set: {
        status?: string;
        target?: string;
        severity?: string;
        foundOn?: string;
        questions?: readonly string[];
        interventions?: readonly string[];
        reviewerId?: string | null;
        approvedAt?: number | null;
        planItemId?: string | null;
        retestOn?: string | null;
        retestBy?: string | null;
        textsSealed?: Uint8Array;
        by: string;
        at: number;
      },
      tx: Executor = db,
    ): Promise<number | undefined> {
      const updated = await tx
        .updateTable('findings')
        .set((eb) => ({
          ...(set.status !== undefined && { status: set.status }),
          ...(set.target !== undefined && { target: set.target }),
          ...(set.severity !== undefined && { severity: set.severity }),
          ...(set.foundOn !== undefined && { found_on: set.foundOn }),
          ...(set.questions !== undefined && { questions: JSON.stringify(set.questions) }),
          ...(set.interventions !== undefined && { interventions: JSON.stringify(set.interventions) }),
          ...(set.reviewerId !== undefined && { reviewer_id: set.reviewerId }),
          ...(set.approvedAt !== undefined && { approved_at: set.approvedAt }),
          ...(set.planItemId !== undefined && { plan_item_id: set.planItemId }),
          ...(set.retestOn !== undefined && { retest_on: set.retestOn }),
          ...(set.retestBy !== undefined && { retest_by: set.retestBy }),
          ...(set.textsSealed !== undefined && { texts_sealed: set.textsSealed }),
          updated_by: set.by,
          updated_at: set.at,
          version: eb('findings.version', '+', 1),
        }))
        .where('id', '=', id)
        .where('version', '=', version)
        .returning('version')
        .executeTakeFirst();
      return updated?.version;
    },

    /** Deletes a finding still at `version` (its history and evidence rows go with it): whether it was. */
    async remove(id: string, version: number, tx: Executor = db): Promise<boolean> {
      const r = await tx.deleteFrom('findings').where('id', '=', id).where('version', '=', version).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },

    async addEvent(
      e: {
        findingId: string;
        at: number;
        actorId: string | null;
        action: string;
        changes: FindingChange[];
        commentSealed?: Uint8Array | null;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('finding_events')
        .values({
          finding_id: e.findingId,
          at: e.at,
          actor_id: e.actorId,
          action: e.action,
          changes: JSON.stringify(e.changes),
          comment_sealed: e.commentSealed ?? null,
        })
        .execute();
    },

    /** The history of these findings, oldest first. */
    async eventsOf(ids: readonly string[], tx: Executor = db) {
      if (ids.length === 0) return [];
      return tx.selectFrom('finding_events').selectAll().where('finding_id', 'in', ids).orderBy('seq').execute();
    },

    async insertEvidence(
      e: {
        id: string;
        findingId: string;
        nameSealed: Uint8Array;
        mediaType: string;
        size: number;
        uploadedBy: string;
        at: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('finding_evidence')
        .values({
          id: e.id,
          finding_id: e.findingId,
          name_sealed: e.nameSealed,
          media_type: e.mediaType,
          size: e.size,
          uploaded_by: e.uploadedBy,
          created_at: e.at,
        })
        .execute();
    },

    /** The evidence rows of these findings, oldest first. */
    async evidenceOf(ids: readonly string[], tx: Executor = db) {
      if (ids.length === 0) return [];
      return tx
        .selectFrom('finding_evidence')
        .selectAll()
        .where('finding_id', 'in', ids)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** One evidence row with its finding's scope and status, for the permission check. */
    async evidenceWithFinding(id: string, tx: Executor = db) {
      return tx
        .selectFrom('finding_evidence')
        .innerJoin('findings', 'findings.id', 'finding_evidence.finding_id')
        .selectAll('finding_evidence')
        .select(['findings.programme_id', 'findings.organisation_id', 'findings.status'])
        .where('finding_evidence.id', '=', id)
        .executeTakeFirst();
    },
  };
}

export type FindingStore = ReturnType<typeof findingStore>;
