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
import { SealError } from '../../crypto/seal.js';
import { yielder } from '../../event-loop.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import { roundState, type RoundRow } from '../programmes/programme-types.js';
import { isoDay, roundNotOpen, type RoundService } from '../programmes/round-service.js';
import { openAnswer, readAnswerPlaintext, sealAnswer, type SealedAnswer, type SealedLayer } from './answer-sealing.js';
import { choicesFrom, choicesOf, type AnswerStore, type ChoiceSnapshot, type SealedLayers } from './answer-store.js';
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
/** An assessment row as the programme's choices are kept by: with its answers version. */
type Counted = Owned & { answers_version: number };

/** Associated data field of an assessment's sealed choices (`assessment_choices`). */
const SNAPSHOT_FIELD = 'assessment_choices.sealed';

/** The assessments of each organisation, in the order given. */
function byOrganisation<T extends Owned>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.organisation_id);
    if (list) list.push(r);
    else out.set(r.organisation_id, [r]);
  }
  return out;
}

/**
 * An assessment's choices as they are sealed: the answers version and the framework they were
 * made for (inside the seal, so that an older snapshot cannot be passed off as the current
 * one), then one 16-bit value per question. Every snapshot of a framework has the same length.
 */
function snapshotBytes(version: number, framework: string, choices: Choices): Uint8Array {
  const name = Buffer.from(framework, 'utf8');
  const out = Buffer.alloc(4 + 2 + name.length + 2 * choices.length);
  out.writeUInt32LE(version, 0);
  out.writeUInt16LE(name.length, 4);
  name.copy(out, 6);
  for (let i = 0; i < choices.length; i++) out.writeInt16LE(choices[i]!, 6 + name.length + 2 * i);
  return out;
}

/** The choices in a snapshot, or undefined when it is of another version, framework or size. */
function readSnapshot(bytes: Buffer, version: number, framework: string, questions: number): Choices | undefined {
  if (bytes.length < 6 || bytes.readUInt32LE(0) !== version) return undefined;
  const length = bytes.readUInt16LE(4);
  if (bytes.toString('utf8', 6, 6 + length) !== framework) return undefined;
  const start = 6 + length;
  if (bytes.length !== start + 2 * questions) return undefined;
  const choices = new Int16Array(questions);
  for (let i = 0; i < questions; i++) choices[i] = bytes.readInt16LE(start + 2 * i);
  return choices;
}

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
    programmes: Pick<ProgrammeStore, 'byId' | 'rounds'>;
    frameworks: Pick<FrameworkService, 'load'>;
    audit: Pick<AuditStore, 'append'>;
    /** Writes go to open rounds only: saves, notes and status changes into others are refused. */
    rounds: Pick<RoundService, 'requireOpen' | 'openDue'>;
    /** Where a sealed snapshot that could not be kept is told (the server's log). */
    log?: { warn(obj: object, msg: string): void };
  },
) {
  const { assessments, answers } = deps;

  async function frameworkOf(programmeId: string): Promise<Framework> {
    const p = await deps.programmes.byId(programmeId);
    if (!p) throw notFound('that programme');
    return deps.frameworks.load(p.framework_id);
  }

  async function readable(actor: Actor, id: string) {
    const a = await assessments.withRound(id);
    denyAsMissing(
      a !== undefined &&
        policy.readAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id }),
      'that assessment',
    );
    return a;
  }

  const open = (a: Owned, questionId: string, layer: SealedLayer, sealed: Uint8Array | null) =>
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

  /** The answer carried over from the round before, as the questionnaire shows it beside the question. */
  async function carriedView(a: Owned, r: { question_id: string; carried_sealed: Uint8Array | null }) {
    const c = await open(a, r.question_id, 'carried', r.carried_sealed);
    return c ? { answer: c.a, note: c.n } : null;
  }

  /** The answers that count (validated where present, else the organisation's own), as engine choices. */
  async function effectiveChoices(fw: Framework, a: Owned): Promise<Choices> {
    return choicesOf(indexFramework(fw), await answers.ofAssessment(a.id), (r) => counting(a, r));
  }

  /**
   * The answers that count for every assessment of a programme, as engine choices. Opening
   * 160,000 sealed answers takes more than a second, so it is done once per change, not per
   * call (decision 11):
   *
   * 1. in memory: each assessment's choices with the answers version they were made from
   *    (`assessments.answers_version`, bumped by every write to its answers, read with the
   *    rows); a row whose version is unchanged costs nothing;
   * 2. kept sealed in the database (`assessment_choices`, under the organisation's key): a
   *    server that has just started, or another server process, opens one value per
   *    assessment rather than its eighty answers;
   * 3. otherwise from the answers, opened in batches — one key lookup per organisation, not per
   *    answer — and kept in both places.
   *
   * Every few milliseconds of this work (`sliceMs`, 8 by default; a report job, which nobody
   * waits on, takes shorter slices) the event loop takes a turn, so that people saving answers
   * are not held while a large programme is opened for the first time.
   */
  const choiceCache = new Map<string, { version: number; framework: string; choices: Choices }>();
  async function programmeChoices(
    fw: Framework,
    rows: readonly Counted[],
    options: { sliceMs?: number } = {},
  ): Promise<Map<string, Choices>> {
    const framework = `${fw.id}@${fw.version}`;
    const index = indexFramework(fw);
    const pause = yielder(options.sliceMs);
    const result = new Map<string, Choices>();
    const keep = (a: Counted, choices: Choices) => {
      if (choiceCache.size >= 50_000) choiceCache.clear();
      choiceCache.set(a.id, { version: a.answers_version, framework, choices });
      result.set(a.id, choices);
    };
    const stale: Counted[] = [];
    for (const a of rows) {
      const hit = choiceCache.get(a.id);
      if (hit && hit.version === a.answers_version && hit.framework === framework) result.set(a.id, hit.choices);
      else stale.push(a);
    }

    // One read for every organisation's data key, not one per organisation.
    await ctx.vault.preload(stale.map((a) => a.organisation_id));
    const fromAnswers: Counted[] = [];
    for (let i = 0; i < stale.length; i += 500) {
      const batch = stale.slice(i, i + 500);
      const snapshots = await answers.choiceSnapshots(batch.map((a) => a.id));
      for (const [organisationId, mine] of byOrganisation(batch)) {
        const current = mine.filter((a) => snapshots.get(a.id)?.answersVersion === a.answers_version);
        let opened: Buffer[] = [];
        try {
          opened = await openedOrGone(
            ctx.vault.openManyFor(
              organisationId,
              SNAPSHOT_FIELD,
              current.map((a) => ({ rowId: a.id, sealed: snapshots.get(a.id)!.sealed })),
            ),
          );
        } catch (error) {
          // A snapshot that does not open (damaged, or moved from another row) is made again from the answers.
          if (!(error instanceof SealError)) throw error;
          current.length = 0;
        }
        const fresh = new Set<string>();
        current.forEach((a, k) => {
          const choices = readSnapshot(opened[k]!, a.answers_version, framework, index.questionCount);
          if (!choices) return;
          keep(a, choices);
          fresh.add(a.id);
        });
        for (const a of mine) if (!fresh.has(a.id)) fromAnswers.push(a);
        await pause();
      }
    }

    for (let i = 0; i < fromAnswers.length; i += 200) {
      const batch = fromAnswers.slice(i, i + 200);
      const layers = await answers.layersOf(batch.map((a) => a.id));
      const snapshots: ChoiceSnapshot[] = [];
      for (const [organisationId, mine] of byOrganisation(batch)) {
        for (const a of mine) {
          const rows = layers.get(a.id) ?? [];
          const counted = await countedAnswers(organisationId, a.id, rows);
          const choices = choicesFrom(index, rows, counted);
          keep(a, choices);
          snapshots.push({
            assessmentId: a.id,
            answersVersion: a.answers_version,
            sealed: await ctx.vault.sealFor(
              organisationId,
              SNAPSHOT_FIELD,
              a.id,
              snapshotBytes(a.answers_version, framework, choices),
            ),
          });
          await pause();
        }
      }
      await keepSnapshots(snapshots);
    }
    return result;
  }

  /**
   * Keeps sealed snapshots for the next server or call. They only save work: when the database
   * refuses them (a lock lost to another transaction, a busy SQLite file), whoever asked still
   * gets the choices, already made, and the failure goes to the log by its code alone.
   */
  async function keepSnapshots(snapshots: readonly ChoiceSnapshot[]): Promise<void> {
    try {
      await transaction(ctx, (tx) => answers.putChoiceSnapshots(snapshots, tx));
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code !== 'string') throw error;
      deps.log?.warn({ code, assessments: snapshots.length }, 'sealed choices not kept; they are made again next time');
    }
  }

  /**
   * The answers that count of one assessment's rows, opened in two batches: the validated
   * layers, then the organisation's own where no validated answer names an option or N/A.
   */
  async function countedAnswers(
    organisationId: string,
    assessmentId: string,
    rows: readonly SealedLayers[],
  ): Promise<(SealedAnswer | null)[]> {
    const openLayer = async (layer: Layer, which: number[]) => {
      const sealed = which.map((k) => (layer === 'own' ? rows[k]!.own_sealed : rows[k]!.validated_sealed)!);
      const opened = await openedOrGone(
        ctx.vault.openManyFor(
          organisationId,
          `answers.${layer}`,
          which.map((k, j) => ({ rowId: `${assessmentId}/${rows[k]!.question_id}`, sealed: sealed[j]! })),
        ),
      );
      return opened.map((b) => readAnswerPlaintext(b.toString('utf8')));
    };
    const counted: (SealedAnswer | null)[] = rows.map(() => null);
    const validated = rows.flatMap((r, k) => (r.validated_sealed ? [k] : []));
    (await openLayer('validated', validated)).forEach((v, j) => {
      if (v.a !== null) counted[validated[j]!] = v;
    });
    const own = rows.flatMap((r, k) => (counted[k] === null && r.own_sealed ? [k] : []));
    (await openLayer('own', own)).forEach((v, j) => {
      counted[own[j]!] = v;
    });
    return counted;
  }

  /**
   * Where an assessment belongs, for a save: its programme, organisation, framework and round.
   * None of these changes once the assessment exists (assessments are not deleted), and a round
   * once opened stays opened — it may close and reopen, which every save's transaction checks
   * (`saveChecked`) — so once its round has opened they are kept in memory, correct in every
   * server process, and a save no longer reads them. Read from the database they come with the
   * status; from memory without, and the status comes from the save's transaction alone.
   */
  type Place = { programme_id: string; organisation_id: string; framework_id: string; round: RoundRow };
  const places = new Map<string, Place>();
  async function placeOf(id: string): Promise<(Place & { status?: string }) | undefined> {
    const known = places.get(id);
    if (known) return known;
    const a = await assessments.withRound(id);
    if (!a) return undefined;
    if (a.round.opened_at !== null) {
      if (places.size >= 50_000) places.clear();
      places.set(id, {
        programme_id: a.programme_id,
        organisation_id: a.organisation_id,
        framework_id: a.framework_id,
        round: a.round,
      });
    }
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
    // Read now (not from memory): refuse a closed assessment or round before any work.
    if (a.status !== undefined) {
      refuseClosed(layer, a.status);
      await deps.rounds.requireOpen(a.round);
    }
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
    return groupedTransaction(ctx, assessmentId, async (tx) => {
      const { version, status, roundClosed } = await answers.saveChecked(
        { assessmentId, questionId, layer, sealed, by: actor.userId, at: now },
        expectedVersion,
        tx,
      );
      if (version === undefined)
        throw new AppError(
          'precondition_failed',
          'This answer was changed by someone else meanwhile. Reload to see the latest, then save again.',
        );
      // The state again, inside the transaction and the row locked (see saveChecked): a submit
      // or a close of the round that committed since the checks above wins (this write is
      // rolled back), so no answer lands after the assessment was submitted or its round closed.
      if (status === undefined) throw notFound('that assessment');
      refuseClosed(layer, status);
      if (roundClosed) throw roundNotOpen({ ...a.round, closed_at: 1 });
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
    await deps.rounds.requireOpen(a.round);
    await transaction(ctx, async (tx) => {
      // Lock the row first, then read the clock: every save that got in before is committed by
      // now, so no answer's time is later than the moment the assessment was submitted.
      if ((await assessments.lockStatus(id, 'update', tx))?.roundClosed)
        throw roundNotOpen({ ...a.round, closed_at: 1 });
      // An accepted import is still writing this assessment's answers: submitting or
      // validating it now would close it on half of them.
      if (await assessments.importUnderWay(id, tx))
        throw new AppError(
          'conflict',
          'An import of answers into this assessment is being written; try again in a minute.',
        );
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
      let rows = await assessments.listFor(orgs, assigned);
      // A round whose start date has come opens by itself, so that it shows as open here.
      const today = isoDay(ctx.now());
      const due = new Set(
        rows
          .filter((r) => r.roundOpenedAt === null && r.roundStartsOn !== null && r.roundStartsOn <= today)
          .map((r) => r.programmeId),
      );
      let opened = 0;
      for (const programmeId of due) opened += await deps.rounds.openDue(programmeId);
      if (opened > 0) rows = await assessments.listFor(orgs, assigned);
      return rows.map((r) => ({
        id: r.id,
        status: r.status as Status,
        programmeId: r.programmeId,
        programme: r.programme,
        organisationId: r.organisationId,
        organisation: r.organisation,
        round: r.round,
        roundState: roundState({ opened_at: r.roundOpenedAt, closed_at: r.roundClosedAt }),
        roundStartsOn: r.roundStartsOn,
        roundEndsOn: r.roundEndsOn,
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
          carried: await carriedView(a, r),
          version: r.version,
        })),
      );
      // The round before this one: where the carried answers come from, what a change is measured against.
      const previousRound =
        a.round.position > 0
          ? ((await deps.programmes.rounds(a.programme_id)).find((r) => r.position === a.round.position - 1)?.name ??
            null)
          : null;
      return {
        id: a.id,
        programmeId: a.programme_id,
        roundId: a.round_id,
        organisationId: a.organisation_id,
        status: a.status as Status,
        round: {
          id: a.round.id,
          name: a.round.name,
          state: roundState(a.round),
          startsOn: a.round.starts_on,
          endsOn: a.round.ends_on,
        },
        previousRound,
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
    /**
     * Confirms answers carried over from the round before, one question or a whole domain at
     * once: each becomes the organisation's own answer (the same option and note), written as a
     * save is, each only if the answer is still at the version the page showed (If-Match). All
     * or nothing: a question of another framework version, one with nothing carried over or
     * already answered, or one changed meanwhile refuses the whole confirmation.
     */
    async confirm(
      actor: Actor,
      assessmentId: string,
      entries: readonly { question: string; version: number }[],
    ): Promise<{ answers: { question: string; version: number }[] }> {
      const a = await assessments.withRound(assessmentId);
      const scope = a && { programmeId: a.programme_id, organisationId: a.organisation_id };
      denyAsMissing(a !== undefined && policy.readAssessment(actor, scope!), 'that assessment');
      if (!policy.answerAssessment(actor, scope!))
        throw new AppError('forbidden', 'Only the organisation confirms its own answers.');
      refuseClosed('own', a.status);
      await deps.rounds.requireOpen(a.round);
      const fw = await frameworkOf(a.programme_id);
      const { questions } = indexFramework(fw);
      const problems = entries.flatMap((e, i) =>
        questions.has(e.question)
          ? []
          : [
              {
                where: `answers.${i}.question`,
                message: `"${e.question}" is not a question of this programme's framework (${fw.id} ${fw.version})`,
              },
            ],
      );
      const seen = new Set<string>();
      entries.forEach((e, i) => {
        if (seen.has(e.question))
          problems.push({ where: `answers.${i}.question`, message: `"${e.question}" is named twice` });
        seen.add(e.question);
      });
      if (problems.length > 0)
        throw invalid(`${problems.length === 1 ? 'A question' : 'Some questions'} cannot be confirmed here.`, problems);
      const rows = new Map((await answers.ofAssessment(assessmentId)).map((r) => [r.question_id, r]));
      const sealed: { question: string; version: number; sealed: Uint8Array | null }[] = [];
      for (const [i, e] of entries.entries()) {
        const r = rows.get(e.question);
        const carried = r ? await open(a, e.question, 'carried', r.carried_sealed) : null;
        if (!r || !carried)
          throw invalid(`Nothing was carried over from the round before for question ${e.question}.`, [
            { where: `answers.${i}.question`, message: 'nothing to confirm' },
          ]);
        if (r.own_sealed !== null)
          throw new AppError(
            'conflict',
            `Question ${e.question} already has your answer for this round; change it there instead.`,
            [{ where: `answers.${i}.question`, message: 'already answered' }],
          );
        sealed.push({
          question: e.question,
          version: e.version,
          sealed: await sealAnswer(
            ctx.vault,
            { organisationId: a.organisation_id, assessmentId, questionId: e.question, layer: 'own' },
            { answer: carried.a, note: carried.n },
          ),
        });
      }
      const now = ctx.now();
      return transaction(ctx, async (tx) => {
        const saved: { question: string; version: number }[] = [];
        for (const x of sealed) {
          const version = await answers.save(
            { assessmentId, questionId: x.question, layer: 'own', sealed: x.sealed, by: actor.userId, at: now },
            x.version,
            tx,
          );
          if (version === undefined)
            throw new AppError(
              'precondition_failed',
              `Question ${x.question} was changed by someone else meanwhile; nothing was confirmed. Reload to see the latest, then confirm again.`,
            );
          saved.push({ question: x.question, version });
        }
        const locked = await assessments.lockStatus(assessmentId, 'share', tx);
        refuseClosed('own', locked?.status ?? a.status);
        if (locked?.roundClosed) throw roundNotOpen({ ...a.round, closed_at: 1 });
        await deps.audit.append(
          actor,
          {
            action: 'answer.own.confirm',
            objectType: 'assessment',
            objectId: assessmentId,
            organisationId: a.organisation_id,
          },
          now,
          tx,
        );
        return { answers: saved };
      });
    },

    submit: (actor: Actor, id: string) => transition(actor, id, 'draft', 'submitted'),
    validate: (actor: Actor, id: string) => transition(actor, id, 'submitted', 'validated'),

    async addInterviewNote(actor: Actor, id: string, input: { domain: string; body: string }): Promise<{ id: string }> {
      const a = await readable(actor, id);
      if (!policy.validateAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id })) {
        throw new AppError('forbidden', 'Only the assigned assessor writes interview notes.');
      }
      await deps.rounds.requireOpen(a.round);
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
