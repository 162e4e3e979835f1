import { NA, NO_ANSWER, NOT_APPLICABLE, type Choices, type FrameworkIndex } from '@kalaja/engine';
import type { Db, Dialect, Executor, Tx } from '../../db/database.js';
import type { SealedAnswer } from './answer-sealing.js';
import type { Layer } from './assessment-types.js';

/** An answer row's sealed layers, as the choices are made from. */
export interface SealedLayers {
  question_id: string;
  own_sealed: Uint8Array | null;
  validated_sealed: Uint8Array | null;
}

/** One layer of one answer to write: sealed already (or null to clear it), by whom and when. */
export interface AnswerWrite {
  assessmentId: string;
  questionId: string;
  layer: Layer;
  sealed: Uint8Array | null;
  by: string;
  at: number;
}

/**
 * Answers (`answers`): one row per assessment and question, holding both layers sealed and a
 * version that every write bumps. `save` is the one way an answer is written — from the
 * questionnaire, the review and the CSV import alike — so that answers saved at the same
 * instant never overwrite each other's other layer.
 */
export function answerStore(db: Db, dialect: Dialect = 'sqlite') {
  /** The values of one layer's columns. */
  const layerValues = (write: AnswerWrite) =>
    write.layer === 'own'
      ? { own_sealed: write.sealed, own_by: write.by, own_at: write.at }
      : { validated_sealed: write.sealed, validated_by: write.by, validated_at: write.at };

  /** The write `save` makes: an update of one version, or an upsert (see `save`). */
  function writeQuery(write: AnswerWrite, expectedVersion: number | undefined, tx: Executor) {
    const values = layerValues(write);
    if (expectedVersion !== undefined && expectedVersion > 0)
      return tx
        .updateTable('answers')
        .set((eb) => ({ ...values, version: eb('answers.version', '+', 1) }))
        .where('assessment_id', '=', write.assessmentId)
        .where('question_id', '=', write.questionId)
        .where('version', '=', expectedVersion)
        .returning('version');
    return tx
      .insertInto('answers')
      .values({
        assessment_id: write.assessmentId,
        question_id: write.questionId,
        own_sealed: null,
        own_by: null,
        own_at: null,
        validated_sealed: null,
        validated_by: null,
        validated_at: null,
        ...values,
        version: 1,
      })
      .onConflict((oc) => {
        const cols = oc.columns(['assessment_id', 'question_id']);
        return expectedVersion === 0
          ? cols.doNothing()
          : cols.doUpdateSet((eb) => ({ ...values, version: eb('answers.version', '+', 1) }));
      })
      .returning('version');
  }

  return {
    /**
     * Writes one layer of one answer, inserting the row or updating only that layer, and
     * returns the row's new version. With `expectedVersion` (If-Match) the write happens only
     * if nobody wrote in between — 0 means "no answer yet", so the row must not exist — and
     * undefined comes back when somebody did.
     */
    async save(
      write: AnswerWrite,
      expectedVersion: number | undefined,
      tx: Executor = db,
    ): Promise<number | undefined> {
      return (await writeQuery(write, expectedVersion, tx).executeTakeFirst())?.version;
    },

    /**
     * `save`, and the assessment's status read after the write inside the same transaction
     * (undefined when the assessment is gone, or when the write did not happen): the caller
     * refuses a closed assessment and the transaction rolls the write back. On PostgreSQL the
     * assessment row is locked `for share` (a submit waits for this transaction; a submit that
     * committed first is seen) and both happen in one statement, one round trip. On SQLite,
     * which runs one write transaction at a time, the read follows the write: a transaction
     * that reads first fails at once when another process commits in between.
     */
    async saveChecked(
      write: AnswerWrite,
      expectedVersion: number | undefined,
      tx: Tx,
    ): Promise<{ version: number | undefined; status: string | undefined }> {
      if (dialect === 'postgres') {
        const row = await tx
          .with('written', () => writeQuery(write, expectedVersion, tx))
          .with('assessment', (q) =>
            q.selectFrom('assessments').select('status').where('id', '=', write.assessmentId).forShare(),
          )
          .selectNoFrom((eb) => [
            eb.selectFrom('written').select('version').as('version'),
            eb.selectFrom('assessment').select('status').as('status'),
          ])
          .executeTakeFirstOrThrow();
        return {
          version: row.version ?? undefined,
          status: row.version === null ? undefined : (row.status ?? undefined),
        };
      }
      const version = (await writeQuery(write, expectedVersion, tx).executeTakeFirst())?.version;
      if (version === undefined) return { version, status: undefined };
      const status = (
        await tx.selectFrom('assessments').select('status').where('id', '=', write.assessmentId).executeTakeFirst()
      )?.status;
      return { version, status };
    },

    /** Every answer row of an assessment, by question. */
    async ofAssessment(assessmentId: string, tx: Executor = db) {
      return tx
        .selectFrom('answers')
        .selectAll()
        .where('assessment_id', '=', assessmentId)
        .orderBy('question_id')
        .execute();
    },

    /** Each assessment's answer count and sum of versions: it changes with every save. Assessments without answers are left out. */
    async fingerprints(assessmentIds: readonly string[], tx: Executor = db): Promise<Map<string, string>> {
      const fingerprints = new Map<string, string>();
      for (let i = 0; i < assessmentIds.length; i += 500) {
        const rows = await tx
          .selectFrom('answers')
          .select((eb) => ['assessment_id', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('version').as('v')])
          .where('assessment_id', 'in', assessmentIds.slice(i, i + 500))
          .groupBy('assessment_id')
          .execute();
        for (const r of rows) fingerprints.set(r.assessment_id, `${r.n}:${r.v}`);
      }
      return fingerprints;
    },

    /** The sealed layers of several assessments' answers, grouped by assessment. */
    async layersOf(assessmentIds: readonly string[], tx: Executor = db): Promise<Map<string, SealedLayers[]>> {
      const byAssessment = new Map<string, SealedLayers[]>();
      if (assessmentIds.length === 0) return byAssessment;
      const rows = await tx
        .selectFrom('answers')
        .select(['assessment_id', 'question_id', 'own_sealed', 'validated_sealed'])
        .where('assessment_id', 'in', assessmentIds)
        .execute();
      for (const r of rows) {
        const list = byAssessment.get(r.assessment_id);
        if (list) list.push(r);
        else byAssessment.set(r.assessment_id, [r]);
      }
      return byAssessment;
    },
  };
}

export type AnswerStore = ReturnType<typeof answerStore>;

/**
 * An assessment's answer rows as the engine's choices: the one conversion, for the results
 * page, the reports and the explanations alike. `counting` opens the layer that counts for a
 * row; a question the framework does not have, an empty answer and an unknown option are
 * left unanswered.
 */
export async function choicesOf(
  index: FrameworkIndex,
  rows: readonly SealedLayers[],
  counting: (row: SealedLayers) => Promise<SealedAnswer | null>,
): Promise<Choices> {
  const choices = new Int16Array(index.questionCount).fill(NO_ANSWER);
  for (const r of rows) {
    const q = index.questions.get(r.question_id);
    if (!q) continue;
    const value = await counting(r);
    if (!value || value.a === null) continue;
    if (value.a === NA) choices[q.position] = NOT_APPLICABLE;
    else {
      const option = q.optionPosition.get(value.a);
      if (option !== undefined) choices[q.position] = option;
    }
  }
  return choices;
}
