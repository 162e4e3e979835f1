import { indexFramework } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import { scoreChoices, type Choices } from './score.js';

/** One question whose answer moved between two rounds: from one option to a better or worse one. */
export interface QuestionMove {
  question: string;
  domain: string;
  /** The option ids before and after, and their scores in [0, 1]. */
  from: string;
  to: string;
  fromScore: number;
  toScore: number;
}

/**
 * A plan item the organisation completed between two rounds, as the plans module gives it: what
 * it was, the domains its questions are in, and when it was done. The change of each domain
 * shows the items of that domain beside it.
 */
export interface CompletedPlanItem {
  id: string;
  title: string;
  /** Framework domain ids the item's questions are in (an own item may name none). */
  domains: string[];
  /** When it was marked done (ISO date-time). */
  doneAt: string;
}

/** One domain of an organisation between two rounds. */
export interface DomainMove {
  domain: string;
  before: number | null;
  after: number | null;
  /** after − before; null unless the domain has a score in both. */
  change: number | null;
  /** Questions of the domain answered better, and worse, in framework order. */
  up: QuestionMove[];
  down: QuestionMove[];
  /** Plan items of this domain completed between the two rounds (`withCompletedPlanItems`). */
  planItems: CompletedPlanItem[];
}

/** One organisation's change between two of its rounds: overall, per domain, and the questions that moved. */
export interface OrganisationRoundChange {
  from: string;
  to: string;
  overall: { before: number | null; after: number | null; change: number | null };
  /** Every domain, in framework order. */
  domains: DomainMove[];
  /** Every question answered better, and worse, in framework order. */
  up: QuestionMove[];
  down: QuestionMove[];
}

/** Option scores this close are the same score: a move is a real change of option score. */
const SAME_SCORE = 1e-9;

/**
 * One organisation's change between each of its rounds and the next (in the order given): its
 * overall and domain scores before and after, and the questions it answered with a better or a
 * worse option. A question unanswered or not applicable in either round has not moved; it is not
 * listed. The scores are the scoring contract's, at full precision.
 */
export function organisationChanges(
  fw: Framework,
  rounds: readonly { round: string; choices: Choices }[],
): OrganisationRoundChange[] {
  const { ordered } = indexFramework(fw);
  const scored = rounds.map((r) => ({ ...r, score: scoreChoices(fw, r.choices) }));
  const diff = (a: number | null | undefined, b: number | null | undefined) =>
    a === null || a === undefined || b === null || b === undefined ? null : b - a;
  const out: OrganisationRoundChange[] = [];
  for (let i = 1; i < scored.length; i++) {
    const before = scored[i - 1]!;
    const after = scored[i]!;
    const up: QuestionMove[] = [];
    const down: QuestionMove[] = [];
    ordered.forEach((q, p) => {
      const a = before.choices[p]!;
      const b = after.choices[p]!;
      if (a < 0 || b < 0) return;
      const from = q.question.options[a]!;
      const to = q.question.options[b]!;
      if (Math.abs(to.score - from.score) <= SAME_SCORE) return;
      const move = {
        question: q.question.id,
        domain: q.domain.id,
        from: from.id,
        to: to.id,
        fromScore: from.score,
        toScore: to.score,
      };
      (to.score > from.score ? up : down).push(move);
    });
    out.push({
      from: before.round,
      to: after.round,
      overall: {
        before: before.score.overall,
        after: after.score.overall,
        change: diff(before.score.overall, after.score.overall),
      },
      domains: fw.domains.map((d) => {
        const b = before.score.domains[d.id] ?? null;
        const a = after.score.domains[d.id] ?? null;
        return {
          domain: d.id,
          before: b,
          after: a,
          change: diff(b, a),
          up: up.filter((m) => m.domain === d.id),
          down: down.filter((m) => m.domain === d.id),
          planItems: [],
        };
      }),
      up,
      down,
    });
  }
  return out;
}

/**
 * Puts the plan items completed between two rounds beside the change of each domain they serve
 * (an item serving two domains appears beside both; one naming no domain beside none). The seam
 * the plans module fills: the caller gives the items of this change's interval, done in order.
 */
export function withCompletedPlanItems(
  change: OrganisationRoundChange,
  items: readonly CompletedPlanItem[],
): OrganisationRoundChange {
  const sorted = [...items].sort((a, b) => a.doneAt.localeCompare(b.doneAt) || a.id.localeCompare(b.id));
  return {
    ...change,
    domains: change.domains.map((d) => ({ ...d, planItems: sorted.filter((x) => x.domains.includes(d.domain)) })),
  };
}
