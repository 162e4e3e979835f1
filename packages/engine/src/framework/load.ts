import { isMap, isScalar, isSeq, LineCounter, parseDocument, Parser, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { sortProblems, type Problem, type Result } from '../problems.js';
import { frameworkSchema, type FrameworkParsed } from './schema.js';
import type { Framework } from './types.js';

type Path = readonly PropertyKey[];

export interface LoadOptions {
  /** Name shown in problems, usually the path the user gave. */
  file: string;
  /** `yaml` or `json`; by default taken from the file name (`.json` → json, else yaml). */
  format?: 'yaml' | 'json';
}

/**
 * Reads a `kalaja: framework/1` file (YAML or JSON) and validates it completely. Every problem
 * is reported at once with its line and column: syntax errors, unknown keys, values out of
 * range, duplicate ids, caps beyond the scale, levels out of order.
 *
 * @example
 * const r = loadFramework(text, { file: 'cso-media.yaml' });
 * if (!r.ok) r.problems.forEach((p) => console.error(formatProblem(p)));
 */
export function loadFramework(text: string, options: LoadOptions): Result<Framework> {
  const { file } = options;
  const format = options.format ?? (/\.json$/i.test(file) ? 'json' : 'yaml');
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): Pick<Problem, 'line' | 'col'> => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  // The YAML composer recurses once per nested collection, so text nested thousands deep
  // would exhaust the stack. Its tokeniser does not recurse: depth is measured there first.
  const deepAt = collectionDeeperThan(source, MAX_DEPTH);
  if (deepAt !== undefined) {
    const before = source.slice(0, deepAt);
    const line = before.split('\n').length;
    const col = deepAt - before.lastIndexOf('\n');
    return fail([{ file, line, col, message: `nested deeper than ${MAX_DEPTH} levels: this is not a framework file` }]);
  }
  const doc = parseDocument(source, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    merge: false,
    schema: format === 'json' ? 'json' : 'core',
  });

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
    try {
      raw = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return fail([{ file, message: `not valid YAML: ${(e as Error).message}` }]);
    }
  }
  // A JSON document that YAML also reads gives us positions; otherwise problems carry paths only.
  const positioned = doc.errors.length === 0 ? doc : undefined;
  const locate = (path: Path, key?: string) => {
    const node = nodeAt(positioned, path, key);
    return at(node?.range?.[0]);
  };

  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail([
      { file, line: 1, col: 1, message: 'a framework file must be a mapping that starts with `kalaja: framework/1`' },
    ]);
  }

  // Aliases can still build deep values out of shallow text: the value is measured too.
  const tooDeep = pathDeeperThan(raw, MAX_DEPTH);
  if (tooDeep) {
    return fail([
      { file, ...locate(tooDeep), message: `nested deeper than ${MAX_DEPTH} levels: this is not a framework file` },
    ]);
  }

  const parsed = frameworkSchema.safeParse(raw);
  const problems: Problem[] = documentRules(raw).map(({ path, message }) => ({
    file,
    ...locate(path),
    message: `${context(raw, path)}${message}`,
  }));
  if (!parsed.success) {
    problems.push(...parsed.error.issues.flatMap((issue) => describeIssue(issue, raw, file, locate)));
  }
  if (!parsed.success || problems.length > 0) return fail(problems);
  return { ok: true, value: toFramework(parsed.data) };
}

/** Deepest nesting a framework file may have; the real format needs about ten. */
const MAX_DEPTH = 32;

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/** Offset of the first collection nested more than `limit` deep in YAML or JSON text, or undefined. */
function collectionDeeperThan(source: string, limit: number): number | undefined {
  for (const root of new Parser().parse(source)) {
    const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      if (node === null || typeof node !== 'object') continue;
      const token = node as { type?: unknown; offset?: unknown };
      const inside = depth + (typeof token.type === 'string' && COLLECTIONS.has(token.type) ? 1 : 0);
      if (inside > limit) return typeof token.offset === 'number' ? token.offset : 0;
      for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push({ node: child, depth: inside });
    }
  }
  return undefined;
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

function fail(problems: Problem[]): Result<Framework> {
  return { ok: false, problems: sortProblems(problems) };
}

function jsonReason(e: unknown): string {
  const message = String((e as Error).message);
  // V8 quotes the whole input back ("…" is not valid JSON); keep only the reason.
  return message.replace(/, (\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '');
}

type Loose = Record<string, unknown>;
const CONTROL =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});

/**
 * Rules that need the whole document: unique ids, caps within the scale, ordered levels.
 * They read the raw document defensively, so they run (and report) even when the schema
 * found other problems: the author sees everything in one pass.
 */
function documentRules(raw: unknown): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  // Text with control characters (a "\0" escape, say) is refused: nobody means it, and
  // databases such as PostgreSQL cannot store it.
  const walk = (v: unknown, path: Path) => {
    if (typeof v === 'string') {
      if (CONTROL.test(v)) out.push({ path, message: 'text must not contain control characters' });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(raw, []);
  const root = obj(raw);
  const scale =
    typeof root.scale === 'number' && root.scale > 0 ? root.scale : root.scale === undefined ? 10 : undefined;
  const domainIds = new Map<unknown, number>();
  const questionIds = new Map<unknown, string>();
  list(root.domains).forEach((dv, di) => {
    const d = obj(dv);
    const first = domainIds.get(d.id);
    if (typeof d.id === 'string' && first !== undefined) {
      out.push({ path: ['domains', di, 'id'], message: `duplicate domain id \`${d.id}\` (also domain ${first + 1})` });
    } else domainIds.set(d.id, di);
    list(d.questions).forEach((qv, qi) => {
      const q = obj(qv);
      const qPath: Path = ['domains', di, 'questions', qi];
      const seenIn = questionIds.get(q.id);
      if (typeof q.id === 'string' && seenIn !== undefined) {
        out.push({
          path: [...qPath, 'id'],
          message: `duplicate question id \`${q.id}\` (first used in domain \`${seenIn}\`)`,
        });
      } else questionIds.set(q.id, String(d.id));
      const optionIds = new Set<unknown>();
      list(q.options).forEach((ov, oi) => {
        const o = obj(ov);
        if (typeof o.id === 'string' && optionIds.has(o.id)) {
          out.push({ path: [...qPath, 'options', oi, 'id'], message: `duplicate option id \`${o.id}\`` });
        }
        optionIds.add(o.id);
      });
      if (typeof q.cap === 'number' && scale !== undefined && (q.cap < 0 || q.cap > scale)) {
        out.push({ path: [...qPath, 'cap'], message: `cap must be between 0 and the scale (${scale})` });
      }
      if (q.capAt !== undefined && q.cap === undefined) {
        out.push({ path: [...qPath, 'capAt'], message: '`capAt` needs a `cap`: it says when the cap applies' });
      }
      if (typeof q.capAt === 'number' && q.capAt >= 0 && q.capAt <= 1 && Array.isArray(q.options)) {
        const scores = list(q.options)
          .map((o) => obj(o).score)
          .filter((x): x is number => typeof x === 'number');
        if (scores.length > 0 && scores.every((x) => x <= (q.capAt as number))) {
          out.push({
            path: [...qPath, 'capAt'],
            message: `every option scores at or below capAt ${String(q.capAt)}: the cap could never be lifted`,
          });
        }
      }
    });
  });
  let previous: number | undefined;
  list(root.levels).forEach((lv, li) => {
    const min = obj(lv).min;
    if (typeof min !== 'number') return;
    if (scale !== undefined && (min < 0 || min > scale)) {
      out.push({ path: ['levels', li, 'min'], message: `min must be between 0 and the scale (${scale})` });
    }
    if (previous !== undefined && min <= previous) {
      out.push({ path: ['levels', li, 'min'], message: `levels must ascend: ${min} is not above ${previous}` });
    }
    previous = min;
  });
  return out;
}

function toFramework(p: FrameworkParsed): Framework {
  return {
    id: p.id,
    version: p.version,
    title: p.title,
    ...(p.description !== undefined && { description: p.description }),
    scale: p.scale,
    levels: p.levels.map((l) => ({
      min: l.min,
      label: l.label,
      ...(l.description !== undefined && { description: l.description }),
    })),
    domains: p.domains.map((d) => ({
      id: d.id,
      title: d.title,
      ...(d.description !== undefined && { description: d.description }),
      weight: d.weight,
      questions: d.questions.map((q) => ({
        id: q.id,
        text: q.text,
        ...(q.guidance !== undefined && { guidance: q.guidance }),
        weight: q.weight,
        na: q.na,
        ...(q.cap !== undefined && { cap: q.cap }),
        capAt: q.capAt ?? 0,
        options: q.options.map((o) => ({ id: o.id, label: o.label, score: o.score, unknown: o.unknown })),
        refs: q.refs,
        interventions: q.interventions,
      })),
    })),
  };
}

/** Turns one zod issue into positioned, plain-worded problems. */
function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  file: string,
  locate: (path: Path, key?: string) => Pick<Problem, 'line' | 'col'>,
): Problem[] {
  const path = issue.path;
  const where = context(raw, path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      file,
      ...locate(path, key),
      message: `${where}unknown key \`${key}\`${suggest(key, allowedKeys(path))}`,
    }));
  }
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parent = valueAt(raw, parentPath);
  const missing =
    (issue.code === 'invalid_type' || issue.code === 'invalid_union') &&
    typeof last === 'string' &&
    parent !== null &&
    typeof parent === 'object' &&
    !Array.isArray(parent) &&
    !(last in parent);
  if (missing) {
    return [
      { file, ...locate(parentPath), message: `${context(raw, parentPath)}missing required key \`${String(last)}\`` },
    ];
  }
  return [{ file, ...locate(path), message: `${where}${issue.message}` }];
}

const KEYS: Record<string, string[]> = {
  framework: ['kalaja', 'id', 'version', 'title', 'description', 'scale', 'levels', 'domains'],
  domain: ['id', 'title', 'description', 'weight', 'questions'],
  question: ['id', 'text', 'guidance', 'weight', 'na', 'cap', 'capAt', 'options', 'refs', 'interventions'],
  option: ['id', 'label', 'score', 'unknown'],
  level: ['min', 'label', 'description'],
};

function allowedKeys(path: Path): string[] {
  const kind =
    path.length === 0
      ? 'framework'
      : path.at(-2) === 'options'
        ? 'option'
        : path.at(-2) === 'questions'
          ? 'question'
          : path.at(-2) === 'domains'
            ? 'domain'
            : path.at(-2) === 'levels'
              ? 'level'
              : undefined;
  return kind ? (KEYS[kind] ?? []) : [];
}

/** " (did you mean `weight`?)" for a near miss, else the list of allowed keys. */
function suggest(key: string, allowed: string[]): string {
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

function editDistance(a: string, b: string): number {
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

/** "domain `access`, question `access.mfa`, option `all`: " — where in the framework a path points. */
function context(raw: unknown, path: Path): string {
  const parts: string[] = [];
  for (let i = 1; i < path.length; i += 2) {
    const kind = path[i - 1];
    const item = valueAt(raw, path.slice(0, i + 1)) as { id?: unknown } | undefined;
    const label =
      kind === 'domains'
        ? 'domain'
        : kind === 'questions'
          ? 'question'
          : kind === 'options'
            ? 'option'
            : kind === 'levels'
              ? 'level'
              : undefined;
    if (!label || typeof path[i] !== 'number') continue;
    const id =
      item && typeof item === 'object' && typeof item.id === 'string'
        ? `\`${item.id}\``
        : `#${(path[i] as number) + 1}`;
    if (label === 'domain' && path[i + 1] === 'questions' && typeof path[i + 2] === 'number') continue;
    parts.push(`${label} ${id}`);
  }
  return parts.length ? `${parts.join(', ')}: ` : '';
}

function valueAt(raw: unknown, path: Path): unknown {
  let cur: unknown = raw;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key as string];
  }
  return cur;
}

/** The YAML node at a path (or the key node of `key` in the map there), for its position. */
function nodeAt(doc: Document | undefined, path: Path, key?: string): Node | undefined {
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  for (const step of path) {
    if (isMap(node)) {
      node = node.items.find((p) => isScalar(p.key) && p.key.value === step)?.value;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
    } else return undefined;
    if (node === undefined || node === null) return undefined;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return node as Node;
}
