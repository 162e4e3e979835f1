import { evenly, memoryCounter } from '../../http/unseen.js';
import { textFor, type TrainingModule } from '@kalaja/engine';
import { transaction, type Context } from '../../context.js';
import { AppError, conflict, invalid } from '../../errors.js';
import { newId } from '../../ids.js';
import { linkActor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { hashToken } from '../auth/auth-tokens.js';
import type { TrainingCatalogue } from './training-catalogue.js';
import {
  answerProblems,
  correctCount,
  emptyBody,
  explanations,
  followUpPhase,
  normaliseAnswers,
  scoreOf,
} from './training-fns.js';
import { moduleOf, readSessions, type OpenedParticipant } from './training-read.js';
import { CODE_MAC, codeToken } from './training-service.js';
import type { LinkRow, SessionRow, TrainingStore } from './training-store.js';
import { sealResult } from './training-texts.js';
import {
  CHECK_RULES,
  type CheckResultView,
  type CheckSubmission,
  type CheckView,
  type ResultBody,
} from './training-types.js';
import { sessionTitle } from './training-views.js';

/** One answer for a link that is unknown, replaced or expired: none of them is told apart. */
const linkGone = () =>
  new AppError(
    'gone',
    'This check link does not work: it may have expired or been replaced by a newer one. Ask your trainer for a new link or code.',
  );
const codeUnknown = () =>
  new AppError(
    'not_found',
    'That code does not open a check: look at it again (it has 8 letters and digits, like ACDE-F347), or ask your trainer.',
  );
const tooMany = () =>
  new AppError('too_many_requests', 'Too many codes that did not work from here. Wait a minute and try again.', [], {
    'retry-after': String(CHECK_RULES.codeWindowMs / 1000),
  });

type SubmitPhase = 'pre' | 'post' | 'follow-up';
type OpenPhase = CheckView['phase'];

/**
 * The participant's side of a knowledge check, with no account and no cookie: a short code
 * typed at `/check` is exchanged for the link's token; the token opens what the phone page
 * needs (the items in the module's order, never which option is correct before the phase is
 * submitted); each phase is taken once. A participant's submission is sealed under their
 * organisation's key and audited as their link. Codes that do not work are counted per client
 * address, in this process's memory, and refused for a minute after too many.
 */
export function checkService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    trainings: TrainingStore;
    audit: Pick<AuditStore, 'append'>;
    catalogue: TrainingCatalogue;
    /** How long every answer takes at least (CHECK_RULES.floorMs unless given). */
    floorMs?: number;
  },
) {
  const { trainings: store, catalogue } = deps;
  const floorMs = deps.floorMs ?? CHECK_RULES.floorMs;
  const failures = memoryCounter(ctx.now, CHECK_RULES.codeWindowMs, CHECK_RULES.codeAttempts);

  const usable = (l: LinkRow | undefined): l is LinkRow =>
    l !== undefined && l.revoked_at === null && Number(l.expires_at) > ctx.now();

  /** The link a token opens, with its session, module and participant; 410 otherwise. */
  async function open(token: string) {
    const link = await store.linkByToken(hashToken(token));
    if (!usable(link)) throw linkGone();
    const session = await store.session(link.session_id);
    const p = await store.participant(link.participant_id);
    if (!session || !p) throw linkGone();
    const [o] = await readSessions(ctx, store, catalogue, [session], {
      organisations: new Set([p.organisation_id]),
    });
    const participant = o!.participants.find((x) => x.row.id === p.id);
    if (!participant || participant.erased) throw linkGone();
    return { link, session, module: moduleOf(catalogue, session), participant };
  }

  function openPhase(link: LinkRow, session: SessionRow, p: OpenedParticipant): OpenPhase {
    if (link.kind === 'follow-up') return p.results.has(followUpPhase(Number(link.days))) ? 'done' : 'follow-up';
    const taken = (phase: string) => p.results.has(phase);
    switch (session.check_state) {
      case 'none':
        return 'waiting';
      case 'pre':
        return taken('pre') ? 'waiting' : 'pre';
      case 'post':
        return taken('post') ? 'done' : 'post';
      case 'closed':
        return taken('pre') || taken('post') ? 'done' : 'expired';
    }
  }

  function resultView(m: TrainingModule, phase: SubmitPhase, body: ResultBody, locale: string): CheckResultView {
    if (phase === 'follow-up') return { phase, score: null, correct: 0, items: 0 };
    return {
      phase,
      score: body.score,
      correct: correctCount(m, body.answers),
      items: m.check.items.length,
      ...(phase === 'post' && { explanations: explanations(m, body.answers, locale) }),
    };
  }

  function resultsOf(m: TrainingModule, p: OpenedParticipant, link: LinkRow, locale: string): CheckResultView[] {
    const out: CheckResultView[] = [];
    if (link.kind === 'check') {
      for (const phase of ['pre', 'post'] as const) {
        const r = p.results.get(phase);
        if (r) out.push(resultView(m, phase, r.body, locale));
      }
    } else {
      const r = p.results.get(followUpPhase(Number(link.days)));
      if (r) out.push(resultView(m, 'follow-up', r.body, locale));
    }
    return out;
  }

  const notOpen = (phase: SubmitPhase, open: OpenPhase, taken: boolean) => {
    if (taken) return conflict('You have already taken this check: each link works once for each check.');
    if (phase === 'follow-up' || open === 'follow-up')
      return conflict(
        phase === 'follow-up' ? 'This link is not for a follow-up.' : 'This link is for the follow-up only.',
      );
    if (phase === 'post' && (open === 'pre' || open === 'waiting'))
      return conflict('The check after the session is not open yet: your trainer opens it at the end of the session.');
    return conflict('This check is closed: your trainer has moved on to the next one.');
  };

  return {
    /** A short code typed at `/check` → the token of its link. */
    async exchangeCode(code: string, client: string): Promise<{ token: string }> {
      return evenly(floorMs, async () => {
        if (failures.full(client)) throw tooMany();
        const link = await store.linkByCode(ctx.vault.instanceMac(CODE_MAC, code));
        if (!usable(link)) {
          failures.add(client);
          throw codeUnknown();
        }
        return { token: codeToken(ctx.vault, link.token_hash) };
      });
    },

    /** What the phone page shows for a link now. */
    async view(token: string): Promise<CheckView> {
      return evenly(floorMs, async () => {
        const { link, session, module: m, participant } = await open(token);
        const locale = session.language;
        const phase = openPhase(link, session, participant);
        const asking = phase === 'pre' || phase === 'post';
        return {
          title: sessionTitle(session, m),
          module: textFor(m.title, locale),
          language: locale as CheckView['language'],
          startsAt: new Date(Number(session.starts_at)).toISOString(),
          phase,
          items: asking
            ? m.check.items.map((i) => ({
                id: i.id,
                text: textFor(i.text, locale),
                options: i.options.map((o) => ({ id: o.id, label: textFor(o.label, locale) })),
              }))
            : [],
          practices: phase === 'follow-up' ? m.practices.map((p) => ({ id: p.id, text: textFor(p.text, locale) })) : [],
          results: resultsOf(m, participant, link, locale),
        };
      });
    },

    /** A participant's answers in the phase open for them; once per phase. */
    async submit(
      token: string,
      phase: SubmitPhase,
      input: CheckSubmission,
      requestId: string,
    ): Promise<CheckResultView> {
      return evenly(floorMs, async () => {
        const { link, session, module: m, participant: p } = await open(token);
        const stored = phase === 'follow-up' ? followUpPhase(Number(link.days)) : phase;
        const open_ = openPhase(link, session, p);
        if (open_ !== phase) throw notOpen(phase, open_, p.results.has(stored));
        const body = emptyBody();
        if (phase === 'follow-up') {
          if (Object.keys(input.answers).length > 0 || input.reaction || input.confidence !== undefined)
            throw invalid('A follow-up asks about practices only.', [
              { where: 'practices', message: 'give the practices, and nothing else' },
            ]);
          const ids = new Set(m.practices.map((x) => x.id));
          const unknown = Object.keys(input.practices ?? {}).filter((id) => !ids.has(id));
          if (unknown.length > 0 || !input.practices || Object.keys(input.practices).length === 0)
            throw invalid('Say for each practice whether you have put it into practice.', [
              {
                where: 'practices',
                message:
                  unknown.length > 0 ? `no such practice: ${unknown.join(', ')}` : 'answer at least one practice',
              },
            ]);
          body.practices = input.practices;
        } else {
          const problems = answerProblems(m, input.answers);
          if (input.confidence === undefined)
            problems.push({ where: 'confidence', message: 'say how confident you feel, from 1 to 5' });
          if (input.practices !== undefined) problems.push({ where: 'practices', message: 'only for a follow-up' });
          if (phase === 'pre' && input.reaction !== undefined)
            problems.push({ where: 'reaction', message: 'comes after the session' });
          if (problems.length > 0) throw new AppError('invalid_answers', 'Some answers need another look.', problems);
          body.answers = normaliseAnswers(m, input.answers);
          body.score = scoreOf(m, phase, body.answers);
          body.confidence = input.confidence!;
          body.reaction = input.reaction ?? null;
        }
        const id = newId();
        const sealed = await sealResult(ctx.vault, p.row.organisation_id, id, body);
        const now = ctx.now();
        try {
          await transaction(ctx, async (tx) => {
            await store.insertResult(
              {
                id,
                session_id: session.id,
                participant_id: p.row.id,
                organisation_id: p.row.organisation_id,
                phase: stored,
                via: 'link',
                body_sealed: sealed,
                at: now,
              },
              tx,
            );
            await deps.audit.append(
              linkActor(link.id, requestId),
              {
                action: `training.check.${phase}`,
                objectType: 'training_participant',
                objectId: p.row.id,
                organisationId: p.row.organisation_id,
              },
              now,
              tx,
            );
          });
        } catch (error) {
          // Two submissions at once: the once-per-phase constraint let one through.
          if (await store.result(p.row.id, stored)) throw notOpen(phase, open_, true);
          throw error;
        }
        return resultView(m, phase, body, session.language);
      });
    },
  };
}

export type CheckService = ReturnType<typeof checkService>;
