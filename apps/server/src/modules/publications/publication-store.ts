import type { Db, Executor } from '../../db/database.js';
import type { PublicationRow } from './publication-types.js';

/**
 * Published versions of rounds (`publications`). Rows are only ever added: a version, once
 * observers may have read it, stays as it was, and the next is checked against every one.
 */
export function publicationStore(db: Db) {
  /** Versions with their round's name and position. */
  const withRound = (tx: Executor) =>
    tx
      .selectFrom('publications')
      .innerJoin('rounds', 'rounds.id', 'publications.round_id')
      .selectAll('publications')
      .select(['rounds.name as round', 'rounds.position']);

  return {
    /** Every version of the programme's rounds, with the round's name and position, in round order, then version. */
    async ofProgramme(programmeId: string, tx: Executor = db) {
      return withRound(tx)
        .where('publications.programme_id', '=', programmeId)
        .orderBy('rounds.position')
        .orderBy('publications.version')
        .execute();
    },

    async byId(id: string, tx: Executor = db) {
      return withRound(tx).where('publications.id', '=', id).executeTakeFirst();
    },

    async insert(row: PublicationRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('publications').values(row).execute();
    },
  };
}

export type PublicationStore = ReturnType<typeof publicationStore>;
