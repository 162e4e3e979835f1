import { randomInt } from 'node:crypto';
import { CHECK_CODE_ALPHABET, TRAINING_LIMITS } from '@kalaja/contracts';
import { scoreResponses, textFor, type CheckResponse, type TrainingModule } from '@kalaja/engine';
import type { CheckState, ResultBody } from './training-types.js';

/**
 * Pure helpers of trainings: scoring one participant's phase with the engine, where a phase
 * stands, and the short codes participants type.
 */

/**
 * A participant's knowledge score in one phase (0–100), as the engine scores a responses file:
 * every item of the module counts, a skipped or missing one is not correct.
 */
export function scoreOf(module: TrainingModule, phase: 'pre' | 'post', answers: Record<string, string>): number {
  const responses: CheckResponse[] = module.check.items.map((i) => ({
    participant: 'p',
    phase,
    item: i.id,
    answer: answers[i.id] ?? '',
  }));
  return scoreResponses(module, responses).participants[0]![phase]!;
}

/** The answers kept for a phase: the module's items only, in its order, a missing one as ''. */
export function normaliseAnswers(module: TrainingModule, answers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(module.check.items.map((i) => [i.id, answers[i.id] ?? '']));
}

/**
 * Problems with answers given for a module: an item it does not have, an option the item does
 * not have. Each with where it is (`answers.<item>`).
 */
export function answerProblems(
  module: TrainingModule,
  answers: Record<string, string>,
): { where: string; message: string }[] {
  const items = new Map(module.check.items.map((i) => [i.id, i]));
  const problems: { where: string; message: string }[] = [];
  for (const [item, option] of Object.entries(answers)) {
    const it = items.get(item);
    if (!it) problems.push({ where: `answers.${item}`, message: `module ${module.id} has no item \`${item}\`` });
    else if (option !== '' && !it.options.some((o) => o.id === option))
      problems.push({
        where: `answers.${item}`,
        message: `item \`${item}\` has no option \`${option}\`; choose one of: ${it.options.map((o) => o.id).join(', ')}, or leave it empty`,
      });
  }
  return problems;
}

/** Item by item: what was chosen, what is correct, and why (after the post check). */
export function explanations(module: TrainingModule, answers: Record<string, string>, locale: string) {
  return module.check.items.map((i) => {
    const correct = i.options.find((o) => o.correct)!.id;
    const chosen = answers[i.id] ?? '';
    return {
      item: i.id,
      chosen,
      correct,
      right: chosen === correct,
      explanation: i.explanation === undefined ? null : textFor(i.explanation, locale),
    };
  });
}

export const correctCount = (module: TrainingModule, answers: Record<string, string>) =>
  module.check.items.filter(
    (i) => answers[i.id] !== undefined && i.options.find((o) => o.correct)!.id === answers[i.id],
  ).length;

/** The order the check moves in; a move goes forward only. */
const ORDER: readonly CheckState[] = ['none', 'pre', 'post', 'closed'];
export const isAfter = (a: CheckState, b: CheckState) => ORDER.indexOf(a) > ORDER.indexOf(b);

/** A fresh short code: 8 characters of the unambiguous alphabet, uniformly drawn. */
export function newCheckCode(): string {
  let code = '';
  for (let i = 0; i < TRAINING_LIMITS.codeLength; i++)
    code += CHECK_CODE_ALPHABET[randomInt(CHECK_CODE_ALPHABET.length)];
  return code;
}

/** A code as shown and printed: `XXXX-XXXX`. */
export const showCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** The stored phase of a follow-up. */
export const followUpPhase = (days: number) => `follow-up-${days}` as const;

/** An empty body for a phase, to merge what is given into. */
export const emptyBody = (): ResultBody => ({
  answers: {},
  score: null,
  confidence: null,
  reaction: null,
  practices: null,
});

/** Mean of the values, or null for none. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
