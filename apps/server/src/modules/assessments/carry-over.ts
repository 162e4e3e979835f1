import { indexFramework } from '@kalaja/engine';
import type { Context } from '../../context.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { RoundOpening } from '../programmes/round-service.js';
import { openAnswer, sealAnswer, type SealedAnswer } from './answer-sealing.js';
import type { AnswerStore } from './answer-store.js';
import type { AssessmentStore } from './assessment-store.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The answer of a row that counts: the assessor's validated answer where it names an option or
 * N/A, else the organisation's own — the rule of assessment-service.ts `counting`, on layers
 * already opened.
 */
export function countingOf(validated: SealedAnswer | null, own: SealedAnswer | null): SealedAnswer | null {
  return validated && validated.a !== null ? validated : own;
}

/**
 * What opening a round after the first does: each organisation's answers that counted in the
 * round before — validated where there are, else its own, each with its note — are carried
 * over beside its questions in the new round, sealed under its key, "from the baseline —
 * confirm or change". Opened and sealed before the transaction (a batch at a time, with a
 * turn of the event loop between), written inside it with the opening itself.
 */
export function carryOver(
  ctx: Pick<Context, 'vault'>,
  deps: {
    assessments: Pick<AssessmentStore, 'ofRound'>;
    answers: Pick<AnswerStore, 'layersOf' | 'insertCarried'>;
    programmes: Pick<ProgrammeStore, 'byId'>;
    frameworks: Pick<FrameworkService, 'load'>;
  },
): RoundOpening {
  return {
    async prepare(round, previous) {
      const rows: { assessmentId: string; questionId: string; sealed: Uint8Array }[] = [];
      if (previous) {
        const programme = await deps.programmes.byId(round.programme_id);
        const questions = programme
          ? indexFramework(await deps.frameworks.load(programme.framework_id)).questions
          : undefined;
        const target = new Map(
          (await deps.assessments.ofRound(round.id)).map((a) => [a.organisationId, a.id] as const),
        );
        const before = (await deps.assessments.ofRound(previous.id)).filter((a) => target.has(a.organisationId));
        for (let i = 0; i < before.length; i += 200) {
          const batch = before.slice(i, i + 200);
          const layers = await deps.answers.layersOf(batch.map((a) => a.id));
          for (const a of batch) {
            const to = target.get(a.organisationId)!;
            for (const r of layers.get(a.id) ?? []) {
              if (!questions?.has(r.question_id)) continue;
              const place = { organisationId: a.organisationId, assessmentId: a.id, questionId: r.question_id };
              const value = countingOf(
                await openAnswer(ctx.vault, { ...place, layer: 'validated' }, r.validated_sealed),
                await openAnswer(ctx.vault, { ...place, layer: 'own' }, r.own_sealed),
              );
              // A note alone is not an answer to carry.
              if (!value || value.a === null) continue;
              const sealed = await sealAnswer(
                ctx.vault,
                { organisationId: a.organisationId, assessmentId: to, questionId: r.question_id, layer: 'carried' },
                { answer: value.a, note: value.n },
              );
              rows.push({ assessmentId: to, questionId: r.question_id, sealed: sealed! });
            }
          }
          await turn();
        }
      }
      return { write: (tx) => deps.answers.insertCarried(rows, tx) };
    },
  };
}
