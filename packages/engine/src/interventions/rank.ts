import type { AnswerSet } from '../answers/collect.js';
import { indexFramework } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import { scoreChoices, type Choices } from '../scoring/score.js';
import { EFFORT_WEIGHT, type InterventionCatalogue, type Effort } from './types.js';

/** Gains below this are not worth listing: they would not move a score as people read it. */
export const MIN_GAIN = 0.005;

/** One question an intervention would raise: from the option chosen to the first best one. */
export interface Move {
  question: string;
  domain: string;
  /** The option chosen, and the first best-scoring option the intervention aims at. */
  from: string;
  to: string;
}

/** An intervention in an organisation's ranking, with the figures that explain its place. */
export interface RankedIntervention {
  id: string;
  /** Overall score with every raised question at its best, minus the overall as answered. */
  gain: number;
  /** gain / effort (low 1, medium 2, high 3). */
  priority: number;
  effort: Effort;
  /** The raised questions, in framework order. */
  questions: string[];
  /** How each raised question would move. */
  moves: Move[];
  /** The change in each domain the intervention touches (domain score after − before). */
  domains: Record<string, number>;
}

/** Questions that name each intervention, in framework order: built once per framework and catalogue. */
const namedBy = new WeakMap<Framework, Map<string, number[]>>();

function questionsNaming(fw: Framework): Map<string, number[]> {
  let map = namedBy.get(fw);
  if (!map) {
    map = new Map();
    for (const q of indexFramework(fw).ordered) {
      for (const id of q.question.interventions) {
        const list = map.get(id);
        if (list) list.push(q.position);
        else map.set(id, [q.position]);
      }
    }
    namedBy.set(fw, map);
  }
  return map;
}

/**
 * Ranks a catalogue's interventions for one assessment, as the plan contract says. An
 * intervention's questions are those that name it; the raised ones are answered with an option
 * (not N/A, not unanswered) scoring below the question's best. Its gain is the overall score with
 * each raised question set to its first best-scoring option, caps applying, minus the overall as
 * answered. Gains under 0.005 are left out; the rest are ordered by priority (gain / effort),
 * then gain, then catalogue order.
 *
 * @example rankInterventions(fw, catalogue, choices)[0] // { id: 'mfa-rollout', gain: 0.61, … }
 */
export function rankInterventions(
  fw: Framework,
  catalogue: InterventionCatalogue,
  choices: Choices,
): RankedIntervention[] {
  const { ordered } = indexFramework(fw);
  const naming = questionsNaming(fw);
  const before = scoreChoices(fw, choices);
  if (before.overall === null) return [];
  const ranked: (RankedIntervention & { order: number })[] = [];
  catalogue.interventions.forEach((intervention, order) => {
    const raised: Move[] = [];
    const raisedChoices = new Int16Array(choices);
    for (const position of naming.get(intervention.id) ?? []) {
      const choice = choices[position]!;
      if (choice < 0) continue;
      const { question, domain } = ordered[position]!;
      const best = bestOption(question.options);
      if (question.options[choice]!.score >= question.options[best]!.score) continue;
      raisedChoices[position] = best;
      raised.push({
        question: question.id,
        domain: domain.id,
        from: question.options[choice]!.id,
        to: question.options[best]!.id,
      });
    }
    if (raised.length === 0) return;
    const after = scoreChoices(fw, raisedChoices);
    const gain = after.overall! - before.overall!;
    if (gain < MIN_GAIN) return;
    const domains: Record<string, number> = {};
    for (const m of raised) domains[m.domain] = after.domains[m.domain]! - (before.domains[m.domain] ?? 0);
    ranked.push({
      id: intervention.id,
      gain,
      priority: gain / EFFORT_WEIGHT[intervention.effort],
      effort: intervention.effort,
      questions: raised.map((m) => m.question),
      moves: raised,
      domains,
      order,
    });
  });
  // Priorities equal on paper can differ in the last bits of a float, depending on the order the
  // scores were summed in; within 1e-9 they count as equal and the next key decides.
  ranked.sort((a, b) => byMore(a.priority, b.priority) || byMore(a.gain, b.gain) || a.order - b.order);
  return ranked.map(({ order: _order, ...r }) => r);
}

/** Orders larger values first, taking values within 1e-9 of each other as equal. */
function byMore(a: number, b: number): number {
  return Math.abs(a - b) <= 1e-9 ? 0 : b - a;
}

/** The first option with the highest score. */
function bestOption(options: readonly { score: number }[]): number {
  let best = 0;
  for (let i = 1; i < options.length; i++) if (options[i]!.score > options[best]!.score) best = i;
  return best;
}

/** The output of `kalaja plan --format json`, as the contract shapes it. */
export interface PlanReport {
  framework: { id: string; version: string };
  catalogue: { id: string; version: string };
  plans: { organisation: string; round: string; interventions: RankedIntervention[] }[];
}

/**
 * The ranking for every organisation and round with a result (at least one row), in the order
 * results are listed: organisations, then rounds, each in order of first appearance.
 */
export function planAnswerSet(
  fw: Framework,
  catalogue: InterventionCatalogue,
  set: AnswerSet,
  only: { organisation?: string; round?: string } = {},
): PlanReport {
  const plans: PlanReport['plans'] = [];
  for (const organisation of set.organisations) {
    if (only.organisation !== undefined && organisation !== only.organisation) continue;
    for (const [round, choices] of set.assessments.get(organisation) ?? []) {
      if (only.round !== undefined && round !== only.round) continue;
      plans.push({ organisation, round, interventions: rankInterventions(fw, catalogue, choices) });
    }
  }
  return {
    framework: { id: fw.id, version: fw.version },
    catalogue: { id: catalogue.id, version: catalogue.version },
    plans,
  };
}
