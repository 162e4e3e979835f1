import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSurveyValue,
  formatProblem,
  indexFramework,
  loadFramework,
  MULTIPLE_SEPARATOR,
  parseSurveyAnswer,
  readAnswers,
  scoreChoices,
  surveyTally,
  threatLandscape,
  writeSurveyAnswer,
  type Framework,
  type SurveyQuestion,
  type SurveyValue,
} from '../src/index.js';

const problemsOf = (text: string, file = 'f.yaml') => {
  const r = loadFramework(text, { file });
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
};
const load = (text: string): Framework => {
  const r = loadFramework(text, { file: 'f.yaml' });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.value;
};

const MIXED = `kalaja: framework/1
id: mixed
version: "1"
title: Mixed
domains:
  - id: access
    title: Access
    questions:
      - id: access.mfa
        text: Two-step login?
        cap: 4
        options:
          - {id: "no", label: "No", score: 0}
          - {id: "yes", label: "Yes", score: 1}
      - id: access.kinds
        type: multiple
        text: Which happened?
        options:
          - {id: phishing, label: Phishing}
          - {id: ddos, label: DDoS}
          - {id: dont-know, label: "Don't know", unknown: true}
  - id: survey
    title: Survey only
    questions:
      - id: survey.main
        type: single
        text: The main one?
        options:
          - {id: phishing, label: Phishing}
          - {id: ddos, label: DDoS}
      - id: survey.staff
        type: number
        text: How many people?
        min: 1
        max: 500
        integer: true
        unit: {en: people, sq: njerëz, sr-Latn: osoba}
      - id: survey.days
        type: number
        text: Days lost?
        min: 0
      - id: survey.words
        type: text
        text: In your words?
        maxLength: 20
`;

describe('a framework with survey questions', () => {
  const fw = load(MIXED);

  it('keeps survey questions apart from the scored ones, so nothing that scores sees them', () => {
    expect(fw.domains[0]!.questions.map((q) => q.id)).toEqual(['access.mfa']);
    expect(fw.domains[0]!.survey!.map((q) => q.id)).toEqual(['access.kinds']);
    expect(fw.domains[1]!.questions).toEqual([]);
    expect(fw.domains[1]!.survey!.map((q) => [q.id, q.type])).toEqual([
      ['survey.main', 'single'],
      ['survey.staff', 'number'],
      ['survey.days', 'number'],
      ['survey.words', 'text'],
    ]);
    expect(indexFramework(fw).questionCount).toBe(1);
    expect(indexFramework(fw).survey.size).toBe(5);
  });

  it('fills in the survey defaults: not integer, 500 characters for a text without maxLength', () => {
    const days = fw.domains[1]!.survey![2]!;
    expect(days).toMatchObject({ integer: false, min: 0 });
    expect(days.max).toBeUndefined();
    const t = load(MIXED.replace('        maxLength: 20\n', ''));
    expect(t.domains[1]!.survey![3]!.maxLength).toBe(500);
  });

  it('leaves a scored framework exactly as it was: no survey key on any domain', () => {
    const plain = load(MIXED.split('      - id: access.kinds')[0]!);
    expect(plain.domains[0]).not.toHaveProperty('survey');
    expect(Object.keys(plain.domains[0]!.questions[0]!).sort()).toEqual(
      ['capAt', 'cap', 'id', 'interventions', 'na', 'options', 'refs', 'text', 'weight'].sort(),
    );
  });

  it('scores only the scored questions: a survey-only domain has no score and completeness ignores surveys', () => {
    const r = readAnswers(
      fw,
      'organisation,round,question,answer\nA,r,access.mfa,yes\nA,r,access.kinds,phishing|ddos\nA,r,survey.main,ddos\n',
      { file: 'a.csv' },
    );
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    const score = scoreChoices(fw, r.value.assessments.get('A')!.get('r')!);
    expect(score).toMatchObject({ overall: 10, completeness: 1, answered: 1, total: 1 });
    expect(score.domains).toEqual({ access: 10, survey: null });
    expect(r.value.survey!.get('A')!.get('r')).toEqual(
      new Map<string, SurveyValue>([
        ['access.kinds', ['phishing', 'ddos']],
        ['survey.main', 'ddos'],
      ]),
    );
  });
});

describe('misusing survey questions', () => {
  const base = (question: string) => `kalaja: framework/1
id: t
version: "1"
title: T
domains:
  - id: d
    title: D
    questions:
${question}`;

  it('names a score on an unscored option, and a cap, weight or na on a survey question, each where it stands', () => {
    const p = problemsOf(
      base(`      - id: d.q
        type: single
        text: Q
        cap: 3
        weight: 2
        na: true
        options:
          - {id: a, label: A, score: 1}
          - {id: b, label: B}
`),
    );
    expect(p).toEqual([
      'f.yaml:12:14: question `d.q`: `cap` is for scored questions: a `single` question never counts in a score',
      'f.yaml:13:17: question `d.q`: `weight` is for scored questions: a `single` question never counts in a score',
      'f.yaml:14:13: question `d.q`: `na` is for scored questions: a `single` question never counts in a score',
      'f.yaml:16:38: question `d.q`, option `a`: an option of a `single` question has no `score`: survey answers never count in a score (leave `type` out for a scored question)',
    ]);
  });

  it('names min above max, a fractional bound of a whole number, options on a number and number keys elsewhere', () => {
    const p = problemsOf(
      base(`      - id: d.n
        type: number
        text: N
        min: 5.5
        max: 2
        integer: true
        options:
          - {id: a, label: A}
          - {id: b, label: B}
      - id: d.t
        type: text
        text: T
        unit: days
        maxLength: 0
      - id: d.s
        type: scored
        text: S
        maxLength: 10
        options:
          - {id: a, label: A, score: 0}
          - {id: b, label: B}
`),
    );
    expect(p).toEqual([
      'f.yaml:12:14: question `d.n`: min must be a whole number: the question says `integer: true`',
      'f.yaml:13:14: question `d.n`: max 2 is below min 5.5',
      'f.yaml:16:11: question `d.n`: a `number` question has no options; use `type: single` or `type: multiple` for a choice',
      'f.yaml:21:15: question `d.t`: `unit` is for `type: number` questions',
      'f.yaml:22:20: question `d.t`: maxLength must be at least 1',
      'f.yaml:26:20: question `d.s`: `maxLength` is for `type: text` questions',
      'f.yaml:29:13: question `d.s`, option `b`: missing required key `score`',
    ]);
  });

  it('names an unknown type and a choice question without options', () => {
    const p = problemsOf(
      base(`      - id: d.x
        type: ranking
        text: X
      - id: d.y
        type: multiple
        text: Y
`),
    );
    expect(p).toEqual([
      'f.yaml:10:15: question `d.x`: type must be one of: scored, single, multiple, number, text',
      'f.yaml:12:9: question `d.y`: missing required key `options`',
    ]);
  });

  it('suggests a survey key for a near miss', () => {
    const p = problemsOf(
      base(`      - id: d.t
        type: text
        text: T
        maxlength: 10
`),
    );
    expect(p).toEqual(['f.yaml:12:9: question `d.t`: unknown key `maxlength` (did you mean `maxLength`?)']);
  });
});

describe('survey answers in the exchange file', () => {
  const fw = load(MIXED);

  it('names the line and the kind of each wrong answer, all at once, and keeps nothing', () => {
    const csv = [
      'organisation,round,question,answer',
      'A,r,survey.staff,twelve',
      'A,r,survey.main,phishing|ddos',
      'A,r,access.kinds,phishing|spam',
      'A,r,survey.staff,12.5',
      'B,r,survey.staff,0',
      'B,r,survey.words,"this answer is far too long"',
      'B,r,survey.days,"1,500"',
      'B,r,access.kinds,ddos|ddos',
      'C,r,survey.main,ddos',
      'C,r,survey.main,phishing',
    ].join('\n');
    const r = readAnswers(fw, csv, { file: 'a.csv' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map(formatProblem)).toEqual([
      'a.csv:2: question `survey.staff` takes a number, not `twelve`',
      'a.csv:3: question `survey.main` takes one answer, not several (`phishing|ddos`); choose one of: phishing, ddos',
      'a.csv:4: question `access.kinds` has no option `spam`; write the chosen options joined by | from: phishing, ddos, dont-know',
      'a.csv:5: question `survey.staff` takes a whole number, not 12.5',
      'a.csv:5: duplicate answer for organisation "A", round "r", question `survey.staff`: line 5 repeats line 2',
      'a.csv:6: question `survey.staff`: 0 is outside 1 to 500',
      'a.csv:7: question `survey.words` takes at most 20 characters; this answer has 27',
      'a.csv:8: question `survey.days`: `1,500` could be read two ways; write it without a thousands separator (1500) or with a decimal point (1.5)',
      'a.csv:9: question `access.kinds`: option `ddos` is chosen twice',
      'a.csv:11: duplicate answer for organisation "C", round "r", question `survey.main`: line 11 repeats line 10',
    ]);
  });

  it('reads a decimal comma, a quoted text with commas and line breaks, and an empty cell as unanswered', () => {
    const csv =
      'organisation;round;question;answer\nA;r;survey.days;"2,5"\nA;r;survey.words;"one; two,\nthree"\nA;r;survey.main;\n';
    const r = readAnswers(fw, csv, { file: 'a.csv' });
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.value.survey!.get('A')!.get('r')).toEqual(
      new Map<string, SurveyValue>([
        ['survey.days', 2.5],
        ['survey.words', 'one; two,\nthree'],
      ]),
    );
  });
});

describe('survey values from the app', () => {
  const fw = load(MIXED);
  const q = (id: string) => indexFramework(fw).survey.get(id)!.question;

  it('refuses two options in a single choice, text in a number and an unknown option, as the file does', () => {
    expect(checkSurveyValue(q('survey.main'), ['phishing', 'ddos'])).toEqual({
      ok: false,
      message: 'question `survey.main` takes one answer, not 2; choose one of: phishing, ddos',
    });
    expect(checkSurveyValue(q('survey.staff'), '12')).toMatchObject({ ok: false });
    expect(checkSurveyValue(q('access.kinds'), ['spam'])).toMatchObject({ ok: false });
    expect(checkSurveyValue(q('access.kinds'), ['ddos', 'phishing'])).toEqual({
      ok: true,
      value: ['phishing', 'ddos'],
    });
    expect(checkSurveyValue(q('survey.staff'), 12)).toEqual({ ok: true, value: 12 });
    expect(checkSurveyValue(q('survey.words'), null)).toEqual({ ok: true, value: null });
  });
});

/** Survey questions of every type, with their options, for the property tests. */
const surveyQuestion: fc.Arbitrary<SurveyQuestion> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('single' as const, 'multiple' as const),
      fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 2, maxLength: 6 }),
    )
    .map(([type, ids]) => ({
      id: 'q',
      type,
      text: 'Q',
      options: ids.map((id) => ({ id, label: id, unknown: false })),
      integer: false,
    })),
  fc
    .tuple(
      fc.boolean(),
      fc.option(fc.integer({ min: -100, max: 100 }), { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
    )
    .map(([integer, min, span]) => ({
      id: 'q',
      type: 'number' as const,
      text: 'Q',
      options: [],
      integer,
      ...(min !== undefined && { min }),
      ...(min !== undefined && span !== undefined && { max: min + span }),
    })),
  fc
    .integer({ min: 1, max: 60 })
    .map((maxLength) => ({ id: 'q', type: 'text' as const, text: 'Q', options: [], integer: false, maxLength })),
);

/** A valid value for a question. */
const valueFor = (q: SurveyQuestion): fc.Arbitrary<SurveyValue> => {
  switch (q.type) {
    case 'single':
      return fc.constantFrom(...q.options.map((o) => o.id));
    case 'multiple':
      return fc
        .subarray(
          q.options.map((o) => o.id),
          { minLength: 1 },
        )
        .map((ids) => ids as readonly string[]);
    case 'number': {
      const min = q.min ?? -1e6;
      const max = q.max ?? 1e6;
      return q.integer
        ? fc.integer({ min, max })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    }
    case 'text':
      return fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: q.maxLength })
        .filter((s) => s.trim() === s && s !== '' && [...s].length <= q.maxLength!);
  }
};

describe('survey answers, for any question and any valid value', () => {
  it('reads back exactly what was written', () => {
    fc.assert(
      fc.property(
        surveyQuestion.chain((q) => fc.tuple(fc.constant(q), valueFor(q))),
        ([q, value]) => {
          const cell = writeSurveyAnswer(value);
          expect(parseSurveyAnswer(q, cell)).toEqual({ ok: true, value });
          expect(checkSurveyValue(q, value)).toEqual({ ok: true, value });
        },
      ),
    );
  });

  it('never throws on any cell, and what it accepts is a value of the question’s kind within its bounds', () => {
    fc.assert(
      fc.property(surveyQuestion, fc.string({ maxLength: 80 }), (q, cell) => {
        const r = parseSurveyAnswer(q, cell);
        if (!r.ok) {
          expect(r.message).toContain(`question \`${q.id}\``);
          return;
        }
        if (r.value === null) {
          expect(cell.trim()).toBe('');
          return;
        }
        if (q.type === 'single') expect(q.options.map((o) => o.id)).toContain(r.value);
        if (q.type === 'multiple') {
          const ids = r.value as string[];
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of ids) expect(q.options.map((o) => o.id)).toContain(id);
        }
        if (q.type === 'number') {
          const n = r.value as number;
          expect(Number.isFinite(n)).toBe(true);
          if (q.integer) expect(Number.isInteger(n)).toBe(true);
          if (q.min !== undefined) expect(n).toBeGreaterThanOrEqual(q.min);
          if (q.max !== undefined) expect(n).toBeLessThanOrEqual(q.max);
        }
        if (q.type === 'text') expect([...(r.value as string)].length).toBeLessThanOrEqual(q.maxLength!);
      }),
    );
  });

  it('refuses two options joined in a single choice, whichever they are', () => {
    fc.assert(
      fc.property(
        surveyQuestion.filter((q) => q.type === 'single'),
        (q) => {
          const cell = q.options.map((o) => o.id).join(MULTIPLE_SEPARATOR);
          expect(parseSurveyAnswer(q, cell).ok).toBe(false);
        },
      ),
    );
  });
});

describe('the survey tally', () => {
  const fw = load(MIXED);
  const answers = (kinds: string[], main: string, staff: number, words?: string) =>
    new Map<string, SurveyValue>([
      ['access.kinds', kinds],
      ['survey.main', main],
      ['survey.staff', staff],
      ...(words ? [['survey.words', words] as [string, SurveyValue]] : []),
    ]);
  const cohort = [
    answers(['phishing'], 'phishing', 3, 'zeta'),
    answers(['phishing', 'ddos'], 'phishing', 10, 'alpha'),
    answers(['phishing'], 'phishing', 7),
    answers(['phishing'], 'phishing', 4),
    answers(['phishing'], 'phishing', 20),
    answers(['ddos'], 'ddos', 5),
  ];

  it('counts each option, shares of those who answered, and the median, smallest and largest number', () => {
    const t = surveyTally(fw, cohort, 'programme');
    expect(t.organisations).toBe(6);
    const kinds = t.questions.find((q) => q.id === 'access.kinds')!;
    expect(kinds.respondents).toBe(6);
    expect(kinds.options.map((o) => [o.id, o.count, o.share])).toEqual([
      ['phishing', 5, 0.833],
      ['ddos', 2, 0.333],
      ['dont-know', 0, 0],
    ]);
    expect(t.questions.find((q) => q.id === 'survey.staff')!.number).toEqual({ n: 6, median: 6, min: 3, max: 20 });
    expect(t.questions.find((q) => q.id === 'survey.days')!).toMatchObject({ respondents: 0, number: null });
    // Sorted, so the order says nothing of who wrote them; no organisation is named.
    expect(t.questions.find((q) => q.id === 'survey.words')!.texts).toEqual(['alpha', 'zeta']);
  });

  it('for observers: withholds small counts (and the next smallest in a single choice), texts always, and questions under k', () => {
    const t = surveyTally(fw, cohort, 'observers', 5);
    const main = t.questions.find((q) => q.id === 'survey.main')!;
    expect(main.options.map((o) => [o.id, o.count, o.withheld])).toEqual([
      ['phishing', null, true],
      ['ddos', null, true],
    ]);
    const kinds = t.questions.find((q) => q.id === 'access.kinds')!;
    expect(kinds.options.map((o) => [o.id, o.count])).toEqual([
      ['phishing', 5],
      ['ddos', null],
      ['dont-know', 0],
    ]);
    const words = t.questions.find((q) => q.id === 'survey.words')!;
    expect(words).toMatchObject({ withheld: true, respondents: null, texts: [] });
    expect(t.questions.find((q) => q.id === 'survey.staff')!.number).toEqual({ n: 6, median: 6, min: 3, max: 20 });
  });

  it('never shows observers a count from 1 to k−1 organisations, nor any text', () => {
    const q = fw.domains[0]!.survey![0]!;
    fc.assert(
      fc.property(
        fc.array(
          fc.subarray(
            q.options.map((o) => o.id),
            { minLength: 1 },
          ),
          { maxLength: 12 },
        ),
        fc.integer({ min: 2, max: 6 }),
        (chosen, k) => {
          const t = surveyTally(
            fw,
            chosen.map(
              (c) =>
                new Map<string, SurveyValue>([
                  ['access.kinds', c],
                  ['survey.words', 'x'],
                ]),
            ),
            'observers',
            k,
          );
          for (const question of t.questions) {
            expect(question.texts).toEqual([]);
            if (question.respondents !== null) expect(question.respondents).toBeGreaterThanOrEqual(k);
            for (const o of question.options)
              if (o.count !== null && o.count > 0) expect(o.count).toBeGreaterThanOrEqual(k);
          }
        },
      ),
    );
  });

  it('sits in the threat landscape, counting only the cohort’s organisations', () => {
    const landscape = threatLandscape(
      {
        period: { from: '2026-01-01', to: '2026-06-30' },
        organisations: ['a', 'b'],
        incidents: [],
        lists: { categories: [], actors: [], targeting: [], certainty: [] },
        survey: {
          framework: fw,
          answers: [
            { organisationId: 'a', answers: cohort[0]! },
            { organisationId: 'b', answers: cohort[5]! },
            { organisationId: 'elsewhere', answers: cohort[1]! },
          ],
        },
      },
      'programme',
    );
    expect(landscape.survey!.organisations).toBe(2);
    expect(landscape.survey!.questions.find((q) => q.id === 'survey.main')!.options.map((o) => o.count)).toEqual([
      1, 1,
    ]);
  });
});

describe('the shipped threat survey', () => {
  const file = 'cso-threat-survey.yaml';
  const text = readFileSync(new URL(`../../../content/frameworks/${file}`, import.meta.url), 'utf8');
  const fw = load(text);
  const taxonomy = readFileSync(new URL('../../../content/taxonomies/incidents.yaml', import.meta.url), 'utf8');

  it('is a survey of 25 to 43 questions, none of them scored', () => {
    const all = fw.domains.flatMap((d) => d.survey ?? []);
    expect(all.length).toBeGreaterThanOrEqual(25);
    expect(all.length).toBeLessThanOrEqual(43);
    expect(fw.domains.every((d) => d.questions.length === 0)).toBe(true);
    expect(new Set(all.map((q) => q.type))).toEqual(new Set(['single', 'multiple', 'number', 'text']));
  });

  it('offers the incident taxonomy’s category ids as the options of its incident questions', () => {
    const kinds = fw.domains.flatMap((d) => d.survey ?? []).find((q) => q.id === 'experience.kinds')!;
    for (const m of taxonomy.split('actors:')[0]!.matchAll(/^ {2}- id: ([a-z-]+)$/gm)) {
      expect(kinds.options.map((o) => o.id)).toContain(m[1]);
    }
  });
});
