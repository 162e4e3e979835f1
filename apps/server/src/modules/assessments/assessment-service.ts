import {
  explainChoices,
  indexFramework,
  NA,
  NO_ANSWER,
  NOT_APPLICABLE,
  type AssessmentExplanation,
  type Choices,
  type Framework,
} from '@kalaja/engine';
import { AppError, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { transaction, type Context } from '../../context.js';
import { openedOrGone } from '../../crypto/shredded.js';
import type { Executor } from '../../db/database.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import { appendAudit } from '../audit/audit-store.js';
import { answerPlaintext, readAnswerPlaintext } from './answer-sealing.js';
import type { FrameworkService } from '../frameworks/framework-service.js';

export type Layer = 'own' | 'validated';
export type Status = 'draft' | 'submitted' | 'validated';

export interface AnswerLayer {
  answer: string | null;
  note: string;
  by: string | null;
  at: string | null;
}

export interface AssessmentView {
  id: string;
  programmeId: string;
  roundId: string;
  organisationId: string;
  status: Status;
  answers: { question: string; own: AnswerLayer | null; validated: AnswerLayer | null; version: number }[];
}

/** Where each sealed answer belongs: the associated data binds it to this assessment, question and layer. */
const field = (layer: Layer) => `answers.${layer}`;
const rowId = (assessmentId: string, questionId: string) => `${assessmentId}/${questionId}`;

interface Sealed {
  a: string | null;
  n: string;
}

/**
 * Assessments: one per organisation per round. The organisation's own answer and the
 * assessor's validated answer are both kept, each sealed under the organisation's data key;
 * the validated one counts. Draft → submitted (by the organisation) → validated (by the
 * assessor). Every write is one upsert of one answer row, so answers saved at the same
 * instant never overwrite each other.
 */
export function assessmentService(ctx: Context, frameworks: FrameworkService) {
  async function row(db: Executor, id: string) {
    return db.selectFrom('assessments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async function frameworkOf(programmeId: string): Promise<Framework> {
    const p = await ctx.db
      .selectFrom('programmes')
      .select('framework_id')
      .where('id', '=', programmeId)
      .executeTakeFirstOrThrow();
    return frameworks.load(p.framework_id);
  }

  async function readable(actor: Actor, id: string) {
    const a = await row(ctx.db, id);
    denyAsMissing(
      a !== undefined &&
        policy.readAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id }),
      'that assessment',
    );
    return a;
  }

  async function openLayer(
    organisationId: string,
    assessmentId: string,
    questionId: string,
    layer: Layer,
    sealed: Uint8Array | null,
  ): Promise<Sealed | null> {
    if (!sealed) return null;
    // A crypto-shredded organisation's answers answer 410 gone, not 500.
    return readAnswerPlaintext(
      await openedOrGone(ctx.vault.openTextFor(organisationId, field(layer), rowId(assessmentId, questionId), sealed)),
    );
  }

  /**
   * The answer that counts for one question: the assessor's validated answer where it names an
   * option or N/A, else the organisation's own. A validated layer holding only a note (no
   * answer) does not hide the organisation's answer.
   */
  async function countingLayer(
    organisationId: string,
    assessmentId: string,
    questionId: string,
    own: Uint8Array | null,
    validated: Uint8Array | null,
  ): Promise<Sealed | null> {
    const v = await openLayer(organisationId, assessmentId, questionId, 'validated', validated);
    if (v && v.a !== null) return v;
    return openLayer(organisationId, assessmentId, questionId, 'own', own);
  }

  /** The answers that count (validated where present, else the organisation's own), as engine choices. */
  async function effectiveChoices(fw: Framework, a: { id: string; organisation_id: string }): Promise<Choices> {
    const index = indexFramework(fw);
    const choices = new Int16Array(index.questionCount).fill(NO_ANSWER);
    const rows = await ctx.db
      .selectFrom('answers')
      .select(['question_id', 'own_sealed', 'validated_sealed'])
      .where('assessment_id', '=', a.id)
      .execute();
    for (const r of rows) {
      const q = index.questions.get(r.question_id);
      if (!q) continue;
      const value = await countingLayer(a.organisation_id, a.id, r.question_id, r.own_sealed, r.validated_sealed);
      if (!value || value.a === null) continue;
      if (value.a === NA) choices[q.position] = NOT_APPLICABLE;
      else {
        const option = q.optionPosition.get(value.a);
        if (option !== undefined) choices[q.position] = option;
      }
    }
    return choices;
  }

  /**
   * The answers that count for every assessment of a programme. Opening 80,000 sealed answers
   * takes most of a second, so each assessment's choices are kept in memory with a
   * fingerprint of its answer rows (count and sum of versions — every save bumps a version);
   * a call re-opens only the assessments whose fingerprint changed, in one query. Several
   * server processes stay correct: the fingerprint comes from the database every time.
   */
  const choiceCache = new Map<string, { fingerprint: string; choices: Choices }>();
  async function programmeChoices(
    fw: Framework,
    assessmentRows: readonly { id: string; organisation_id: string }[],
  ): Promise<Map<string, Choices>> {
    const ids = assessmentRows.map((a) => a.id);
    const fingerprints = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await ctx.db
        .selectFrom('answers')
        .select((eb) => ['assessment_id', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('version').as('v')])
        .where('assessment_id', 'in', ids.slice(i, i + 500))
        .groupBy('assessment_id')
        .execute();
      for (const r of rows) fingerprints.set(r.assessment_id, `${r.n}:${r.v}`);
    }
    const result = new Map<string, Choices>();
    const stale: { id: string; organisation_id: string }[] = [];
    for (const a of assessmentRows) {
      const fingerprint = fingerprints.get(a.id) ?? '0:0';
      const hit = choiceCache.get(a.id);
      if (hit && hit.fingerprint === fingerprint) result.set(a.id, hit.choices);
      else stale.push(a);
    }
    const index = indexFramework(fw);
    for (let i = 0; i < stale.length; i += 200) {
      const batch = stale.slice(i, i + 200);
      const rows = await ctx.db
        .selectFrom('answers')
        .select(['assessment_id', 'question_id', 'own_sealed', 'validated_sealed'])
        .where(
          'assessment_id',
          'in',
          batch.map((a) => a.id),
        )
        .execute();
      const byAssessment = new Map<string, typeof rows>();
      for (const r of rows) {
        const list = byAssessment.get(r.assessment_id);
        if (list) list.push(r);
        else byAssessment.set(r.assessment_id, [r]);
      }
      for (const a of batch) {
        const choices = new Int16Array(index.questionCount).fill(NO_ANSWER);
        for (const r of byAssessment.get(a.id) ?? []) {
          const q = index.questions.get(r.question_id);
          if (!q) continue;
          const value = await countingLayer(a.organisation_id, a.id, r.question_id, r.own_sealed, r.validated_sealed);
          if (!value || value.a === null) continue;
          if (value.a === NA) choices[q.position] = NOT_APPLICABLE;
          else {
            const option = q.optionPosition.get(value.a);
            if (option !== undefined) choices[q.position] = option;
          }
        }
        if (choiceCache.size >= 50_000) choiceCache.clear();
        choiceCache.set(a.id, { fingerprint: fingerprints.get(a.id) ?? '0:0', choices });
        result.set(a.id, choices);
      }
    }
    return result;
  }

  async function save(
    actor: Actor,
    assessmentId: string,
    questionId: string,
    layer: Layer,
    input: { answer: string | null; note: string },
    expectedVersion?: number,
  ) {
    const a = await row(ctx.db, assessmentId);
    const scope = a && { programmeId: a.programme_id, organisationId: a.organisation_id };
    denyAsMissing(a !== undefined && policy.readAssessment(actor, scope!), 'that assessment');
    const allowed = layer === 'own' ? policy.answerAssessment(actor, scope!) : policy.validateAssessment(actor, scope!);
    if (!allowed)
      throw new AppError(
        'forbidden',
        layer === 'own'
          ? 'Only the organisation answers its own questions.'
          : 'Only the assigned assessor validates answers.',
      );
    if (layer === 'own' && a.status !== 'draft')
      throw new AppError(
        'conflict',
        'This assessment has been submitted; its answers can no longer be changed by the organisation.',
      );
    if (layer === 'validated' && a.status === 'validated')
      throw new AppError('conflict', 'This assessment has been validated and is closed.');
    const fw = await frameworkOf(a.programme_id);
    const q = indexFramework(fw).questions.get(questionId);
    if (!q) throw notFound('that question in this framework');
    if (input.answer !== null) {
      if (input.answer === NA && !q.question.na)
        throw invalid(`Question ${questionId} cannot be answered "not applicable".`, [
          { where: 'answer', message: 'this question does not allow na' },
        ]);
      if (input.answer !== NA && !q.options.has(input.answer)) {
        throw invalid(`"${input.answer}" is not an option of question ${questionId}.`, [
          { where: 'answer', message: `choose one of: ${[...q.options.keys()].join(', ')}` },
        ]);
      }
    }
    const now = ctx.now();
    const cleared = input.answer === null && input.note === '';
    const sealed = cleared
      ? null
      : await ctx.vault.sealFor(
          a.organisation_id,
          field(layer),
          rowId(assessmentId, questionId),
          answerPlaintext(input.answer, input.note),
        );
    const values =
      layer === 'own'
        ? { own_sealed: sealed, own_by: actor.userId, own_at: now }
        : { validated_sealed: sealed, validated_by: actor.userId, validated_at: now };
    const stale = () =>
      new AppError(
        'precondition_failed',
        'This answer was changed by someone else meanwhile. Reload to see the latest, then save again.',
      );
    return transaction(ctx, async (tx) => {
      // With an expected version (If-Match), the write happens only if nobody wrote in between:
      // version 0 means "no answer yet", so the insert must not meet an existing row.
      let result: { version: number } | undefined;
      if (expectedVersion !== undefined && expectedVersion > 0) {
        result = await tx
          .updateTable('answers')
          .set((eb) => ({ ...values, version: eb('answers.version', '+', 1) }))
          .where('assessment_id', '=', assessmentId)
          .where('question_id', '=', questionId)
          .where('version', '=', expectedVersion)
          .returning('version')
          .executeTakeFirst();
      } else {
        result = await tx
          .insertInto('answers')
          .values({
            assessment_id: assessmentId,
            question_id: questionId,
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
      }
      if (!result) throw stale();
      await appendAudit(
        tx,
        ctx.dialect,
        actor,
        {
          action: `answer.${layer}.save`,
          objectType: 'assessment',
          objectId: assessmentId,
          organisationId: a.organisation_id,
        },
        now,
      );
      return { question: questionId, version: result.version };
    });
  }

  async function transition(actor: Actor, id: string, from: Status, to: Status) {
    const a = await readable(actor, id);
    const scope = { programmeId: a.programme_id, organisationId: a.organisation_id };
    const allowed =
      to === 'submitted' ? policy.answerAssessment(actor, scope) : policy.validateAssessment(actor, scope);
    if (!allowed)
      throw new AppError(
        'forbidden',
        to === 'submitted'
          ? 'Only the organisation submits its assessment.'
          : 'Only the assigned assessor validates an assessment.',
      );
    const now = ctx.now();
    await transaction(ctx, async (tx) => {
      const changed = await tx
        .updateTable('assessments')
        .set(to === 'submitted' ? { status: to, submitted_at: now } : { status: to, validated_at: now })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1)
        throw new AppError('conflict', `Only a ${from} assessment can be ${to}.`);
      await appendAudit(
        tx,
        ctx.dialect,
        actor,
        { action: `assessment.${to}`, objectType: 'assessment', objectId: id, organisationId: a.organisation_id },
        now,
      );
    });
  }

  /**
   * The note written with each answer of an assessment, as the answers CSV export gives it:
   * the validated layer's where the assessor wrote one, else the organisation's own. For the
   * organisation's confidential report; no permission check (callers decide).
   */
  async function answerNotes(a: {
    id: string;
    organisation_id: string;
  }): Promise<{ question: string; note: string }[]> {
    const rows = await ctx.db
      .selectFrom('answers')
      .select(['question_id', 'own_sealed', 'validated_sealed'])
      .where('assessment_id', '=', a.id)
      .orderBy('question_id')
      .execute();
    const notes: { question: string; note: string }[] = [];
    for (const r of rows) {
      const layer =
        (await openLayer(a.organisation_id, a.id, r.question_id, 'validated', r.validated_sealed)) ??
        (await openLayer(a.organisation_id, a.id, r.question_id, 'own', r.own_sealed));
      if (layer && layer.n.trim() !== '') notes.push({ question: r.question_id, note: layer.n });
    }
    return notes;
  }

  return {
    effectiveChoices,
    programmeChoices,
    answerNotes,

    /** The assessments the actor works on: their organisation's, and those they are assigned to review. */
    async listMine(actor: Actor) {
      const orgs = actor.memberships.filter((m) => m.organisationId !== null).map((m) => m.organisationId!);
      const assigned = [...actor.assignments].flatMap(([programmeId, set]) =>
        [...set].map((organisationId) => ({ programmeId, organisationId })),
      );
      if (orgs.length === 0 && assigned.length === 0) return [];
      const rows = await ctx.db
        .selectFrom('assessments')
        .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
        .innerJoin('programmes', 'programmes.id', 'assessments.programme_id')
        .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
        .select([
          'assessments.id',
          'assessments.status',
          'assessments.programme_id as programmeId',
          'assessments.organisation_id as organisationId',
          'organisations.name as organisation',
          'programmes.name as programme',
          'rounds.name as round',
          'rounds.position',
        ])
        .where((eb) =>
          eb.or([
            ...(orgs.length ? [eb('assessments.organisation_id', 'in', orgs)] : []),
            ...assigned.map((a) =>
              eb.and([
                eb('assessments.programme_id', '=', a.programmeId),
                eb('assessments.organisation_id', '=', a.organisationId),
              ]),
            ),
          ]),
        )
        .orderBy('programmes.name')
        .orderBy('rounds.position')
        .orderBy('organisations.name')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        status: r.status as Status,
        programmeId: r.programmeId,
        programme: r.programme,
        organisationId: r.organisationId,
        organisation: r.organisation,
        round: r.round,
        /** Why the actor sees it: their own organisation, or an assignment to review. */
        as: orgs.includes(r.organisationId) ? ('organisation' as const) : ('assessor' as const),
      }));
    },

    async get(actor: Actor, id: string): Promise<AssessmentView> {
      const a = await readable(actor, id);
      const rows = await ctx.db
        .selectFrom('answers')
        .selectAll()
        .where('assessment_id', '=', id)
        .orderBy('question_id')
        .execute();
      const layerView = (sealed: Sealed | null, by: string | null, at: number | null): AnswerLayer | null =>
        sealed ? { answer: sealed.a, note: sealed.n, by, at: at === null ? null : new Date(at).toISOString() } : null;
      const answers = await Promise.all(
        rows.map(async (r) => ({
          question: r.question_id,
          own: layerView(
            await openLayer(a.organisation_id, id, r.question_id, 'own', r.own_sealed),
            r.own_by,
            r.own_at,
          ),
          validated: layerView(
            await openLayer(a.organisation_id, id, r.question_id, 'validated', r.validated_sealed),
            r.validated_by,
            r.validated_at,
          ),
          version: r.version,
        })),
      );
      return {
        id: a.id,
        programmeId: a.programme_id,
        roundId: a.round_id,
        organisationId: a.organisation_id,
        status: a.status as Status,
        answers,
      };
    },

    saveOwn: (
      actor: Actor,
      id: string,
      questionId: string,
      input: { answer: string | null; note: string },
      expectedVersion?: number,
    ) => save(actor, id, questionId, 'own', input, expectedVersion),
    saveValidated: (
      actor: Actor,
      id: string,
      questionId: string,
      input: { answer: string | null; note: string },
      expectedVersion?: number,
    ) => save(actor, id, questionId, 'validated', input, expectedVersion),
    submit: (actor: Actor, id: string) => transition(actor, id, 'draft', 'submitted'),
    validate: (actor: Actor, id: string) => transition(actor, id, 'submitted', 'validated'),

    async addInterviewNote(actor: Actor, id: string, input: { domain: string; body: string }): Promise<{ id: string }> {
      const a = await readable(actor, id);
      if (!policy.validateAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id })) {
        throw new AppError('forbidden', 'Only the assigned assessor writes interview notes.');
      }
      const fw = await frameworkOf(a.programme_id);
      if (!fw.domains.some((d) => d.id === input.domain))
        throw invalid(`There is no domain "${input.domain}" in this framework.`, [
          { where: 'domain', message: 'unknown domain' },
        ]);
      const noteId = newId();
      const sealed = await ctx.vault.sealFor(a.organisation_id, 'interview_notes.body', noteId, input.body);
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await tx
          .insertInto('interview_notes')
          .values({
            id: noteId,
            assessment_id: id,
            domain_id: input.domain,
            body_sealed: sealed,
            author_id: actor.userId,
            created_at: now,
          })
          .execute();
        await appendAudit(
          tx,
          ctx.dialect,
          actor,
          {
            action: 'interview_note.create',
            objectType: 'assessment',
            objectId: id,
            organisationId: a.organisation_id,
          },
          now,
        );
      });
      return { id: noteId };
    },

    async interviewNotes(actor: Actor, id: string) {
      const a = await readable(actor, id);
      const rows = await ctx.db
        .selectFrom('interview_notes')
        .selectAll()
        .where('assessment_id', '=', id)
        .orderBy('created_at')
        .execute();
      return Promise.all(
        rows.map(async (r) => ({
          id: r.id,
          domain: r.domain_id,
          // A crypto-shredded organisation's notes answer 410 gone, not 500.
          body: await openedOrGone(
            ctx.vault.openTextFor(a.organisation_id, 'interview_notes.body', r.id, r.body_sealed),
          ),
          authorId: r.author_id,
          at: new Date(r.created_at).toISOString(),
        })),
      );
    },

    /** The assessment's scores with the engine's explanations, from the answers that count. */
    async results(actor: Actor, id: string): Promise<AssessmentExplanation> {
      const a = await readable(actor, id);
      const fw = await frameworkOf(a.programme_id);
      return explainChoices(fw, await effectiveChoices(fw, a));
    },
  };
}

export type AssessmentService = ReturnType<typeof assessmentService>;
