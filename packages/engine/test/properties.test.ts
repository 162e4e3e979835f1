import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NA, scoreAssessment, scoreCohort, type Framework } from '../src/index.js';
import { answersArb, cohortArb, frameworkArb } from './fixtures/arbitraries.js';
import { oracleScore } from './oracle/oracle.js';

const withAnswers = frameworkArb.chain((fw) => answersArb(fw).map((answers) => ({ fw, answers })));
const close = (a: number | null | undefined, b: number | null | undefined) => {
  if (a === null || a === undefined || b === null || b === undefined) return expect(a ?? null).toBe(b ?? null);
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
};

describe('scoring properties', () => {
  it('keeps every score within [0, scale] and completeness within [0, 1]', () => {
    fc.assert(
      fc.property(withAnswers, ({ fw, answers }) => {
        const s = scoreAssessment(fw, answers);
        for (const v of [s.overall, ...Object.values(s.domains)]) {
          if (v !== null) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(fw.scale * (1 + 1e-12));
          }
        }
        expect(s.completeness).toBeGreaterThanOrEqual(0);
        expect(s.completeness).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives each organisation the same result whatever the order of the rows', () => {
    fc.assert(
      fc.property(
        cohortArb.chain((c) =>
          fc.shuffledSubarray(c.records, { minLength: c.records.length }).map((shuffled) => ({ ...c, shuffled })),
        ),
        ({ fw, records, shuffled }) => {
          const key = (r: { organisation: string; round: string }) => `${r.organisation}/${r.round}`;
          const a = new Map(scoreCohort(fw, records).results.map((r) => [key(r), r]));
          const b = new Map(scoreCohort(fw, shuffled).results.map((r) => [key(r), r]));
          expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
          for (const [k, r] of a) expect(b.get(k)).toEqual(r);
        },
      ),
    );
  });

  it('never lowers a domain when one answer is raised to a better option', () => {
    fc.assert(
      fc.property(withAnswers, fc.nat(), ({ fw, answers }, pick) => {
        const answered = [...answers].filter(([, a]) => a !== '' && a !== NA);
        fc.pre(answered.length > 0);
        const [qid, current] = answered[pick % answered.length]!;
        const domain = fw.domains.find((d) => d.questions.some((q) => q.id === qid))!;
        const question = domain.questions.find((q) => q.id === qid)!;
        const from = question.options.find((o) => o.id === current)!;
        const before = scoreAssessment(fw, answers).domains[domain.id]!;
        for (const better of question.options.filter((o) => o.score >= from.score)) {
          const after = scoreAssessment(fw, new Map(answers).set(qid, better.id)).domains[domain.id]!;
          expect(after).toBeGreaterThanOrEqual(before - 1e-9 * fw.scale);
        }
      }),
    );
  });

  it('leaves a domain unchanged when an unanswered question is marked N/A', () => {
    fc.assert(
      fc.property(withAnswers, ({ fw, answers }) => {
        const open = fw.domains.flatMap((d) => d.questions.filter((q) => q.na && !answers.get(q.id)).map((q) => q.id));
        fc.pre(open.length > 0);
        const before = scoreAssessment(fw, answers);
        const after = scoreAssessment(fw, new Map(answers).set(open[0]!, NA));
        expect(after.domains).toEqual(before.domains);
        expect(after.overall).toBe(before.overall);
        expect(after.completeness).toBeGreaterThan(before.completeness);
      }),
    );
  });

  it('leaves scores unchanged when every weight is multiplied by the same factor', () => {
    fc.assert(
      fc.property(withAnswers, fc.constantFrom(0.5, 3, 7.25, 1000), ({ fw, answers }, k) => {
        const scaled: Framework = {
          ...fw,
          domains: fw.domains.map((d) => ({
            ...d,
            weight: d.weight * k,
            questions: d.questions.map((q) => ({ ...q, weight: q.weight * k })),
          })),
        };
        const a = scoreAssessment(fw, answers);
        const b = scoreAssessment(scaled, answers);
        close(b.overall, a.overall);
        for (const d of fw.domains) close(b.domains[d.id], a.domains[d.id]);
      }),
    );
  });

  it('makes the cohort mean the mean of the organisations\u2019 results', () => {
    fc.assert(
      fc.property(cohortArb, ({ fw, records }) => {
        const report = scoreCohort(fw, records);
        for (const [round, c] of Object.entries(report.cohort)) {
          const values = report.results.filter((r) => r.round === round && r.overall !== null).map((r) => r.overall!);
          expect(c.n).toBe(report.results.filter((r) => r.round === round).length);
          expect(c.overall.n).toBe(values.length);
          close(c.overall.mean, values.length ? values.reduce((s, v) => s + v, 0) / values.length : null);
        }
      }),
    );
  });

  it('agrees with an independent implementation of the contract on generated cohorts', () => {
    fc.assert(
      fc.property(cohortArb, ({ fw, records }) => {
        const ours = scoreCohort(fw, records);
        const theirs = oracleScore(fw, records);
        expect(ours.framework).toEqual(theirs.framework);
        expect(ours.results.map((r) => [r.organisation, r.round])).toEqual(
          theirs.results.map((r) => [r.organisation, r.round]),
        );
        ours.results.forEach((r, i) => {
          const t = theirs.results[i]!;
          close(r.overall, t.overall);
          close(r.completeness, t.completeness);
          for (const d of fw.domains) close(r.domains[d.id], t.domains[d.id]);
        });
        expect(Object.keys(ours.cohort)).toEqual(Object.keys(theirs.cohort));
        for (const [round, c] of Object.entries(ours.cohort)) {
          const t = theirs.cohort[round]!;
          expect(c.n).toBe(t.n);
          for (const [s, u] of [
            [c.overall, t.overall],
            ...fw.domains.map((d) => [c.domains[d.id]!, t.domains[d.id]!] as const),
          ] as const) {
            expect(s.n).toBe(u.n);
            for (const k of ['mean', 'median', 'min', 'max', 'sd'] as const) close(s[k], u[k]);
          }
        }
        expect(ours.change.length).toBe(theirs.change.length);
        ours.change.forEach((ch, i) => {
          const t = theirs.change[i]!;
          expect([ch.from, ch.to, ch.n]).toEqual([t.from, t.to, t.n]);
          for (const [s, u] of [
            [ch.overall, t.overall],
            ...fw.domains.map((d) => [ch.domains[d.id]!, t.domains[d.id]!] as const),
          ] as const) {
            expect([s.n, s.improved, s.declined, s.unchanged]).toEqual([u.n, u.improved, u.declined, u.unchanged]);
            close(s.mean, u.mean);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
