import type { Db, Executor } from '../../db/database.js';

export type SurveyResponseRow = NonNullable<Awaited<ReturnType<ReturnType<typeof surveyStore>['response']>>>;

/**
 * The survey a programme runs (`programme_surveys`) and each organisation's answers to it per
 * round (`survey_responses`, every version in `survey_response_versions`). No column in clear
 * says what anyone answered.
 */
export function surveyStore(db: Db) {
  return {
    async ofProgramme(programmeId: string, tx: Executor = db) {
      return tx.selectFrom('programme_surveys').selectAll().where('programme_id', '=', programmeId).executeTakeFirst();
    },

    async setSurvey(
      s: { programmeId: string; frameworkId: string | null; by: string | null; at: number },
      tx: Executor,
    ): Promise<void> {
      if (s.frameworkId === null) {
        await tx.deleteFrom('programme_surveys').where('programme_id', '=', s.programmeId).execute();
        return;
      }
      await tx
        .insertInto('programme_surveys')
        .values({ programme_id: s.programmeId, framework_id: s.frameworkId, set_by: s.by, set_at: s.at })
        .onConflict((oc) =>
          oc.column('programme_id').doUpdateSet({ framework_id: s.frameworkId!, set_by: s.by, set_at: s.at }),
        )
        .execute();
    },

    async response(roundId: string, organisationId: string, tx: Executor = db) {
      return tx
        .selectFrom('survey_responses')
        .selectAll()
        .where('round_id', '=', roundId)
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
    },

    /** Every response of a programme. */
    async responsesOf(programmeId: string, tx: Executor = db) {
      return tx
        .selectFrom('survey_responses')
        .selectAll()
        .where('programme_id', '=', programmeId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    async insert(
      r: {
        id: string;
        programmeId: string;
        roundId: string;
        organisationId: string;
        frameworkId: string;
        sealed: Uint8Array;
        versionSealed: Uint8Array;
        by: string | null;
        at: number;
      },
      tx: Executor,
    ): Promise<void> {
      await tx
        .insertInto('survey_responses')
        .values({
          id: r.id,
          programme_id: r.programmeId,
          round_id: r.roundId,
          organisation_id: r.organisationId,
          framework_id: r.frameworkId,
          content_sealed: r.sealed,
          version: 1,
          created_by: r.by,
          created_at: r.at,
          updated_by: r.by,
          updated_at: r.at,
        })
        .execute();
      await tx
        .insertInto('survey_response_versions')
        .values({ response_id: r.id, version: 1, at: r.at, actor_id: r.by, content_sealed: r.versionSealed })
        .execute();
    },

    /** The next version if the response is still at `version` (compare and set); undefined when it moved on. */
    async update(
      id: string,
      version: number,
      set: { frameworkId: string; sealed: Uint8Array; versionSealed: Uint8Array; by: string | null; at: number },
      tx: Executor,
    ): Promise<number | undefined> {
      const updated = await tx
        .updateTable('survey_responses')
        .set({
          framework_id: set.frameworkId,
          content_sealed: set.sealed,
          version: version + 1,
          updated_by: set.by,
          updated_at: set.at,
        })
        .where('id', '=', id)
        .where('version', '=', version)
        .returning('version')
        .executeTakeFirst();
      if (updated === undefined) return undefined;
      await tx
        .insertInto('survey_response_versions')
        .values({
          response_id: id,
          version: version + 1,
          at: set.at,
          actor_id: set.by,
          content_sealed: set.versionSealed,
        })
        .execute();
      return updated.version;
    },
  };
}

export type SurveyStore = ReturnType<typeof surveyStore>;
