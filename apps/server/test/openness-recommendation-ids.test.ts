import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recommendationIds } from '../src/modules/openness/openness-service.js';

/** The paper's recommendation ids name institutions; the review keeps them with the institution's id instead. */
describe('recommendation ids of the policy paper', () => {
  const institutions = fc.uniqueArray(
    fc.record({
      id: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      name: fc.string({ minLength: 1, maxLength: 30 }).filter((n) => !n.includes(':')),
    }),
    { minLength: 1, maxLength: 8, selector: (i) => i.name },
  );
  const rule = fc.constantFrom('principle-priority', 'decline', 'indicator-missing');
  const tail = fc.constantFrom('', ':transparency', ':integrity.code-of-ethics');

  it('swaps an institution name for its id and back, longest name first', () => {
    fc.assert(
      fc.property(
        institutions.filter((xs) => new Set(xs.map((x) => x.id)).size === xs.length),
        fc.nat(),
        rule,
        tail,
        (xs, n, r, t) => {
          const inst = xs[n % xs.length]!;
          const ids = recommendationIds(xs);
          const app = ids.toApp(`${r}:${inst.name}${t}`);
          expect(app).toBe(`${r}:${inst.id}${t}`);
          expect(app).toMatch(/^[A-Za-z0-9:._-]{1,200}$/);
          expect(ids.toPaper(app)).toBe(`${r}:${inst.name}${t}`);
        },
      ),
    );
  });

  it('leaves ids that name no institution as they are', () => {
    const ids = recommendationIds([{ id: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'Assembly' }]);
    expect(ids.toApp('government-wide:transparency.budget')).toBe('government-wide:transparency.budget');
    expect(ids.toPaper('team:BBBBBBBBBBBBBBBBBBBBBB')).toBe('team:BBBBBBBBBBBBBBBBBBBBBB');
    // "Assembly" does not take "Assembly of the Coast".
    const two = recommendationIds([
      { id: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'Assembly' },
      { id: 'CCCCCCCCCCCCCCCCCCCCCC', name: 'Assembly of the Coast' },
    ]);
    expect(two.toApp('decline:Assembly of the Coast')).toBe('decline:CCCCCCCCCCCCCCCCCCCCCC');
    expect(two.toApp('decline:Assembly')).toBe('decline:AAAAAAAAAAAAAAAAAAAAAA');
  });
});
