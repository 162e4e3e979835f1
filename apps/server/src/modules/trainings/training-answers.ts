import { readResponses, type Problem } from '@kalaja/engine';
import { transaction, type Context } from '../../context.js';
import type { Tx } from '../../db/database.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { detail as problemDetail } from '../exchange/exchange-service.js';
import type { TrainingCatalogue } from './training-catalogue.js';
import { answerProblems, emptyBody, normaliseAnswers, scoreOf } from './training-fns.js';
import { moduleOf, readSessions, type OpenedParticipant } from './training-read.js';
import type { ResultRow, TrainingStore } from './training-store.js';
import type { TrainingService } from './training-service.js';
import { sealResult } from './training-texts.js';
import type { PaperAnswers, ParticipantView, ResultBody } from './training-types.js';

/** The file name responses are named by in messages. */
const FILE = 'responses.csv';

/**
 * Answers a trainer brings in: entered from a paper check, one participant and phase at a time,
 * or a whole responses CSV (the contract's `participant,phase,item,answer`), read by the engine.
 * Either replaces what that participant's phase held (a paper entry keeps the confidence and
 * reaction given before unless it gives them). An import writes all its rows or none.
 */
export function trainingAnswers(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    trainings: TrainingStore;
    sessions: Pick<TrainingService, 'runnable' | 'detail'>;
    audit: Pick<AuditStore, 'append'>;
    catalogue: TrainingCatalogue;
  },
) {
  const { trainings: store, catalogue } = deps;

  interface Prepared {
    existing: ResultRow | undefined;
    row: ResultRow;
  }

  /** One phase's new row or its replacement, sealed before the transaction. */
  async function prepared(
    p: OpenedParticipant,
    phase: 'pre' | 'post',
    body: ResultBody,
    via: ResultRow['via'],
  ): Promise<Prepared> {
    const existing = p.results.get(phase)?.row;
    const id = existing?.id ?? newId();
    const sealed = await sealResult(ctx.vault, p.row.organisation_id, id, body);
    return {
      existing,
      row: {
        id,
        session_id: p.row.session_id,
        participant_id: p.row.id,
        organisation_id: p.row.organisation_id,
        phase,
        via,
        body_sealed: sealed,
        at: ctx.now(),
      } satisfies ResultRow,
    };
  }

  async function write(rows: readonly Prepared[], tx: Tx) {
    for (const x of rows) {
      if (x.existing)
        await store.replaceResult(x.row.id, { via: x.row.via, body_sealed: x.row.body_sealed, at: x.row.at }, tx);
      else await store.insertResult(x.row, tx);
    }
  }

  return {
    /** A participant's answers in one phase, from paper; replaces what the phase held. */
    async paper(
      actor: Actor,
      sessionId: string,
      participantId: string,
      phase: 'pre' | 'post',
      input: PaperAnswers,
    ): Promise<ParticipantView> {
      const row = await deps.sessions.runnable(actor, sessionId);
      const m = moduleOf(catalogue, row);
      const [o] = await readSessions(ctx, store, catalogue, [row]);
      const p = o!.participants.find((x) => x.row.id === participantId);
      if (!p || p.erased) throw notFound('that participant');
      const problems = answerProblems(m, input.answers);
      if (problems.length > 0)
        throw new AppError('invalid_answers', `These answers do not fit module ${m.id}; nothing was saved.`, problems);
      const before = p.results.get(phase)?.body ?? emptyBody();
      const answers = normaliseAnswers(m, input.answers);
      const body: ResultBody = {
        ...before,
        answers,
        score: scoreOf(m, phase, answers),
        confidence: input.confidence ?? before.confidence,
      };
      const x = await prepared(p, phase, body, 'paper');
      await transaction(ctx, async (tx) => {
        await write([x], tx);
        await deps.audit.append(
          actor,
          {
            action: `training.answers.paper.${phase}`,
            objectType: 'training_participant',
            objectId: p.row.id,
            organisationId: p.row.organisation_id,
          },
          ctx.now(),
          tx,
        );
      });
      return (await deps.sessions.detail((await store.session(sessionId))!, { team: true })).participants.find(
        (v) => v.id === participantId,
      )!;
    },

    /**
     * A responses CSV for the session: each row's participant named by the name or pseudonym
     * recorded (case and surrounding spaces aside) or by participant id. Every problem at once,
     * each on its line (an unknown item or participant, a name two participants share); then
     * every phase named is written, or nothing.
     */
    async importResponses(
      actor: Actor,
      sessionId: string,
      csv: string,
    ): Promise<{ participants: number; phases: number; responses: number }> {
      const row = await deps.sessions.runnable(actor, sessionId);
      const m = moduleOf(catalogue, row);
      const read = readResponses(m, csv, { file: FILE });
      const problems: Problem[] = read.ok ? [] : [...read.problems];
      const [o] = await readSessions(ctx, store, catalogue, [row]);
      const participants = o!.participants.filter((p) => !p.erased);
      const byId = new Map(participants.map((p) => [p.row.id, p]));
      const byName = new Map<string, OpenedParticipant[]>();
      for (const p of participants) {
        const key = p.name.trim().toLowerCase();
        byName.set(key, [...(byName.get(key) ?? []), p]);
      }
      const phases = new Map<
        string,
        { p: OpenedParticipant; phase: 'pre' | 'post'; answers: Record<string, string> }
      >();
      let responses = 0;
      for (const r of read.ok ? read.value : []) {
        const named = byId.get(r.participant)
          ? [byId.get(r.participant)!]
          : (byName.get(r.participant.trim().toLowerCase()) ?? []);
        if (named.length !== 1) {
          problems.push({
            file: FILE,
            ...(r.line !== undefined && { line: r.line }),
            message:
              named.length === 0
                ? `unknown participant "${r.participant}": this session has no participant of that name or id`
                : `participant "${r.participant}" names ${named.length} participants of this session; use their participant id`,
          });
          continue;
        }
        const p = named[0]!;
        const key = `${p.row.id}\u0000${r.phase}`;
        const x = phases.get(key) ?? { p, phase: r.phase, answers: {} };
        x.answers[r.item] = r.answer;
        phases.set(key, x);
        responses++;
      }
      if (problems.length > 0)
        throw new AppError(
          'invalid_answers',
          `The responses file has ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}; nothing was imported.`,
          problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).map(problemDetail),
        );
      const rows: Prepared[] = [];
      for (const x of phases.values()) {
        const before = x.p.results.get(x.phase)?.body ?? emptyBody();
        const answers = normaliseAnswers(m, x.answers);
        rows.push(await prepared(x.p, x.phase, { ...before, answers, score: scoreOf(m, x.phase, answers) }, 'import'));
      }
      await transaction(ctx, async (tx) => {
        await write(rows, tx);
        await deps.audit.append(
          actor,
          { action: 'training.answers.import', objectType: 'training_session', objectId: row.id, organisationId: null },
          ctx.now(),
          tx,
        );
      });
      return {
        participants: new Set([...phases.values()].map((x) => x.p.row.id)).size,
        phases: phases.size,
        responses,
      };
    },
  };
}

export type TrainingAnswers = ReturnType<typeof trainingAnswers>;
