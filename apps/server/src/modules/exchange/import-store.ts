import { sql } from 'kysely';
import type { Db, Dialect, Executor } from '../../db/database.js';
import type { Layer } from '../assessments/assessment-types.js';

export type ImportStatus = 'checking' | 'staging' | 'applying' | 'done' | 'failed';

/** One staged answer: sealed already, for one assessment and question. */
export interface StagedRow {
  seq: number;
  assessmentId: string;
  questionId: string;
  sealed: Uint8Array | null;
}

/** The largest IN list sent at once: well inside SQLite's and PostgreSQL's parameter limits. */
const IN_LIST = 500;

function* slices<T>(list: readonly T[], size = IN_LIST): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

/**
 * Answer imports as jobs (`answer_imports`, `answer_import_rows`, `assessments.import_id`;
 * decision 0010). The rows are staged in bounded transactions, then applied assessment by
 * assessment with one INSERT … SELECT each batch, so that nothing holds the database for long.
 */
export function importStore(db: Db, dialect: Dialect) {
  return {
    async create(
      job: { id: string; programmeId: string; roundId: string; layer: Layer; by: string; at: number },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('answer_imports')
        .values({
          id: job.id,
          programme_id: job.programmeId,
          round_id: job.roundId,
          layer: job.layer,
          status: 'checking',
          rows_total: 0,
          rows_done: 0,
          organisations: 0,
          error: null,
          problems: null,
          created_by: job.by,
          created_at: job.at,
          heartbeat_at: job.at,
          finished_at: null,
        })
        .execute();
    },

    async byId(id: string, tx: Executor = db) {
      return tx.selectFrom('answer_imports').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async update(
      id: string,
      set: Partial<{
        status: ImportStatus;
        rows_total: number;
        rows_done: number;
        organisations: number;
        error: string | null;
        problems: string | null;
        heartbeat_at: number;
        finished_at: number | null;
      }>,
      tx: Executor = db,
    ): Promise<void> {
      await tx.updateTable('answer_imports').set(set).where('id', '=', id).execute();
    },

    /**
     * Takes over a job whose heartbeat is older than `staleBefore`: only one process wins
     * (the heartbeat it read must still be there). Returns whether this one did.
     */
    async claim(id: string, seenHeartbeat: number, at: number): Promise<boolean> {
      const r = await db
        .updateTable('answer_imports')
        .set({ heartbeat_at: at })
        .where('id', '=', id)
        .where('heartbeat_at', '=', seenHeartbeat)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Jobs not finished whose heartbeat is older than `staleBefore` (their process stopped). */
    async stale(staleBefore: number) {
      return db
        .selectFrom('answer_imports')
        .selectAll()
        .where('status', 'in', ['checking', 'staging', 'applying'])
        .where('heartbeat_at', '<', staleBefore)
        .execute();
    },

    async stage(importId: string, rows: readonly StagedRow[], tx: Executor): Promise<void> {
      if (rows.length === 0) return;
      for (const part of slices(rows))
        await tx
          .insertInto('answer_import_rows')
          .values(
            part.map((r) => ({
              import_id: importId,
              seq: r.seq,
              assessment_id: r.assessmentId,
              question_id: r.questionId,
              sealed: r.sealed,
            })),
          )
          .execute();
    },

    /** Drops what a job staged (a refused or abandoned import). */
    async discard(importId: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('answer_import_rows').where('import_id', '=', importId).execute();
    },

    /**
     * Marks the assessments as being written by this import, each only if no other import
     * holds it, its status still takes this layer and its round is not closed. Returns how many
     * were marked: fewer than asked means one of them was submitted, validated or imported into
     * meanwhile, or its round was closed.
     */
    async reserve(importId: string, assessmentIds: readonly string[], open: readonly string[], tx: Executor) {
      let marked = 0;
      for (const part of slices(assessmentIds)) {
        const r = await tx
          .updateTable('assessments')
          .set({ import_id: importId })
          .where('id', 'in', part)
          .where('import_id', 'is', null)
          .where('status', 'in', open)
          // A closed round takes no import (closing marks its assessments; see round-store.ts).
          .where('round_closed_at', 'is', null)
          .executeTakeFirst();
        marked += Number(r.numUpdatedRows);
      }
      return marked;
    },

    /** The assessments this import still has to write, in a stable order. */
    async pending(importId: string, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectFrom('assessments')
        .select('id')
        .where('import_id', '=', importId)
        .orderBy('id')
        .execute();
      return rows.map((r) => r.id);
    },

    /** How many staged rows each of these assessments has. */
    async rowCounts(importId: string, assessmentIds: readonly string[], tx: Executor = db) {
      const counts = new Map<string, number>();
      for (const part of slices(assessmentIds)) {
        const rows = await tx
          .selectFrom('answer_import_rows')
          .select((eb) => ['assessment_id', eb.fn.countAll<number>().as('n')])
          .where('import_id', '=', importId)
          .where('assessment_id', 'in', part)
          .groupBy('assessment_id')
          .execute();
        for (const r of rows) counts.set(r.assessment_id, Number(r.n));
      }
      return counts;
    },

    /**
     * Writes the staged rows of these assessments into `answers` — one layer only, as a single
     * save does, so the other layer is left as it is — drops them from staging, releases
     * the assessments and bumps their answers version, as every write to answers must.
     */
    async apply(
      importId: string,
      assessmentIds: readonly string[],
      layer: Layer,
      by: string,
      at: number,
      tx: Executor,
    ): Promise<void> {
      const [sealedCol, byCol, atCol] =
        layer === 'own'
          ? (['own_sealed', 'own_by', 'own_at'] as const)
          : (['validated_sealed', 'validated_by', 'validated_at'] as const);
      // Typed parameters: PostgreSQL cannot infer a bare parameter's type in a select list.
      const byValue = dialect === 'postgres' ? sql<string>`cast(${by} as text)` : sql<string>`${by}`;
      const atValue = sql<number>`cast(${at} as bigint)`;
      await tx
        .insertInto('answers')
        .columns(['assessment_id', 'question_id', sealedCol, byCol, atCol, 'version'])
        .expression((eb) =>
          eb
            .selectFrom('answer_import_rows')
            .select([
              'assessment_id',
              'question_id',
              'sealed',
              byValue.as('by'),
              atValue.as('at'),
              sql<number>`1`.as('version'),
            ])
            .where('import_id', '=', importId)
            .where('assessment_id', 'in', assessmentIds),
        )
        .onConflict((oc) =>
          oc.columns(['assessment_id', 'question_id']).doUpdateSet((eb) => ({
            [sealedCol]: eb.ref(`excluded.${sealedCol}`),
            [byCol]: eb.ref(`excluded.${byCol}`),
            [atCol]: eb.ref(`excluded.${atCol}`),
            version: eb('answers.version', '+', 1),
          })),
        )
        .execute();
      await tx
        .deleteFrom('answer_import_rows')
        .where('import_id', '=', importId)
        .where('assessment_id', 'in', assessmentIds)
        .execute();
      await tx
        .updateTable('assessments')
        .set({ import_id: null })
        .where('id', 'in', assessmentIds)
        .where('import_id', '=', importId)
        .execute();
      // Their answers changed: the results computed for them are no longer current (decision 0011).
      await tx
        .updateTable('assessments')
        .set((eb) => ({ answers_version: eb('answers_version', '+', 1) }))
        .where('id', 'in', assessmentIds)
        .execute();
    },
  };
}

export type ImportStore = ReturnType<typeof importStore>;
