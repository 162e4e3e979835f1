import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';
import type { RouteInfo } from '../src/http/access.js';
import { BODY_LIMIT } from '../src/http/app.js';
import { systemActor } from '../src/modules/access/access-types.js';
import { hashToken, newToken } from '../src/modules/auth/auth-tokens.js';
import { DEFAULT_FRAMEWORK } from '../src/server.js';
import { DATABASES } from './support/databases.js';
import {
  ADVERSARIAL_FRAMEWORKS,
  deepJson,
  edgeString,
  encodeSegment,
  fromSchema,
  hostileHeaders,
  hostileQuery,
  hostileSegments,
  malformedJson,
  multipartBody,
  PROTOTYPE_KEYS,
  prototypePayload,
  routableSegment,
  wrongContentTypes,
  type Hints,
  type JsonSchema,
} from './support/fuzz-arbitraries.js';
import { PASSWORD, startHarness, type Harness } from './support/kalaja.js';

/**
 * Fuzzing (threat model, T2): every route of the route table, called by a programme manager with a
 * full session and by an anonymous caller, with requests generated from the route's schemas in
 * the server's own OpenAPI document (valid-looking, with real ids, so they reach the services)
 * and beyond them (wrong types, extra and prototype keys, 2 MB bodies, deep nesting, unicode
 * edge cases, malformed JSON, wrong content types, hostile paths, queries and headers, other
 * methods, multipart). Every response: no 5xx, no stack trace, 4xx in the `{error: {code,
 * message, requestId}}` shape; writes from another origin refused; anonymous callers never
 * served on a member route. Afterwards the server still answers and no prototype is polluted.
 *
 * KALAJA_FUZZ_RUNS (runs per route for the manager, default 50; 60% of it on PostgreSQL) and KALAJA_FUZZ_SEED replay or
 * deepen a run; a failure prints its seed and the shrunk request.
 */
const RUNS = Number(process.env.KALAJA_FUZZ_RUNS ?? 50);
const SEED = process.env.KALAJA_FUZZ_SEED === undefined ? undefined : Number(process.env.KALAJA_FUZZ_SEED);
const PUBLIC_ORIGIN = 'http://localhost:3000'; // the harness's publicUrl
const STACK_TRACE = [/(?:\n|\\n)\s+at /, /\.ts:/, /\.[cm]?js:\d+:\d+/, /node_modules/];

// ---- what the fuzzer knows about the instance ------------------------------------------------

interface World {
  ids: {
    programmes: string[];
    organisations: string[];
    assessments: string[];
    rounds: string[];
    users: string[];
    frameworks: string[];
    evidence: string[];
  };
  questions: string[];
  options: string[];
  /** A few questions with their options, so that generated answers often fit their question. */
  focus: { question: string; options: string[] }[];
  domains: string[];
  organisationNames: string[];
  /** The organisations of our programme, by name (the exchange file names them so). */
  ourOrganisationNames: string[];
  roundNames: string[];
  emails: string[];
  frameworkYaml: string;
  frameworkJson: string;
  managerId: string;
  managerCookie: string;
}

interface FrameworkView {
  domains: { id: string; questions: { id: string; options: { id: string }[] }[] }[];
}

const ORG = { kind: 'cso', sizeBand: '1-5', country: 'XK' } as const;

/** Two programmes (ours with two organisations, an assessor, answers and evidence; another one's), and the manager. */
async function buildWorld(h: Harness): Promise<World> {
  const admin = await h.admin();
  const frameworkId: string = (await admin.get('/api/v1/frameworks')).json[0].id;
  const framework = (await admin.get(`/api/v1/frameworks/${frameworkId}`)).json as FrameworkView & object;
  const rounds = [{ name: 'baseline' }, { name: 'reassessment', startsOn: '2025-06-01' }];
  const ours = (await admin.post('/api/v1/programmes', { name: 'Fuzzed', frameworkId, rounds })).json.id as string;
  const theirs = (await admin.post('/api/v1/programmes', { name: 'Another', frameworkId, rounds })).json.id as string;
  const alpha = (await admin.post(`/api/v1/programmes/${ours}/organisations`, { ...ORG, name: 'Alpha Media' })).json;
  const beta = (await admin.post(`/api/v1/programmes/${ours}/organisations`, { ...ORG, name: 'Beta CSO' })).json;
  const gamma = (await admin.post(`/api/v1/programmes/${theirs}/organisations`, { ...ORG, name: 'Gamma' })).json;
  const manager = await h.join(admin, { email: 'manager@x.test', role: 'programme_manager', programmeId: ours });
  const assessor = await h.join(admin, { email: 'assessor@x.test', role: 'assessor', programmeId: ours });
  await admin.post(`/api/v1/programmes/${ours}/assessors`, { userId: assessor.userId, organisationId: alpha.id });

  const questions = framework.domains.flatMap((d) => d.questions);
  const progress = [
    ...(await admin.get(`/api/v1/programmes/${ours}/progress`)).json,
    ...(await admin.get(`/api/v1/programmes/${theirs}/progress`)).json,
  ] as { assessmentId: string; roundId: string }[];
  const baseline = progress[0]!.roundId;
  const csv = ['organisation,round,question,answer,note']
    .concat(questions.slice(0, 12).map((q, i) => `Alpha Media,baseline,${q.id},${q.options[i % 2]!.id},seen`))
    .join('\n');
  const imported = await manager.post(`/api/v1/programmes/${ours}/rounds/${baseline}/answers`, { csv });
  if (imported.status !== 200) throw new Error(`import: ${imported.status} ${imported.body}`);
  const evidence: string[] = [];
  for (const assessmentId of progress.map((p) => p.assessmentId).slice(0, 3)) {
    const e = await h.kalaja.services.evidence.upload(systemActor('fuzz'), assessmentId, async () => ({
      file: { name: 'policy.pdf', declaredType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
    }));
    evidence.push(e.id);
  }

  const { frameworkId: _drop, ...frameworkBody } = framework as FrameworkView & { frameworkId: string };
  return {
    ids: {
      programmes: [ours, theirs],
      organisations: [alpha.id, beta.id, gamma.id],
      assessments: [...new Set(progress.map((p) => p.assessmentId))],
      rounds: [...new Set(progress.map((p) => p.roundId))],
      users: [manager.userId, assessor.userId],
      frameworks: [frameworkId],
      evidence,
    },
    questions: questions.map((q) => q.id),
    options: [...new Set(questions.flatMap((q) => q.options.map((o) => o.id)))],
    focus: questions.slice(0, 3).map((q) => ({ question: q.id, options: q.options.map((o) => o.id) })),
    domains: framework.domains.map((d) => d.id),
    organisationNames: ['Alpha Media', 'Beta CSO', 'Gamma'],
    ourOrganisationNames: ['Alpha Media', 'Beta CSO'],
    roundNames: rounds.map((r) => r.name),
    emails: ['manager@x.test', 'assessor@x.test', 'admin@kalaja.test'],
    frameworkYaml: readFileSync(DEFAULT_FRAMEWORK, 'utf8'),
    frameworkJson: JSON.stringify({ kalaja: 'framework/1', ...frameworkBody }),
    managerId: manager.userId,
    managerCookie: manager.cookie!,
  };
}

/** A full session for a user, straight in the database: for sign-out, which ends the session it is sent with. */
async function mintSession(h: Harness, userId: string): Promise<string> {
  const token = newToken();
  await h.kalaja.stores.sessions.create({
    id: hashToken(token),
    userId,
    userAgent: 'fuzz',
    handle: newToken(),
    mfa: true,
    at: h.clock.now,
  });
  return `kalaja_session=${token}`;
}

// ---- realistic values for named fields ---------------------------------------------------------

const csvCell = (v: string, quote: boolean) => (quote || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * Answers CSV text: clean files for our organisations (each question once, an option of that
 * question) that import, and files mixing real names and ids with edge cases and broken headers.
 */
function answersCsv(w: World): fc.Arbitrary<string> {
  const mix = (real: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 4 }, edgeString);
  const note = fc.oneof(fc.constant(''), edgeString, fc.string());
  const clean = fc.uniqueArray(
    fc.tuple(
      fc.constantFrom(...w.ourOrganisationNames),
      fc.constantFrom(...w.roundNames),
      fc.constantFrom(...w.focus.flatMap((f) => [...f.options, ''].map((o) => [f.question, o] as const))),
      note,
    ),
    { selector: ([org, round, [question]]) => `${org}|${round}|${question}`, minLength: 1, maxLength: 8 },
  );
  const rows: fc.Arbitrary<string[][]> = fc.oneof(
    {
      weight: 2,
      arbitrary: clean.map((r) => r.map(([org, round, [question, answer], n]) => [org, round, question, answer, n])),
    },
    {
      weight: 3,
      arbitrary: fc.array(
        fc.tuple(mix(w.organisationNames), mix(w.roundNames), mix(w.questions), mix([...w.options, 'na', '']), note),
        { maxLength: 30 },
      ),
    },
  );
  const header = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('organisation,round,question,answer,note') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'organisation,round,question,answer',
        '\uFEFForganisation,round,question,answer,note',
        'round,organisation,note,answer,question,extra',
        'organisation,organisation,round,question,answer',
        'a,b',
        '',
      ),
    },
  );
  return fc
    .record({ header, rows, eol: fc.constantFrom('\n', '\r\n', '\r'), quote: fc.boolean() })
    .map(({ header, rows, eol, quote }) =>
      [header, ...rows.map((cells) => cells.map((c) => csvCell(c, quote)).join(','))].join(eol),
    );
}

/** Framework sources: the default framework under a new version, sometimes damaged; as JSON; adversarial YAML. */
function frameworkSources(w: World): fc.Arbitrary<string> {
  const damage = fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 400 }),
    insert: fc.oneof(edgeString, fc.constantFrom(':', '- ', '\t', '&a ', '*a', '{', '[', '"', '\n  - ', '\n', '#')),
  });
  const damaged = (text: string, d: { at: number; cut: number; insert: string } | null) => {
    if (!d) return text;
    const at = d.at % text.length;
    return text.slice(0, at) + d.insert + text.slice(at + d.cut);
  };
  const version = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 12 }), edgeString);
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(version, fc.option(damage, { freq: 2 }))
        .map(([v, d]) => damaged(w.frameworkYaml.replace(/^version: .*$/m, `version: ${JSON.stringify(v)}`), d)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(version, fc.option(damage, { freq: 3 }))
        .map(([v, d]) => damaged(w.frameworkJson.replace(/"version":"[^"]*"/, `"version":${JSON.stringify(v)}`), d)),
    },
    { weight: 2, arbitrary: fc.constantFrom(...ADVERSARIAL_FRAMEWORKS) },
  );
}

/** Realistic values by field name, for the route: ids of the right kind (sometimes of another), option ids, CSV… */
function hintsFor(route: RouteInfo, w: World): Hints {
  const all = Object.values(w.ids).flat();
  const ids = (own: string[]) =>
    fc.oneof({ arbitrary: fc.constantFrom(...own), weight: 8 }, { arbitrary: fc.constantFrom(...all), weight: 1 });
  const segments = route.url.split('/');
  const idKind: Record<string, string[]> = {
    programmes: w.ids.programmes,
    assessments: w.ids.assessments,
    frameworks: w.ids.frameworks,
    evidence: w.ids.evidence,
  };
  const byName: Record<string, () => fc.Arbitrary<unknown>> = {
    id: () => ids(idKind[segments[segments.indexOf(':id') - 1]!] ?? all),
    round: () => ids(w.ids.rounds),
    programmeId: () => ids(w.ids.programmes),
    frameworkId: () => ids(w.ids.frameworks),
    organisationId: () => ids(w.ids.organisations),
    userId: () => ids(w.ids.users),
    question: () =>
      fc.oneof(
        { arbitrary: fc.constantFrom(...w.focus.map((f) => f.question)), weight: 4 },
        { arbitrary: fc.constantFrom(...w.questions), weight: 1 },
      ),
    answer: () =>
      fc.oneof(
        { arbitrary: fc.constantFrom(...w.focus.flatMap((f) => f.options), 'na'), weight: 4 },
        { arbitrary: fc.constantFrom(...w.options), weight: 1 },
      ),
    domain: () => fc.constantFrom(...w.domains),
    email: () =>
      fc.oneof(
        fc.constantFrom(...w.emails),
        fc.tuple(fc.uuid(), edgeString).map(([u, e]) => `${u.slice(0, 8)}${e}@fuzz.test`),
        fc.emailAddress(),
      ),
    password: () => fc.oneof(fc.constant(PASSWORD), fc.string({ minLength: 15, maxLength: 40 })),
    country: () => fc.constantFrom('XK', 'AL', 'RS'),
    csv: () => answersCsv(w),
    source: () => frameworkSources(w),
  };
  return (name) => byName[name]?.();
}

// ---- routes and their schemas --------------------------------------------------------------------

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

interface RouteSpec extends RouteInfo {
  key: string;
  pathParams: { name: string; schema: JsonSchema }[];
  query: JsonSchema | undefined;
  body: JsonSchema | undefined;
  /** Takes multipart/form-data (the evidence upload): its schema-driven requests are uploads. */
  multipart: boolean;
  /** The largest JSON body the route reads. */
  bodyLimit: number;
}

const MULTIPART_ROUTES = new Set(['POST /api/v1/assessments/:id/evidence']);

function routeSpec(route: RouteInfo, openapi: { paths: Record<string, Record<string, OpenApiOperation>> }): RouteSpec {
  const key = `${route.method} ${route.url}`;
  const op = openapi.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()] ?? {};
  const params = op.parameters ?? [];
  const query = params.filter((p) => p.in === 'query');
  const declaredPath = new Map(params.filter((p) => p.in === 'path').map((p) => [p.name, p.schema]));
  return {
    ...route,
    key,
    // Every `:name` in the URL, with its schema where the document has one.
    pathParams: [...route.url.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name: name!,
      schema: declaredPath.get(name!) ?? { type: 'string' },
    })),
    query: query.length
      ? {
          type: 'object',
          properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
          required: query.filter((p) => p.required).map((p) => p.name),
        }
      : undefined,
    body: op.requestBody?.content?.['application/json']?.schema,
    multipart: MULTIPART_ROUTES.has(key),
    bodyLimit: route.bodyLimit ?? BODY_LIMIT,
  };
}

// ---- requests ---------------------------------------------------------------------------------------

type Kind =
  | 'schema'
  | 'wrong-type'
  | 'extra-fields'
  | 'unicode'
  | 'huge'
  | 'deep'
  | 'prototype'
  | 'malformed-json'
  | 'content-type'
  | 'path'
  | 'query'
  | 'headers'
  | 'method'
  | 'multipart';

class FuzzRequest {
  constructor(
    readonly kind: Kind,
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly payload: string | Buffer | undefined,
    /** The request is for the route as declared (its method, a path that matches it), so route-level expectations hold. */
    readonly onRoute: boolean,
  ) {}

  get bytes(): number {
    return this.payload === undefined ? 0 : Buffer.byteLength(this.payload);
  }

  /** A readable account of the request, cut short, for failure reports. */
  describe(): string {
    const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
    const body =
      this.payload === undefined
        ? 'no body'
        : `${this.bytes} bytes: ${JSON.stringify(cut(this.payload.toString(), 300))}`;
    return `[${this.kind}] ${this.method} ${cut(this.url, 300)} headers=${JSON.stringify(
      this.headers,
      (_k, v: unknown) => (typeof v === 'string' ? cut(v, 120) : v),
    )} ${body}`;
  }

  [fc.toStringMethod](): string {
    return this.describe();
  }
}

const isWrite = (method: string) => method !== 'GET' && method !== 'HEAD';

type Path = (string | number)[];

/** Every position inside a JSON value, parents before children. */
function positions(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [];
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...at, Array.isArray(value) ? Number(k) : k];
      out.push(p, ...positions(v, p));
    }
  }
  return out;
}

/** A copy of `root` with `value` at `path` (an own property, even when the key is `__proto__`). */
function replaced(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  Object.defineProperty(copy, head!, {
    value: replaced((root as Record<string | number, unknown>)[head!], rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** Picks one of the positions of `value` whose content passes `keep`, or the root. */
function pick(value: unknown, index: number, keep: (v: unknown) => boolean = () => true): Path {
  const all = positions(value).filter((p) => keep(p.reduce<unknown>((v, k) => (v as never)[k], value)));
  return all.length === 0 ? [] : all[index % all.length]!;
}

const SENTINEL = '\u0001kalaja-fuzz-splice\u0001';

/** JSON text of `body` with raw `text` spliced in at one of its string positions (or as a new field). */
function splice(body: unknown, index: number, text: string): string {
  const target = pick(body, index, (v) => typeof v === 'string');
  const base =
    target.length > 0
      ? replaced(body, target, SENTINEL)
      : body !== null && typeof body === 'object' && !Array.isArray(body)
        ? { ...body, fuzz: SENTINEL }
        : SENTINEL;
  return JSON.stringify(base).replace(JSON.stringify(SENTINEL), text);
}

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom([], {}, [[]], [{}], '', 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.string(),
);

/**
 * Families of requests fuzzed separately, so that a bug in one (say, hostile URLs) cannot hide
 * the others behind the first failure: `body` (the schema's requests and every step beyond it in
 * the body), `url` (paths, queries, methods), `headers` (origins, cookies and the rest).
 */
type Family = 'body' | 'url' | 'headers';
const FAMILY_SHARE: Record<Family, number> = { body: 1, url: 1 / 2, headers: 1 / 4 };

/** Requests for one route, by family: from its schemas, and every kind of step beyond them. */
function requestsFor(spec: RouteSpec, hints: Hints, allRoutes: Set<string>): Record<Family, fc.Arbitrary<FuzzRequest>> {
  const params = fc.record(
    Object.fromEntries(spec.pathParams.map((p) => [p.name, fromSchema(p.schema, hints, p.name).map(String)])),
  ) as fc.Arbitrary<Record<string, string>>;
  // Parameters the router accepts; the `url` family sends the ones it refuses through `raw`.
  const pathWith = (values: Record<string, string>, raw: Record<string, string> = {}) =>
    spec.url.replace(/:(\w+)/g, (_m, name: string) => raw[name] ?? routableSegment(values[name] ?? ''));
  const query = spec.query
    ? fromSchema(spec.query, hints).map((q) => {
        const search = new URLSearchParams();
        for (const [k, v] of Object.entries(q as Record<string, unknown>)) search.append(k, String(v));
        return search.size ? `?${search}` : '';
      })
    : fc.constant('');
  const body: fc.Arbitrary<unknown> = spec.body
    ? fromSchema(spec.body, hints)
    : isWrite(spec.method)
      ? fc.constantFrom(undefined, {})
      : fc.constant(undefined);
  const base = fc.record({ params, query, body });
  const json = 'application/json';
  const req = (
    kind: Kind,
    url: string,
    payload: string | Buffer | undefined,
    headers: Record<string, string> = payload === undefined ? {} : { 'content-type': json },
    onRoute = true,
    method = spec.method,
  ) => new FuzzRequest(kind, method, url, headers, payload, onRoute);
  const text = (b: unknown) => (b === undefined ? undefined : JSON.stringify(b));
  const objectBody = (b: unknown) => (b !== null && typeof b === 'object' ? b : {});

  const upload = multipartBody({
    question: (hints('question') ?? fc.string()).map(String),
    domain: (hints('domain') ?? fc.string()).map(String),
  });
  const schema = spec.multipart
    ? fc
        .tuple(base, upload)
        .map(([b, m]) => req('schema', pathWith(b.params) + b.query, m.payload, { 'content-type': m.contentType }))
    : base.map((b) => req('schema', pathWith(b.params) + b.query, text(b.body)));

  type Weighted = { arbitrary: fc.Arbitrary<FuzzRequest>; weight: number };
  const url: Weighted[] = [
    {
      weight: 2,
      arbitrary: fc
        .tuple(base, hostileSegments, fc.nat(), fc.constantFrom('param', 'suffix'))
        .map(([b, seg, i, where]) => {
          const names = spec.pathParams.map((p) => p.name);
          const url =
            where === 'param' && names.length > 0
              ? pathWith(b.params, { [names[i % names.length]!]: seg })
              : `${pathWith(b.params)}${['/', '//', '/', ''][i % 4]}${seg}`;
          return req('path', url + b.query, text(b.body), undefined, false);
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, hostileQuery)
        .map(([b, q]) => req('query', `${pathWith(b.params)}${b.query ? `${b.query}&` : '?'}${q}`, text(b.body))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'HEAD'))
        .filter(([, m]) => !allRoutes.has(`${m} ${spec.url}`) && !(m === 'HEAD' && spec.method === 'GET'))
        .map(([b, m]) => {
          const payload = m === 'GET' || m === 'HEAD' ? undefined : text(b.body ?? {});
          return req('method', pathWith(b.params) + b.query, payload, undefined, false, m);
        }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(base, edgeString, fc.nat()).map(([b, s, i]) => {
        const names = spec.pathParams.map((p) => p.name);
        if (names.length > 0 && i % 2 === 0) {
          const name = names[i % names.length]!;
          const raw = { [name]: encodeSegment(b.params[name]! + s) };
          return req('unicode', pathWith(b.params, raw) + b.query, text(b.body));
        }
        return req('unicode', `${pathWith(b.params)}?q=${encodeSegment(s)}&${encodeSegment(s)}=1`, text(b.body));
      }),
    },
  ];
  const headers: Weighted[] = [
    {
      weight: 1,
      arbitrary: fc
        .tuple(schema, hostileHeaders)
        .map(([r, extra]) => new FuzzRequest('headers', r.method, r.url, { ...r.headers, ...extra }, r.payload, true)),
    },
  ];
  const kinds: Weighted[] = [{ weight: 8, arbitrary: schema }];
  if (spec.body)
    kinds.push({
      weight: 2,
      arbitrary: fc.tuple(base, edgeString, fc.nat()).map(([b, s, i]) => {
        const at = pick(b.body, i, (v) => typeof v === 'string');
        // With no string in the body, `at` is empty and `current` is the whole body: an
        // object whose generated keys may shadow toString, so it is written out as JSON.
        const found = at.reduce<unknown>((v, k) => (v as never)[k], b.body);
        const current = typeof found === 'string' ? found : (JSON.stringify(found) ?? '');
        const value = [s, `${current}${s}`, `${s}${current}`][i % 3];
        return req('unicode', pathWith(b.params) + b.query, text(replaced(objectBody(b.body), at, value)));
      }),
    });

  if (isWrite(spec.method)) {
    kinds.push(
      {
        weight: 2,
        arbitrary: fc.tuple(base, fc.nat(), wrongValue).map(([b, i, v]) => {
          const target = pick(b.body, i);
          return req(
            'wrong-type',
            pathWith(b.params) + b.query,
            JSON.stringify(replaced(b.body ?? {}, target, v) ?? null),
          );
        }),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            base,
            fc.array(
              fc.tuple(
                fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 12 })),
                fc.jsonValue({ maxDepth: 2 }),
              ),
              {
                minLength: 1,
                maxLength: 4,
              },
            ),
            fc.nat(),
          )
          .map(([b, extra, i]) => {
            const at = pick(b.body, i, (v) => v !== null && typeof v === 'object' && !Array.isArray(v));
            let out: unknown = objectBody(b.body);
            for (const [k, v] of extra) out = replaced(out, [...at, k], v);
            return req('extra-fields', pathWith(b.params) + b.query, JSON.stringify(out));
          }),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            base,
            fc.constantFrom(60_000, 500_000, 1_040_000, BODY_LIMIT + 1, 1_500_000, 2_000_000),
            fc.constantFrom(['a', 1], ['ë', 2], ['\u{1F600}', 4], ['\\u0000', 6], ['\\"', 2]),
            fc.nat(),
          )
          .map(([b, size, [unit, unitBytes], i]) => {
            const template = splice(objectBody(b.body), i, '"\u0002"');
            const fill = unit.repeat(Math.max(0, Math.floor((size - Buffer.byteLength(template)) / unitBytes)));
            return req('huge', pathWith(b.params) + b.query, template.replace('"\u0002"', `"${fill}"`));
          }),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            base,
            fc.constantFrom(64, 1_000, 10_000, 100_000),
            fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>,
            fc.nat(),
            fc.boolean(),
          )
          .map(([b, depth, shape, i, whole]) => {
            const deep = deepJson(depth, shape);
            return req('deep', pathWith(b.params) + b.query, whole ? deep : splice(objectBody(b.body), i, deep));
          }),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(base, prototypePayload, fc.boolean()).map(([b, proto, whole]) => {
          const own = JSON.stringify(objectBody(b.body));
          const merged = own.startsWith('{')
            ? `{${proto.slice(1, -1)}${own.length > 2 ? `,${own.slice(1)}` : '}'}`
            : proto;
          return req('prototype', pathWith(b.params) + b.query, whole || !proto.startsWith('{') ? proto : merged);
        }),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(base, malformedJson, fc.nat(), fc.boolean()).map(([b, bad, i, truncate]) => {
          const own = JSON.stringify(objectBody(b.body));
          return req('malformed-json', pathWith(b.params) + b.query, truncate ? own.slice(0, i % own.length) : bad);
        }),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(base, wrongContentTypes).map(([b, type]) => {
          const payload =
            type === 'application/x-www-form-urlencoded' ? 'a=1&__proto__[x]=1' : JSON.stringify(b.body ?? {});
          return req(
            'content-type',
            pathWith(b.params) + b.query,
            payload,
            type === undefined ? {} : { 'content-type': type },
          );
        }),
      },
      {
        weight: spec.multipart ? 2 : 1,
        arbitrary: fc
          .tuple(base, upload)
          .map(([b, m]) =>
            req('multipart', pathWith(b.params) + b.query, m.payload, { 'content-type': m.contentType }),
          ),
      },
    );
  }
  return { body: fc.oneof(...kinds), url: fc.oneof(...url), headers: fc.oneof(...headers) };
}

// ---- responses --------------------------------------------------------------------------------------

interface Actor {
  name: 'manager' | 'anonymous';
  cookie(spec: RouteSpec): Promise<string | undefined>;
}

interface Sent {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** What must hold for every response; returns the problems found (none when all is well). */
function problems(spec: RouteSpec, actor: Actor, req: FuzzRequest, res: Sent): string[] {
  const out: string[] = [];
  if (res.status >= 500) out.push(`answered ${res.status}`);
  const requestId = res.headers['x-request-id'];
  if (typeof requestId !== 'string' || requestId === '') out.push('has no x-request-id header');
  // A path whose `..` segments climb out of /api/ reaches the server as that other path
  // (HTTP clients and the injector resolve dot segments), where the web app's plain 404 is right.
  const underApi = new URL(req.url, 'http://kalaja.test').pathname.startsWith('/api/');
  if (res.status >= 400 && req.method !== 'HEAD' && underApi) {
    let json: { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | undefined;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    const e = json?.error;
    const code = typeof e?.code === 'string' ? (e.code as keyof typeof ERROR_CODES) : undefined;
    if (!e || !code || typeof e.message !== 'string' || e.message === '' || typeof e.requestId !== 'string')
      out.push('is an error without the {error: {code, message, requestId}} shape');
    else {
      if (ERROR_CODES[code] !== res.status) out.push(`has code ${code} with status ${res.status}`);
      if (e.requestId !== requestId) out.push('names another request id than its x-request-id header');
    }
  }
  const sent = `${req.url}\n${req.payload?.toString() ?? ''}`;
  for (const pattern of STACK_TRACE) {
    const m = pattern.exec(res.body);
    if (m && !sent.includes(m[0])) out.push(`shows what looks like a stack trace (${JSON.stringify(m[0])})`);
  }
  if (req.onRoute) {
    const origin = req.headers.origin;
    if (isWrite(req.method) && origin !== undefined && origin !== PUBLIC_ORIGIN && res.status !== 403)
      out.push(`answered a write from origin ${JSON.stringify(origin)} with ${res.status}, not 403`);
    if (actor.name === 'anonymous' && spec.access !== 'public' && res.status < 400)
      out.push(`served an anonymous caller on a ${spec.access} route with ${res.status}`);
    const signedIn = actor.name === 'manager' && req.headers.cookie === undefined;
    if (
      req.kind === 'huge' &&
      (req.method === 'POST' || req.method === 'PUT') &&
      req.bytes > spec.bodyLimit &&
      (signedIn || spec.access === 'public') &&
      res.status !== 413
    )
      out.push(`read a ${req.bytes}-byte body over the ${spec.bodyLimit}-byte limit (${res.status})`);
  }
  return out;
}

// ---- the run ------------------------------------------------------------------------------------

interface Figures {
  requests: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  routes: number;
  /** Routes that served at least one generated request with a 2xx: the fuzzer got past validation and permission there. */
  reached: Set<string>;
  failures: string[];
  ms: number;
}

describe.each(DATABASES)('fuzzing every route on %s', (kind) => {
  let h: Harness;
  let w: World;
  let specs: RouteSpec[];
  const figures: Figures = {
    requests: 0,
    byKind: {},
    byStatus: {},
    routes: 0,
    reached: new Set(),
    failures: [],
    ms: 0,
  };
  const prototypesBefore = {
    object: Object.getOwnPropertyNames(Object.prototype).sort(),
    array: Object.getOwnPropertyNames(Array.prototype).sort(),
    function: Object.getOwnPropertyNames(Function.prototype).sort(),
  };

  beforeAll(async () => {
    h = await startHarness(kind);
    w = await buildWorld(h);
    const openapi = (await h.client().get('/api/v1/openapi.json')).json;
    specs = h.kalaja.app.routeTable.map((r) => routeSpec(r, openapi));
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  async function send(actor: Actor, spec: RouteSpec, req: FuzzRequest): Promise<Sent> {
    const cookie = await actor.cookie(spec);
    const res = await h.kalaja.app.inject({
      method: req.method as 'GET',
      url: req.url,
      headers: { ...(cookie && { cookie }), ...req.headers },
      ...(req.payload !== undefined && { payload: req.payload }),
    });
    figures.requests++;
    figures.byKind[req.kind] = (figures.byKind[req.kind] ?? 0) + 1;
    const band = `${Math.floor(res.statusCode / 100)}xx`;
    figures.byStatus[res.statusCode] = (figures.byStatus[res.statusCode] ?? 0) + 1;
    figures.byStatus[band] = (figures.byStatus[band] ?? 0) + 1;
    if (req.onRoute && res.statusCode < 300) figures.reached.add(spec.key);
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  it('answers every generated request without a 5xx, a stack trace or a malformed error', async () => {
    const started = performance.now();
    // PostgreSQL answers each request in several round trips: the same routes and families, a
    // little over half the runs, so that both databases fit the suite's time on two cores.
    const runs = kind === 'postgres' ? Math.ceil(RUNS * 0.6) : RUNS;
    const routes = new Set(specs.map((s) => s.key));
    const manager: Actor = {
      name: 'manager',
      // Signing out ends the session it is sent with: that route gets a new session each time.
      cookie: async (spec) => (spec.key === 'DELETE /api/v1/session' ? mintSession(h, w.managerId) : w.managerCookie),
    };
    const anonymous: Actor = { name: 'anonymous', cookie: async () => undefined };
    let logsSeen = h.logs.length;

    for (const spec of specs) {
      const families = requestsFor(spec, hintsFor(spec, w), routes);
      for (const actor of [manager, anonymous])
        for (const family of Object.keys(families) as Family[]) {
          // Anonymous callers are turned away at the door of non-public routes: fewer runs there.
          const share = FAMILY_SHARE[family] * (actor === anonymous && spec.access !== 'public' ? 1 / 4 : 1);
          try {
            await fc.assert(
              fc.asyncProperty(families[family], async (req) => {
                const res = await send(actor, spec, req);
                const found = problems(spec, actor, req, res);
                if (found.length > 0)
                  throw new Error(`${found.join('; ')}\n  response: ${res.status} ${res.body.slice(0, 600)}`);
              }),
              { numRuns: Math.ceil(runs * share), ...(SEED !== undefined && { seed: SEED }) },
            );
          } catch (error) {
            const e = error as Error;
            const cause = e.cause instanceof Error ? `\n  ${e.cause.message}` : '';
            figures.failures.push(`${spec.key} as ${actor.name} (${family}): ${e.message.slice(0, 2_000)}${cause}`);
          }
        }
      // The manager must still be signed in, or the rest of the run would only test the door.
      const me = await h.kalaja.app.inject({ url: '/api/v1/me', headers: { cookie: w.managerCookie } });
      if (me.statusCode !== 200) throw new Error(`the manager's session ended while fuzzing ${spec.key}`);
      const errors = h.logs
        .slice(logsSeen)
        .filter((line) => /"level":(50|60)/.test(line))
        .map((line) => {
          const { err, msg } = JSON.parse(line) as { err?: { type?: string; message?: string }; msg?: string };
          return err ? `${err.type}: ${err.message}` : String(msg);
        });
      if (errors.length > 0)
        figures.failures.push(`${spec.key}: the server logged errors: ${[...new Set(errors)].join('; ')}`);
      logsSeen = h.logs.length;
      figures.routes++;
    }
    figures.ms = performance.now() - started;
    console.log(
      `fuzz on ${kind}: ${figures.routes} routes, ${figures.requests} requests in ${(figures.ms / 1000).toFixed(1)} s, ` +
        `${figures.failures.length} failing properties; ${figures.reached.size} routes served a generated ` +
        `request with a 2xx (not: ${specs
          .filter((s) => !figures.reached.has(s.key))
          .map((s) => s.key)
          .join(', ')})\n` +
        `  by kind: ${JSON.stringify(figures.byKind)}\n  by status: ${JSON.stringify(figures.byStatus)}`,
    );
    expect(figures.failures).toEqual([]);
  }, 600_000);

  it('still answers health and a normal request, and left every prototype alone', async () => {
    const health = await h.kalaja.app.inject({ url: '/api/v1/health' });
    expect([health.statusCode, health.json()]).toEqual([200, { status: 'ok' }]);
    const me = await h.kalaja.app.inject({ url: '/api/v1/me', headers: { cookie: w.managerCookie } });
    expect([me.statusCode, me.json().email]).toEqual([200, 'manager@x.test']);
    const programmes = await h.kalaja.app.inject({ url: '/api/v1/programmes', headers: { cookie: w.managerCookie } });
    expect(programmes.statusCode).toBe(200);
    expect(programmes.json().map((p: { id: string }) => p.id)).toContain(w.ids.programmes[0]);

    expect({
      object: Object.getOwnPropertyNames(Object.prototype).sort(),
      array: Object.getOwnPropertyNames(Array.prototype).sort(),
      function: Object.getOwnPropertyNames(Function.prototype).sort(),
    }).toEqual(prototypesBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
  });
});
