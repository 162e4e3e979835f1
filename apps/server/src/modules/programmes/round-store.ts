import type { Db, Executor } from '../../db/database.js';

/**
 * The lifecycle of rounds (`rounds.opened_at`, `rounds.closed_at`, `assessments.round_closed_at`)
 * and its history (`round_events`). Each change is conditional on the state it starts from, so
 * that two managers (or two server processes) doing the same at once change it only once.
 */
export function roundStore(db: Db) {
  return {
    /** One round with its programme, or undefined. */
    async byId(roundId: string, tx: Executor = db) {
      return tx.selectFrom('rounds').selectAll().where('id', '=', roundId).executeTakeFirst();
    },

    /** The round at this position of the programme, or undefined. */
    async atPosition(programmeId: string, position: number, tx: Executor = db) {
      return tx
        .selectFrom('rounds')
        .selectAll()
        .where('programme_id', '=', programmeId)
        .where('position', '=', position)
        .executeTakeFirst();
    },

    /** Opens a round that has never been opened; false when it already was. */
    async markOpened(roundId: string, at: number, tx: Executor): Promise<boolean> {
      const r = await tx
        .updateTable('rounds')
        .set({ opened_at: at })
        .where('id', '=', roundId)
        .where('opened_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /**
     * Closes an open round and marks every assessment of it read-only; false when it was not
     * open. On PostgreSQL the assessments' update waits for the saves under way (they hold their
     * row for share) and makes every later save see the round closed.
     */
    async markClosed(roundId: string, at: number, tx: Executor): Promise<boolean> {
      const r = await tx
        .updateTable('rounds')
        .set({ closed_at: at })
        .where('id', '=', roundId)
        .where('opened_at', 'is not', null)
        .where('closed_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await tx.updateTable('assessments').set({ round_closed_at: at }).where('round_id', '=', roundId).execute();
      return true;
    },

    /** Opens a closed round again; false when it was not closed. */
    async markReopened(roundId: string, tx: Executor): Promise<boolean> {
      const r = await tx
        .updateTable('rounds')
        .set({ closed_at: null })
        .where('id', '=', roundId)
        .where('closed_at', 'is not', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await tx.updateTable('assessments').set({ round_closed_at: null }).where('round_id', '=', roundId).execute();
      return true;
    },

    /** Whether an answer import is writing into an assessment of the round now. */
    async importUnderWay(roundId: string, tx: Executor): Promise<boolean> {
      const hit = await tx
        .selectFrom('assessments')
        .select('id')
        .where('round_id', '=', roundId)
        .where('import_id', 'is not', null)
        .executeTakeFirst();
      return hit !== undefined;
    },

    async addEvent(
      e: {
        id: string;
        roundId: string;
        action: 'open' | 'close' | 'reopen';
        reason: string | null;
        actorId: string | null;
        at: number;
      },
      tx: Executor,
    ): Promise<void> {
      await tx
        .insertInto('round_events')
        .values({ id: e.id, round_id: e.roundId, action: e.action, reason: e.reason, actor_id: e.actorId, at: e.at })
        .execute();
    },

    /** The programme's round history, oldest first, with who acted (null: the round opened by itself). */
    async events(programmeId: string, tx: Executor = db) {
      return tx
        .selectFrom('round_events')
        .innerJoin('rounds', 'rounds.id', 'round_events.round_id')
        .leftJoin('users', 'users.id', 'round_events.actor_id')
        .select([
          'round_events.id',
          'round_events.round_id',
          'rounds.name as round',
          'round_events.action',
          'round_events.reason',
          'round_events.at',
          'users.display_name as actor',
        ])
        .where('rounds.programme_id', '=', programmeId)
        .orderBy('round_events.seq')
        .execute();
    },

    /** Rounds never opened whose start date has come (ISO dates compare as text), in programme and position order. */
    async due(today: string, programmeId?: string, tx: Executor = db) {
      let q = tx
        .selectFrom('rounds')
        .selectAll()
        .where('opened_at', 'is', null)
        .where('starts_on', 'is not', null)
        .where('starts_on', '<=', today);
      if (programmeId !== undefined) q = q.where('programme_id', '=', programmeId);
      return q.orderBy('programme_id').orderBy('position').execute();
    },
  };
}

export type RoundStore = ReturnType<typeof roundStore>;
