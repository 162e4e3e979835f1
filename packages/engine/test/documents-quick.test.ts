import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, Scalar } from 'yaml';
import { MAX_DEPTH, readDocument } from '../src/documents/document.js';
import { readQuickly } from '../src/documents/quick.js';
import { checkCatalogue, loadCatalogue, loadFramework } from '../src/index.js';

// The quick read (js-yaml, no positions) may decline any file, but a value it gives must be the
// value the full read (`yaml`, positions kept) gives, and only for a file the full read takes.
function full(text: string, format: 'yaml' | 'json' = 'yaml'): { ok: boolean; raw?: unknown } {
  const r = readDocument(text, { file: 'f', what: 'a file', format });
  return r.ok ? { ok: true, raw: r.value.raw } : { ok: false };
}

let taken = 0;
function agrees(text: string, format: 'yaml' | 'json' = 'yaml'): boolean {
  const quick = readQuickly(text, format, MAX_DEPTH);
  if (quick === undefined) return true;
  taken += 1;
  const f = full(text, format);
  return f.ok && isDeepStrictEqual(quick, f.raw);
}

const KEYS = ['id', 'en', 'sq', 'sr-Latn', 'title', 'a b', '"q"', 'null', '1', 'true', '', 'ключ', '__proto__'];
const SCALARS = fc.oneof(
  fc.string(),
  fc.constantFrom('~', 'null', 'Null', 'NULL', 'true', 'False', 'yes', 'no', 'on', '0o17', '017', '0x1F', '0b101'),
  fc.constantFrom('1_000', '+12', '-0', '.5', '1.', '1e3', '1.5E-2', '.inf', '-.Inf', '.NaN', '2026-12-04', ':', '- x'),
  fc.constantFrom('a: b', '#c', 'a #c', "it's", '"x"', '@x', '`x`', '%x', '&a', '*a', '!x', '? x', '[x]', '{x}'),
  fc.constantFrom('line\nbreak', 'trail ', ' lead', 'tab\there', '\u00a0nbsp', 'é ë ž Ђ', '\u2028', '\ud83d\ude00'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const valueArb = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    SCALARS,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const STYLES = [
  undefined,
  Scalar.PLAIN,
  Scalar.QUOTE_DOUBLE,
  Scalar.QUOTE_SINGLE,
  Scalar.BLOCK_LITERAL,
  Scalar.BLOCK_FOLDED,
];

/** YAML text of a value, in styles picked by `seed` (block and flow collections, every scalar style). */
function yamlText(value: unknown, seed: number, lineWidth: number): string {
  const doc = new Document({ root: value });
  let i = seed;
  const visit = (node: unknown) => {
    i = (i * 1103515245 + 12345) >>> 0;
    if (node instanceof Scalar) {
      node.type = STYLES[i % STYLES.length];
    } else if (node && typeof node === 'object' && 'items' in node) {
      (node as { flow?: boolean }).flow = i % 5 === 0;
      for (const item of (node as { items: unknown[] }).items) {
        if (item && typeof item === 'object' && 'key' in item) {
          visit((item as { key: unknown }).key);
          visit((item as { value: unknown }).value);
        } else visit(item);
      }
    }
  };
  visit(doc.contents);
  return doc.toString({ lineWidth, minContentWidth: 0 });
}

/** Pieces of YAML syntax that a mutation puts anywhere in a text. */
const PIECES = fc.constantFrom(
  '&a ',
  '*a',
  '!!str ',
  '!!int ',
  '!!binary ',
  '! ',
  '!<?> ',
  '!!map ',
  '? ',
  ': ',
  ':',
  '- ',
  '#',
  ' #',
  '\t',
  '\n',
  '\n  ',
  '\r\n',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '|',
  '>-',
  '---\n',
  '...\n',
  '%YAML 1.1\n---\n',
  '<<: ',
  '~',
  '1',
  '0x',
  '.',
  '\\',
  '\u0000',
  '\ufeff',
);

describe('the quick read of a data file', () => {
  it('gives exactly the full read’s value, or declines, for generated YAML in every style', () => {
    taken = 0;
    fc.assert(
      fc.property(valueArb, fc.nat(), fc.integer({ min: 20, max: 120 }), (value, seed, width) => {
        const text = yamlText({ root: value }, seed, width);
        expect(agrees(text)).toBe(true);
      }),
      { numRuns: 1500 },
    );
    // Not vacuous: many generated files are taken quickly (the rest use what it declines).
    expect(taken).toBeGreaterThan(1500 / 5);
  });

  it('gives exactly the full read’s value, or declines, for texts with syntax put anywhere', () => {
    taken = 0;
    const mutated = fc
      .tuple(valueArb, fc.nat(), fc.array(fc.tuple(fc.nat(), PIECES), { minLength: 1, maxLength: 4 }))
      .map(([value, seed, edits]) => {
        let text = yamlText({ root: value, id: 'x', en: ['a', 'b'] }, seed, 60);
        for (const [at, piece] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + piece + text.slice(i);
        }
        return text;
      });
    fc.assert(
      fc.property(mutated, (text) => {
        expect(agrees(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(3000 / 100);
  });

  it('gives exactly the full read’s value for JSON, or declines', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), (json, cut) => {
        const text = `{"v": ${json}}`;
        expect(agrees(text, 'json')).toBe(true);
        expect(agrees(text.slice(0, cut % (text.length + 1)), 'json')).toBe(true);
      }),
    );
  });

  it('declines what it cannot promise: anchors, tags, directives, explicit and non-string keys, deep nesting', () => {
    const declined = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: !!binary aGk=\n',
      '%YAML 1.1\n---\na: yes\n',
      '? a\n: b\n',
      '[a]: b\n',
      '{a: 1}: b\n',
      '1: a\n',
      'null: a\n',
      '~: a\n',
      'true: a\n',
      'a: 1\n---\nb: 2\n',
      'a: 1\na: 2\n',
      `a: ${'['.repeat(40)}${']'.repeat(40)}\n`,
      '- a\n',
      'plain\n',
      // js-yaml reads the second entry into the inner sequence: [[null, {}]] where yaml gives [[null], {}].
      'a:\n  - - # c\n  - {}\n',
      'a:\n  - -\n  - x\n',
    ];
    for (const text of declined) expect(readQuickly(text, 'yaml', MAX_DEPTH), text).toBeUndefined();
    expect(readQuickly('"1": a\nb: [1, 0x1F, 0o7, .5, -.inf, ~, "x"]\n', 'yaml', MAX_DEPTH)).toEqual({
      '1': 'a',
      b: [1, 31, 7, 0.5, Number.NEGATIVE_INFINITY, null, 'x'],
    });
  });

  it('reads every shipped content file quickly, to the same value as the full read', () => {
    const dirs = ['frameworks', 'interventions', 'trainings', 'incidents'].map(
      (d) => new URL(`../../../content/${d}/`, import.meta.url),
    );
    let read = 0;
    for (const dir of dirs) {
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => n.endsWith('.yaml'));
      } catch {
        continue;
      }
      for (const name of names) {
        const text = readFileSync(new URL(name, dir), 'utf8');
        const quick = readQuickly(text, 'yaml', MAX_DEPTH);
        expect(quick, name).toBeDefined();
        expect(quick).toEqual(full(text).raw);
        read += 1;
      }
    }
    expect(read).toBeGreaterThan(3);
  });

  it('still positions every problem of a framework or catalogue that the quick read took', () => {
    const fw = readFileSync(new URL('../../../content/frameworks/cso-media.yaml', import.meta.url), 'utf8');
    const broken = fw.replace('scale: 10\n', 'scale: 10\nscael: 3\n');
    const r = loadFramework(broken, { file: 'cso-media.yaml' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const line = broken.split('\n').indexOf('scael: 3') + 1;
      expect(r.problems).toEqual([
        expect.objectContaining({ file: 'cso-media.yaml', line, col: 1, message: expect.stringContaining('`scael`') }),
      ]);
    }
    const ok = loadFramework(fw, { file: 'cso-media.yaml' });
    expect(ok.ok).toBe(true);
    // The catalogue cross-check still names the line of a missing intervention (a full read then).
    if (ok.ok) {
      const question = ok.value.domains[0]!.questions.find((q) => q.interventions.length > 0)!;
      const id = question.interventions[0]!;
      const empty = { id: 'c', version: '1', title: 'T', interventions: [] };
      const missing = checkCatalogue(ok.value, empty, 'cso-media.yaml').find((p) => p.message.includes(`\`${id}\``));
      const lines = fw.split('\n');
      expect(missing?.line).toBeDefined();
      expect(lines[missing!.line! - 1]).toContain(id);
    }
    const catalogue = loadCatalogue(
      'kalaja: interventions/1\nid: c\nversion: "1"\ntitle: T\ninterventions: []\nextra: 1\n',
      {
        file: 'c.yaml',
      },
    );
    expect(catalogue.ok).toBe(false);
    if (!catalogue.ok) expect(catalogue.problems).toContainEqual(expect.objectContaining({ line: 6, col: 1 }));
  });
});
