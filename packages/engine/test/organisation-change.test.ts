import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { organisationChanges, scoreChoices, toChoices, withCompletedPlanItems } from '../src/index.js';
import { answersArb, frameworkArb } from './fixtures/arbitraries.js';
import { small } from './fixtures/frameworks.js';

describe('one organisation’s change between its rounds', () => {
  const fw = small();
  const baseline = toChoices(
    fw,
    new Map([
      ['access.mfa', 'some'],
      ['access.admin', 'na'],
      ['access.manager', 'yes'],
      ['backup.offline', 'yes'],
      ['backup.tested', 'always'],
    ]),
  );
  const reassessment = toChoices(
    fw,
    new Map([
      ['access.mfa', 'all'],
      ['access.admin', 'half'],
      ['access.manager', 'yes'],
      ['backup.offline', 'no'],
    ]),
  );

  it('gives the overall and each domain before and after, and the questions that moved up and down', () => {
    const [c] = organisationChanges(fw, [
      { round: 'baseline', choices: baseline },
      { round: 'reassessment', choices: reassessment },
    ]);
    // Access: 10 × (2×0.5 + 1) / 3 = 6.67, capped at 4 (some = 0.5 is above capAt 0, so no cap) → 6.67;
    // after: 10 × (2×1 + 0.5 + 1) / 4 = 8.75. Backup: 10 × (1 + 1)/2 = 10 → 10 × 0/1 = 0.
    expect(c!.from).toBe('baseline');
    expect(c!.domains.map((d) => [d.domain, d.before, d.after])).toEqual([
      ['access', 20 / 3, 8.75],
      ['backup', 10, 0],
    ]);
    expect(c!.domains[0]!.change).toBeCloseTo(8.75 - 20 / 3, 12);
    expect(c!.overall.before).toBeCloseTo((2 * (20 / 3) + 10) / 3, 12);
    expect(c!.overall.change).toBeCloseTo(c!.overall.after! - c!.overall.before!, 12);
    expect(c!.up.map((m) => [m.question, m.from, m.to])).toEqual([['access.mfa', 'some', 'all']]);
    expect(c!.down.map((m) => [m.question, m.from, m.to])).toEqual([['backup.offline', 'yes', 'no']]);
    // Not applicable before, or unanswered after, is no move; an unchanged answer neither.
    expect(c!.domains[1]!.down.map((m) => m.question)).toEqual(['backup.offline']);
  });

  it('puts the plan items completed between the rounds beside each domain they serve', () => {
    const [c] = organisationChanges(fw, [
      { round: 'baseline', choices: baseline },
      { round: 'reassessment', choices: reassessment },
    ]);
    const withItems = withCompletedPlanItems(c!, [
      { id: 'b', title: 'Offline backup', domains: ['backup'], doneAt: '2026-05-02T10:00:00Z' },
      { id: 'a', title: 'Two-step login', domains: ['access'], doneAt: '2026-04-01T10:00:00Z' },
      { id: 'c', title: 'Security champion', domains: [], doneAt: '2026-03-01T10:00:00Z' },
      { id: 'd', title: 'Inventory', domains: ['access', 'backup'], doneAt: '2026-02-01T10:00:00Z' },
    ]);
    expect(withItems.domains.map((d) => [d.domain, d.planItems.map((x) => x.id)])).toEqual([
      ['access', ['d', 'a']],
      ['backup', ['d', 'b']],
    ]);
  });

  it('agrees with the scores of each round, and lists as moved exactly the answers whose score changed', () => {
    fc.assert(
      fc.property(
        frameworkArb.chain((f) => fc.tuple(fc.constant(f), fc.array(answersArb(f), { minLength: 1, maxLength: 4 }))),
        ([f, answers]) => {
          const rounds = answers.map((a, i) => ({ round: `r${i}`, choices: toChoices(f, a) }));
          const changes = organisationChanges(f, rounds);
          expect(changes).toHaveLength(rounds.length - 1);
          changes.forEach((c, i) => {
            const a = scoreChoices(f, rounds[i]!.choices);
            const b = scoreChoices(f, rounds[i + 1]!.choices);
            expect([c.overall.before, c.overall.after]).toEqual([a.overall, b.overall]);
            for (const d of c.domains) {
              expect([d.before, d.after]).toEqual([a.domains[d.domain] ?? null, b.domains[d.domain] ?? null]);
              if (d.change !== null) expect(d.change).toBe(d.after! - d.before!);
              expect([...d.up, ...d.down].every((m) => m.domain === d.domain)).toBe(true);
            }
            for (const m of c.up) expect(m.toScore).toBeGreaterThan(m.fromScore);
            for (const m of c.down) expect(m.toScore).toBeLessThan(m.fromScore);
            expect(c.domains.flatMap((d) => d.up)).toEqual(c.up);
            expect(c.domains.flatMap((d) => d.down).length).toBe(c.down.length);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
