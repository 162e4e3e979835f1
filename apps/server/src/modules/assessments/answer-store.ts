import { NA, NO_ANSWER, NOT_APPLICABLE, type Choices, type FrameworkIndex } from '@kalaja/engine';
import type { Db, Executor } from '../../db/database.js';
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
export function answerStore(db: Db) {
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
      const values =
        write.layer === 'own'
          ? { own_sealed: write.sealed, own_by: write.by, own_at: write.at }
          : { validated_sealed: write.sealed, validated_by: write.by, validated_at: write.at };
      if (expectedVersion !== undefined && expectedVersion > 0) {
        const updated = await tx
          .updateTable('answers')
          .set((eb) => ({ ...values, version: eb('answers.version', '+', 1) }))
          .where('assessment_id', '=', write.assessmentId)
          .where('question_id', '=', write.questionId)
          .where('version', '=', expectedVersion)
          .returning('version')
          .executeTakeFirst();
        return updated?.version;
      }
      const saved = await tx
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
        .returning('version')
        .executeTakeFirst();
      return saved?.version;
    },

    /**
     * Puts the answers carried over from the round before beside a newly opened round's
     * questions: a row each, holding only the carried answer (version 1). A row already there
     * is left as it is. Not an answer: nothing scores or counts the carried layer.
     */
    async insertCarried(
      rows: readonly { assessmentId: string; questionId: string; sealed: Uint8Array }[],
      tx: Executor,
    ): Promise<void> {
      for (let i = 0; i < rows.length; i += 500)
        await tx
          .insertInto('answers')
          .values(
            rows.slice(i, i + 500).map((r) => ({
              assessment_id: r.assessmentId,
              question_id: r.questionId,
              own_sealed: null,
              own_by: null,
              own_at: null,
              validated_sealed: null,
              validated_by: null,
              validated_at: null,
              carried_sealed: r.sealed,
              version: 1,
            })),
          )
          .onConflict((oc) => oc.columns(['assessment_id', 'question_id']).doNothing())
          .execute();
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
