import { describe, expect, it } from 'vitest';
import { formatProblem, loadFramework } from '../src/index.js';
import { SMALL_YAML, load } from './fixtures/frameworks.js';

const problemsOf = (text: string, file = 'f.yaml') => {
  const r = loadFramework(text, { file });
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
};

const minimal = (domains: string) => `kalaja: framework/1
id: t
version: "1"
title: T
domains:
${domains}`;

const oneQuestion = (question: string) =>
  minimal(`  - id: d
    title: D
    questions:
      - id: d.q
        text: Q
${question}`);

describe('loading a framework', () => {
  it('fills in the defaults the format promises', () => {
    const fw = load(SMALL_YAML);
    expect(fw.scale).toBe(10);
    expect(fw.domains.map((d) => d.weight)).toEqual([2, 1]);
    const manager = fw.domains[0]!.questions[2]!;
    expect(manager).toMatchObject({ weight: 1, na: false, refs: {}, interventions: [] });
    expect(manager.options.every((o) => o.unknown === false)).toBe(true);
    expect(fw.domains[0]!.questions[0]!.options[1]!.unknown).toBe(true);
  });

  it('reads the same framework from JSON', () => {
    const json = JSON.stringify({
      kalaja: 'framework/1',
      id: 'j',
      version: '2.0.0',
      title: { en: 'J', sq: 'J sq' },
      domains: [
        {
          id: 'd',
          title: 'D',
          questions: [
            {
              id: 'd.q',
              text: 'Q',
              options: [
                { id: 'a', label: 'A', score: 0 },
                { id: 'b', label: 'B', score: 1 },
              ],
            },
          ],
        },
      ],
    });
    const r = loadFramework(json, { file: 'j.json' });
    expect(r.ok && r.value.title).toEqual({ en: 'J', sq: 'J sq' });
  });

  it('accepts a UTF-8 byte-order mark', () => {
    expect(loadFramework(`\uFEFF${SMALL_YAML}`, { file: 'bom.yaml' }).ok).toBe(true);
  });

  it('names an unknown key with its line and column and suggests the near miss', () => {
    expect(
      problemsOf(
        oneQuestion('        wieght: 2\n        options: [{id: a, label: A, score: 0}, {id: b, label: B, score: 1}]'),
      ),
    ).toEqual(['f.yaml:11:9: question `d.q`: unknown key `wieght` (did you mean `weight`?)']);
  });

  it('reports a score outside [0, 1] and a cap outside the scale at their values', () => {
    const text = oneQuestion(
      '        cap: 11\n        options: [{id: a, label: A, score: 0}, {id: b, label: B, score: 1.2}]',
    );
    expect(problemsOf(text)).toEqual([
      'f.yaml:11:14: question `d.q`: cap must be between 0 and the scale (10)',
      'f.yaml:12:73: question `d.q`, option `b`: score must be between 0 and 1',
    ]);
  });

  it('reports duplicate domain, question and option ids where the duplicate stands', () => {
    const text = minimal(`  - id: d
    title: D
    questions:
      - {id: d.q, text: Q, options: [{id: a, label: A, score: 0}, {id: a, label: B, score: 1}]}
  - id: d
    title: D again
    questions:
      - {id: d.q, text: Q, options: [{id: a, label: A, score: 0}, {id: b, label: B, score: 1}]}
`);
    expect(problemsOf(text)).toEqual([
      'f.yaml:9:72: question `d.q`, option `a`: duplicate option id `a`',
      'f.yaml:10:9: domain `d`: duplicate domain id `d` (also domain 1)',
      'f.yaml:13:14: question `d.q`: duplicate question id `d.q` (first used in domain `d`)',
    ]);
  });

  it('rejects interventions and refs of the wrong shape', () => {
    const text = oneQuestion(
      '        refs: {cis-v8: [6.3], nist-csf-2: PR.AA-03}\n        interventions: mfa-rollout\n        options: [{id: a, label: A, score: 0}, {id: b, label: B, score: 1}]',
    );
    const problems = problemsOf(text);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^f\.yaml:11:25: .*a reference must be a text such as "6.3"/);
    expect(problems[1]).toMatch(/^f\.yaml:11:43: .*refs must map a catalogue name to a list of ids/);
    expect(problems[2]).toMatch(/^f\.yaml:12:24: .*interventions must be a list of intervention ids/);
  });

  it('requires `en` in a text map and a quoted version', () => {
    const text = `kalaja: framework/1\nid: t\nversion: 1.0\ntitle: {sq: Titulli}\ndomains:\n  - {id: d, title: D, questions: [{id: d.q, text: Q, options: [{id: a, label: A, score: 0}, {id: b, label: B, score: 1}]}]}\n`;
    expect(problemsOf(text)).toEqual([
      'f.yaml:3:10: version must be a text; quote it, e.g. version: "1.0.0"',
      'f.yaml:4:8: a text map needs an `en` entry',
    ]);
  });

  it('names a missing required key at the mapping that lacks it', () => {
    const problems = problemsOf(oneQuestion('        options: [{id: a, label: A}, {id: b, label: B, score: 1}]'));
    expect(problems).toEqual(['f.yaml:11:19: question `d.q`, option `a`: missing required key `score`']);
  });

  it('refuses `na` as an option id, because `na` is the not-applicable answer', () => {
    const problems = problemsOf(
      oneQuestion('        options: [{id: na, label: A, score: 0}, {id: b, label: B, score: 1}]'),
    );
    expect(problems[0]).toMatch(/option id `na` is reserved/);
  });

  it('requires at least two options and levels in ascending order', () => {
    const text = `kalaja: framework/1\nid: t\nversion: "1"\ntitle: T\nlevels: [{min: 0, label: A}, {min: 5, label: B}, {min: 5, label: C}]\ndomains:\n  - {id: d, title: D, questions: [{id: d.q, text: Q, options: [{id: a, label: A, score: 0}]}]}\n`;
    expect(problemsOf(text)).toEqual([
      'f.yaml:5:56: level #3: levels must ascend: 5 is not above 5',
      'f.yaml:7:63: question `d.q`: a question needs at least 2 options',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    expect(problemsOf('kalaja: framework/1\nid: t\nid: u\n')[0]).toMatch(
      /^f\.yaml:3:1: not valid YAML: Map keys must be unique/,
    );
    expect(problemsOf('kalaja: [unclosed\n')[0]).toMatch(/^f\.yaml:\d+:\d+: not valid YAML/);
  });

  it('reports a JSON syntax error with its line', () => {
    expect(problemsOf('{\n  "kalaja": "framework/1",\n  "id": }\n', 'f.json')[0]).toBe(
      "f.json:3:9: not valid JSON: Unexpected token '}'",
    );
  });

  it('rejects a file that is not a mapping, or of another format', () => {
    expect(problemsOf('- a\n- b\n')[0]).toMatch(/must be a mapping/);
    expect(problemsOf(SMALL_YAML.replace('framework/1', 'framework/2'))[0]).toMatch(
      /^f\.yaml:1:9: the first key must be `kalaja: framework\/1`/,
    );
  });

  it('refuses text with control characters, such as a NUL written as an escape', () => {
    const text = SMALL_YAML.replace('version: "1.0.0"', 'version: "1\\u0000"');
    expect(problemsOf(text)).toEqual(['f.yaml:3:10: text must not contain control characters']);
  });

  it('refuses text nested thousands deep with a positioned problem instead of exhausting the stack', () => {
    const n = 50_000;
    const deepJson = '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    expect(problemsOf(deepJson, 'f.json')).toEqual([
      'f.json:1:161: nested deeper than 32 levels: this is not a framework file',
    ]);
    const deepFlow = `kalaja: framework/1\nid: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    expect(problemsOf(deepFlow)).toEqual(['f.yaml:2:36: nested deeper than 32 levels: this is not a framework file']);
    let deepBlock = '';
    for (let i = 0; i < 2_000; i++) deepBlock += `${' '.repeat(i)}a:\n`;
    expect(problemsOf(deepBlock)).toEqual(['f.yaml:33:33: nested deeper than 32 levels: this is not a framework file']);
  });

  it('reports every problem of a file at once', () => {
    const text = oneQuestion('        weight: 0\n        cap: -1\n        options: [{id: A, label: "", score: 2}]');
    expect(problemsOf(text).length).toBeGreaterThanOrEqual(5);
  });
});

describe('frameworks that reuse parts through YAML anchors', () => {
  it('reads one answer scale shared by hundreds of questions', () => {
    const scale =
      '&scale [{id: not, label: Not implemented, score: 0}, {id: partly, label: Partly, score: 0.5}, {id: fully, label: Fully, score: 1}]';
    const questions = Array.from(
      { length: 300 },
      (_, i) => `      - {id: d.q${i}, text: Q${i}, options: ${i === 0 ? scale : '*scale'}}`,
    );
    const fw = load(minimal(`  - id: d\n    title: D\n    questions:\n${questions.join('\n')}\n`));
    expect(fw.domains[0]!.questions).toHaveLength(300);
    expect(fw.domains[0]!.questions[299]!.options.map((o) => o.id)).toEqual(['not', 'partly', 'fully']);
  });

  it('refuses aliases that expand without bound, at the alias that crosses the limit', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const problems = problemsOf(levels.join('\n') + '\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^f\.yaml:6:\d+: its aliases expand to more than 250,000 values: this is not a framework file$/,
    );
  });
});

describe('aliases that nest', () => {
  it('refuses an alias inside the anchor it names, and a long chain of anchors, without exhausting the stack', () => {
    expect(problemsOf('kalaja: framework/1\nid: &a [*a]\n')[0]).toMatch(
      /aliases nest deeper than 32 levels or refer to themselves: this is not a framework file$/,
    );
    const chain = ['a0: &a0 [x]', ...Array.from({ length: 200 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}]`)];
    expect(problemsOf(chain.join('\n') + '\n')[0]).toMatch(/aliases nest deeper than 32 levels/);
  });
});
