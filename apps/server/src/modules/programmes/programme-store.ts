import type { Db, Executor } from '../../db/database.js';
import type { OrganisationProfile } from './programme-types.js';

/**
 * Programmes and who takes part: `programmes`, `rounds`, `organisations` (their profiles),
 * `programme_organisations` (with each one's pseudonym) and `programme_assessors` (which
 * assessor reviews which organisation).
 */
export function programmeStore(db: Db) {
  return {
    /** The programme's name and framework version; undefined when there is no such programme. */
    async byId(id: string, tx: Executor = db) {
      return tx.selectFrom('programmes').select(['id', 'name', 'framework_id']).where('id', '=', id).executeTakeFirst();
    },

    /** The programme with its framework's key and version. */
    async withFramework(id: string, tx: Executor = db) {
      return tx
        .selectFrom('programmes')
        .innerJoin('frameworks', 'frameworks.id', 'programmes.framework_id')
        .select([
          'programmes.id',
          'programmes.name',
          'programmes.framework_id',
          'frameworks.framework_key',
          'frameworks.version',
        ])
        .where('programmes.id', '=', id)
        .executeTakeFirst();
    },

    /** Every programme of the instance, oldest first, with its framework's key and version (for operators). */
    async list(tx: Executor = db) {
      return tx
        .selectFrom('programmes')
        .innerJoin('frameworks', 'frameworks.id', 'programmes.framework_id')
        .select([
          'programmes.id',
          'programmes.name',
          'programmes.created_at',
          'frameworks.framework_key',
          'frameworks.version',
        ])
        .orderBy('programmes.created_at')
        .orderBy('programmes.id')
        .execute();
    },

    async insert(
      p: { id: string; name: string; frameworkId: string; createdBy: string; at: number },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('programmes')
        .values({ id: p.id, name: p.name, framework_id: p.frameworkId, created_by: p.createdBy, created_at: p.at })
        .execute();
    },

    /** Programmes that no programme manager runs (made before the instance had an account). */
    async withoutManager(tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectFrom('programmes')
        .select('id')
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('memberships')
                .select('id')
                .whereRef('memberships.programme_id', '=', 'programmes.id')
                .where('role', '=', 'programme_manager'),
            ),
          ),
        )
        .execute();
      return rows.map((r) => r.id);
    },

    /** The programme's rounds in order. */
    async rounds(programmeId: string, tx: Executor = db) {
      return tx.selectFrom('rounds').selectAll().where('programme_id', '=', programmeId).orderBy('position').execute();
    },

    async insertRounds(
      rounds: {
        id: string;
        programmeId: string;
        name: string;
        position: number;
        startsOn: string | null;
        endsOn: string | null;
        /** When it opened: the first round opens with its programme (unless it starts later). */
        openedAt?: number | null;
      }[],
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('rounds')
        .values(
          rounds.map((r) => ({
            id: r.id,
            programme_id: r.programmeId,
            name: r.name,
            position: r.position,
            starts_on: r.startsOn,
            ends_on: r.endsOn,
            opened_at: r.openedAt ?? null,
            closed_at: null,
          })),
        )
        .execute();
    },

    /** One round of the programme, by id or by name; undefined when the programme has no such round. */
    async round(programmeId: string, round: { id: string } | { name: string }, tx: Executor = db) {
      return tx
        .selectFrom('rounds')
        .selectAll()
        .where('programme_id', '=', programmeId)
        .where((eb) => ('id' in round ? eb('id', '=', round.id) : eb('name', '=', round.name)))
        .executeTakeFirst();
    },

    /** The programmes these organisations take part in. */
    async programmesOf(organisationIds: readonly string[], tx: Executor = db): Promise<string[]> {
      if (organisationIds.length === 0) return [];
      const rows = await tx
        .selectFrom('programme_organisations')
        .select('programme_id')
        .where('organisation_id', 'in', organisationIds)
        .execute();
      return rows.map((r) => r.programme_id);
    },

    /** Whether any of these organisations takes part in the programme. */
    async takesPart(programmeId: string, organisationIds: readonly string[], tx: Executor = db): Promise<boolean> {
      if (organisationIds.length === 0) return false;
      const hit = await tx
        .selectFrom('programme_organisations')
        .select('organisation_id')
        .where('programme_id', '=', programmeId)
        .where('organisation_id', 'in', organisationIds)
        .executeTakeFirst();
      return hit !== undefined;
    },

    /** Whether an organisation of this name already takes part in the programme. */
    async nameTaken(programmeId: string, name: string, tx: Executor = db): Promise<boolean> {
      const taken = await tx
        .selectFrom('programme_organisations')
        .innerJoin('organisations', 'organisations.id', 'programme_organisations.organisation_id')
        .select('organisations.id')
        .where('programme_id', '=', programmeId)
        .where('organisations.name', '=', name)
        .executeTakeFirst();
      return taken !== undefined;
    },

    async insertOrganisation(
      o: { id: string; profile: OrganisationProfile; at: number },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('organisations')
        .values({
          id: o.id,
          name: o.profile.name,
          kind: o.profile.kind,
          size_band: o.profile.sizeBand,
          municipality: o.profile.municipality,
          country: o.profile.country,
          focus: o.profile.focus,
          languages: JSON.stringify(o.profile.languages),
          created_at: o.at,
        })
        .execute();
    },

    /** Makes the organisation a participant under the next pseudonym the programme gives (see `pseudonym`). */
    async addParticipant(
      programmeId: string,
      organisationId: string,
      pseudonym: (index: number) => string,
      tx: Executor = db,
    ): Promise<void> {
      const { count } = await tx
        .selectFrom('programme_organisations')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('programme_id', '=', programmeId)
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('programme_organisations')
        .values({ programme_id: programmeId, organisation_id: organisationId, pseudonym: pseudonym(Number(count)) })
        .execute();
    },

    /** The participating organisations' profiles, by name. */
    async organisations(programmeId: string, tx: Executor = db) {
      return tx
        .selectFrom('programme_organisations')
        .innerJoin('organisations', 'organisations.id', 'programme_organisations.organisation_id')
        .selectAll('organisations')
        .where('programme_id', '=', programmeId)
        .orderBy('organisations.name')
        .execute();
    },

    async organisationIds(programmeId: string, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectFrom('programme_organisations')
        .select('organisation_id')
        .where('programme_id', '=', programmeId)
        .execute();
      return rows.map((r) => r.organisation_id);
    },

    /** An organisation's name, wherever it takes part; undefined when there is no such organisation. */
    async organisationName(organisationId: string, tx: Executor = db): Promise<string | undefined> {
      const row = await tx
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', organisationId)
        .executeTakeFirst();
      return row?.name;
    },

    /** Assigns an assessor to review an organisation of the programme; assigning twice changes nothing. */
    async assign(programmeId: string, userId: string, organisationId: string, tx: Executor = db): Promise<void> {
      await tx
        .insertInto('programme_assessors')
        .values({ programme_id: programmeId, user_id: userId, organisation_id: organisationId })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    /** Who reviews which organisation in the programme. */
    async assignments(programmeId: string, tx: Executor = db) {
      return tx
        .selectFrom('programme_assessors')
        .select(['user_id', 'organisation_id'])
        .where('programme_id', '=', programmeId)
        .execute();
    },

    /** Which organisations, in which programmes, this assessor reviews. */
    async assignmentsOf(userId: string, tx: Executor = db) {
      return tx
        .selectFrom('programme_assessors')
        .select(['programme_id', 'organisation_id'])
        .where('user_id', '=', userId)
        .execute();
    },
  };
}

export type ProgrammeStore = ReturnType<typeof programmeStore>;
