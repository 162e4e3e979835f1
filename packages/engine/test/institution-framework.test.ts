import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  loadFramework,
  scoreAssessment,
  scoreCohort,
  subjectOf,
  type AnswerRecord,
} from '../src/index.js';
import { oracleScore } from './oracle/oracle.js';

const institution = (indicators: string, head = 'subject: institution\nscale: 100\n') => `kalaja: framework/1
id: oi
version: "1"
title: Openness
${head}domains:
  - id: transparency
    title: Transparency
    questions:
${indicators}`;

const indicator = (id: string, extra: string) => `      - id: ${id}
        text: Is it published?
${extra}        options: [{id: p0, label: None, score: 0}, {id: p3, label: All, score: 1}]
`;

const problemsOf = (text: string) => {
  const r = loadFramework(text, { file: 'oi.yaml' });
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
};

describe('institution frameworks (the openness index)', () => {
  it('reads subject and each indicator’s source, and organisation frameworks stay as they were', () => {
    const r = loadFramework(
      institution(
        indicator('t.budget', '        source: desk-research\n') +
          indicator('t.foi', '        source: questionnaire\n'),
      ),
      { file: 'oi.yaml' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(subjectOf(r.value)).toBe('institution');
    expect(r.value.scale).toBe(100);
    expect(r.value.domains[0]!.questions.map((q) => q.source)).toEqual(['desk-research', 'questionnaire']);

    const org = loadFramework(institution(indicator('t.budget', ''), ''), { file: 'o.yaml' });
    expect(org.ok && subjectOf(org.value)).toBe('organisation');
    expect(org.ok && 'subject' in org.value).toBe(false);
    expect(org.ok && 'source' in org.value.domains[0]!.questions[0]!).toBe(false);
  });

  it('refuses a source outside the three at its line', () => {
    expect(problemsOf(institution(indicator('t.budget', '        source: rumour\n')))).toEqual([
      'oi.yaml:13:17: question `t.budget`: source must be one of desk-research, questionnaire, interview',
    ]);
  });

  it('needs a source on every indicator of an institution framework, and refuses one elsewhere', () => {
    expect(problemsOf(institution(indicator('t.budget', '')))).toEqual([
      'oi.yaml:11:9: question `t.budget`: an indicator of an institution framework needs a `source`: desk-research, questionnaire or interview',
    ]);
    expect(problemsOf(institution(indicator('t.budget', '        source: interview\n'), ''))).toEqual([
      'oi.yaml:11:17: question `t.budget`: `source` belongs to institution frameworks: add `subject: institution` or remove it',
    ]);
    expect(problemsOf(institution(indicator('t.budget', '        source: interview\n'), 'subject: agency\n'))).toEqual([
      'oi.yaml:5:10: subject must be `organisation` (the default) or `institution`',
    ]);
  });

  it('scores in percent: points earned over points possible, N/A indicators left out', () => {
    // Indicators worth 3, 2 and 1 points (weight = the maximum), scores = points / maximum.
    const text = institution(
      [
        ['a', 3],
        ['b', 2],
        ['c', 1],
      ]
        .map(
          ([id, max]) => `      - id: t.${id}
        text: ${id}
        source: desk-research
        weight: ${max}
        na: true
        options:
${Array.from({ length: Number(max) + 1 }, (_, p) => `          - {id: p${p}, label: "${p}", score: ${p / Number(max)}}`).join('\n')}
`,
        )
        .join(''),
    );
    const r = loadFramework(text, { file: 'oi.yaml' });
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    const fw = r.value;
    const max = { 't.a': 3, 't.b': 2, 't.c': 1 } as const;
    fc.assert(
      fc.property(
        fc.record({
          't.a': fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
          't.b': fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
          't.c': fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
        }),
        (points) => {
          const answers = new Map<string, string>();
          let earned = 0;
          let possible = 0;
          for (const [q, p] of Object.entries(points)) {
            if (p === undefined) answers.set(q, 'na');
            else {
              answers.set(q, `p${p}`);
              earned += p;
              possible += max[q as keyof typeof max];
            }
          }
          const result = scoreAssessment(fw, answers);
          const expected = possible === 0 ? null : (100 * earned) / possible;
          const got = result.domains.transparency ?? null;
          if (expected === null) expect(got).toBeNull();
          else expect(got).toBeCloseTo(expected, 9);
        },
      ),
    );
  });

  it('agrees with points over possible and with the independent implementation on generated institution frameworks', () => {
    const indicatorArb = fc.record({
      max: fc.integer({ min: 1, max: 3 }),
      source: fc.constantFrom('desk-research', 'questionnaire', 'interview'),
      na: fc.boolean(),
    });
    const caseArb = fc
      .array(fc.array(indicatorArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 })
      .chain((principles) => {
        const indicators = principles.flatMap((list, p) => list.map((ind, i) => ({ ...ind, id: `p${p}.i${i}`, p })));
        // Each institution in each wave: per indicator, points earned, `na` (where allowed) or blank.
        const answer = (ind: (typeof indicators)[number]) =>
          fc.oneof(fc.integer({ min: 0, max: ind.max }).map(String), fc.constant(ind.na ? 'na' : ''), fc.constant(''));
        const sheet = fc.tuple(...indicators.map(answer));
        return fc.record({
          principles: fc.constant(principles),
          indicators: fc.constant(indicators),
          sheets: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('w1', 'w2'), sheet), {
            minLength: 1,
            maxLength: 8,
          }),
        });
      });
    fc.assert(
      fc.property(caseArb, ({ principles, indicators, sheets }) => {
        const yaml = [
          'kalaja: framework/1',
          'id: generated',
          'version: "1"',
          'title: Generated',
          'subject: institution',
          'scale: 100',
          'domains:',
          ...principles.flatMap((_, p) => [
            `  - id: p${p}`,
            `    title: Principle ${p}`,
            '    questions:',
            ...indicators
              .filter((ind) => ind.p === p)
              .flatMap((ind) => [
                `      - id: ${ind.id}`,
                `        text: Indicator ${ind.id}`,
                `        source: ${ind.source}`,
                `        weight: ${ind.max}`,
                `        na: ${ind.na}`,
                '        options:',
                ...Array.from(
                  { length: ind.max + 1 },
                  (_, pt) => `          - {id: pt${pt}, label: "${pt} points", score: ${pt / ind.max}}`,
                ),
              ]),
          ]),
        ].join('\n');
        const loaded = loadFramework(yaml, { file: 'generated.yaml' });
        if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
        const fw = loaded.value;
        const seen = new Set<string>();
        const records: AnswerRecord[] = [];
        for (const [inst, round, cells] of sheets) {
          const key = `${inst}/${round}`;
          if (seen.has(key)) continue;
          seen.add(key);
          indicators.forEach((ind, i) => {
            const cell = cells[i]!;
            records.push({
              organisation: `Institution ${inst}`,
              round,
              question: ind.id,
              answer: cell === '' || cell === 'na' ? cell : `pt${cell}`,
            });
          });
        }
        const ours = scoreCohort(fw, records);
        const theirs = oracleScore(fw, records);
        ours.results.forEach((r, k) => {
          const t = theirs.results[k]!;
          expect([r.organisation, r.round]).toEqual([t.organisation, t.round]);
          if (r.overall === null) expect(t.overall).toBeNull();
          else expect(r.overall).toBeCloseTo(t.overall!, 9);
          principles.forEach((_, p) => {
            const rows = records.filter(
              (x) => x.organisation === r.organisation && x.round === r.round && x.question.startsWith(`p${p}.`),
            );
            let earned = 0;
            let possible = 0;
            for (const row of rows) {
              if (row.answer === '' || row.answer === 'na') continue;
              earned += Number(row.answer.slice(2));
              possible += indicators.find((ind) => ind.id === row.question)!.max;
            }
            const got = r.domains[`p${p}`] ?? null;
            if (possible === 0) expect(got).toBeNull();
            else expect(got).toBeCloseTo((100 * earned) / possible, 9);
          });
        });
      }),
      { numRuns: 150 },
    );
  });
});
