import { transaction, type Context } from '../../context.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import { systemActor, type Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { requireRecentSignIn } from '../auth/step-up.js';
import type { Tx } from '../../db/database.js';
import type { RoundStore } from './round-store.js';
import { roundState, type RoundEventView, type RoundRow } from './programme-types.js';

/** The date of a moment as YYYY-MM-DD (UTC): what a round's start date is compared with. */
export const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * What opening a round does beyond marking it open: the carry-over of the previous round's
 * answers (assessments/carry-over.ts). `prepare` runs before the transaction (it opens and seals
 * answers); `write` inside it, only if this call is the one that opened the round.
 */
export interface RoundOpening {
  prepare(round: RoundRow, previous: RoundRow | undefined): Promise<{ write(tx: Tx): Promise<void> }>;
}

/** The refusal of a write into a round that does not take one now, naming the round. */
export function roundNotOpen(round: Pick<RoundRow, 'name' | 'opened_at' | 'closed_at' | 'starts_on'>): AppError {
  if (round.closed_at !== null)
    return new AppError(
      'conflict',
      `The round "${round.name}" is closed: its answers, evidence and notes can no longer be changed. A programme manager can reopen it.`,
      [{ where: 'round', message: 'closed' }],
    );
  return new AppError(
    'conflict',
    `The round "${round.name}" has not opened yet${round.starts_on ? ` (it opens on ${round.starts_on})` : ''}; nothing can be saved in it before a programme manager opens it.`,
    [{ where: 'round', message: 'not open yet' }],
  );
}

/**
 * The lifecycle of a programme's rounds. A round is scheduled, then open, then closed: a
 * programme's managers open a round (or it opens by itself on its start date, when the round
 * before it has been opened) and close it; a closed round is read-only — saves, imports,
 * evidence, notes and status changes are refused with a 409 naming it — and reopening it is a
 * deliberate act: a manager's, with a reason and a recent sign-in, kept in the round's history
 * and the audit log. Rounds open in order: a later round cannot open before the earlier one.
 */
export function roundService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now'>,
  deps: {
    rounds: RoundStore;
    audit: Pick<AuditStore, 'append'>;
    opening?: RoundOpening;
  },
) {
  const { rounds } = deps;

  async function roundOf(programmeId: string, roundId: string): Promise<RoundRow> {
    const r = await rounds.byId(roundId);
    if (!r || r.programme_id !== programmeId) throw notFound('that round');
    return r;
  }

  async function record(
    actor: Actor,
    round: RoundRow,
    action: 'open' | 'close' | 'reopen',
    reason: string | null,
    at: number,
    tx: Tx,
  ) {
    await rounds.addEvent(
      { id: newId(), roundId: round.id, action, reason, actorId: actor.userId === 'system' ? null : actor.userId, at },
      tx,
    );
    await deps.audit.append(
      actor,
      { action: `round.${action}`, objectType: 'round', objectId: round.id, organisationId: null },
      at,
      tx,
    );
  }

  /**
   * Opens a round, after the one before it; returns false when another request opened it first.
   * (A round once opened stays opened — reopening clears only its closing — so the check of the
   * round before needs no lock.) The carry-over is prepared before the transaction and written inside it with the opening.
   */
  async function openRound(actor: Actor, round: RoundRow): Promise<boolean> {
    const previous = round.position > 0 ? await rounds.atPosition(round.programme_id, round.position - 1) : undefined;
    if (previous && previous.opened_at === null)
      throw new AppError(
        'conflict',
        `The round "${round.name}" cannot open before "${previous.name}" has been opened.`,
        [{ where: 'round', message: `open "${previous.name}" first` }],
      );
    const carried = deps.opening ? await deps.opening.prepare(round, previous) : undefined;
    return transaction(ctx, async (tx) => {
      const now = ctx.now();
      if (!(await rounds.markOpened(round.id, now, tx))) return false;
      await carried?.write(tx);
      await record(actor, round, 'open', null, now, tx);
      return true;
    });
  }

  /** Opens, in order, the rounds whose start date has come (of one programme, or of all). */
  async function openDue(programmeId?: string): Promise<number> {
    let opened = 0;
    for (const r of await rounds.due(isoDay(ctx.now()), programmeId)) {
      const previous = r.position > 0 ? await rounds.atPosition(r.programme_id, r.position - 1) : undefined;
      // A round waits for the one before it; the next call opens it once that one is open.
      if (previous && previous.opened_at === null) continue;
      if (await openRound(systemActor('round-start-date'), r)) opened++;
    }
    return opened;
  }

  return {
    openDue,

    /**
     * The round of an assessment, if it takes writes now; otherwise the 409 naming it. A round
     * whose start date has come is opened first (it opens by itself on that date).
     */
    async requireOpen(round: RoundRow): Promise<void> {
      let r = round;
      if (r.opened_at === null && r.starts_on !== null && r.starts_on <= isoDay(ctx.now())) {
        await openDue(r.programme_id);
        r = (await rounds.byId(r.id)) ?? r;
      }
      if (roundState(r) !== 'open') throw roundNotOpen(r);
    },

    async open(actor: Actor, programmeId: string, roundId: string): Promise<void> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const round = await roundOf(programmeId, roundId);
      const state = roundState(round);
      if (state === 'open') throw new AppError('conflict', `The round "${round.name}" is already open.`);
      if (state === 'closed')
        throw new AppError('conflict', `The round "${round.name}" is closed; reopen it, with a reason, instead.`);
      if (!(await openRound(actor, round)))
        throw new AppError('conflict', `The round "${round.name}" is already open.`);
    },

    async close(actor: Actor, programmeId: string, roundId: string): Promise<void> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const round = await roundOf(programmeId, roundId);
      const state = roundState(round);
      if (state === 'scheduled')
        throw new AppError('conflict', `The round "${round.name}" has not opened yet, so it cannot be closed.`);
      if (state === 'closed') throw new AppError('conflict', `The round "${round.name}" is already closed.`);
      await transaction(ctx, async (tx) => {
        const now = ctx.now();
        if (!(await rounds.markClosed(round.id, now, tx)))
          throw new AppError('conflict', `The round "${round.name}" is already closed.`);
        // An accepted import is still writing answers into the round: closing now would cut it in half.
        if (await rounds.importUnderWay(round.id, tx))
          throw new AppError(
            'conflict',
            `An import of answers into the round "${round.name}" is being written; close the round once it is done.`,
          );
        await record(actor, round, 'close', null, now, tx);
      });
    },

    /** Reopens a closed round: a manager's deliberate act, with a reason and a recent sign-in; audited. */
    async reopen(actor: Actor, programmeId: string, roundId: string, input: { reason: string }): Promise<void> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const round = await roundOf(programmeId, roundId);
      if (roundState(round) !== 'closed')
        throw new AppError('conflict', `The round "${round.name}" is not closed, so there is nothing to reopen.`);
      requireRecentSignIn(actor, ctx.now());
      await transaction(ctx, async (tx) => {
        const now = ctx.now();
        if (!(await rounds.markReopened(round.id, tx)))
          throw new AppError('conflict', `The round "${round.name}" is not closed, so there is nothing to reopen.`);
        await record(actor, round, 'reopen', input.reason, now, tx);
      });
    },

    /** Who opened, closed and reopened the programme's rounds, and why each reopening happened: for its managers. */
    async events(actor: Actor, programmeId: string): Promise<RoundEventView[]> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      return (await rounds.events(programmeId)).map((e) => ({
        id: e.id,
        roundId: e.round_id,
        round: e.round,
        action: e.action,
        reason: e.reason,
        by: e.actor,
        at: new Date(Number(e.at)).toISOString(),
      }));
    },
  };
}

export type RoundService = ReturnType<typeof roundService>;
