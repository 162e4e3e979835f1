import {
  explainChoices,
  indexFramework,
  NA,
  type AssessmentExplanation,
  type Choices,
  type Framework,
} from '@kalaja/engine';
import { AppError, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { groupedTransaction, transaction, type Context } from '../../context.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import { openAnswer, sealAnswer, type SealedAnswer } from './answer-sealing.js';
import { choicesOf, type AnswerStore, type SealedLayers } from './answer-store.js';
import type { AssessmentStore } from './assessment-store.js';
import {
  closedTo,
  type AnswerLayer,
  type AssessmentListItem,
  type AssessmentView,
  type Layer,
  type Status,
} from './assessment-types.js';

/** An assessment as the conversions need it: which one, and whose key opens its answers. */
type Owned = { id: string; organisation_id: string };

/**
 * Assessments: one per organisation per round. The organisation's own answer and the
 * assessor's validated answer are both kept, each sealed under the organisation's data key;
 * the validated one counts. Draft → submitted (by the organisation) → validated (by the
 * assessor). Every write is one upsert of one answer row (see answer-store.ts), so answers
 * saved at the same instant never overwrite each other.
 */
export function assessmentService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    assessments: AssessmentStore;
    answers: AnswerStore;
    programmes: Pick<ProgrammeStore, 'byId'>;
    frameworks: Pick<FrameworkService, 'load'>;
    audit: Pick<AuditStore, 'append'>;
  },
) {
  const { assessments, answers } = deps;

  async function frameworkOf(programmeId: string): Promise<Framework> {
    const p = await deps.programmes.byId(programmeId);
    if (!p) throw notFound('that programme');
    return deps.frameworks.load(p.framework_id);
  }

  async function readable(actor: Actor, id: string) {
    const a = await assessments.byId(id);
    denyAsMissing(
      a !== undefined &&
        policy.readAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id }),
      'that assessment',
    );
    return a;
  }

  const open = (a: Owned, questionId: string, layer: Layer, sealed: Uint8Array | null) =>
    openAnswer(ctx.vault, { organisationId: a.organisation_id, assessmentId: a.id, questionId, layer }, sealed);

  /**
   * The answer that counts for one question: the assessor's validated answer where it names an
   * option or N/A, else the organisation's own. A validated layer holding only a note (no
   * answer) does not hide the organisation's answer.
   */
  async function counting(a: Owned, r: SealedLayers): Promise<SealedAnswer | null> {
    const v = await open(a, r.question_id, 'validated', r.validated_sealed);
    if (v && v.a !== null) return v;
    return open(a, r.question_id, 'own', r.own_sealed);
  }

  /** The answers that count (validated where present, else the organisation's own), as engine choices. */
  async function effectiveChoices(fw: Framework, a: Owned): Promise<Choices> {
    return choicesOf(indexFramework(fw), await answers.ofAssessment(a.id), (r) => counting(a, r));
  }

  /**
   * The answers that count for every assessment of a programme. Opening 80,000 sealed answers
   * takes most of a second, so each assessment's choices are kept in memory with a
   * fingerprint of its answer rows (count and sum of versions — every save bumps a version);
   * a call re-opens only the assessments whose fingerprint changed. Several server processes
   * stay correct: the fingerprint comes from the database every time.
   */
  const choiceCache = new Map<string, { fingerprint: string; choices: Choices }>();
  async function programmeChoices(fw: Framework, assessmentRows: readonly Owned[]): Promise<Map<string, Choices>> {
    const fingerprints = await answers.fingerprints(assessmentRows.map((a) => a.id));
    const result = new Map<string, Choices>();
    const stale: Owned[] = [];
    for (const a of assessmentRows) {
      const hit = choiceCache.get(a.id);
      if (hit && hit.fingerprint === (fingerprints.get(a.id) ?? '0:0')) result.set(a.id, hit.choices);
      else stale.push(a);
    }
    const index = indexFramework(fw);
    for (let i = 0; i < stale.length; i += 200) {
      const batch = stale.slice(i, i + 200);
      const layers = await answers.layersOf(batch.map((a) => a.id));
      for (const a of batch) {
        const choices = await choicesOf(index, layers.get(a.id) ?? [], (r) => counting(a, r));
        if (choiceCache.size >= 50_000) choiceCache.clear();
        choiceCache.set(a.id, { fingerprint: fingerprints.get(a.id) ?? '0:0', choices });
        result.set(a.id, choices);
      }
    }
    return result;
  }

  /**
   * Where an assessment belongs — its programme, organisation and framework — for a save. None
   * of these ever changes once the assessment exists (and assessments are not deleted), so
   * they are kept in memory after the first read, correct in every server process; the status
   * does change, and comes from the database: with the first read here, and inside every
   * save's transaction.
   */
  const places = new Map<string, { programme_id: string; organisation_id: string; framework_id: string }>();
  async function placeOf(
    id: string,
  ): Promise<{ programme_id: string; organisation_id: string; framework_id: string; status?: string } | undefined> {
    const known = places.get(id);
    if (known) return known;
    const a = await assessments.withFramework(id);
    if (!a) return undefined;
    if (places.size >= 50_000) places.clear();
    places.set(id, { programme_id: a.programme_id, organisation_id: a.organisation_id, framework_id: a.framework_id });
    return a;
  }

  /** An organisation answers only a draft; an assessor validates until the assessment is validated. */
  function refuseClosed(layer: Layer, status: string): void {
    if (!closedTo(layer, status)) return;
    if (layer === 'own')
      throw new AppError(
        'conflict',
        'This assessment has been submitted; its answers can no longer be changed by the organisation.',
      );
    throw new AppError('conflict', 'This assessment has been validated and is closed.');
  }

  async function save(
    actor: Actor,
    assessmentId: string,
    questionId: string,
    layer: Layer,
    input: { answer: string | null; note: string },
    expectedVersion?: number,
  ) {
    const a = await placeOf(assessmentId);
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
    if (a.status !== undefined) refuseClosed(layer, a.status);
    const fw = await deps.frameworks.load(a.framework_id);
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
    const sealed = await sealAnswer(
      ctx.vault,
      { organisationId: a.organisation_id, assessmentId, questionId, layer },
      input,
    );
    // Grouped: saves arriving together share one commit (and on PostgreSQL one turn of the
    // audit chain's lock); each still succeeds or fails alone.
    return groupedTransaction(ctx, async (tx) => {
      const { version, status } = await answers.saveChecked(
        { assessmentId, questionId, layer, sealed, by: actor.userId, at: now },
        expectedVersion,
        tx,
      );
      if (version === undefined)
        throw new AppError(
          'precondition_failed',
          'This answer was changed by someone else meanwhile. Reload to see the latest, then save again.',
        );
      // The status again, inside the transaction and the row locked (see saveChecked): a submit
      // that committed since the check above wins (this write is rolled back), so no answer
      // lands after the assessment was submitted.
      if (status === undefined) throw notFound('that assessment');
      refuseClosed(layer, status);
      await deps.audit.append(
        actor,
        {
          action: `answer.${layer}.save`,
          objectType: 'assessment',
          objectId: assessmentId,
          organisationId: a.organisation_id,
        },
        now,
        tx,
      );
      return { question: questionId, version };
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
    await transaction(ctx, async (tx) => {
      // Lock the row first, then read the clock: every save that got in before is committed by
      // now, so no answer's time is later than the moment the assessment was submitted.
      await assessments.lockStatus(id, 'update', tx);
      const now = ctx.now();
      if (!(await assessments.transition(id, from, to, now, tx)))
        throw new AppError('conflict', `Only a ${from} assessment can be ${to}.`);
      await deps.audit.append(
        actor,
        { action: `assessment.${to}`, objectType: 'assessment', objectId: id, organisationId: a.organisation_id },
        now,
        tx,
      );
    });
  }

  return {
    effectiveChoices,
    programmeChoices,

    /**
     * The notes written with the answers of an assessment, for the organisation's confidential
     * report: the organisation's own note and the assessor's note on the validated answer,
     * both, each once (an assessor's note that repeats the organisation's is not repeated).
     * No permission check (callers decide).
     */
    async answerNotes(a: Owned): Promise<{ question: string; note: string; by: 'organisation' | 'assessor' }[]> {
      const notes: { question: string; note: string; by: 'organisation' | 'assessor' }[] = [];
      for (const r of await answers.ofAssessment(a.id)) {
        const own = (await open(a, r.question_id, 'own', r.own_sealed))?.n.trim() ?? '';
        const validated = (await open(a, r.question_id, 'validated', r.validated_sealed))?.n.trim() ?? '';
        if (own !== '') notes.push({ question: r.question_id, note: own, by: 'organisation' });
        if (validated !== '' && validated !== own)
          notes.push({ question: r.question_id, note: validated, by: 'assessor' });
      }
      return notes;
    },

    /** The assessments the actor works on: their organisation's, and those they are assigned to review. */
    async listMine(actor: Actor): Promise<AssessmentListItem[]> {
      const orgs = actor.memberships.filter((m) => m.organisationId !== null).map((m) => m.organisationId!);
      const assigned = [...actor.assignments].flatMap(([programmeId, set]) =>
        [...set].map((organisationId) => ({ programmeId, organisationId })),
      );
      const rows = await assessments.listFor(orgs, assigned);
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
      const layerView = (sealed: SealedAnswer | null, by: string | null, at: number | null): AnswerLayer | null =>
        sealed ? { answer: sealed.a, note: sealed.n, by, at: at === null ? null : new Date(at).toISOString() } : null;
      const rows = await answers.ofAssessment(id);
      const answerViews = await Promise.all(
        rows.map(async (r) => ({
          question: r.question_id,
          own: layerView(await open(a, r.question_id, 'own', r.own_sealed), r.own_by, r.own_at),
          validated: layerView(
            await open(a, r.question_id, 'validated', r.validated_sealed),
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
        answers: answerViews,
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
        await assessments.addNote(
          { id: noteId, assessmentId: id, domainId: input.domain, sealed, authorId: actor.userId, at: now },
          tx,
        );
        await deps.audit.append(
          actor,
          {
            action: 'interview_note.create',
            objectType: 'assessment',
            objectId: id,
            organisationId: a.organisation_id,
          },
          now,
          tx,
        );
      });
      return { id: noteId };
    },

    async interviewNotes(actor: Actor, id: string) {
      const a = await readable(actor, id);
      // What staff said in confidence: the organisation reads its assessment, not these.
      if (!policy.validateAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id })) {
        throw new AppError('forbidden', 'Interview notes are for the assigned assessors and the programme’s managers.');
      }
      const rows = await assessments.notes(id);
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
