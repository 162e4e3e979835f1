import type { Db, Executor } from '../../db/database.js';

/**
 * Evidence rows (`evidence`): which assessment, question or domain a file belongs to, its
 * sealed original name, and the media type and size it is served with. The sealed bytes are
 * in the evidence files (evidence-files.ts), under the same id.
 */
export function evidenceStore(db: Db) {
  return {
    async insert(
      e: {
        id: string;
        assessmentId: string;
        questionId: string | null;
        domainId: string | null;
        nameSealed: Uint8Array;
        mediaType: string;
        size: number;
        uploadedBy: string;
        at: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('evidence')
        .values({
          id: e.id,
          assessment_id: e.assessmentId,
          question_id: e.questionId,
          domain_id: e.domainId,
          name_sealed: e.nameSealed,
          media_type: e.mediaType,
          size: e.size,
          uploaded_by: e.uploadedBy,
          created_at: e.at,
        })
        .execute();
    },

    /** One file's row with its assessment's programme, organisation and status, for the permission check. */
    async withAssessment(id: string, tx: Executor = db) {
      return tx
        .selectFrom('evidence')
        .innerJoin('assessments', 'assessments.id', 'evidence.assessment_id')
        .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
        .selectAll('evidence')
        .select([
          'assessments.programme_id',
          'assessments.organisation_id',
          'assessments.status',
          'assessments.round_closed_at',
          'rounds.name as round',
        ])
        .where('evidence.id', '=', id)
        .executeTakeFirst();
    },

    /** An assessment's files, oldest first. */
    async ofAssessment(assessmentId: string, tx: Executor = db) {
      return tx
        .selectFrom('evidence')
        .selectAll()
        .where('assessment_id', '=', assessmentId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    async remove(id: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('evidence').where('id', '=', id).execute();
    },
  };
}

export type EvidenceStore = ReturnType<typeof evidenceStore>;
