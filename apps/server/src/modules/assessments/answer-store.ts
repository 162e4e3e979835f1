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

/** An assessment's choices sealed as of an answers version (`assessment_choices`). */
export interface ChoiceSnapshot {
  assessmentId: string;
  answersVersion: number;
  sealed: Uint8Array;
}

/**
 * Answers (`answers`): one row per assessment and question, holding both layers sealed and a
 * version that every write bumps. `save` is the one way an answer is written — from the
 * questionnaire, the review and the CSV import alike — so that answers saved at the same
 * instant never overwrite each other's other layer.
 *
 * Every write to an assessment's answers also bumps `assessments.answers_version`, in the same
 * transaction: the results cache (assessment-service.ts `programmeChoices`, results-service.ts)
 * trusts what it computed for an assessment only while that number is unchanged. The answers
 * import applies staged rows in bulk (`exchange/import-store.ts` `apply`) and bumps the version
 * in the same way; any other way of writing answers must call `touch` for the assessments it
 * wrote, or results go stale.
 */
export function answerStore(db: Db, dialect: Dialect = 'sqlite') {
  /** Bumps the answers version of assessments whose answers were just written (same transaction). */
  async function touch(assessmentIds: readonly string[], tx: Executor = db): Promise<void> {
    for (let i = 0; i < assessmentIds.length; i += 500)
      await tx
        .updateTable('assessments')
        .set((eb) => ({ answers_version: eb('answers_version', '+', 1) }))
        .where('id', 'in', assessmentIds.slice(i, i + 500))
        .execute();
  }

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
    touch,

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
      const version = (await writeQuery(write, expectedVersion, tx).executeTakeFirst())?.version;
      if (version !== undefined) await touch([write.assessmentId], tx);
      return version;
    },

    /**
     * `save`, and the assessment's state read after the write inside the same transaction: its
     * status and whether its round is closed (undefined when the write did not happen, or the
     * assessment is gone). The caller refuses a closed assessment or round, and the
     * transaction rolls the write back. On PostgreSQL the write, the bump of the answers
     * version (which locks the assessment's row: a submit or the closing of the round waits for
     * this transaction, and one that committed first is seen) and the read are one statement,
     * one round trip. On SQLite, which runs one write transaction at a time, they follow one
     * another: a transaction that reads first fails at once when another process commits in
     * between.
     */
    async saveChecked(
      write: AnswerWrite,
      expectedVersion: number | undefined,
      tx: Tx,
    ): Promise<{ version: number | undefined; status: string | undefined; roundClosed: boolean }> {
      if (dialect === 'postgres') {
        const row = await tx
          .with('written', () => writeQuery(write, expectedVersion, tx))
          .with('touched', (q) =>
            q
              .updateTable('assessments')
              .set((eb) => ({ answers_version: eb('answers_version', '+', 1) }))
              .where('id', '=', write.assessmentId)
              .where((eb) => eb.exists(eb.selectFrom('written').select('version')))
              .returning(['status', 'round_closed_at']),
          )
          .selectNoFrom((eb) => [
            eb.selectFrom('written').select('version').as('version'),
            eb.selectFrom('touched').select('status').as('status'),
            eb.selectFrom('touched').select('round_closed_at').as('round_closed_at'),
          ])
          .executeTakeFirstOrThrow();
        return {
          version: row.version ?? undefined,
          status: row.status ?? undefined,
          roundClosed: row.round_closed_at !== null,
        };
      }
      const version = (await writeQuery(write, expectedVersion, tx).executeTakeFirst())?.version;
      if (version === undefined) return { version, status: undefined, roundClosed: false };
      await touch([write.assessmentId], tx);
      const state = await tx
        .selectFrom('assessments')
        .select(['status', 'round_closed_at'])
        .where('id', '=', write.assessmentId)
        .executeTakeFirst();
      return { version, status: state?.status, roundClosed: state !== undefined && state.round_closed_at !== null };
    },

    /** The sealed choices kept for assessments, whatever version they are of. */
    async choiceSnapshots(assessmentIds: readonly string[], tx: Executor = db): Promise<Map<string, ChoiceSnapshot>> {
      const out = new Map<string, ChoiceSnapshot>();
      for (let i = 0; i < assessmentIds.length; i += 500) {
        const rows = await tx
          .selectFrom('assessment_choices')
          .selectAll()
          .where('assessment_id', 'in', assessmentIds.slice(i, i + 500))
          .execute();
        for (const r of rows)
          out.set(r.assessment_id, {
            assessmentId: r.assessment_id,
            answersVersion: r.answers_version,
            sealed: r.sealed,
          });
      }
      return out;
    },

    /**
     * Keeps assessments' sealed choices, replacing what was kept for them unless that is of a
     * later answers version (a slower call must not put back an older snapshot). Rows are written in assessment order, whatever order they
     * come in: several results calls and report jobs (in one process or several) keep the same
     * assessments at once, and two that locked the same rows in different orders would wait on
     * each other in a circle until PostgreSQL failed one of them (deadlock_detected).
     */
    async putChoiceSnapshots(snapshots: readonly ChoiceSnapshot[], tx: Executor = db): Promise<void> {
      const ordered = [...snapshots].sort((a, b) => (a.assessmentId < b.assessmentId ? -1 : 1));
      for (let i = 0; i < ordered.length; i += 200)
        await tx
          .insertInto('assessment_choices')
          .values(
            ordered.slice(i, i + 200).map((x) => ({
              assessment_id: x.assessmentId,
              answers_version: x.answersVersion,
              sealed: x.sealed,
            })),
          )
          .onConflict((oc) =>
            oc
              .column('assessment_id')
              .doUpdateSet((eb) => ({
                answers_version: eb.ref('excluded.answers_version'),
                sealed: eb.ref('excluded.sealed'),
              }))
              .whereRef('assessment_choices.answers_version', '<=', 'excluded.answers_version'),
          )
          .execute();
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
  const counted: (SealedAnswer | null)[] = [];
  for (const r of rows) counted.push(index.questions.has(r.question_id) ? await counting(r) : null);
  return choicesFrom(index, rows, counted);
}

/** `choicesOf` with the answers that count already opened, in the order of the rows. */
export function choicesFrom(
  index: FrameworkIndex,
  rows: readonly Pick<SealedLayers, 'question_id'>[],
  counted: readonly (SealedAnswer | null)[],
): Choices {
  const choices = new Int16Array(index.questionCount).fill(NO_ANSWER);
  rows.forEach((r, i) => {
    const q = index.questions.get(r.question_id);
    const value = counted[i];
    if (!q || !value || value.a === null) return;
    if (value.a === NA) choices[q.position] = NOT_APPLICABLE;
    else {
      const option = q.optionPosition.get(value.a);
      if (option !== undefined) choices[q.position] = option;
    }
  });
  return choices;
}
