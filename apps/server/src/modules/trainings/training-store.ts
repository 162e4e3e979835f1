import type { Db, Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

export type SessionRow = DB['training_sessions'];
export type ParticipantRow = DB['training_participants'];
export type LinkRow = DB['training_links'];
export type ResultRow = DB['training_results'];

/**
 * Trainings' storage: `training_sessions` (in clear: module, dates, place, capacity, the check's
 * state), `training_participants` (name and role sealed), `training_links` (hashes only) and
 * `training_results` (what each participant gave in each phase, sealed). Every method takes the
 * caller's transaction.
 */
export function trainingStore(db: Db) {
  return {
    async insertSession(row: SessionRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('training_sessions').values(row).execute();
    },

    async session(id: string, tx: Executor = db): Promise<SessionRow | undefined> {
      return tx.selectFrom('training_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** A programme's sessions, the earliest first. */
    async sessionsOf(programmeId: string, tx: Executor = db): Promise<SessionRow[]> {
      return tx
        .selectFrom('training_sessions')
        .selectAll()
        .where('programme_id', '=', programmeId)
        .orderBy('starts_at')
        .orderBy('id')
        .execute();
    },

    /**
     * Writes a change to a session if it is still at `version` (compare and set): the new
     * version, or undefined when someone else changed it meanwhile (nothing is written then).
     */
    async updateSession(
      id: string,
      version: number,
      set: Partial<Omit<SessionRow, 'id' | 'programme_id' | 'version' | 'created_by' | 'created_at'>>,
      tx: Executor = db,
    ): Promise<number | undefined> {
      const r = await tx
        .updateTable('training_sessions')
        .set({ ...set, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1 ? version + 1 : undefined;
    },

    /**
     * Takes the session's row for the rest of the transaction without changing it: two
     * additions of participants at once then wait for each other (PostgreSQL; SQLite
     * serialises transactions already). False when the session is gone.
     */
    async lockSession(id: string, tx: Executor): Promise<boolean> {
      const r = await tx
        .updateTable('training_sessions')
        .set((eb) => ({ updated_at: eb.ref('updated_at') }))
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async deleteSession(id: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('training_results').where('session_id', '=', id).execute();
      await tx.deleteFrom('training_links').where('session_id', '=', id).execute();
      await tx.deleteFrom('training_participants').where('session_id', '=', id).execute();
      await tx.deleteFrom('training_sessions').where('id', '=', id).execute();
    },

    async insertParticipant(row: ParticipantRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('training_participants').values(row).execute();
    },

    async participant(id: string, tx: Executor = db): Promise<ParticipantRow | undefined> {
      return tx.selectFrom('training_participants').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** The participants of some sessions, in the order they were added. */
    async participantsOf(sessionIds: readonly string[], tx: Executor = db): Promise<ParticipantRow[]> {
      if (sessionIds.length === 0) return [];
      return tx
        .selectFrom('training_participants')
        .selectAll()
        .where('session_id', 'in', sessionIds)
        .orderBy('session_id')
        .orderBy('position')
        .execute();
    },

    /** How many participants a session has, and the next position. */
    async participantCount(sessionId: string, tx: Executor = db): Promise<{ n: number; next: number }> {
      const r = await tx
        .selectFrom('training_participants')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('last')])
        .where('session_id', '=', sessionId)
        .executeTakeFirstOrThrow();
      return { n: Number(r.n), next: r.last === null ? 1 : Number(r.last) + 1 };
    },

    async updateParticipant(
      id: string,
      version: number,
      set: Partial<Pick<ParticipantRow, 'attended' | 'texts_sealed' | 'updated_at'>>,
      tx: Executor = db,
    ): Promise<number | undefined> {
      const r = await tx
        .updateTable('training_participants')
        .set({ ...set, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1 ? version + 1 : undefined;
    },

    async deleteParticipant(id: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('training_results').where('participant_id', '=', id).execute();
      await tx.deleteFrom('training_links').where('participant_id', '=', id).execute();
      await tx.deleteFrom('training_participants').where('id', '=', id).execute();
    },

    async insertLinks(rows: readonly LinkRow[], tx: Executor = db): Promise<void> {
      if (rows.length > 0)
        await tx
          .insertInto('training_links')
          .values([...rows])
          .execute();
    },

    /** Revokes the participants' links of a kind (a follow-up's: of those days) that still work. */
    async revokeLinks(
      participantIds: readonly string[],
      kind: LinkRow['kind'],
      days: number | null,
      at: number,
      tx: Executor = db,
    ): Promise<void> {
      if (participantIds.length === 0) return;
      let q = tx
        .updateTable('training_links')
        .set({ revoked_at: at })
        .where('participant_id', 'in', participantIds)
        .where('kind', '=', kind)
        .where('revoked_at', 'is', null);
      q = days === null ? q.where('days', 'is', null) : q.where('days', '=', days);
      await q.execute();
    },

    /** The link a token opens: its own token, or the one its short code was exchanged for. */
    async linkByToken(tokenHash: string, tx: Executor = db): Promise<LinkRow | undefined> {
      return tx
        .selectFrom('training_links')
        .selectAll()
        .where((eb) => eb.or([eb('token_hash', '=', tokenHash), eb('code_token_hash', '=', tokenHash)]))
        .executeTakeFirst();
    },

    async linkByCode(codeHash: string, tx: Executor = db): Promise<LinkRow | undefined> {
      return tx.selectFrom('training_links').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    },

    /** Whether a short code's hash is taken by any link (codes are unique while stored). */
    async codeTaken(codeHashes: readonly string[], tx: Executor = db): Promise<Set<string>> {
      if (codeHashes.length === 0) return new Set();
      const rows = await tx
        .selectFrom('training_links')
        .select('code_hash')
        .where('code_hash', 'in', codeHashes)
        .execute();
      return new Set(rows.map((r) => r.code_hash));
    },

    /** Every link of some sessions, revoked ones too. */
    async linksOf(sessionIds: readonly string[], tx: Executor = db): Promise<LinkRow[]> {
      if (sessionIds.length === 0) return [];
      return tx
        .selectFrom('training_links')
        .selectAll()
        .where('session_id', 'in', sessionIds)
        .orderBy('issued_at')
        .execute();
    },

    async insertResult(row: ResultRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('training_results').values(row).execute();
    },

    async result(participantId: string, phase: string, tx: Executor = db): Promise<ResultRow | undefined> {
      return tx
        .selectFrom('training_results')
        .selectAll()
        .where('participant_id', '=', participantId)
        .where('phase', '=', phase)
        .executeTakeFirst();
    },

    async replaceResult(
      id: string,
      set: Pick<ResultRow, 'via' | 'body_sealed' | 'at'>,
      tx: Executor = db,
    ): Promise<void> {
      await tx.updateTable('training_results').set(set).where('id', '=', id).execute();
    },

    async resultsOf(sessionIds: readonly string[], tx: Executor = db): Promise<ResultRow[]> {
      if (sessionIds.length === 0) return [];
      return tx.selectFrom('training_results').selectAll().where('session_id', 'in', sessionIds).execute();
    },

    async resultsOfParticipant(participantId: string, tx: Executor = db): Promise<ResultRow[]> {
      return tx.selectFrom('training_results').selectAll().where('participant_id', '=', participantId).execute();
    },
  };
}

export type TrainingStore = ReturnType<typeof trainingStore>;
