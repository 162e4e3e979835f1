import { describe, it, expect } from 'vitest';
import { oraclePlan, oraclePlans } from './oracle-plan.js';
import type { OracleIntervention } from './oracle-plan.js';
import type { OracleDomain, OracleFramework, OracleQuestion } from './oracle.js';

/* Small builders so that each test shows only what matters to it. */

function question(
  id: string,
  scores: Record<string, number>,
  interventions: string[],
  extra: { weight?: number; na?: boolean; cap?: number; capAt?: number } = {},
): OracleQuestion {
  const options = Object.entries(scores).map(([optionId, score]) => ({ id: optionId, score }));
  const q: OracleQuestion = { id, weight: extra.weight ?? 1, na: extra.na ?? false, options, interventions };
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

const YES_NO = { no: 0, yes: 1 };

describe('oracle: ranking one organisation in one round', () => {
  it('computes gain with caps: raising a capped question lifts the whole domain', () => {
    const fw = framework([
      domain('access', [
        question('mfa', YES_NO, ['mfa-rollout'], { cap: 2 }),
        question('pw', YES_NO, ['password-manager']),
        question('admin', YES_NO, []),
      ]),
      domain('devices', [question('updates', YES_NO, [])]),
    ]);
    const catalogue: OracleIntervention[] = [
      { id: 'password-manager', effort: 'low' },
      { id: 'mfa-rollout', effort: 'medium' },
    ];
    // As answered: access uncapped 10 × 2 / 3 = 6.67 but mfa scores 0, so capped at 2; devices 10; overall 6.
    const answers = { mfa: 'no', pw: 'yes', admin: 'yes', updates: 'yes' };
    const ranked = oraclePlan(fw, catalogue, answers);
    // mfa → yes: access 10, overall 10, gain 4 (without the cap it would be (10 − 6.67) / 2 = 1.67).
    // password-manager: pw is already at its best, so nothing is raised and it is not listed.
    expect(ranked).toEqual([{ id: 'mfa-rollout', gain: 4, priority: 2, effort: 'medium', questions: ['mfa'] }]);
  });

  it('applies capAt: an option at or below capAt triggers the cap, and raising it removes it', () => {
    const fw = framework([
      domain('d', [
        question('backup', { none: 0, some: 0.25, tested: 1 }, ['backups'], { cap: 3, capAt: 0.25 }),
        question('q2', YES_NO, []),
        question('q3', YES_NO, []),
        question('q4', YES_NO, []),
      ]),
    ]);
    // As answered: uncapped 10 × 3.25 / 4 = 8.125, capped at 3. Raised: 10.
    const ranked = oraclePlan(fw, [{ id: 'backups', effort: 'high' }], {
      backup: 'some',
      q2: 'yes',
      q3: 'yes',
      q4: 'yes',
    });
    expect(ranked).toHaveLength(1);
    expect(ranked[0]?.gain).toBe(7);
    expect(ranked[0]?.priority).toBeCloseTo(7 / 3, 15);
    expect(ranked[0]?.questions).toEqual(['backup']);
  });

  it('orders by priority, then gain, then catalogue order, and leaves out interventions with nothing to raise', () => {
    // One domain of ten yes/no questions on scale 10: D = (10 × yeses) / 10, so each raised question adds exactly 1.
    const ids = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10'];
    const names: Record<string, string[]> = {
      q1: ['x'],
      q2: ['y'],
      q3: ['y'],
      q4: ['z'],
      q5: ['w'],
      q6: ['w'],
      q7: ['w'],
      q8: ['v'],
      q9: ['u'],
      q10: ['u'],
    };
    const fw = framework([
      domain(
        'd',
        ids.map((id) => question(id, YES_NO, names[id] ?? [])),
      ),
    ]);
    const catalogue: OracleIntervention[] = [
      { id: 'v', effort: 'high' }, // gain 1, priority 1/3
      { id: 'z', effort: 'low' }, // gain 1, priority 1
      { id: 'x', effort: 'low' }, // gain 1, priority 1
      { id: 'u', effort: 'low' }, // q9 and q10 already yes: gain 0, not listed
      { id: 'y', effort: 'medium' }, // gain 2, priority 1
      { id: 'w', effort: 'high' }, // gain 3, priority 1
      { id: 'unused', effort: 'low' }, // no question names it: not listed
    ];
    const answers: Record<string, string> = {};
    for (const id of ids) answers[id] = 'no';
    answers['q9'] = 'yes';
    answers['q10'] = 'yes';
    const ranked = oraclePlan(fw, catalogue, answers);
    // Priority 1 for w, y, z, x: w (gain 3) then y (gain 2), then z and x (gain 1) in catalogue order; v last.
    expect(ranked.map((r) => [r.id, r.gain, r.priority])).toEqual([
      ['w', 3, 1],
      ['y', 2, 1],
      ['z', 1, 1],
      ['x', 1, 1],
      ['v', 1, 1 / 3],
    ]);
    expect(ranked[0]?.questions).toEqual(['q5', 'q6', 'q7']);
    expect(ranked[0]?.effort).toBe('high');
  });

  it('raises only questions answered with an option below the best: not N/A, not unanswered, not at a best that is below 1', () => {
    const fw = framework([
      domain('a', [
        question('a1', { no: 0, partly: 0.5, yes: 1 }, ['i']),
        question('a2', YES_NO, ['i'], { na: true }),
        question('a3', YES_NO, ['i']),
        question('a4', YES_NO, ['i']),
        question('a5', { no: 0, half: 0.5 }, ['i']), // best score is 0.5
        question('a6', { no: 0, half: 0.5 }, ['i']),
      ]),
    ]);
    const ranked = oraclePlan(fw, [{ id: 'i', effort: 'low' }], {
      a6: 'no', // raised to 0.5
      a1: 'partly', // raised to 1
      a2: 'na',
      a3: '', // unanswered
      // a4 has no answer at all
      a5: 'half', // already at its best
    });
    // As answered: a1 0.5, a5 0.5, a6 0 over 3 questions: 10 × 1 / 3. Raised: 10 × 2 / 3. Gain 10/3.
    expect(ranked).toHaveLength(1);
    expect(ranked[0]?.questions).toEqual(['a1', 'a6']);
    expect(ranked[0]?.gain).toBeCloseTo(10 / 3, 12);
  });

  it('weights the gain by the domain weight in the overall and raises all questions of an intervention together', () => {
    const fw = framework([
      domain('a', [question('a1', YES_NO, ['both']), question('a2', YES_NO, [])], 3),
      domain('b', [question('b1', YES_NO, ['both', 'b-only'])], 1),
    ]);
    const catalogue: OracleIntervention[] = [
      { id: 'b-only', effort: 'low' },
      { id: 'both', effort: 'low' },
    ];
    // As answered: a = 5, b = 0, overall (3 × 5 + 0) / 4 = 3.75.
    const ranked = oraclePlan(fw, catalogue, { a1: 'no', a2: 'yes', b1: 'no' });
    // both: a = 10, b = 10 → 10, gain 6.25; b-only: b = 10 → (15 + 10) / 4 = 6.25, gain 2.5.
    expect(ranked.map((r) => [r.id, r.gain, r.questions])).toEqual([
      ['both', 6.25, ['a1', 'b1']],
      ['b-only', 2.5, ['b1']],
    ]);
  });

  it('does not list a gain below 0.005', () => {
    // 1000 questions weight 1, scale 1: raising one moves D by 1/1000 = 0.001.
    const questions: OracleQuestion[] = [];
    const answers: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) {
      questions.push(question(`q${i}`, YES_NO, i < 4 ? ['four'] : i < 9 ? ['five'] : []));
      answers[`q${i}`] = 'no';
    }
    const fw = framework([domain('d', questions)], 1);
    const ranked = oraclePlan(
      fw,
      [
        { id: 'four', effort: 'low' },
        { id: 'five', effort: 'low' },
      ],
      answers,
    );
    // four: 0.004 < 0.005, left out; five: 0.005, listed.
    expect(ranked.map((r) => r.id)).toEqual(['five']);
    expect(ranked[0]?.gain).toBe(0.005);
  });

  it('lists nothing when nothing is answered', () => {
    const fw = framework([domain('d', [question('q', YES_NO, ['i'])])]);
    expect(oraclePlan(fw, [{ id: 'i', effort: 'low' }], {})).toEqual([]);
    expect(oraclePlan(fw, [{ id: 'i', effort: 'low' }], { q: '' })).toEqual([]);
  });

  it('throws on a question naming an intervention the catalogue lacks, a duplicate catalogue id, or bad answers', () => {
    const fw = framework([domain('d', [question('q', YES_NO, ['missing'])])]);
    expect(() => oraclePlan(fw, [{ id: 'other', effort: 'low' }], { q: 'no' })).toThrow();
    const ok = framework([domain('d', [question('q', YES_NO, ['i'])])]);
    expect(() =>
      oraclePlan(
        ok,
        [
          { id: 'i', effort: 'low' },
          { id: 'i', effort: 'high' },
        ],
        { q: 'no' },
      ),
    ).toThrow();
    expect(() => oraclePlan(ok, [{ id: 'i', effort: 'low' }], { q: 'maybe' })).toThrow();
    expect(() => oraclePlan(ok, [{ id: 'i', effort: 'low' }], { q: 'na' })).toThrow();
  });
});

describe('oracle: plans for a whole answers file', () => {
  it('gives one plan per organisation and round with a result, in result order', () => {
    const fw = framework([domain('d', [question('q', YES_NO, ['i']), question('r', YES_NO, [])])]);
    const plans = oraclePlans(
      fw,
      [{ id: 'i', effort: 'low' }],
      [
        { organisation: 'beta', round: 'base', question: 'q', answer: 'no' },
        { organisation: 'alpha', round: 'base', question: 'q', answer: 'yes' },
        { organisation: 'beta', round: 'again', question: 'q', answer: 'no' },
        { organisation: 'beta', round: 'again', question: 'r', answer: 'yes' },
      ],
    );
    expect(plans.map((p) => [p.organisation, p.round, p.interventions.map((i) => [i.id, i.gain])])).toEqual([
      ['beta', 'base', [['i', 10]]], // 0 → 10
      ['beta', 'again', [['i', 5]]], // 5 → 10
      ['alpha', 'base', []], // already at its best
    ]);
  });
});
