/**
 * The quick read of a data file: plain data without positions, for the common case of a file
 * with no problems. `yaml` keeps every node's position, which costs about four times the
 * reading itself on the 478 kB framework in four languages; js-yaml does not.
 *
 * The quick read must never give a value the full read (`readDocument`) would not give, so it
 * declines (returns undefined) whenever the two could differ, and the caller reads the file
 * again in full:
 * - anything js-yaml refuses (syntax, duplicate keys, tabs in indentation, several documents);
 * - any tag, anchor or alias, any directive (`%YAML 1.1` changes the schema), any explicit
 *   `?` key, any key that is not a string (null, a number, a collection);
 * - a value nested deeper than the full read allows, or a top level that is not a mapping.
 * Plain scalars are resolved by the YAML 1.2 core schema exactly as `yaml` resolves them (its
 * tests and conversions, in its order). A differential property test holds the two to the same
 * output (test/documents-quick.test.ts).
 */
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';

/** The core schema's plain scalars, in `yaml`'s order (yaml/dist/schema/core/schema.js). */
const CORE: readonly [RegExp, (s: string) => unknown][] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'],
  [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
  [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
  [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
  [
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    (s) =>
      s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
  ],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
];

function coreValue(s: string): { value: unknown } | undefined {
  for (const [test, value] of CORE) if (test.test(s)) return { value: value(s) };
  return undefined;
}

/** A private tag, so that no file can name it: `!!int` and the like are declined, not resolved. */
const PLAIN = 'tag:kalaja.quick:plain';
const SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type(PLAIN, {
      kind: 'scalar',
      resolve: (data: unknown) => typeof data === 'string' && coreValue(data) !== undefined,
      construct: (data: string) => coreValue(data)!.value,
    }),
  ],
});

class Declined extends Error {}

/**
 * A directive line, an explicit key (`? ` where a node starts), a verbatim tag (`!<?>` asks for
 * plain resolution), or a comment right after a quoted text or a flow collection (`yaml` wants
 * a space before it), or a line break, mark or tab the two read differently (a lone carriage
 * return, a byte-order mark inside the text, a tab in a line's indentation), or a compact nested
 * sequence whose entry is empty (`- -` alone on a line: js-yaml puts the next outer entry inside
 * the inner sequence, `yaml` does not).
 */
const UNUSUAL = /^%|!<|["'\]}]#|\r(?!\n)|\uFEFF|^ *\t|^ *(?:- +)+-[ ]*(?:#.*)?$/m;
const QUESTION = /\?(?=\s|$)/g;

function unusual(source: string): boolean {
  if (UNUSUAL.test(source)) return true;
  // `? ` is common in texts; it is an explicit key only where a node starts.
  QUESTION.lastIndex = 0;
  for (let m = QUESTION.exec(source); m; m = QUESTION.exec(source)) {
    const before = source[m.index - 1];
    if (before === undefined || ' \t\r\n,[{-'.includes(before)) return true;
  }
  return false;
}

/** The plain value of YAML or JSON text when a quick read gives exactly what the full read would; else undefined. */
export function readQuickly(source: string, format: 'yaml' | 'json', maxDepth: number): unknown {
  let raw: unknown;
  if (format === 'json') {
    try {
      raw = JSON.parse(source);
    } catch {
      return undefined;
    }
  } else {
    if (unusual(source)) return undefined;
    // Each collection js-yaml made (a nested node closes its parent's value again: a set).
    const collections = new Set<unknown>();
    // Each open node: where it starts, whether as a flow collection or a quoted text.
    const opened: { first: number; flow: boolean; quoted: boolean; block: boolean; inFlowMap: boolean }[] = [];
    // Where flow collections, quoted and block texts stand, whose lines follow their own rules.
    const apart: [number, number][] = [];
    let inFlow = 0;
    try {
      raw = load(source, {
        schema: SCHEMA,
        maxDepth: maxDepth + 8,
        listener(event: string, state: QuickState) {
          if (event === 'open') {
            const first = firstOf(state.input, state.position);
            const c = state.input[first];
            const flow = c === '[' || c === '{';
            const parent = opened[opened.length - 1];
            opened.push({
              first,
              flow,
              quoted: c === '"' || c === "'",
              block: c === '|' || c === '>',
              // (js-yaml opens a node again at its own start while it tries it as a key.)
              inFlowMap: parent !== undefined && parent.first !== first && state.input[parent.first] === '{',
            });
            if (flow) inFlow += 1;
            return;
          }
          const node = opened.pop()!;
          if (node.flow) inFlow -= 1;
          if (state.anchor !== null && state.anchor !== undefined) throw new Declined();
          if (state.tag !== null && state.tag !== '?' && state.tag !== PLAIN) throw new Declined();
          if (state.kind === 'mapping' || state.kind === 'sequence') collections.add(state.result);
          // A block mapping may start with a quoted key or a flow collection key: only a
          // scalar is a quoted text, only a collection a flow collection.
          const checked = state.kind === 'scalar' ? node.quoted : state.kind !== null && node.flow;
          if (checked && inFlow === 0) {
            if (badlyIndented(state.input, node.first, state.position)) throw new Declined();
            apart.push([node.first, state.position]);
          }
          // A block text's lines are its own (js-yaml and `yaml` agree on them).
          if (state.kind === 'scalar' && inFlow === 0 && node.block) apart.push([node.first, state.position]);
          // A key: followed by `:`, or in a flow mapping not after one (`{a}` is `{a: null}`).
          const key =
            followedByColon(state.input, state.position) || (node.inFlowMap && !afterColon(state.input, node.first));
          if (key) {
            // A key: it must be a string (quoted, or plain and none of the core schema's values).
            if (state.kind !== 'scalar' || state.tag === PLAIN || typeof state.result !== 'string')
              throw new Declined();
          }
        },
      });
    } catch {
      return undefined;
    }
    if (!indentsNest(source, apart)) return undefined;
    // A collection used as a key (found by no other check) is missing from the value.
    if (measure(raw, maxDepth)?.collections !== collections.size) return undefined;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  if (format === 'json' && measure(raw, maxDepth) === undefined) return undefined;
  return raw;
}

interface QuickState {
  input: string;
  position: number;
  kind: string | null;
  tag: string | null;
  anchor: string | null | undefined;
  result: unknown;
}

/**
 * Whether every line of the block structure goes back only to an indentation it came from:
 * js-yaml takes a line indented between two levels (an entry at 3 spaces after entries at 2
 * and 4) as one of them, where `yaml` (and the YAML spec) refuse it. The lines inside `apart`
 * ranges (after the first) are left out; `badlyIndented` checks flow collections and quoted texts.
 */
function indentsNest(input: string, apart: [number, number][]): boolean {
  // The ranges are disjoint (none is recorded inside a flow collection): one pointer walks them.
  apart.sort((x, y) => x[0] - y[0]);
  const levels: number[] = [];
  let r = 0;
  for (let at = 0; at < input.length;) {
    let eol = input.indexOf('\n', at);
    if (eol === -1) eol = input.length;
    while (r < apart.length && apart[r]![1] <= at) r += 1;
    const inside = r < apart.length && apart[r]![0] < at;
    let j = at;
    while (input[j] === ' ') j += 1;
    const c = input[j];
    if (!inside && j < eol && c !== '\r' && c !== '#') {
      const indent = j - at;
      let popped = false;
      while (levels.length > 0 && levels[levels.length - 1]! > indent) {
        levels.pop();
        popped = true;
      }
      if (levels.length === 0 || levels[levels.length - 1]! < indent) {
        if (popped) return false;
        levels.push(indent);
      }
    }
    at = eol + 1;
  }
  return true;
}

/** The first character of a node that opens at `start`: past spaces, line breaks and comments. */
function firstOf(input: string, start: number): number {
  let i = start;
  for (;;) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i += 1;
    else if (c === '#') {
      const eol = input.indexOf('\n', i);
      if (eol === -1) return input.length;
      i = eol + 1;
    } else return i;
  }
}

/**
 * Whether a flow collection or a quoted text that starts at `i` in block context (and ends
 * before `end`) has a line not indented beyond its block parent, or indented with a tab:
 * js-yaml takes such lines at any indentation, `yaml` (and the YAML spec) want them indented.
 * The parent's column is taken as that of the key on the line it starts on, or of the last
 * `- ` before it; a document-level flow collection is left to the full read.
 */
function badlyIndented(input: string, i: number, end: number): boolean {
  const eolFirst = input.indexOf('\n', i);
  if (eolFirst === -1 || eolFirst >= end) return false;
  const lineStart = input.lastIndexOf('\n', i - 1) + 1;
  let k = lineStart;
  let parent = -1;
  for (;;) {
    while (input[k] === ' ') k += 1;
    if (input[k] === '-' && input[k + 1] === ' ') {
      parent = k - lineStart;
      k += 1;
    } else break;
  }
  if (k !== i) parent = k - lineStart;
  if (parent < 0) return true;
  for (let eol = eolFirst; eol !== -1 && eol < end; eol = input.indexOf('\n', eol + 1)) {
    let j = eol + 1;
    while (input[j] === ' ') j += 1;
    const first = input[j];
    if (first === '\t') return true;
    if (first === '\n' || first === '\r' || first === undefined) continue;
    if (j - (eol + 1) <= parent) return true;
  }
  return false;
}

function afterColon(input: string, first: number): boolean {
  let i = first - 1;
  while (i >= 0 && (input[i] === ' ' || input[i] === '\t' || input[i] === '\n' || input[i] === '\r')) i -= 1;
  return input[i] === ':';
}

function followedByColon(input: string, position: number): boolean {
  let i = position;
  while (input[i] === ' ' || input[i] === '\t') i += 1;
  return input[i] === ':';
}

/** How many collections the value holds, or undefined when it nests `maxDepth - 2` deep or more (the full read decides). */
function measure(raw: unknown, maxDepth: number): { collections: number } | undefined {
  let collections = 0;
  const stack: [unknown, number][] = [[raw, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth - 2) return undefined;
    collections += 1;
    for (const x of Array.isArray(value) ? value : Object.values(value)) stack.push([x, depth + 1]);
  }
  return { collections };
}
