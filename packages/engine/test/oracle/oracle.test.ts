import { describe, it, expect } from 'vitest';
import { oracleScore, oracleScoreAnswers, oracleRoundHalfUp } from './oracle.js';
import type { OracleFramework, OracleQuestion, OracleRow, OracleDomain } from './oracle.js';

/* Small builders so that each test shows only what matters to it. */

function question(
  id: string,
  scores: Record<string, number>,
  extra: { weight?: number; na?: boolean; cap?: number; capAt?: number } = {},
): OracleQuestion {
  const options = Object.entries(scores).map(([optionId, score]) => ({ id: optionId, score }));
  const q: OracleQuestion = { id, weight: extra.weight ?? 1, na: extra.na ?? false, options };
  if (extra.cap !== undefined) q.cap = extra.cap;
  if (extra.capAt !== undefined) q.capAt = extra.capAt;
  return q;
}

function domain(id: string, questions: OracleQuestion[], weight = 1): OracleDomain {
  return { id, weight, questions };
}

function framework(domains: OracleDomain[], scale = 10): OracleFramework {
  return { id: 'test-fw', version: '1.0.0', scale, domains };
}

function row(organisation: string, round: string, q: string, answer: string): OracleRow {
  return { organisation, round, question: q, answer };
}

const YES_NO = { no: 0, yes: 1 };

/** The only result of a one-result scoring, failing loudly if there is not exactly one. */
function onlyResult(fw: OracleFramework, rows: OracleRow[]) {
  const out = oracleScore(fw, rows);
  expect(out.results).toHaveLength(1);
  const result = out.results[0];
  if (result === undefined) throw new Error('no result');
  return result;
}

describe('oracle: one organisation in one round', () => {
  it('scores the contract vector: options 1 and 0.5 with weights 2 and 1 plus an N/A answer give 8.333… on a scale of 10', () => {
    const fw = framework([
      domain('access', [
        question('a1', YES_NO, { weight: 2 }),
        question('a2', { no: 0, partly: 0.5, yes: 1 }, { weight: 1 }),
        question('a3', YES_NO, { na: true }),
      ]),
    ]);
    const result = onlyResult(fw, [
      row('org1', 'baseline', 'a1', 'yes'),
      row('org1', 'baseline', 'a2', 'partly'),
      row('org1', 'baseline', 'a3', 'na'),
    ]);
    // 10 × (2·1 + 1·0.5) / (2 + 1) = 25 / 3; the N/A question is left out of both sums.
    expect(result.domains['access']).toBeCloseTo(25 / 3, 12);
    expect(result.overall).toBeCloseTo(25 / 3, 12);
    // All three questions have an answer or N/A.
    expect(result.completeness).toBe(1);
    // Display: 2 decimals for cohort figures, 1 for an organisation.
    expect(oracleRoundHalfUp(result.overall ?? NaN, 2)).toBe(8.33);
    expect(oracleRoundHalfUp(result.overall ?? NaN, 1)).toBe(8.3);
  });

  it('caps the domain at the cap of an answered question that scores 0', () => {
    const fw = framework([
      domain('d', [question('capped', YES_NO, { cap: 4 }), question('q2', YES_NO), question('q3', YES_NO)]),
    ]);
    const result = onlyResult(fw, [
      row('org1', 'r1', 'capped', 'no'),
      row('org1', 'r1', 'q2', 'yes'),
      row('org1', 'r1', 'q3', 'yes'),
    ]);
    // Uncapped it would be 10 × 2 / 3 = 6.67; the capped question scores 0, so at most 4.
    expect(result.domains['d']).toBe(4);
    expect(result.overall).toBe(4);
  });

  it('uses the smallest cap when several capped questions score 0', () => {
    const fw = framework([
      domain('d', [
        question('cap4', YES_NO, { cap: 4 }),
        question('cap3', YES_NO, { cap: 3 }),
        question('q', YES_NO, { weight: 10 }),
      ]),
    ]);
    const result = onlyResult(fw, [
      row('org1', 'r1', 'cap4', 'no'),
      row('org1', 'r1', 'cap3', 'no'),
      row('org1', 'r1', 'q', 'yes'),
    ]);
    // Uncapped: 10 × 10 / 12 = 8.33; caps 4 and 3 both apply, the smaller one wins.
    expect(result.domains['d']).toBe(3);
  });

  it('never raises a domain score up to the cap', () => {
    const fw = framework([domain('d', [question('capped', YES_NO, { cap: 4 }), question('q2', YES_NO)])]);
    const result = onlyResult(fw, [row('org1', 'r1', 'capped', 'no'), row('org1', 'r1', 'q2', 'no')]);
    // Both score 0, so D = 0, which is already below the cap of 4.
    expect(result.domains['d']).toBe(0);
  });

  it('does not apply the cap when the capped question scores more than 0', () => {
    const fw = framework([
      domain('d', [question('capped', { no: 0, partly: 0.5, yes: 1 }, { cap: 4 }), question('q2', YES_NO)]),
    ]);
    const result = onlyResult(fw, [row('org1', 'r1', 'capped', 'partly'), row('org1', 'r1', 'q2', 'yes')]);
    // 10 × (0.5 + 1) / 2 = 7.5, no cap.
    expect(result.domains['d']).toBe(7.5);
  });

  it('does not apply the cap when the capped question is answered N/A', () => {
    const fw = framework([domain('d', [question('capped', YES_NO, { cap: 4, na: true }), question('q2', YES_NO)])]);
    const result = onlyResult(fw, [row('org1', 'r1', 'capped', 'na'), row('org1', 'r1', 'q2', 'yes')]);
    expect(result.domains['d']).toBe(10);
    expect(result.completeness).toBe(1);
  });

  it('does not apply the cap when the capped question is left blank', () => {
    const fw = framework([domain('d', [question('capped', YES_NO, { cap: 4 }), question('q2', YES_NO)])]);
    const result = onlyResult(fw, [row('org1', 'r1', 'capped', ''), row('org1', 'r1', 'q2', 'yes')]);
    expect(result.domains['d']).toBe(10);
    expect(result.completeness).toBe(0.5);
  });

  it('does not apply the cap when the capped question has no row at all', () => {
    const fw = framework([domain('d', [question('capped', YES_NO, { cap: 4 }), question('q2', YES_NO)])]);
    const result = onlyResult(fw, [row('org1', 'r1', 'q2', 'yes')]);
    expect(result.domains['d']).toBe(10);
    expect(result.completeness).toBe(0.5);
  });

  it('gives an organisation whose rows are all blank a result with completeness 0, overall null and null domains', () => {
    const fw = framework([
      domain('a', [question('a1', YES_NO), question('a2', YES_NO)]),
      domain('b', [question('b1', YES_NO)]),
    ]);
    const out = oracleScore(fw, [row('org1', 'r1', 'a1', ''), row('org1', 'r1', 'b1', '')]);
    expect(out.results).toEqual([
      {
        organisation: 'org1',
        round: 'r1',
        overall: null,
        completeness: 0,
        domains: { a: null, b: null },
        criticalGaps: [],
      },
    ]);
    // The organisation counts in the cohort n, but has no values for the statistics.
    expect(out.cohort['r1']?.n).toBe(1);
    expect(out.cohort['r1']?.overall).toEqual({
      n: 0,
      mean: null,
      median: null,
      min: null,
      max: null,
      sd: null,
    });
  });

  it('gives a domain whose questions are all N/A a null score, and leaves it out of the overall', () => {
    const fw = framework([
      domain('a', [question('a1', YES_NO, { na: true })], 5),
      domain('b', [question('b1', { no: 0, partly: 0.5, yes: 1 })], 1),
    ]);
    const result = onlyResult(fw, [row('org1', 'r1', 'a1', 'na'), row('org1', 'r1', 'b1', 'partly')]);
    expect(result.domains).toEqual({ a: null, b: 5 });
    // Only domain b counts, whatever the weight of a.
    expect(result.overall).toBe(5);
    expect(result.completeness).toBe(1);
  });

  it('weights domains in the overall by their domain weight', () => {
    const fw = framework([
      domain('a', [question('a1', YES_NO)], 3),
      domain('b', [question('b1', YES_NO)], 1),
      domain('c', [question('c1', YES_NO)], 5),
    ]);
    const result = onlyResult(fw, [
      row('org1', 'r1', 'a1', 'yes'),
      row('org1', 'r1', 'b1', 'no'),
      row('org1', 'r1', 'c1', ''),
    ]);
    // (3 × 10 + 1 × 0) / (3 + 1) = 7.5; domain c is null and its weight 5 is left out.
    expect(result.domains).toEqual({ a: 10, b: 0, c: null });
    expect(result.overall).toBe(7.5);
  });

  it('counts answered and N/A questions over all questions of the framework for completeness', () => {
    const fw = framework([
      domain('a', [question('a1', YES_NO), question('a2', YES_NO, { na: true })]),
      domain('b', [question('b1', YES_NO), question('b2', YES_NO)]),
    ]);
    // a1 answered, a2 N/A, b1 blank, b2 has no row: 2 of 4.
    const result = onlyResult(fw, [
      row('org1', 'r1', 'a1', 'no'),
      row('org1', 'r1', 'a2', 'na'),
      row('org1', 'r1', 'b1', ''),
    ]);
    expect(result.completeness).toBe(0.5);
  });

  it('reports on the framework scale', () => {
    const fw = framework([domain('d', [question('q', { no: 0, partly: 0.5, yes: 1 })])], 4);
    const result = onlyResult(fw, [row('org1', 'r1', 'q', 'partly')]);
    // 4 × 0.5 = 2.
    expect(result.domains['d']).toBe(2);
  });
});

describe('oracle: results, cohort and shape', () => {
  it('echoes the framework id and version', () => {
    const fw = framework([domain('d', [question('q', YES_NO)])]);
    const out = oracleScore(fw, [row('org1', 'r1', 'q', 'yes')]);
    expect(out.framework).toEqual({ id: 'test-fw', version: '1.0.0' });
  });

  it('orders results by organisation in order of first appearance, then by round order, one per pair with rows', () => {
    const fw = framework([domain('d', [question('q', YES_NO), question('q2', YES_NO)])]);
    const out = oracleScore(fw, [
      row('zeta', 'later', 'q', 'yes'), // "later" appears first, so it is the first round
      row('alpha', 'earlier', 'q', 'no'),
      row('zeta', 'earlier', 'q', 'no'),
      row('alpha', 'later', 'q', 'yes'),
      row('zeta', 'later', 'q2', 'yes'),
      row('mid', 'earlier', 'q', 'yes'), // only in the second round
    ]);
    expect(out.results.map((r) => [r.organisation, r.round])).toEqual([
      ['zeta', 'later'],
      ['zeta', 'earlier'],
      ['alpha', 'later'],
      ['alpha', 'earlier'],
      ['mid', 'earlier'],
    ]);
    expect(Object.keys(out.cohort)).toEqual(['later', 'earlier']);
    expect(out.change.map((c) => [c.from, c.to])).toEqual([['later', 'earlier']]);
  });

  it('puts every domain id of the framework in every domains object', () => {
    const fw = framework([domain('a', [question('a1', YES_NO)]), domain('b', [question('b1', YES_NO)])]);
    const out = oracleScore(fw, [row('org1', 'r1', 'a1', 'yes'), row('org1', 'r2', 'a1', 'yes')]);
    for (const result of out.results) {
      expect(Object.keys(result.domains)).toEqual(['a', 'b']);
      expect(result.domains['b']).toBeNull();
    }
    expect(Object.keys(out.cohort['r1']?.domains ?? {})).toEqual(['a', 'b']);
    expect(out.cohort['r1']?.domains['b']?.n).toBe(0);
    const firstChange = out.change[0];
    expect(Object.keys(firstChange?.domains ?? {})).toEqual(['a', 'b']);
    expect(firstChange?.domains['b']).toEqual({
      n: 0,
      mean: null,
      improved: 0,
      declined: 0,
      unchanged: 0,
    });
  });

  it('takes the median of an even number of values as the mean of the two middle ones, sorting numerically', () => {
    const fw = framework([domain('d', [question('q', { s0: 0, s25: 0.25, s50: 0.5, s100: 1 })])]);
    // Overall values in file order: 10, 0, 5, 2.5 (sorted: 0, 2.5, 5, 10).
    const out = oracleScore(fw, [
      row('o1', 'r1', 'q', 's100'),
      row('o2', 'r1', 'q', 's0'),
      row('o3', 'r1', 'q', 's50'),
      row('o4', 'r1', 'q', 's25'),
    ]);
    const stats = out.cohort['r1']?.overall;
    expect(out.cohort['r1']?.n).toBe(4);
    expect(stats?.n).toBe(4);
    expect(stats?.median).toBe(3.75); // (2.5 + 5) / 2
    expect(stats?.mean).toBe(4.375); // 17.5 / 4
    expect(stats?.min).toBe(0);
    expect(stats?.max).toBe(10);
    // Deviations −4.375, −1.875, 0.625, 5.625; squares sum to 54.6875; sample variance / 3.
    expect(stats?.sd).toBeCloseTo(Math.sqrt(54.6875 / 3), 12);
    expect(stats?.sd).toBeCloseTo(4.26956, 5);
    expect(out.cohort['r1']?.domains['d']).toEqual(stats);
  });

  it('takes the middle value as the median of an odd number of values', () => {
    const fw = framework([domain('d', [question('q', { s0: 0, s25: 0.25, s100: 1 })])]);
    const out = oracleScore(fw, [
      row('o1', 'r1', 'q', 's100'),
      row('o2', 'r1', 'q', 's0'),
      row('o3', 'r1', 'q', 's25'),
    ]);
    expect(out.cohort['r1']?.overall.median).toBe(2.5);
    // Mean 12.5 / 3; deviations 5.833…, −4.166…, −1.666…
    expect(out.cohort['r1']?.overall.mean).toBeCloseTo(12.5 / 3, 12);
  });

  it('gives sd null, and mean = median = min = max, when n = 1', () => {
    const fw = framework([domain('d', [question('q', { no: 0, partly: 0.5, yes: 1 })])]);
    const out = oracleScore(fw, [row('o1', 'r1', 'q', 'partly')]);
    expect(out.cohort['r1']).toEqual({
      n: 1,
      overall: { n: 1, mean: 5, median: 5, min: 5, max: 5, sd: null },
      domains: { d: { n: 1, mean: 5, median: 5, min: 5, max: 5, sd: null } },
    });
  });

  it('gives sd 0 when two values are equal', () => {
    const fw = framework([domain('d', [question('q', YES_NO)])]);
    const out = oracleScore(fw, [row('o1', 'r1', 'q', 'yes'), row('o2', 'r1', 'q', 'yes')]);
    expect(out.cohort['r1']?.overall.sd).toBe(0);
  });

  it('counts in the cohort n every organisation with a result, but in the Stats only the non-null values', () => {
    const fw = framework([domain('a', [question('a1', YES_NO)]), domain('b', [question('b1', YES_NO)])]);
    const out = oracleScore(fw, [
      row('o1', 'r1', 'a1', 'yes'),
      row('o2', 'r1', 'a1', 'no'),
      row('o2', 'r1', 'b1', 'yes'),
      row('o3', 'r1', 'a1', ''),
    ]);
    expect(out.cohort['r1']?.n).toBe(3);
    expect(out.cohort['r1']?.overall.n).toBe(2); // o1: 10, o2: (0 + 10) / 2 = 5
    expect(out.cohort['r1']?.overall.mean).toBe(7.5);
    expect(out.cohort['r1']?.domains['a']?.n).toBe(2);
    expect(out.cohort['r1']?.domains['b']?.n).toBe(1);
    expect(out.cohort['r1']?.domains['b']?.sd).toBeNull();
  });

  it('throws on rows that validation should have rejected', () => {
    const fw = framework([domain('d', [question('q', YES_NO)])]);
    expect(() => oracleScore(fw, [row('o1', 'r1', 'nope', 'yes')])).toThrow();
    expect(() => oracleScore(fw, [row('o1', 'r1', 'q', 'maybe')])).toThrow();
    expect(() => oracleScore(fw, [row('o1', 'r1', 'q', 'na')])).toThrow();
    expect(() => oracleScore(fw, [row('o1', 'r1', 'q', 'yes'), row('o1', 'r1', 'q', 'no')])).toThrow();
  });

  it('gives an empty output for no rows', () => {
    const fw = framework([domain('d', [question('q', YES_NO)])]);
    expect(oracleScore(fw, [])).toEqual({
      framework: { id: 'test-fw', version: '1.0.0' },
      results: [],
      cohort: {},
      change: [],
    });
  });
});

describe('oracle: change between rounds', () => {
  // Scale 1 and a single question: D = 1 × s / 1 = s and O = 1 × D / 1 = D exactly, so a
  // change from 0 to 0.005 has a floating-point Δ of exactly the double 0.005.
  const fw = framework([domain('d', [question('q', { zero: 0, below: 0.0049, tiny: 0.005, half: 0.5 })])], 1);

  it('counts a Δ of exactly 0.005 as improved and −0.005 as declined, smaller ones as unchanged, and leaves out organisations not in both rounds', () => {
    expect(0.005 - 0).toBe(0.005); // the float subtraction is exact here
    expect(0 - 0.005).toBe(-0.005);
    const out = oracleScore(fw, [
      row('up', 'r1', 'q', 'zero'),
      row('down', 'r1', 'q', 'tiny'),
      row('same', 'r1', 'q', 'half'),
      row('almost', 'r1', 'q', 'zero'),
      row('gone', 'r1', 'q', 'half'), // not in r2: left out
      row('blank', 'r1', 'q', 'half'), // in both rounds, but no value in r2
      row('up', 'r2', 'q', 'tiny'), // Δ = +0.005 → improved
      row('down', 'r2', 'q', 'zero'), // Δ = −0.005 → declined
      row('same', 'r2', 'q', 'half'), // Δ = 0 → unchanged
      row('almost', 'r2', 'q', 'below'), // Δ = 0.0049 → unchanged
      row('blank', 'r2', 'q', ''),
      row('new', 'r2', 'q', 'half'), // not in r1: left out
    ]);
    expect(out.change).toHaveLength(1);
    const c = out.change[0];
    expect(c?.from).toBe('r1');
    expect(c?.to).toBe('r2');
    // up, down, same, almost, blank have a result in both rounds.
    expect(c?.n).toBe(5);
    // blank has no overall in r2, so 4 pairs.
    expect(c?.overall.n).toBe(4);
    expect(c?.overall.improved).toBe(1);
    expect(c?.overall.declined).toBe(1);
    expect(c?.overall.unchanged).toBe(2);
    // (0.005 − 0.005 + 0 + 0.0049) / 4
    expect(c?.overall.mean).toBeCloseTo(0.0049 / 4, 12);
    expect(c?.domains['d']).toEqual(c?.overall);
  });

  it('measures change as later minus earlier: 5 → 5.5 improved, 5 → 5 unchanged, 5.5 → 5 declined (scale 10)', () => {
    // 10 × 0.55 is exactly 5.5 in floating point, so every Δ here is exact.
    const fw10 = framework([domain('d', [question('q', { five: 0.5, fivehalf: 0.55 })])]);
    const out = oracleScore(fw10, [
      row('a', 'base', 'q', 'five'),
      row('b', 'base', 'q', 'five'),
      row('c', 'base', 'q', 'fivehalf'),
      row('a', 'again', 'q', 'fivehalf'), // Δ +0.5
      row('b', 'again', 'q', 'five'), // Δ 0
      row('c', 'again', 'q', 'five'), // Δ −0.5
    ]);
    expect(out.results.map((r) => r.overall)).toEqual([5, 5.5, 5, 5, 5.5, 5]);
    // Mean of Δ: (0.5 + 0 − 0.5) / 3 = 0.
    expect(out.change).toEqual([
      {
        from: 'base',
        to: 'again',
        n: 3,
        overall: { n: 3, mean: 0, improved: 1, declined: 1, unchanged: 1 },
        domains: { d: { n: 3, mean: 0, improved: 1, declined: 1, unchanged: 1 } },
      },
    ]);
  });

  it('compares consecutive rounds only, in order of first appearance', () => {
    const out = oracleScore(fw, [
      row('o1', 'third', 'q', 'half'),
      row('o1', 'first', 'q', 'zero'),
      row('o1', 'second', 'q', 'tiny'),
      row('o2', 'first', 'q', 'zero'),
      row('o2', 'third', 'q', 'zero'),
    ]);
    // Rounds in order of first appearance: third, first, second.
    expect(out.change.map((c) => [c.from, c.to, c.n])).toEqual([
      ['third', 'first', 2],
      ['first', 'second', 1],
    ]);
    // third → first: o1 0.5 → 0 (declined), o2 0 → 0 (unchanged).
    expect(out.change[0]?.overall).toEqual({
      n: 2,
      mean: -0.25,
      improved: 0,
      declined: 1,
      unchanged: 1,
    });
    // first → second: o1 0 → 0.005 (improved); o2 has no "second" result.
    expect(out.change[1]?.overall.improved).toBe(1);
    expect(out.change[1]?.overall.mean).toBe(0.005);
  });

  it('has no change entries for a single round', () => {
    const out = oracleScore(fw, [row('o1', 'r1', 'q', 'half')]);
    expect(out.change).toEqual([]);
  });
});

describe('oracle: display rounding half-up', () => {
  it('rounds halves up on the decimal representation, not on x × 100', () => {
    expect(oracleRoundHalfUp(1.005, 2)).toBe(1.01);
    expect(oracleRoundHalfUp(8.325, 2)).toBe(8.33);
    expect(oracleRoundHalfUp(2.675, 2)).toBe(2.68);
    expect(oracleRoundHalfUp(1.45, 1)).toBe(1.5);
    expect(oracleRoundHalfUp(0.125, 2)).toBe(0.13);
    expect(oracleRoundHalfUp(2.5, 0)).toBe(3);
  });

  it('rounds below a half down', () => {
    expect(oracleRoundHalfUp(25 / 3, 2)).toBe(8.33);
    expect(oracleRoundHalfUp(25 / 3, 1)).toBe(8.3);
    expect(oracleRoundHalfUp(1.0049999, 2)).toBe(1);
    expect(oracleRoundHalfUp(1.44, 1)).toBe(1.4);
  });

  it('rounds halves away from zero for negative numbers', () => {
    expect(oracleRoundHalfUp(-1.005, 2)).toBe(-1.01);
    expect(oracleRoundHalfUp(-2.5, 0)).toBe(-3);
    expect(oracleRoundHalfUp(-0.575, 2)).toBe(-0.58);
    expect(oracleRoundHalfUp(-0.574, 2)).toBe(-0.57);
  });

  it('carries through nines', () => {
    expect(oracleRoundHalfUp(9.995, 2)).toBe(10);
    expect(oracleRoundHalfUp(99.95, 1)).toBe(100);
    expect(oracleRoundHalfUp(0.0995, 3)).toBe(0.1);
  });

  it('leaves values that already fit unchanged', () => {
    expect(oracleRoundHalfUp(3.49, 2)).toBe(3.49);
    expect(oracleRoundHalfUp(4.07, 2)).toBe(4.07);
    expect(oracleRoundHalfUp(3, 1)).toBe(3);
    expect(oracleRoundHalfUp(0, 2)).toBe(0);
  });

  it('handles numbers that JavaScript prints in exponent notation', () => {
    expect(oracleRoundHalfUp(1e-7, 2)).toBe(0);
    expect(oracleRoundHalfUp(5e-7, 6)).toBe(0.000001);
    expect(oracleRoundHalfUp(4e-7, 6)).toBe(0);
    expect(oracleRoundHalfUp(1.5e21, 2)).toBe(1.5e21);
  });

  it('returns a positive zero when a small negative number rounds to zero', () => {
    expect(Object.is(oracleRoundHalfUp(-0.004, 2), 0)).toBe(true);
    expect(Object.is(oracleRoundHalfUp(-0, 2), 0)).toBe(true);
  });

  it('rejects a negative or fractional number of decimals', () => {
    expect(() => oracleRoundHalfUp(1, -1)).toThrow();
    expect(() => oracleRoundHalfUp(1, 1.5)).toThrow();
  });
});

describe('oracle: capAt and critical gaps', () => {
  const LADDER = { none: 0, some: 0.25, most: 0.5, all: 1 };

  it('applies the cap when the chosen option scores at or below capAt, not only at 0', () => {
    const fw = framework([
      domain('d', [
        question('capped', LADDER, { cap: 3, capAt: 0.25 }),
        question('q2', YES_NO),
        question('q3', YES_NO),
      ]),
    ]);
    // 0.25 <= capAt 0.25: uncapped 10 × 2.25 / 3 = 7.5, capped at 3.
    const atCapAt = onlyResult(fw, [
      row('o', 'r', 'capped', 'some'),
      row('o', 'r', 'q2', 'yes'),
      row('o', 'r', 'q3', 'yes'),
    ]);
    expect(atCapAt.domains['d']).toBe(3);
    expect(atCapAt.criticalGaps).toEqual(['capped']);
    // 0.5 > capAt: no cap, no gap; 10 × 2.5 / 3.
    const above = onlyResult(fw, [
      row('o', 'r', 'capped', 'most'),
      row('o', 'r', 'q2', 'yes'),
      row('o', 'r', 'q3', 'yes'),
    ]);
    expect(above.domains['d']).toBeCloseTo(25 / 3, 12);
    expect(above.criticalGaps).toEqual([]);
  });

  it('keeps capAt 0 as the default: a score above 0 is not capped', () => {
    const fw = framework([domain('d', [question('capped', LADDER, { cap: 3 }), question('q2', YES_NO)])]);
    const result = onlyResult(fw, [row('o', 'r', 'capped', 'some'), row('o', 'r', 'q2', 'yes')]);
    // 10 × 1.25 / 2 = 6.25, no cap at 0.25 when capAt is the default 0.
    expect(result.domains['d']).toBe(6.25);
    expect(result.criticalGaps).toEqual([]);
  });

  it('ignores capAt on a question without a cap', () => {
    const fw = framework([domain('d', [question('q', LADDER, { capAt: 0.5 }), question('q2', YES_NO)])]);
    const result = onlyResult(fw, [row('o', 'r', 'q', 'none'), row('o', 'r', 'q2', 'yes')]);
    expect(result.domains['d']).toBe(5);
    expect(result.criticalGaps).toEqual([]);
  });

  it('names every critical gap in framework order, in every domain, even where the cap does not lower the score', () => {
    const fw = framework([
      domain('a', [
        question('a1', YES_NO),
        question('a2', LADDER, { cap: 5, capAt: 0.5 }),
        question('a3', YES_NO, { cap: 9 }),
      ]),
      domain('b', [question('b1', YES_NO, { cap: 2 }), question('b2', YES_NO, { cap: 2, na: true })]),
      domain('c', [question('c1', YES_NO, { cap: 1 })]),
    ]);
    // Rows out of framework order on purpose.
    const result = onlyResult(fw, [
      row('o', 'r', 'b1', 'no'),
      row('o', 'r', 'a3', 'no'),
      row('o', 'r', 'a1', 'no'),
      row('o', 'r', 'a2', 'most'),
      row('o', 'r', 'b2', 'na'), // N/A: never a gap
      row('o', 'r', 'c1', ''), // unanswered: never a gap
    ]);
    expect(result.criticalGaps).toEqual(['a2', 'a3', 'b1']);
    // a: uncapped 10 × 0.5 / 3 = 1.67, below both caps 5 and 9: the gaps are named all the same.
    expect(result.domains['a']).toBeCloseTo(5 / 3, 12);
    expect(result.domains['b']).toBe(0);
    expect(result.domains['c']).toBeNull();
  });

  it('scores one set of answers directly, with the same result as a one-result file', () => {
    const fw = framework([
      domain('a', [question('a1', LADDER, { cap: 2, capAt: 0.25 }), question('a2', YES_NO, { na: true })]),
      domain('b', [question('b1', YES_NO)]),
    ]);
    const direct = oracleScoreAnswers(fw, { a1: 'some', a2: 'na', b1: '' }, 'o', 'r');
    const viaFile = onlyResult(fw, [row('o', 'r', 'a1', 'some'), row('o', 'r', 'a2', 'na'), row('o', 'r', 'b1', '')]);
    expect(direct).toEqual(viaFile);
    expect(direct.domains).toEqual({ a: 2, b: null });
    expect(() => oracleScoreAnswers(fw, { b1: 'na' })).toThrow();
    expect(() => oracleScoreAnswers(fw, { zz: 'yes' })).toThrow();
    expect(() => oracleScoreAnswers(fw, { b1: 'maybe' })).toThrow();
  });
});
