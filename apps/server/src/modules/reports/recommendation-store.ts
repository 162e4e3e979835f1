import type { RecommendationEdit } from '@kalaja/engine';
import type { Db, Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

type Row = Awaited<ReturnType<ReturnType<typeof recommendationStore>['ofProgramme']>>[number];

/** A stored row as the engine's edit. */
export function editOf(r: Row): RecommendationEdit {
  return {
    id: r.recommendation_id,
    dropped: r.dropped === 1,
    ...(r.priority !== null && { priority: r.priority as NonNullable<RecommendationEdit['priority']> }),
    texts: JSON.parse(r.texts) as RecommendationEdit['texts'],
  };
}

/** The programme team's review of drafted recommendations (`recommendation_edits`). */
export function recommendationStore(db: Db) {
  return {
    async ofProgramme(programmeId: string, tx: Executor = db) {
      return tx
        .selectFrom('recommendation_edits')
        .selectAll()
        .where('programme_id', '=', programmeId)
        .orderBy('updated_at')
        .orderBy('recommendation_id')
        .execute();
    },

    async byId(programmeId: string, id: string, tx: Executor = db) {
      return tx
        .selectFrom('recommendation_edits')
        .selectAll()
        .where('programme_id', '=', programmeId)
        .where('recommendation_id', '=', id)
        .executeTakeFirst();
    },

    async put(row: DB['recommendation_edits'], tx: Executor = db): Promise<void> {
      const { programme_id: _p, recommendation_id: _r, ...rest } = row;
      await tx
        .insertInto('recommendation_edits')
        .values(row)
        .onConflict((oc) => oc.columns(['programme_id', 'recommendation_id']).doUpdateSet(rest))
        .execute();
    },

    async remove(programmeId: string, id: string, tx: Executor = db): Promise<boolean> {
      const r = await tx
        .deleteFrom('recommendation_edits')
        .where('programme_id', '=', programmeId)
        .where('recommendation_id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

export type RecommendationStore = ReturnType<typeof recommendationStore>;
