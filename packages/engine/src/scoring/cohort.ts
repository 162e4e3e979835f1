import { levelFor } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import { textFor } from '../text.js';
import { collectAnswers, type AnswerSet } from '../answers/collect.js';
import { criticalGaps, scoreChoices, type AssessmentScore } from './score.js';
import { change, stats, type Change, type Stats } from './stats.js';

/** One answer of one organisation in one round, as read from the exchange file or database. */
export interface AnswerRecord {
  organisation: string;
  round: string;
  question: string;
  /** Option id, `na`, or '' for unanswered. */
  answer: string;
  note?: string;
  /** The physical line it came from, for messages. */
  line?: number;
}

export interface OrganisationResult {
  organisation: string;
  round: string;
  overall: number | null;
  completeness: number;
  domains: Record<string, number | null>;
  /** The band of the overall score (English label), null without a score or levels. */
  level: string | null;
  /** The critical gaps (capped questions at or below their `capAt`), in framework order. */
  criticalGaps: string[];
}

export interface RoundCohort {
  n: number;
  overall: Stats;
  domains: Record<string, Stats>;
}

export interface RoundChange {
  from: string;
  to: string;
  n: number;
  overall: Change;
  domains: Record<string, Change>;
}

/** The output of `kalaja score --format json`, exactly as the contract shapes it. */
export interface ScoreReport {
  framework: { id: string; version: string };
  /**
   * The rounds in the order they are compared (first appearance): `cohort`'s keys cannot carry
   * that order, since JavaScript lists integer-like keys such as "2025" first.
   */
  rounds: string[];
  results: OrganisationResult[];
  cohort: Record<string, RoundCohort>;
  change: RoundChange[];
}

/**
 * Scores a whole cohort: each organisation in each round where it has at least one record,
 * cohort statistics per round, and the change between consecutive rounds (rounds in order
 * of first appearance). Records must already be valid for the framework.
 */
export function scoreCohort(fw: Framework, records: Iterable<AnswerRecord>): ScoreReport {
  const { set, problems } = collectAnswers(fw, records);
  if (problems.length > 0) throw new Error(`scoreCohort needs validated records: ${problems[0]!.message}`);
  return scoreAnswerSet(fw, set);
}

/** `scoreCohort` on answers already read and validated (see `readAnswers`). */
export function scoreAnswerSet(fw: Framework, set: AnswerSet): ScoreReport {
  const scored = new Map<string, Map<string, AssessmentScore>>();
  const results: OrganisationResult[] = [];
  for (const organisation of set.organisations) {
    const mine = new Map<string, AssessmentScore>();
    scored.set(organisation, mine);
    for (const [round, choices] of set.assessments.get(organisation) ?? []) {
      const s = scoreChoices(fw, choices);
      mine.set(round, s);
      const level = levelFor(fw, s.overall);
      results.push({
        organisation,
        round,
        overall: s.overall,
        completeness: s.completeness,
        domains: s.domains,
        level: level ? textFor(level.label) : null,
        criticalGaps: criticalGaps(fw, choices).map((g) => g.question),
      });
    }
  }
  return cohortFromScores(fw, set.rounds, scored, results);
}

/**
 * Cohort statistics and change from scores already computed (organisation → round → score),
 * so that callers holding scores (the server) need not score twice.
 */
export function cohortFromScores(
  fw: Framework,
  rounds: readonly string[],
  scored: ReadonlyMap<string, ReadonlyMap<string, AssessmentScore>>,
  results: OrganisationResult[] = [],
): ScoreReport {
  const domainIds = fw.domains.map((d) => d.id);
  const cohort: Record<string, RoundCohort> = {};
  for (const round of rounds) {
    const inRound = [...scored.values()].flatMap((m) => (m.has(round) ? [m.get(round)!] : []));
    const domains: Record<string, Stats> = {};
    for (const id of domainIds) domains[id] = stats(nonNull(inRound.map((s) => s.domains[id] ?? null)));
    cohort[round] = { n: inRound.length, overall: stats(nonNull(inRound.map((s) => s.overall))), domains };
  }
  const changes = roundChanges(fw, rounds, scored, () => true).map(({ provisional: _, ...c }) => c);
  return { framework: { id: fw.id, version: fw.version }, rounds: [...rounds], results, cohort, change: changes };
}

/** A change between consecutive rounds over final assessments, and how many were left out. */
export interface FinalRoundChange extends RoundChange {
  /**
   * Organisations with a result in both rounds that the change leaves out because at least one
   * of their two assessments is not final (in the app: not yet validated by the assessor).
   */
  provisional: number;
}

/**
 * The change between each pair of consecutive rounds over the organisations whose assessments
 * are final in both (`isFinal`; in the app, validated), with the paired statistics of every
 * Change; the organisations with a result in both rounds but a provisional assessment in either
 * are left out and counted. With every assessment final it is `cohortFromScores`' change.
 */
export function roundChanges(
  fw: Framework,
  rounds: readonly string[],
  scored: ReadonlyMap<string, ReadonlyMap<string, AssessmentScore>>,
  isFinal: (organisation: string, round: string) => boolean,
): FinalRoundChange[] {
  const domainIds = fw.domains.map((d) => d.id);
  const changes: FinalRoundChange[] = [];
  for (let i = 1; i < rounds.length; i++) {
    const from = rounds[i - 1]!;
    const to = rounds[i]!;
    let provisional = 0;
    const both: (readonly [AssessmentScore, AssessmentScore])[] = [];
    for (const [organisation, m] of scored) {
      if (!m.has(from) || !m.has(to)) continue;
      if (isFinal(organisation, from) && isFinal(organisation, to)) both.push([m.get(from)!, m.get(to)!]);
      else provisional++;
    }
    const domains: Record<string, Change> = {};
    for (const id of domainIds)
      domains[id] = change(pairs(both.map(([a, b]) => [a.domains[id] ?? null, b.domains[id] ?? null])));
    changes.push({
      from,
      to,
      n: both.length,
      overall: change(pairs(both.map(([a, b]) => [a.overall, b.overall]))),
      domains,
      provisional,
    });
  }
  return changes;
}

function nonNull(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

function pairs(values: [number | null, number | null][]): [number, number][] {
  return values.filter((p): p is [number, number] => p[0] !== null && p[1] !== null);
}
