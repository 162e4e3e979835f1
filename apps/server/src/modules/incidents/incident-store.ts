import type { Db, Executor } from '../../db/database.js';

export type IncidentRow = NonNullable<Awaited<ReturnType<ReturnType<typeof incidentStore>['byId']>>>;

/**
 * The incident log: `incidents` (one row per incident, everything it says sealed),
 * `incident_versions` (every version, sealed the same way) and `incident_consents` (whether an
 * organisation lets its assigned assessors in). No column in clear says what happened.
 */
export function incidentStore(db: Db) {
  return {
    async insert(
      i: {
        id: string;
        programmeId: string;
        organisationId: string;
        sealed: Uint8Array;
        versionSealed: Uint8Array;
        by: string | null;
        at: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('incidents')
        .values({
          id: i.id,
          programme_id: i.programmeId,
          organisation_id: i.organisationId,
          content_sealed: i.sealed,
          version: 1,
          created_by: i.by,
          created_at: i.at,
          updated_by: i.by,
          updated_at: i.at,
        })
        .execute();
      await tx
        .insertInto('incident_versions')
        .values({ incident_id: i.id, version: 1, at: i.at, actor_id: i.by, content_sealed: i.versionSealed })
        .execute();
    },

    async byId(id: string, tx: Executor = db) {
      return tx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** An organisation's incidents in a programme, in the order recorded. */
    async ofOrganisation(programmeId: string, organisationId: string, tx: Executor = db) {
      return tx
        .selectFrom('incidents')
        .selectAll()
        .where('programme_id', '=', programmeId)
        .where('organisation_id', '=', organisationId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** Every incident of a programme. */
    async ofProgramme(programmeId: string, tx: Executor = db) {
      return tx
        .selectFrom('incidents')
        .selectAll()
        .where('programme_id', '=', programmeId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /**
     * Writes the next version if the incident is still at `version` (compare and set), with its
     * copy in the history: the new version, or undefined when someone changed it meanwhile.
     */
    async update(
      id: string,
      version: number,
      set: { sealed: Uint8Array; versionSealed: Uint8Array; by: string | null; at: number },
      tx: Executor,
    ): Promise<number | undefined> {
      const updated = await tx
        .updateTable('incidents')
        .set({ content_sealed: set.sealed, version: version + 1, updated_by: set.by, updated_at: set.at })
        .where('id', '=', id)
        .where('version', '=', version)
        .returning('version')
        .executeTakeFirst();
      if (updated === undefined) return undefined;
      await tx
        .insertInto('incident_versions')
        .values({
          incident_id: id,
          version: version + 1,
          at: set.at,
          actor_id: set.by,
          content_sealed: set.versionSealed,
        })
        .execute();
      return updated.version;
    },

    /** Deletes the incident and its history; false when it was already gone. */
    async remove(id: string, tx: Executor): Promise<boolean> {
      await tx.deleteFrom('incident_versions').where('incident_id', '=', id).execute();
      const r = await tx.deleteFrom('incidents').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async versionsOf(ids: readonly string[], tx: Executor = db) {
      if (ids.length === 0) return [];
      return tx
        .selectFrom('incident_versions')
        .selectAll()
        .where('incident_id', 'in', ids)
        .orderBy('incident_id')
        .orderBy('version')
        .execute();
    },

    async publishLandscape(
      p: { publicationId: string; programmeId: string; landscape: string; sets: string; at: number },
      tx: Executor,
    ): Promise<void> {
      await tx
        .insertInto('threat_publications')
        .values({
          publication_id: p.publicationId,
          programme_id: p.programmeId,
          landscape: p.landscape,
          sets: p.sets,
          published_at: p.at,
        })
        .execute();
    },

    /**
     * The sets behind every landscape frozen for the programme (JSON each, fingerprints only):
     * what the next one is checked against. Never read for observers.
     */
    async landscapeSets(programmeId: string, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectFrom('threat_publications')
        .select('sets')
        .where('programme_id', '=', programmeId)
        .orderBy('published_at')
        .orderBy('publication_id')
        .execute();
      return rows.flatMap((r) => (r.sets === null ? [] : [r.sets]));
    },

    /** The landscape of the programme's latest publication, or undefined. */
    async publishedLandscape(programmeId: string, tx: Executor = db) {
      return tx
        .selectFrom('threat_publications')
        .select(['publication_id', 'programme_id', 'landscape', 'published_at'])
        .where('programme_id', '=', programmeId)
        .orderBy('published_at', 'desc')
        .orderBy('publication_id', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    async consent(programmeId: string, organisationId: string, tx: Executor = db): Promise<boolean> {
      const row = await tx
        .selectFrom('incident_consents')
        .select('assessor')
        .where('programme_id', '=', programmeId)
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      return Number(row?.assessor ?? 0) === 1;
    },

    async setConsent(
      c: { programmeId: string; organisationId: string; assessor: boolean; by: string; at: number },
      tx: Executor,
    ): Promise<void> {
      await tx
        .insertInto('incident_consents')
        .values({
          programme_id: c.programmeId,
          organisation_id: c.organisationId,
          assessor: c.assessor ? 1 : 0,
          updated_by: c.by,
          updated_at: c.at,
        })
        .onConflict((oc) =>
          oc.columns(['programme_id', 'organisation_id']).doUpdateSet({
            assessor: c.assessor ? 1 : 0,
            updated_by: c.by,
            updated_at: c.at,
          }),
        )
        .execute();
    },
  };
}

export type IncidentStore = ReturnType<typeof incidentStore>;
