/**
 * Independent reference implementation ("oracle") of the Kalaja intervention ranking
 * (docs/contracts.md §6, the interventions catalogue and plan ranking).
 *
 * Written from the contract text alone, for tests that cross-check the real engine. Deliberately
 * simple: for each intervention, score the answers twice with the scoring oracle (oracle.ts,
 * caps and capAt included) and subtract.
 *
 * Decisions where the contract is silent:
 * - An intervention's questions are those whose `interventions` list names its id, in framework
 *   order. A question is raised when it is answered with an option (not "na", not "" or missing)
 *   whose score is strictly below the largest option score of that question (raw doubles).
 * - gain = overall with every raised question of that intervention set, all at once, to the
 *   first option (in option order) that has the largest score, minus overall as answered, both
 *   computed by the scoring oracle (same left-to-right arithmetic). With no raised question the
 *   gain is 0 (the intervention is then not listed, even where overall is null).
 * - priority = gain / w with w = 1 (low), 2 (medium), 3 (high).
 * - Listed when gain ≥ 0.005 as a raw double. Order: priority descending, then gain descending,
 *   then catalogue order; priorities and gains are compared as exact doubles (no tolerance), so
 *   gains that are equal on paper but differ in the last bit are ordered by those bits. Tests
 *   that check tie-breaking should use values that are exact in binary.
 * - `questions` lists the raised question ids of the intervention in framework order; `effort`
 *   echoes the catalogue's effort.
 * - A question naming an intervention missing from the catalogue is an error (the contract makes
 *   it a load error); so is a duplicate catalogue id. Catalogue entries that no question names
 *   have gain 0 and are not listed.
 * - For a whole answers file (oraclePlans), plans come in the order of the scoring oracle's
 *   results: organisations in order of first appearance, then rounds in order of first
 *   appearance, one per (organisation, round) with at least one row.
 */

import { oracleScore, oracleScoreAnswers } from './oracle.js';
import type { OracleFramework, OracleQuestion, OracleRow } from './oracle.js';

/** A catalogue effort band; its weight is 1, 2, 3. */
export type OracleEffort = 'low' | 'medium' | 'high';
/** A catalogue entry, as far as the ranking needs it. */
export interface OracleIntervention {
  id: string;
  effort: OracleEffort;
}
/** One listed intervention of a plan, as `kalaja plan` prints it. */
export interface OracleRanked {
  id: string;
  gain: number;
  priority: number;
  effort: OracleEffort;
  questions: string[];
}
/** The ranking of one organisation in one round. */
export interface OraclePlan {
  organisation: string;
  round: string;
  interventions: OracleRanked[];
}

const LISTED_FROM = 0.005;

function effortWeight(effort: OracleEffort): number {
  if (effort === 'low') return 1;
  if (effort === 'medium') return 2;
  if (effort === 'high') return 3;
  throw new Error(`oracle: unknown effort "${String(effort)}"`);
}

function bestOption(question: OracleQuestion): { id: string; score: number } {
  let best = question.options[0];
  if (best === undefined) throw new Error(`oracle: question "${question.id}" has no options`);
  for (const option of question.options) {
    if (option.score > best.score) best = option; // strictly greater: the first best wins
  }
  return best;
}

function scoreOf(question: OracleQuestion, optionId: string): number {
  for (const option of question.options) {
    if (option.id === optionId) return option.score;
  }
  throw new Error(`oracle: unknown option "${optionId}" for question "${question.id}"`);
}

function answersAsMap(answers: Map<string, string> | Record<string, string>): Map<string, string> {
  const map = new Map<string, string>();
  const entries = answers instanceof Map ? [...answers.entries()] : Object.entries(answers);
  for (const [questionId, answer] of entries) map.set(questionId, answer);
  return map;
}

/** The ranked interventions for one organisation's answers in one round. */
export function oraclePlan(
  fw: OracleFramework,
  catalogue: OracleIntervention[],
  answers: Map<string, string> | Record<string, string>,
): OracleRanked[] {
  const given = answersAsMap(answers);

  // Check the catalogue and the framework's references to it.
  for (let i = 0; i < catalogue.length; i++) {
    for (let j = 0; j < i; j++) {
      if ((catalogue[i] as OracleIntervention).id === (catalogue[j] as OracleIntervention).id) {
        throw new Error(`oracle: duplicate intervention "${(catalogue[i] as OracleIntervention).id}"`);
      }
    }
  }
  for (const domain of fw.domains) {
    for (const question of domain.questions) {
      for (const named of question.interventions ?? []) {
        let found = false;
        for (const entry of catalogue) if (entry.id === named) found = true;
        if (!found) throw new Error(`oracle: question "${question.id}" names unknown intervention "${named}"`);
      }
    }
  }

  // Validates the answers too (unknown question or option, "na" not allowed).
  const asAnswered = oracleScoreAnswers(fw, given).overall;

  const listed: Array<OracleRanked & { position: number }> = [];
  for (let position = 0; position < catalogue.length; position++) {
    const entry = catalogue[position] as OracleIntervention;
    const raised: string[] = [];
    const raisedAnswers = new Map(given);
    for (const domain of fw.domains) {
      for (const question of domain.questions) {
        let names = false;
        for (const named of question.interventions ?? []) if (named === entry.id) names = true;
        if (!names) continue;
        const answer = given.get(question.id);
        if (answer === undefined || answer === '' || answer === 'na') continue;
        const best = bestOption(question);
        if (scoreOf(question, answer) < best.score) {
          raised.push(question.id);
          raisedAnswers.set(question.id, best.id);
        }
      }
    }

    let gain = 0;
    if (raised.length > 0) {
      const after = oracleScoreAnswers(fw, raisedAnswers).overall;
      if (after === null || asAnswered === null) throw new Error('oracle: a raised question left overall null');
      gain = after - asAnswered;
    }
    if (!(gain >= LISTED_FROM)) continue;
    listed.push({
      id: entry.id,
      gain,
      priority: gain / effortWeight(entry.effort),
      effort: entry.effort,
      questions: raised,
      position,
    });
  }

  // Plain insertion sort with the contract's three keys.
  const comesBefore = (a: { priority: number; gain: number; position: number }, b: typeof a): boolean => {
    if (Math.abs(a.priority - b.priority) > 1e-9) return a.priority > b.priority;
    if (Math.abs(a.gain - b.gain) > 1e-9) return a.gain > b.gain;
    return a.position < b.position;
  };
  const sorted: Array<OracleRanked & { position: number }> = [];
  for (const item of listed) {
    let at = sorted.length;
    while (at > 0 && comesBefore(item, sorted[at - 1] as OracleRanked & { position: number })) at -= 1;
    sorted.splice(at, 0, item);
  }

  const out: OracleRanked[] = [];
  for (const item of sorted) {
    out.push({ id: item.id, gain: item.gain, priority: item.priority, effort: item.effort, questions: item.questions });
  }
  return out;
}

/** Plans for every (organisation, round) with at least one row, in the scoring oracle's result order. */
export function oraclePlans(fw: OracleFramework, catalogue: OracleIntervention[], rows: OracleRow[]): OraclePlan[] {
  const scored = oracleScore(fw, rows); // validates the rows and fixes the order
  const plans: OraclePlan[] = [];
  for (const result of scored.results) {
    const answers = new Map<string, string>();
    for (const row of rows) {
      if (row.organisation === result.organisation && row.round === result.round) answers.set(row.question, row.answer);
    }
    plans.push({
      organisation: result.organisation,
      round: result.round,
      interventions: oraclePlan(fw, catalogue, answers),
    });
  }
  return plans;
}
