/**
 * Reading Kalaja's data files — frameworks, intervention catalogues, training modules, handbook
 * front matter — with every problem positioned as file:line:col. The file kinds differ only in
 * their schema and their document-wide rules; the reading, the limits that keep hostile input
 * harmless, and the wording of schema problems are shared here.
 */
import {
  Composer,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  YAMLParseError,
  type CST,
  type Document,
  type Node,
} from 'yaml';
import type { z } from 'zod';
import { sortProblems, type Problem, type Result } from '../problems.js';
import { readQuickly } from './quick.js';

export type Path = readonly PropertyKey[];
export type Loose = Record<string, unknown>;
export type Position = Pick<Problem, 'line' | 'col'>;

/** Deepest nesting a data file may have; the real formats need about ten. */
export const MAX_DEPTH = 32;
/**
 * Most values a document may expand to once its aliases are resolved. A framework that reuses
 * one answer scale through anchors on 200 questions expands to a few thousand; a "billion
 * laughs" file to billions. The bound is on the expanded size, not on the number of aliases.
 */
export const MAX_EXPANDED_NODES = 250_000;

export interface ReadOptions {
  /** Name shown in problems, usually the path the user gave. */
  file: string;
  /** `yaml` or `json`; by default taken from the file name (`.json` → json, else yaml). */
  format?: 'yaml' | 'json';
  /** What the file should be, for messages: "a framework file". */
  what: string;
}

export interface SourceDocument {
  /** The parsed value, plain data. */
  raw: unknown;
  /** The position of the value at `path` (or of the key `key` in the map there). */
  locate(path: Path, key?: string): Position;
}

/**
 * Parses YAML or JSON text into plain data that keeps a way back to positions. Refuses text
 * nested deeper than MAX_DEPTH (the YAML composer recurses once per level) and aliases that
 * expand beyond MAX_EXPANDED_NODES, each with a position.
 */
export function readDocument(text: string, options: ReadOptions): Result<SourceDocument> {
  const { file, what } = options;
  const format = options.format ?? (/\.json$/i.test(file) ? 'json' : 'yaml');
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): Position => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  // The YAML composer recurses once per nested collection, so text nested thousands deep
  // would exhaust the stack. Its tokeniser does not recurse: depth is measured on its tokens
  // first, and the same tokens are then composed (the text is parsed once).
  const tokens = [...new Parser(lineCounter.addNewLine).parse(source)];
  const deepAt = collectionDeeperThan(tokens, MAX_DEPTH);
  if (deepAt !== undefined) {
    const before = source.slice(0, deepAt);
    const line = before.split('\n').length;
    const col = deepAt - before.lastIndexOf('\n');
    return fail([{ file, line, col, message: `nested deeper than ${MAX_DEPTH} levels: this is not ${what}` }]);
  }
  const doc = compose(tokens, source.length, format);

  let raw: unknown;
  if (format === 'json') {
    try {
      raw = JSON.parse(source);
    } catch (e) {
      // V8 names the offset only for some errors; the YAML reader finds the spot for the rest.
      const m = /position (\d+)/.exec(String((e as Error).message));
      const offset = m ? Number(m[1]) : doc.errors[0]?.pos[0];
      return fail([{ file, ...at(offset), message: `not valid JSON: ${jsonReason(e)}` }]);
    }
  } else {
    if (doc.errors.length > 0) {
      return fail(doc.errors.map((e) => ({ file, ...at(e.pos[0]), message: `not valid YAML: ${e.message}` })));
    }
    const expansion = expandedSize(doc);
    if (expansion.over !== undefined) {
      return fail([
        {
          file,
          ...at(expansion.over),
          message: expansion.nesting
            ? `its aliases nest deeper than ${MAX_DEPTH} levels or refer to themselves: this is not ${what}`
            : `its aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en')} values: this is not ${what}`,
        },
      ]);
    }
    try {
      raw = doc.toJS({ maxAliasCount: -1 });
    } catch (e) {
      return fail([{ file, message: `not valid YAML: ${(e as Error).message}` }]);
    }
  }
  // A JSON document that YAML also reads gives us positions; otherwise problems carry paths only.
  const positioned = doc.errors.length === 0 ? doc : undefined;
  const locate = (path: Path, key?: string) => at(nodeAt(positioned, path, key)?.range?.[0]);

  // Aliases can still build deep values out of shallow text: the value is measured too.
  const tooDeep = pathDeeperThan(raw, MAX_DEPTH);
  if (tooDeep) {
    return fail([{ file, ...locate(tooDeep), message: `nested deeper than ${MAX_DEPTH} levels: this is not ${what}` }]);
  }
  return { ok: true, value: { raw, locate } };
}

/**
 * Reads a document and checks it, quickly when it can: a file that the quick read takes
 * (plain data, see quick.ts) and that passes `check` is done without positions. Anything else,
 * and any file with problems, is read again in full and checked again, so every problem is
 * reported exactly as the full read positions it. Positions asked for after a quick read (the
 * catalogue cross-check's lines) come from a full read made then.
 */
export function readChecked<T>(
  text: string,
  options: ReadOptions,
  check: (src: SourceDocument) => Result<T>,
): Result<T> {
  const quick = readQuick(text, options);
  if (quick) {
    const checked = check(quick);
    if (checked.ok) return checked;
  }
  const read = readDocument(text, options);
  return read.ok ? check(read.value) : read;
}

/** `readChecked` for a file whose top level must be a mapping that starts with `kalaja: <format>` (see readMapping). */
export function readMappingChecked<T>(
  text: string,
  options: ReadOptions,
  noun: string,
  format: string,
  check: (src: SourceDocument) => Result<T>,
): Result<T> {
  const quick = readQuick(text, options);
  if (quick) {
    const checked = check(quick);
    if (checked.ok) return checked;
  }
  const read = readMapping(text, options, noun, format);
  return read.ok ? check(read.value) : read;
}

function readQuick(text: string, options: ReadOptions): SourceDocument | undefined {
  const format = options.format ?? (/\.json$/i.test(options.file) ? 'json' : 'yaml');
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const raw = readQuickly(source, format, MAX_DEPTH);
  if (raw === undefined) return undefined;
  let full: SourceDocument | undefined;
  return {
    raw,
    locate(path, key) {
      if (!full) {
        const read = readDocument(text, options);
        full = read.ok ? read.value : { raw, locate: () => ({}) };
      }
      return full.locate(path, key);
    },
  };
}

/**
 * `readDocument` for a file whose top level must be a mapping that starts with
 * `kalaja: <format>`: anything else is one problem at line 1, "<noun> must be a mapping that
 * starts with `kalaja: <format>`".
 */
export function readMapping(text: string, options: ReadOptions, noun: string, format: string): Result<SourceDocument> {
  const read = readDocument(text, options);
  if (!read.ok) return read;
  const raw = read.value.raw;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return fail([
      {
        file: options.file,
        line: 1,
        col: 1,
        message: `${noun} must be a mapping that starts with \`kalaja: ${format}\``,
      },
    ]);
  return read;
}

export function fail<T>(problems: Problem[]): Result<T> {
  return { ok: false, problems: sortProblems(problems) };
}

/** How a file kind names its parts in messages and which keys each part allows. */
export interface Vocabulary {
  /** "domain `access`, question `access.mfa`: " — where in the document a path points. */
  context(raw: unknown, path: Path): string;
  /** The keys allowed where `path` points, for "did you mean". */
  allowedKeys(path: Path): readonly string[];
}

/**
 * Validates plain data against a file kind's zod schema, turning each issue into a positioned,
 * plain-worded problem: unknown keys with the nearest allowed one, missing keys at their parent.
 */
export function schemaProblems<S extends z.ZodType>(
  schema: S,
  src: SourceDocument,
  file: string,
  words: Vocabulary,
): { value?: z.output<S>; problems: Problem[] } {
  const parsed = schema.safeParse(src.raw);
  if (parsed.success) return { value: parsed.data, problems: [] };
  return { problems: parsed.error.issues.flatMap((issue) => describeIssue(issue, src, file, words)) };
}

function describeIssue(issue: z.core.$ZodIssue, src: SourceDocument, file: string, words: Vocabulary): Problem[] {
  const { raw, locate } = src;
  const path = issue.path;
  const where = words.context(raw, path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      file,
      ...locate(path, key),
      message: `${where}unknown key \`${key}\`${suggest(key, words.allowedKeys(path))}`,
    }));
  }
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parent = valueAt(raw, parentPath);
  // Whatever zod calls it (a wrong type, no enum value, no union member), an absent key is missing.
  const missing =
    typeof last === 'string' &&
    parent !== null &&
    typeof parent === 'object' &&
    !Array.isArray(parent) &&
    !(last in parent);
  if (missing) {
    return [
      {
        file,
        ...locate(parentPath),
        message: `${words.context(raw, parentPath)}missing required key \`${String(last)}\``,
      },
    ];
  }
  return [{ file, ...locate(path), message: `${where}${issue.message}` }];
}

/**
 * "domain `access`, question `access.mfa`: " for a path, from the labels of the lists it passes
 * through (`domains` → "domain"); items are named by their `id`, or by their number.
 * `skip` leaves out a level that the next one already identifies.
 */
export function contextFrom(
  labels: Readonly<Record<string, string>>,
  skip?: (path: Path, i: number) => boolean,
): Vocabulary['context'] {
  return (raw, path) => {
    const parts: string[] = [];
    for (let i = 1; i < path.length; i += 1) {
      const kind = path[i - 1];
      const label = typeof kind === 'string' ? labels[kind] : undefined;
      if (!label || typeof path[i] !== 'number') continue;
      if (skip?.(path, i)) continue;
      const item = valueAt(raw, path.slice(0, i + 1)) as { id?: unknown } | undefined;
      const id =
        item && typeof item === 'object' && typeof item.id === 'string'
          ? `\`${item.id}\``
          : `#${(path[i] as number) + 1}`;
      parts.push(`${label} ${id}`);
    }
    return parts.length ? `${parts.join(', ')}: ` : '';
  };
}

/** " (did you mean `weight`?)" for a near miss (case aside), else the list of allowed keys. */
export function suggest(key: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return '';
  // The nearest allowed key, case aside: `capat` means `capAt`, not `cap`.
  let near: string | undefined;
  let best = 3;
  for (const k of allowed) {
    const d = editDistance(k.toLowerCase(), key.toLowerCase());
    if (d < best) [near, best] = [k, d];
  }
  return near ? ` (did you mean \`${near}\`?)` : ` (allowed: ${allowed.join(', ')})`;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

const CONTROL =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Paths of text with control characters (a "\0" escape, say): nobody means them, and databases
 * such as PostgreSQL cannot store them.
 */
export function controlCharacters(raw: unknown): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  // The path is kept as a chain of steps and written out only for a finding: a framework in four
  // languages holds some 4,400 values, and a path copied for each was most of this walk's time.
  type Step = { key: PropertyKey; up: Step | undefined } | undefined;
  const pathOf = (step: Step): Path => {
    const path: PropertyKey[] = [];
    for (let s = step; s; s = s.up) path.push(s.key);
    return path.reverse();
  };
  const walk = (v: unknown, step: Step) => {
    if (typeof v === 'string') {
      if (CONTROL.test(v)) out.push({ path: pathOf(step), message: 'text must not contain control characters' });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], { key: i, up: step });
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], { key: k, up: step });
    }
  };
  walk(raw, undefined);
  return out;
}

/** Ids used twice in a list, each reported at the later use with the earlier one named. */
export function duplicateIds(items: unknown, path: Path, label: string): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  const seen = new Map<unknown, number>();
  list(items).forEach((item, i) => {
    const id = obj(item).id;
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first !== undefined)
      out.push({ path: [...path, i, 'id'], message: `duplicate ${label} id \`${id}\` (also ${label} ${first + 1})` });
    else seen.set(id, i);
  });
  return out;
}

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const obj = (v: unknown): Loose =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {};

export function valueAt(raw: unknown, path: Path): unknown {
  let cur: unknown = raw;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key as string];
  }
  return cur;
}

/** Turns rule findings into positioned problems with their context. */
export function positioned(
  findings: { path: Path; message: string }[],
  src: SourceDocument,
  file: string,
  words: Vocabulary,
): Problem[] {
  return findings.map(({ path, message }) => ({
    file,
    ...src.locate(path),
    message: `${words.context(src.raw, path)}${message}`,
  }));
}

function jsonReason(e: unknown): string {
  const message = String((e as Error).message);
  // V8 quotes the whole input back ("…" is not valid JSON); keep only the reason.
  return message.replace(/, (\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '');
}

/** One document from the tokens, as `yaml`'s parseDocument composes it (a second document is an error). */
function compose(tokens: CST.Token[], length: number, format: 'yaml' | 'json'): Document {
  const composer = new Composer({
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    merge: false,
    schema: format === 'json' ? 'json' : 'core',
  });
  let doc: Document | undefined;
  for (const d of composer.compose(tokens, true, length)) {
    if (!doc) doc = d;
    else {
      doc.errors.push(
        new YAMLParseError(
          d.range.slice(0, 2) as [number, number],
          'MULTIPLE_DOCS',
          'the file holds more than one document',
        ),
      );
      break;
    }
  }
  return doc!;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * Offset of the first collection nested more than `limit` deep in the tokens of a YAML or JSON
 * text, or undefined. Walks only what can nest (documents, collection items' keys and values).
 */
function collectionDeeperThan(tokens: readonly CST.Token[], limit: number): number | undefined {
  const stack: { token: CST.Token | undefined; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') {
      stack.push({ token: token.value, depth });
      continue;
    }
    if (!COLLECTIONS.has(token.type)) continue;
    const inside = depth + 1;
    if (inside > limit) return token.offset;
    for (const item of (token as CST.BlockMap | CST.BlockSequence | CST.FlowCollection).items) {
      const pair = item as { key?: CST.Token | null; value?: CST.Token };
      if (pair.key) stack.push({ token: pair.key, depth: inside });
      if (pair.value) stack.push({ token: pair.value, depth: inside });
    }
  }
  return undefined;
}

/**
 * The number of values the document expands to, with each alias counted as the size of what it
 * names (memoised, so measuring costs no more than the text). Returns the offset of the alias
 * that first crosses MAX_EXPANDED_NODES. Depth is already bounded, so the recursion is too.
 */
function expandedSize(doc: Document): { size: number; over?: number; nesting?: boolean } {
  // Each node's expanded size and depth, memoised: an alias costs what it names, once.
  const memo = new Map<unknown, { size: number; depth: number }>();
  const inProgress = new Set<unknown>();
  let over: number | undefined;
  let nesting = false;
  const measure = (node: unknown): { size: number; depth: number } => {
    if (over !== undefined || node === null || typeof node !== 'object') return { size: 1, depth: 0 };
    const known = memo.get(node);
    if (known) return known;
    if (inProgress.has(node)) {
      // An alias inside the anchor it names.
      over = (node as Node).range?.[0] ?? 0;
      nesting = true;
      return { size: 1, depth: 0 };
    }
    inProgress.add(node);
    let size = 1;
    let depth = 0;
    const add = (child: unknown, deeper: number) => {
      const m = measure(child);
      size += m.size;
      depth = Math.max(depth, m.depth + deeper);
    };
    if (isAlias(node)) {
      const m = measure(node.resolve(doc));
      size = m.size;
      depth = m.depth;
    } else if (isMap(node))
      for (const pair of node.items) {
        add(pair.key, 1);
        add(pair.value, 1);
      }
    else if (isSeq(node)) for (const item of node.items) add(item, 1);
    inProgress.delete(node);
    if (over === undefined && (size > MAX_EXPANDED_NODES || depth > MAX_DEPTH)) {
      over = (node as Node).range?.[0] ?? 0;
      nesting = depth > MAX_DEPTH;
    }
    const m = { size, depth };
    memo.set(node, m);
    return m;
  };
  const total = measure(doc.contents).size;
  return over === undefined ? { size: total } : { size: total, over, nesting };
}

/** The YAML node at a path (or the key node of `key` in the map there), for its position. */
function nodeAt(doc: Document | undefined, path: Path, key?: string): Node | undefined {
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  for (const step of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      node = node.items.find((p) => isScalar(p.key) && p.key.value === step)?.value;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
    } else return undefined;
    if (node === undefined || node === null) return undefined;
  }
  if (isAlias(node) && key !== undefined) node = node.resolve(doc);
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return node as Node;
}

/** The first path longer than `limit`, found without recursion, or undefined. */
function pathDeeperThan(raw: unknown, limit: number): Path | undefined {
  const stack: { value: unknown; path: Path }[] = [{ value: raw, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= limit) return path;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((x, i) => [i, x])
      : Object.entries(value);
    for (const [k, x] of entries) stack.push({ value: x, path: [...path, k] });
  }
  return undefined;
}
