import type { Db, Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

export type OpennessAnswerRow = DB['openness_answers'];
export type OpennessArchiveRow = DB['openness_archives'];
export type OpennessPublicationRow = DB['openness_publications'];

/**
 * The openness index's own rows (migration 20261205T0200): institutions' type and level, the
 * researchers' sealed answers with their evidence, archived copies, questionnaire links and the
 * published versions of each wave. Programmes, rounds, organisations and assessors are the
 * programme store's.
 */
export function opennessStore(db: Db) {
  return {
    async insertInstitution(
      i: {
        organisationId: string;
        programmeId: string;
        name: string;
        type: string;
        level: string;
        country: string;
        at: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('organisations')
        .values({
          id: i.organisationId,
          name: i.name,
          // Not a CSO: the CSO profile's size band, municipality, focus and languages are not asked.
          kind: 'institution',
          size_band: '',
          municipality: '',
          country: i.country,
          focus: '',
          languages: '[]',
          created_at: i.at,
        })
        .execute();
      await tx
        .insertInto('institutions')
        .values({ organisation_id: i.organisationId, programme_id: i.programmeId, type: i.type, level: i.level })
        .execute();
    },

    /** The index's institutions, by name. */
    async institutions(programmeId: string, tx: Executor = db) {
      return tx
        .selectFrom('institutions')
        .innerJoin('organisations', 'organisations.id', 'institutions.organisation_id')
        .select([
          'organisations.id',
          'organisations.name',
          'organisations.country',
          'institutions.type',
          'institutions.level',
        ])
        .where('institutions.programme_id', '=', programmeId)
        .orderBy('organisations.name')
        .orderBy('organisations.id')
        .execute();
    },

    async institution(programmeId: string, organisationId: string, tx: Executor = db) {
      return tx
        .selectFrom('institutions')
        .innerJoin('organisations', 'organisations.id', 'institutions.organisation_id')
        .select([
          'organisations.id',
          'organisations.name',
          'organisations.country',
          'institutions.type',
          'institutions.level',
        ])
        .where('institutions.programme_id', '=', programmeId)
        .where('institutions.organisation_id', '=', organisationId)
        .executeTakeFirst();
    },

    async answers(roundId: string, organisationId?: string, tx: Executor = db): Promise<OpennessAnswerRow[]> {
      let q = tx.selectFrom('openness_answers').selectAll().where('round_id', '=', roundId);
      if (organisationId !== undefined) q = q.where('organisation_id', '=', organisationId);
      return q.orderBy('question_id').execute();
    },

    async answer(roundId: string, organisationId: string, questionId: string, tx: Executor = db) {
      return tx
        .selectFrom('openness_answers')
        .selectAll()
        .where('round_id', '=', roundId)
        .where('organisation_id', '=', organisationId)
        .where('question_id', '=', questionId)
        .executeTakeFirst();
    },

    async answerById(id: string, tx: Executor = db) {
      return tx.selectFrom('openness_answers').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async insertAnswer(row: OpennessAnswerRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('openness_answers').values(row).execute();
    },

    /** Writes a new content over `version`; false when someone else wrote it meanwhile. */
    async updateAnswer(
      id: string,
      version: number,
      set: Pick<OpennessAnswerRow, 'source' | 'content_sealed' | 'recorded_by' | 'recorded_via' | 'recorded_at'>,
      tx: Executor = db,
    ): Promise<boolean> {
      const r = await tx
        .updateTable('openness_answers')
        // A changed answer is no longer the validated one: the second researcher looks again.
        .set({ ...set, validated_by: null, validated_at: null, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async validateAnswer(
      id: string,
      version: number,
      by: string | null,
      at: number,
      tx: Executor = db,
    ): Promise<boolean> {
      const r = await tx
        .updateTable('openness_answers')
        .set({ validated_by: by, validated_at: at, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async archivesOf(answerIds: readonly string[], tx: Executor = db): Promise<OpennessArchiveRow[]> {
      if (answerIds.length === 0) return [];
      return tx
        .selectFrom('openness_archives')
        .selectAll()
        .where('answer_id', 'in', answerIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    async archive(id: string, tx: Executor = db) {
      return tx
        .selectFrom('openness_archives')
        .innerJoin('openness_answers', 'openness_answers.id', 'openness_archives.answer_id')
        .select([
          'openness_archives.id',
          'openness_archives.answer_id',
          'openness_archives.organisation_id',
          'openness_archives.name_sealed',
          'openness_archives.media_type',
          'openness_archives.size',
          'openness_answers.programme_id',
          'openness_answers.round_id',
        ])
        .where('openness_archives.id', '=', id)
        .executeTakeFirst();
    },

    async insertArchive(row: OpennessArchiveRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('openness_archives').values(row).execute();
    },

    async insertLink(row: DB['openness_links'], tx: Executor = db): Promise<void> {
      await tx.insertInto('openness_links').values(row).execute();
    },

    async linkByHash(hash: string, tx: Executor = db) {
      return tx.selectFrom('openness_links').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    },

    async useLink(id: string, at: number, tx: Executor = db): Promise<boolean> {
      const r = await tx
        .updateTable('openness_links')
        .set({ used_at: at })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** A wave's published versions, newest first. */
    async publications(roundId: string, tx: Executor = db): Promise<OpennessPublicationRow[]> {
      return tx
        .selectFrom('openness_publications')
        .selectAll()
        .where('round_id', '=', roundId)
        .orderBy('version', 'desc')
        .execute();
    },

    /** The latest version of each published wave of an index, the last wave (in round order) first. */
    async latestOfIndex(
      programmeId: string,
      tx: Executor = db,
    ): Promise<(OpennessPublicationRow & { position: number })[]> {
      const rows = await tx
        .selectFrom('openness_publications')
        .innerJoin('rounds', 'rounds.id', 'openness_publications.round_id')
        .selectAll('openness_publications')
        .select('rounds.position')
        .where('openness_publications.programme_id', '=', programmeId)
        .orderBy('rounds.position', 'desc')
        .orderBy('openness_publications.version', 'desc')
        .execute();
      const seen = new Set<string>();
      return rows.filter((r) => !seen.has(r.round_id) && seen.add(r.round_id));
    },

    async insertPublication(row: OpennessPublicationRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('openness_publications').values(row).execute();
    },
  };
}

export type OpennessStore = ReturnType<typeof opennessStore>;
