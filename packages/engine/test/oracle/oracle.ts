/**
 * Independent reference implementation ("oracle") of the Kalaja scoring contract
 * (docs/contracts.md §3, the answers exchange file, and §4, scoring).
 *
 * Written from the contract text alone, for tests that cross-check the real engine.
 * It is deliberately simple: plain loops, no shared helpers with the engine, no cleverness.
 *
 * Decisions where the contract is silent (see also the test file):
 * - Domain score is evaluated left to right as (scale × Σ(w·s)) / Σ(w); overall as
 *   Σ(W·D) / Σ(W). Sums run in framework order. Means run in result order. An engine that
 *   groups the arithmetic differently may differ in the last bits: compare with a tolerance.
 * - Caps are in score units (0..scale) and apply only to answered applicable questions. A cap
 *   applies when the chosen option's score s (0..1) satisfies s <= capAt, compared as raw
 *   floating-point numbers; capAt defaults to 0. A capAt without a cap has no effect.
 * - Critical gaps of a result: the ids of every answered applicable question that has a cap and
 *   scores s <= capAt, in framework order (domains in order, questions in order), whichever
 *   domain they are in and whether or not the cap lowered the domain score (a cap above the
 *   uncapped score still names a critical gap). "na" and unanswered questions are never gaps.
 * - The answer "na" always means "not applicable" (the exchange format reserves it).
 * - Thresholds of change compare the raw floating-point Δ = later − earlier with 0.005 / −0.005.
 * - Completeness of a framework with no questions at all is 0.
 * - Rows are expected to be valid already; the oracle throws on anything invalid rather than
 *   guessing (unknown question or option, "na" where not allowed, duplicate rows).
 */

export interface OracleOption {
  id: string;
  score: number;
}
export interface OracleQuestion {
  id: string;
  weight: number;
  na: boolean;
  cap?: number;
  /** The cap applies when the chosen option scores at most this (0..1); default 0. */
  capAt?: number;
  /** Ids of the catalogue interventions that raise this question (the plan oracle reads them). */
  interventions?: string[];
  options: OracleOption[];
}
export interface OracleDomain {
  id: string;
  weight: number;
  questions: OracleQuestion[];
}
export interface OracleFramework {
  id: string;
  version: string;
  scale: number;
  domains: OracleDomain[];
}
/** answer: option id, "na", or "" (unanswered); rows are already validated. */
export interface OracleRow {
  organisation: string;
  round: string;
  question: string;
  answer: string;
}

export interface OracleStats {
  n: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  sd: number | null;
}
export interface OracleChange {
  n: number;
  mean: number | null;
  improved: number;
  declined: number;
  unchanged: number;
}
export interface OracleResult {
  organisation: string;
  round: string;
  overall: number | null;
  completeness: number;
  domains: Record<string, number | null>;
  /** Question ids of the critical gaps, in framework order. */
  criticalGaps: string[];
}
export interface OracleCohortRound {
  n: number;
  overall: OracleStats;
  domains: Record<string, OracleStats>;
}
export interface OracleChangeEntry {
  from: string;
  to: string;
  n: number;
  overall: OracleChange;
  domains: Record<string, OracleChange>;
}
export interface OracleOutput {
  framework: { id: string; version: string };
  results: OracleResult[];
  cohort: Record<string, OracleCohortRound>;
  change: OracleChangeEntry[];
}

const IMPROVED_AT = 0.005;
const DECLINED_AT = -0.005;

/* ------------------------------------------------------------------ */
/* Small lookups, done with plain loops                                */
/* ------------------------------------------------------------------ */

function findQuestion(fw: OracleFramework, questionId: string): OracleQuestion | undefined {
  for (const domain of fw.domains) {
    for (const question of domain.questions) {
      if (question.id === questionId) return question;
    }
  }
  return undefined;
}

function findOption(question: OracleQuestion, optionId: string): OracleOption | undefined {
  for (const option of question.options) {
    if (option.id === optionId) return option;
  }
  return undefined;
}

function contains(list: string[], value: string): boolean {
  for (const item of list) {
    if (item === value) return true;
  }
  return false;
}

function countQuestions(fw: OracleFramework): number {
  let count = 0;
  for (const domain of fw.domains) {
    count += domain.questions.length;
  }
  return count;
}

/* ------------------------------------------------------------------ */
/* One organisation in one round                                       */
/* ------------------------------------------------------------------ */

/** The answers of one organisation in one round: question id -> answer ("", "na" or option id). */
type AnswerMap = Map<string, string>;

/**
 * Score one organisation in one round from its answers (question id -> "", "na" or option id;
 * a missing question is unanswered). Throws on an unknown question, an unknown option, or "na"
 * where the question does not allow it.
 */
export function oracleScoreAnswers(
  fw: OracleFramework,
  answers: Map<string, string> | Record<string, string>,
  organisation = '',
  round = '',
): OracleResult {
  const map: AnswerMap = new Map();
  const entries = answers instanceof Map ? [...answers.entries()] : Object.entries(answers);
  for (const [questionId, answer] of entries) {
    const question = findQuestion(fw, questionId);
    if (question === undefined) {
      throw new Error(`oracle: unknown question "${questionId}"`);
    }
    if (answer === 'na' && !question.na) {
      throw new Error(`oracle: "na" not allowed for question "${questionId}"`);
    }
    map.set(questionId, answer);
  }
  return scoreOne(fw, organisation, round, map);
}

function scoreOne(fw: OracleFramework, organisation: string, round: string, answers: AnswerMap): OracleResult {
  const domains: Record<string, number | null> = {};
  const criticalGaps: string[] = [];
  let answered = 0;
  let notApplicable = 0;

  for (const domain of fw.domains) {
    let sumWeightTimesScore = 0;
    let sumWeight = 0;
    let answeredApplicable = 0;
    let smallestTriggeredCap: number | null = null;

    for (const question of domain.questions) {
      const answer = answers.get(question.id);
      if (answer === undefined || answer === '') {
        // No row, or a blank row: unanswered, left out.
        continue;
      }
      if (answer === 'na') {
        notApplicable += 1;
        continue;
      }
      const option = findOption(question, answer);
      if (option === undefined) {
        throw new Error(`oracle: unknown option "${answer}" for question "${question.id}"`);
      }
      answered += 1;
      answeredApplicable += 1;
      sumWeightTimesScore += question.weight * option.score;
      sumWeight += question.weight;
      const capAt = question.capAt === undefined ? 0 : question.capAt;
      if (question.cap !== undefined && option.score <= capAt) {
        criticalGaps.push(question.id);
        if (smallestTriggeredCap === null || question.cap < smallestTriggeredCap) {
          smallestTriggeredCap = question.cap;
        }
      }
    }

    if (answeredApplicable === 0) {
      domains[domain.id] = null;
    } else {
      let d = (fw.scale * sumWeightTimesScore) / sumWeight;
      if (smallestTriggeredCap !== null && smallestTriggeredCap < d) {
        d = smallestTriggeredCap;
      }
      domains[domain.id] = d;
    }
  }

  let sumDomainWeightTimesScore = 0;
  let sumDomainWeight = 0;
  let nonNullDomains = 0;
  for (const domain of fw.domains) {
    const d = domains[domain.id];
    if (d === null || d === undefined) continue;
    nonNullDomains += 1;
    sumDomainWeightTimesScore += domain.weight * d;
    sumDomainWeight += domain.weight;
  }
  const overall = nonNullDomains === 0 ? null : sumDomainWeightTimesScore / sumDomainWeight;

  const allQuestions = countQuestions(fw);
  const completeness = allQuestions === 0 ? 0 : (answered + notApplicable) / allQuestions;

  return { organisation, round, overall, completeness, domains, criticalGaps };
}

/* ------------------------------------------------------------------ */
/* Statistics                                                          */
/* ------------------------------------------------------------------ */

function stats(values: number[]): OracleStats {
  const n = values.length;
  if (n === 0) {
    return { n: 0, mean: null, median: null, min: null, max: null, sd: null };
  }

  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;

  const sorted = values.slice();
  sorted.sort((a, b) => a - b);
  let median: number;
  if (n % 2 === 1) {
    median = sorted[(n - 1) / 2] as number;
  } else {
    const lower = sorted[n / 2 - 1] as number;
    const upper = sorted[n / 2] as number;
    median = (lower + upper) / 2;
  }

  let min = values[0] as number;
  let max = values[0] as number;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }

  let sd: number | null = null;
  if (n >= 2) {
    let squares = 0;
    for (const v of values) squares += (v - mean) * (v - mean);
    sd = Math.sqrt(squares / (n - 1));
  }

  return { n, mean, median, min, max, sd };
}

function change(pairs: Array<[number, number]>): OracleChange {
  const n = pairs.length;
  let sumDelta = 0;
  let improved = 0;
  let declined = 0;
  let unchanged = 0;
  for (const [earlier, later] of pairs) {
    const delta = later - earlier;
    sumDelta += delta;
    if (delta >= IMPROVED_AT) improved += 1;
    else if (delta <= DECLINED_AT) declined += 1;
    else unchanged += 1;
  }
  return { n, mean: n === 0 ? null : sumDelta / n, improved, declined, unchanged };
}

/* ------------------------------------------------------------------ */
/* The whole file                                                      */
/* ------------------------------------------------------------------ */

export function oracleScore(fw: OracleFramework, rows: OracleRow[]): OracleOutput {
  // Orders of first appearance.
  const organisations: string[] = [];
  const rounds: string[] = [];
  for (const row of rows) {
    if (!contains(organisations, row.organisation)) organisations.push(row.organisation);
    if (!contains(rounds, row.round)) rounds.push(row.round);
  }

  // Group answers by (organisation, round), checking what validation should have caught.
  const answersByOrgRound = new Map<string, AnswerMap>();
  const keyOf = (organisation: string, round: string): string => JSON.stringify([organisation, round]);
  for (const row of rows) {
    const question = findQuestion(fw, row.question);
    if (question === undefined) {
      throw new Error(`oracle: unknown question "${row.question}"`);
    }
    if (row.answer === 'na' && !question.na) {
      throw new Error(`oracle: "na" not allowed for question "${row.question}"`);
    }
    if (row.answer !== '' && row.answer !== 'na' && findOption(question, row.answer) === undefined) {
      throw new Error(`oracle: unknown option "${row.answer}" for question "${row.question}"`);
    }
    const key = keyOf(row.organisation, row.round);
    let answers = answersByOrgRound.get(key);
    if (answers === undefined) {
      answers = new Map();
      answersByOrgRound.set(key, answers);
    }
    if (answers.has(row.question)) {
      throw new Error(`oracle: duplicate row for (${row.organisation}, ${row.round}, ${row.question})`);
    }
    answers.set(row.question, row.answer);
  }

  // Results: organisation order, then round order; only where the pair has at least one row.
  const results: OracleResult[] = [];
  for (const organisation of organisations) {
    for (const round of rounds) {
      const answers = answersByOrgRound.get(keyOf(organisation, round));
      if (answers === undefined) continue;
      results.push(scoreOne(fw, organisation, round, answers));
    }
  }

  const resultFor = (organisation: string, round: string): OracleResult | undefined => {
    for (const result of results) {
      if (result.organisation === organisation && result.round === round) return result;
    }
    return undefined;
  };

  // Cohort, per round.
  const cohort: Record<string, OracleCohortRound> = {};
  for (const round of rounds) {
    let n = 0;
    const overallValues: number[] = [];
    for (const result of results) {
      if (result.round !== round) continue;
      n += 1;
      if (result.overall !== null) overallValues.push(result.overall);
    }
    const domainStats: Record<string, OracleStats> = {};
    for (const domain of fw.domains) {
      const values: number[] = [];
      for (const result of results) {
        if (result.round !== round) continue;
        const d = result.domains[domain.id];
        if (d !== null && d !== undefined) values.push(d);
      }
      domainStats[domain.id] = stats(values);
    }
    cohort[round] = { n, overall: stats(overallValues), domains: domainStats };
  }

  // Change between consecutive rounds.
  const changes: OracleChangeEntry[] = [];
  for (let i = 0; i + 1 < rounds.length; i++) {
    const from = rounds[i] as string;
    const to = rounds[i + 1] as string;

    const both: Array<[OracleResult, OracleResult]> = [];
    for (const organisation of organisations) {
      const earlier = resultFor(organisation, from);
      const later = resultFor(organisation, to);
      if (earlier !== undefined && later !== undefined) both.push([earlier, later]);
    }

    const overallPairs: Array<[number, number]> = [];
    for (const [earlier, later] of both) {
      if (earlier.overall !== null && later.overall !== null) {
        overallPairs.push([earlier.overall, later.overall]);
      }
    }
    const domainChanges: Record<string, OracleChange> = {};
    for (const domain of fw.domains) {
      const pairs: Array<[number, number]> = [];
      for (const [earlier, later] of both) {
        const a = earlier.domains[domain.id];
        const b = later.domains[domain.id];
        if (a !== null && a !== undefined && b !== null && b !== undefined) pairs.push([a, b]);
      }
      domainChanges[domain.id] = change(pairs);
    }

    changes.push({
      from,
      to,
      n: both.length,
      overall: change(overallPairs),
      domains: domainChanges,
    });
  }

  return {
    framework: { id: fw.id, version: fw.version },
    results,
    cohort,
    change: changes,
  };
}

/* ------------------------------------------------------------------ */
/* Display rounding                                                    */
/* ------------------------------------------------------------------ */

/**
 * Round half-up (half away from zero for negatives) to `decimals` places, working on the
 * shortest decimal string that JavaScript prints for `x` (so 1.005 -> 1.01, 8.325 -> 8.33,
 * although neither is exactly representable in binary). A zero result is returned as +0.
 * Non-finite values are returned unchanged.
 */
export function oracleRoundHalfUp(x: number, decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0) {
    throw new Error(`oracle: decimals must be a non-negative integer, got ${decimals}`);
  }
  if (!Number.isFinite(x)) return x;

  const negative = x < 0;
  const text = String(Math.abs(x)); // e.g. "8.325", "1e-7", "1.5e+21"

  // Split into mantissa and exponent.
  let mantissa = text;
  let exponent = 0;
  const ePos = text.indexOf('e');
  if (ePos >= 0) {
    mantissa = text.slice(0, ePos);
    exponent = Number(text.slice(ePos + 1));
  }

  // digits: all digits without the point; intLength: how many of them are before the point.
  const pointPos = mantissa.indexOf('.');
  let digits: string;
  let intLength: number;
  if (pointPos >= 0) {
    digits = mantissa.slice(0, pointPos) + mantissa.slice(pointPos + 1);
    intLength = pointPos + exponent;
  } else {
    digits = mantissa;
    intLength = mantissa.length + exponent;
  }

  // Make sure there is at least one integer digit and enough digits after the point.
  if (intLength <= 0) {
    digits = '0'.repeat(1 - intLength) + digits;
    intLength = 1;
  }
  while (digits.length < intLength + decimals + 1) {
    digits += '0';
  }

  // Keep intLength + decimals digits; look at the next one.
  const keep = digits.slice(0, intLength + decimals).split('');
  const next = digits.charAt(intLength + decimals);
  if (next >= '5') {
    let i = keep.length - 1;
    let carry = true;
    while (carry && i >= 0) {
      const digit = Number(keep[i]);
      if (digit === 9) {
        keep[i] = '0';
        i -= 1;
      } else {
        keep[i] = String(digit + 1);
        carry = false;
      }
    }
    if (carry) {
      keep.unshift('1');
      intLength += 1;
    }
  }

  const kept = keep.join('');
  const intPart = kept.slice(0, intLength);
  const fracPart = kept.slice(intLength);
  const resultText = fracPart.length > 0 ? `${intPart}.${fracPart}` : intPart;
  const magnitude = Number(resultText);
  if (magnitude === 0) return 0;
  return negative ? -magnitude : magnitude;
}
