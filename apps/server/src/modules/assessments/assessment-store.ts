import type { Db, Dialect, Executor } from '../../db/database.js';
import type { Status } from './assessment-types.js';

/**
 * Assessments (`assessments`: one per organisation per round, with its status) and the
 * assessors' interview notes (`interview_notes`, sealed). The answers have their own store.
 */
export function assessmentStore(db: Db, dialect: Dialect) {
  return {
    async byId(id: string, tx: Executor = db) {
      return tx.selectFrom('assessments').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /**
     * The assessment with its round (for the round's state: writes need an open round) and its
     * programme's framework, in one read.
     */
    async withRound(id: string, tx: Executor = db) {
      const row = await tx
        .selectFrom('assessments')
        .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
        .innerJoin('programmes', 'programmes.id', 'assessments.programme_id')
        .selectAll('assessments')
        .select('programmes.framework_id')
        .select([
          'rounds.name as r_name',
          'rounds.position as r_position',
          'rounds.starts_on as r_starts_on',
          'rounds.ends_on as r_ends_on',
          'rounds.opened_at as r_opened_at',
          'rounds.closed_at as r_closed_at',
        ])
        .where('assessments.id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      const { r_name, r_position, r_starts_on, r_ends_on, r_opened_at, r_closed_at, ...a } = row;
      return {
        ...a,
        round: {
          id: a.round_id,
          programme_id: a.programme_id,
          name: r_name,
          position: r_position,
          starts_on: r_starts_on,
          ends_on: r_ends_on,
          opened_at: r_opened_at,
          closed_at: r_closed_at,
        },
      };
    },

    /**
     * The assessment's status, and whether its round has been closed, read inside a write
     * transaction so that the write and the state it depends on are one decision. On PostgreSQL
     * the row is locked: `for share` by a save (many saves go on together; a submit, or the
     * closing of the round, waits for them), `for update` by a status change (a save waits for
     * it and then sees the new status). SQLite runs one write transaction at a time.
     */
    async lockStatus(
      id: string,
      mode: 'share' | 'update',
      tx: Executor,
    ): Promise<{ status: string; roundClosed: boolean } | undefined> {
      let q = tx.selectFrom('assessments').select(['status', 'round_closed_at']).where('id', '=', id);
      if (dialect === 'postgres') q = mode === 'share' ? q.forShare() : q.forUpdate();
      const r = await q.executeTakeFirst();
      return r && { status: r.status, roundClosed: r.round_closed_at !== null };
    },

    /** Whether an answer import is writing into the assessment now (exchange module, decision 0010). */
    async importUnderWay(id: string, tx: Executor): Promise<boolean> {
      const r = await tx.selectFrom('assessments').select('import_id').where('id', '=', id).executeTakeFirst();
      return !!r?.import_id;
    },

    /** A draft assessment for each round, for an organisation that joins a programme. */
    async createDrafts(
      programmeId: string,
      organisationId: string,
      rounds: { id: string; roundId: string; closedAt?: number | null }[],
      at: number,
      tx: Executor = db,
    ): Promise<void> {
      if (rounds.length === 0) return;
      await tx
        .insertInto('assessments')
        .values(
          rounds.map((r) => ({
            id: r.id,
            programme_id: programmeId,
            round_id: r.roundId,
            organisation_id: organisationId,
            status: 'draft',
            submitted_at: null,
            validated_at: null,
            created_at: at,
            round_closed_at: r.closedAt ?? null,
          })),
        )
        .execute();
    },

    /** Moves an assessment from one status to the next; false when it was not in `from`. */
    async transition(id: string, from: Status, to: Status, at: number, tx: Executor = db): Promise<boolean> {
      const changed = await tx
        .updateTable('assessments')
        .set(to === 'submitted' ? { status: to, submitted_at: at } : { status: to, validated_at: at })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return Number(changed.numUpdatedRows) === 1;
    },

    /** Validates these assessments (an import of the assessor's layer); submitted now if never submitted. */
    async markValidated(ids: readonly string[], at: number, tx: Executor): Promise<void> {
      if (ids.length === 0) return;
      await tx
        .updateTable('assessments')
        .set((eb) => ({
          status: 'validated',
          validated_at: at,
          submitted_at: eb.fn.coalesce('submitted_at', eb.val(at)),
        }))
        .where('id', 'in', ids)
        .where('status', '!=', 'validated')
        .execute();
    },

    /** Marks every assessment of the programme submitted and validated at once (the demo cohort). */
    async validateAll(programmeId: string, at: number, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('assessments')
        .set({ status: 'validated', submitted_at: at, validated_at: at })
        .where('programme_id', '=', programmeId)
        .execute();
    },

    /**
     * The assessments of these organisations, and of these (programme, organisation)
     * assignments, with their names, in programme, round and organisation order.
     */
    async listFor(
      organisationIds: readonly string[],
      assigned: readonly { programmeId: string; organisationId: string }[],
      tx: Executor = db,
    ) {
      if (organisationIds.length === 0 && assigned.length === 0) return [];
      return tx
        .selectFrom('assessments')
        .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
        .innerJoin('programmes', 'programmes.id', 'assessments.programme_id')
        .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
        .select([
          'assessments.id',
          'assessments.status',
          'assessments.programme_id as programmeId',
          'assessments.organisation_id as organisationId',
          'organisations.name as organisation',
          'programmes.name as programme',
          'rounds.name as round',
          'rounds.position',
          'rounds.id as roundId',
          'rounds.starts_on as roundStartsOn',
          'rounds.ends_on as roundEndsOn',
          'rounds.opened_at as roundOpenedAt',
          'rounds.closed_at as roundClosedAt',
        ])
        .where((eb) =>
          eb.or([
            ...(organisationIds.length ? [eb('assessments.organisation_id', 'in', organisationIds)] : []),
            ...assigned.map((a) =>
              eb.and([
                eb('assessments.programme_id', '=', a.programmeId),
                eb('assessments.organisation_id', '=', a.organisationId),
              ]),
            ),
          ]),
        )
        .orderBy('programmes.name')
        .orderBy('rounds.position')
        .orderBy('organisations.name')
        .execute();
    },

    /** One organisation's assessments in a programme, with their rounds, in round order. */
    async ofOrganisation(programmeId: string, organisationId: string, tx: Executor = db) {
      return tx
        .selectFrom('assessments')
        .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
        .selectAll('assessments')
        .select([
          'rounds.name as round',
          'rounds.position',
          'rounds.opened_at as round_opened_at',
          'rounds.closed_at as round_closed',
        ])
        .where('assessments.programme_id', '=', programmeId)
        .where('assessments.organisation_id', '=', organisationId)
        .orderBy('rounds.position')
        .execute();
    },

    /** The round's assessments with their organisation's id and name, by name. */
    async ofRound(roundId: string, tx: Executor = db) {
      return tx
        .selectFrom('assessments')
        .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
        .select(['assessments.id', 'assessments.status', 'organisations.id as organisationId', 'organisations.name'])
        .where('assessments.round_id', '=', roundId)
        .orderBy('organisations.name')
        .execute();
    },

    /**
     * Every assessment of the programme with its status and how many questions have an
     * answer in either layer — counted without opening any.
     */
    async progress(programmeId: string, tx: Executor = db) {
      return tx
        .selectFrom('assessments')
        .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
        .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
        .leftJoin('answers', (j) =>
          j
            .onRef('answers.assessment_id', '=', 'assessments.id')
            .on((eb) =>
              eb.or([eb('answers.own_sealed', 'is not', null), eb('answers.validated_sealed', 'is not', null)]),
            ),
        )
        .select((eb) => [
          'assessments.id as assessmentId',
          'assessments.status',
          'assessments.round_id as roundId',
          'organisations.id as organisationId',
          'organisations.name as organisation',
          'rounds.position',
          eb.fn.count<number>('answers.question_id').as('answered'),
        ])
        .where('assessments.programme_id', '=', programmeId)
        .groupBy([
          'assessments.id',
          'assessments.status',
          'assessments.round_id',
          'organisations.id',
          'organisations.name',
          'rounds.position',
        ])
        .orderBy('rounds.position')
        .orderBy('organisations.name')
        .execute();
    },

    /**
     * Every assessment of the programme whose organisation still has its data key, with the
     * organisation's name and pseudonym, the round and its answers version (which every write to
     * its answers bumps), in round and pseudonym order; and the
     * programme's round names in order. A crypto-shredded organisation drops out of the figures.
     */
    async cohort(programmeId: string, tx: Executor = db) {
      const all = await tx
        .selectFrom('assessments')
        .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
        .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
        .innerJoin('programme_organisations', (j) =>
          j
            .onRef('programme_organisations.organisation_id', '=', 'assessments.organisation_id')
            .onRef('programme_organisations.programme_id', '=', 'assessments.programme_id'),
        )
        .leftJoin('organisation_keys', 'organisation_keys.organisation_id', 'assessments.organisation_id')
        .select([
          'assessments.id',
          'assessments.organisation_id',
          'assessments.status',
          'assessments.answers_version',
          'organisations.name',
          'programme_organisations.pseudonym',
          'rounds.name as round',
          'rounds.position',
          'organisation_keys.organisation_id as keyed',
        ])
        .where('assessments.programme_id', '=', programmeId)
        .orderBy('rounds.position')
        .orderBy('programme_organisations.pseudonym')
        .execute();
      const rounds = [...new Map(all.map((r) => [r.position, r.round])).values()];
      const rows = all.filter((r) => r.keyed !== null).map(({ keyed: _, ...r }) => r);
      return { rows, rounds };
    },

    async addNote(
      note: { id: string; assessmentId: string; domainId: string; sealed: Uint8Array; authorId: string; at: number },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('interview_notes')
        .values({
          id: note.id,
          assessment_id: note.assessmentId,
          domain_id: note.domainId,
          body_sealed: note.sealed,
          author_id: note.authorId,
          created_at: note.at,
        })
        .execute();
    },

    async notes(assessmentId: string, tx: Executor = db) {
      return tx
        .selectFrom('interview_notes')
        .selectAll()
        .where('assessment_id', '=', assessmentId)
        .orderBy('created_at')
        .execute();
    },
  };
}

export type AssessmentStore = ReturnType<typeof assessmentStore>;
