import fc from 'fast-check';

/**
 * Arbitraries for fuzzing the HTTP API: requests derived from the JSON schemas of the OpenAPI
 * document (valid-looking inputs that reach the services), and the hostile material beyond
 * them (unicode edge cases, malformed JSON, nesting, prototype keys, path tricks, multipart).
 */

/** The part of JSON Schema (draft 2020-12 and the OpenAPI 3.0 dialect) the API's schemas use. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  /** A number in 2020-12; a flag on `minimum` in OpenAPI 3.0. */
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  /** OpenAPI 3.0. */
  nullable?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

/** A value to try for a named property or parameter (real ids, option ids, CSV text…), if there is one. */
export type Hints = (name: string) => fc.Arbitrary<unknown> | undefined;

/** Lengths of generated strings stay below this unless a boundary asks for more. */
const TYPICAL_LENGTH = 40;
/** Boundary strings (exactly maxLength, one more) are only built up to this size. */
const BOUNDARY_LIMIT = 200_000;

const types = (s: JsonSchema): string[] => (s.type === undefined ? [] : [s.type].flat());

/**
 * An arbitrary for values that satisfy (or nearly satisfy) a JSON schema: required and
 * optional properties, string lengths and patterns (patterns through `fc.stringMatching`,
 * lengths cut to fit), enums, bounded numbers, arrays, nullables, unions. `hints` offers
 * realistic values for named properties, mixed in beside the schema's own values.
 */
export function fromSchema(schema: JsonSchema, hints: Hints = () => undefined, name = ''): fc.Arbitrary<unknown> {
  const own = schemaOnly(schema, hints);
  const hint = name ? hints(name) : undefined;
  return hint ? fc.oneof({ arbitrary: hint, weight: 5 }, { arbitrary: own, weight: 1 }) : own;
}

function schemaOnly(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const nullable = schema.nullable === true || types(schema).includes('null');
  const base = nonNull(schema, hints);
  return nullable ? fc.option(base, { nil: null, freq: 4 }) : base;
}

function nonNull(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => fromSchema(s, hints)));
  if (schema.allOf) return fromSchema(mergeAll(schema.allOf), hints);
  const type = types(schema).find((t) => t !== 'null');
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return integerFor(schema);
    case 'number':
      return numberFor(schema);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(schema.items ?? {}, hints), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 6)),
      });
    case 'object':
      return objectFor(schema, hints);
  }
  return fc.jsonValue({ maxDepth: 2 });
}

function mergeAll(all: JsonSchema[]): JsonSchema {
  return all.reduce<JsonSchema>(
    (a, b) => ({
      ...a,
      ...b,
      properties: { ...a.properties, ...b.properties },
      required: [...(a.required ?? []), ...(b.required ?? [])],
    }),
    {},
  );
}

function objectFor(schema: JsonSchema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, sub] of Object.entries(props)) model[key] = fromSchema(sub, hints, key);
  const required = (schema.required ?? []).filter((k) => k in props);
  return fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>;
}

function patternArb(pattern: string): fc.Arbitrary<string> | undefined {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return undefined; // a pattern fast-check cannot invert: plain strings stand in for it
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 10_000;
  const fit = (s: string) => (s.length > max ? s.slice(0, max) : s);
  const fromPattern = schema.pattern ? patternArb(schema.pattern) : undefined;
  if (fromPattern)
    return fc.oneof({ arbitrary: fromPattern.map(fit), weight: 8 }, { arbitrary: edgeString, weight: 1 });
  const typical = Math.max(min, Math.min(max, TYPICAL_LENGTH));
  const sized = (unit: 'grapheme-ascii' | 'grapheme' | 'binary') =>
    fc.string({ unit, minLength: min, maxLength: typical }).map(fit);
  const boundaries = [min, max, max + 1, Math.max(0, min - 1)].filter((n) => n <= BOUNDARY_LIMIT);
  return fc.oneof(
    { arbitrary: sized('grapheme-ascii'), weight: 5 },
    { arbitrary: sized('grapheme'), weight: 2 },
    { arbitrary: sized('binary'), weight: 1 },
    { arbitrary: edgeString, weight: 1 },
    { arbitrary: fc.constantFrom(...boundaries).map((n) => 'k'.repeat(n)), weight: 1 },
  );
}

const SAFE = Number.MAX_SAFE_INTEGER;

function bounds(schema: JsonSchema): { lo: number; hi: number } {
  let lo = schema.minimum ?? -SAFE;
  let hi = schema.maximum ?? SAFE;
  if (typeof schema.exclusiveMinimum === 'number') lo = schema.exclusiveMinimum;
  if (typeof schema.exclusiveMaximum === 'number') hi = schema.exclusiveMaximum;
  const exclusiveLo = schema.exclusiveMinimum !== undefined && schema.exclusiveMinimum !== false;
  const exclusiveHi = schema.exclusiveMaximum !== undefined && schema.exclusiveMaximum !== false;
  return { lo: exclusiveLo ? lo + 1 : lo, hi: exclusiveHi ? hi - 1 : hi };
}

function integerFor(schema: JsonSchema): fc.Arbitrary<number> {
  const { lo, hi } = bounds(schema);
  const clamp = (n: number) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, n));
  return fc.oneof(
    { arbitrary: fc.integer({ min: clamp(lo), max: clamp(hi) }), weight: 4 },
    { arbitrary: fc.constantFrom(lo, hi, lo - 1, hi + 1, 0, -1, 1.5, 2 ** 53, -(2 ** 53)), weight: 1 },
  );
}

function numberFor(schema: JsonSchema): fc.Arbitrary<number> {
  const { lo, hi } = bounds(schema);
  return fc.oneof(
    { arbitrary: fc.double({ min: lo, max: hi, noNaN: true }), weight: 4 },
    { arbitrary: fc.constantFrom(lo, hi, 0, -0, Number.MIN_VALUE, 1e308), weight: 1 },
  );
}

// ---- hostile material ------------------------------------------------------------------------

/**
 * Strings that break naive code: NUL and control characters, lone surrogates, bidirectional
 * overrides, zero-width and combining characters, case mappings that change length, CSV
 * formula starters, markup, SQL, template syntax, prototype names.
 */
export const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '   ',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(64),
  '\uD800',
  '\uDFFF',
  'x\uDC00y',
  '\uD83D',
  '\uD83D\uD83D',
  '\u202Efdp.exe',
  '\u202Eevil\u202C',
  '\u200F\u200E\u2066\u2069',
  '\uFEFF',
  '\u200B\u200C\u200D',
  '\u00A0',
  '\u2028\u2029',
  '\r\n',
  '\r',
  '\t',
  '\u0085',
  '\u001B[31mred',
  '\u007F\u0001\u001F',
  'e\u0301\u0301\u0301\u0301\u0301\u0301\u0301',
  'Z\u0334\u0321\u0327\u034D\u031Ea\u0308l\u0337g\u0335o\u0336',
  '\u{1F469}\u{1F3FD}\u200D\u{1F4BB}',
  '\u{1F3F3}\uFE0F\u200D\u{1F308}',
  'Siguria e të dhënave: š č ć ž đ',
  'Ђурђевдан Љубљана',
  '\uFDFA',
  '\uFFFD',
  '\uFFFE\uFFFF',
  '\u{10FFFF}',
  'İ',
  'ß',
  '\uFB03',
  '\u212A', // Kelvin sign: lower-cases to "k"
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  '${7*7}',
  '{{7*7}}',
  "=cmd|' /C calc'!A0",
  '+1',
  '-1',
  '@SUM(1)',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%s%n%x',
  'null',
  'undefined',
  'NaN',
  'true',
  '0',
  '-0',
  '1e309',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
];

export const edgeString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...EDGE_STRINGS), weight: 4 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...EDGE_STRINGS), fc.string({ maxLength: 8 }), fc.constantFrom(...EDGE_STRINGS))
      .map(([a, b, c]) => a + b + c),
    weight: 1,
  },
);

/** Property names that reach for the prototype chain or shadow built-ins. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  '__lookupGetter__',
  'isPrototypeOf',
] as const;

/** Bodies with `__proto__` / `constructor.prototype` as own keys, as JSON text (JSON.stringify drops them otherwise). */
export const prototypePayload: fc.Arbitrary<string> = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
  '{"a":{"__proto__":{"polluted":"yes"}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
  '{"__proto__":null}',
  '{"__proto__":[]}',
  '{"constructor":{"prototype":null}}',
  '{"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"yes"}}',
  '{"prototype":{"polluted":"yes"},"toString":"x","valueOf":1,"hasOwnProperty":false}',
);

/** Text sent as JSON that is not JSON, or JSON that trips up parsers. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '[',
    '{"a":}',
    '{"a":1,}',
    '{a:1}',
    "{'a':1}",
    '{"a":1}{"b":2}',
    '{"a":1} trailing',
    'nul',
    'undefined',
    'NaN',
    'Infinity',
    '-',
    '1e999999',
    '-0',
    '0x10',
    '"unterminated',
    '{"a":"\\x41"}',
    '{"a":"\\uD800"}',
    '{"a":"\\u00"}',
    '{"a":"raw\ncontrol"}',
    '\uFEFF{}',
    '{"a":1,"a":2}',
    '\u0000',
    '/* comment */ {}',
    '{"a":1} // comment',
  ),
  fc.nat({ max: 100_000 }).map((n) => `{"n":${'9'.repeat(n + 400)}}`),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

/** JSON text nested `depth` levels deep, as arrays or objects. */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Path segments that try to climb out, end early, overflow or decode badly. */
export const hostileSegments: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '..',
    '../..',
    '../../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    '%2e%2e%2f%2e%2e%2f',
    '..%5c..%5c',
    '%00',
    'AAAAAAAAAAAA%00',
    'AAAAAAAAAAAA%00.json',
    '%',
    '%Z',
    '%ZZ',
    '%C3',
    '%ED%A0%80',
    '%EF%BF%BF',
    '%E2%80%AE',
    '%F0%9F%92%A9',
    '%C0%AE%C0%AE',
    '%252e%252e',
    ' ',
    '%20',
    '+',
    ';',
    'AAAAAAAAAAAA;x=1',
    '%3B',
    '%2F',
    '%3F',
    '%23',
    '~',
    '.',
    '*',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'null',
    'undefined',
  ),
  fc.constantFrom(63, 64, 65, 100, 101, 1_000, 10_000, 100_000).map((n) => 'A'.repeat(n)),
  edgeString.map(encodeSegment),
);

/** `encodeURIComponent` that does not throw on lone surrogates (it writes their CESU-8 bytes instead). */
export function encodeSegment(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += encodeURIComponent(s.slice(i, i + 2));
        i++;
      } else
        out += Buffer.from([0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)])
          .toString('hex')
          .replace(/(..)/g, '%$1');
    } else out += encodeURIComponent(s[i]!);
  }
  return out;
}

/** The router's limit on a path parameter (find-my-way's default `maxParamLength`). */
export const ROUTER_PARAM_LENGTH = 100;

/**
 * A path parameter the router will route: well-formed UTF-8 (lone surrogates become U+FFFD) and
 * at most {@link ROUTER_PARAM_LENGTH} characters once encoded. Requests that break those rules
 * are the `url` family's business, so that they do not stand in front of everything else.
 */
export function routableSegment(s: string): string {
  let value = s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  let encoded = encodeURIComponent(value);
  while (encoded.length > ROUTER_PARAM_LENGTH) {
    value = [...value].slice(0, -1).join('');
    encoded = encodeURIComponent(value);
  }
  return encoded;
}

/** Query strings around a route's own parameters: extra keys, repeats, bad encodings, prototype names. */
export const hostileQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          '__proto__',
          '__proto__[polluted]',
          'constructor[prototype][polluted]',
          'constructor',
          'before',
          'organisationId',
          'a[b][c]',
          '',
          '%',
          '%00',
        ),
        fc.string({ maxLength: 10 }).map(encodeSegment),
      ),
      fc.oneof(hostileSegments, fc.string({ maxLength: 20 }).map(encodeSegment), fc.constant('')),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

/** Content types that are not what a JSON route takes, or JSON in disguise. */
export const wrongContentTypes: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  '',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset="utf-8"; x=y',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/json, text/html',
  'application/vnd.api+json',
  'application/json;;;',
  'application/',
  '/',
  ';',
  '*/*',
  'application/json\t',
  'text/json',
);

/** Headers a browser on another site, a proxy or a scanner might send. */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constantFrom<Record<string, string>>(
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { origin: 'http://localhost:3000.evil.example' },
    { origin: 'HTTP://LOCALHOST:3000' },
    { origin: 'http://localhost:3000/' },
    { origin: '' },
    { referer: 'https://evil.example/' },
    { cookie: 'kalaja_session=' },
    { cookie: 'kalaja_session=%' },
    { cookie: `kalaja_session=${'A'.repeat(43)}` },
    { cookie: `kalaja_session=${'A'.repeat(101)}` },
    { cookie: `kalaja_session=${'A'.repeat(8_000)}` },
    { cookie: 'kalaja_session=a; kalaja_session=b' },
    { cookie: '=;;=;' },
    { cookie: '__proto__=x; constructor=y' },
    { 'x-forwarded-for': '1.2.3.4, <script>' },
    { 'x-forwarded-host': 'evil.example' },
    { host: 'evil.example' },
    { accept: 'application/xml' },
    { accept: 'text/html;q=garbage' },
    { 'accept-language': 'sq-XK,sr-Latn;q=0.9,*;q=0.1' },
    { 'accept-encoding': 'gzip, br, deflate, zstd, identity;q=0' },
    { 'if-match': '"garbage"' },
    { 'if-match': '*' },
    { 'if-none-match': '*' },
    { range: 'bytes=0-0,-1' },
    { 'x-http-method-override': 'DELETE' },
    { 'user-agent': 'x'.repeat(10_000) },
    { 'user-agent': 'Mozilla/5.0 \u00ff\u00fe' },
    { authorization: 'Bearer ' + 'A'.repeat(500) },
    { 'x-request-id': '../../etc/passwd' },
    { expect: '100-continue' },
  ),
  fc.dictionary(
    fc.constantFrom('x-a', 'x-b', 'origin', 'cookie', 'accept', 'user-agent'),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => s.replace(/[\r\n\0]/g, ' ')),
    { maxKeys: 3 },
  ),
);

// ---- multipart -------------------------------------------------------------------------------

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const ZIP = Buffer.from('504b0304140000000800', 'hex');

export const fileBytes: fc.Arbitrary<Buffer> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      PDF,
      PNG,
      JPEG,
      ZIP,
      Buffer.alloc(0),
      Buffer.from('plain text evidence\n'),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
    ),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(PDF, PNG, Buffer.from('x')), fc.constantFrom(10_000, 1_100_000, 2_000_000))
      .map(([b, n]) => Buffer.concat([b, Buffer.alloc(n, 0x41)])),
  },
);

const filenames = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('policy.pdf', 'scan.png', 'photo.jpg', 'notes.txt', 'plan.docx') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '../../../etc/passwd',
      '..\\..\\boot.ini',
      'a\u0000.pdf',
      '\u202Efdp.exe',
      '',
      '.pdf',
      'x'.repeat(300) + '.pdf',
      'con.pdf',
      'Siguria e të dhënave.pdf',
      'evil".pdf',
      'new\r\nline.pdf',
    ),
  },
  { weight: 1, arbitrary: edgeString },
);

export interface MultipartBody {
  contentType: string;
  payload: Buffer;
}

type Part =
  | { kind: 'file'; name: string; filename: string; type: string; bytes: Buffer }
  | { kind: 'field'; name: string; value: string };

const declaredTypes = fc.constantFrom(
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/plain',
  'application/octet-stream',
  '',
  'text/html',
  'image/svg+xml',
  'application/x-msdownload',
);

/**
 * multipart/form-data bodies for the upload route: mostly well formed (one `file`, perhaps a
 * question or domain) so that uploads reach type detection and storage; the rest with stray
 * parts, several files, long or prototype field names, bad, missing or mismatched boundaries,
 * bare LF line ends, truncated bodies.
 */
export function multipartBody(fields: {
  question: fc.Arbitrary<string>;
  domain: fc.Arbitrary<string>;
}): fc.Arbitrary<MultipartBody> {
  const fieldHints = fc.oneof(fields.question, fields.domain);
  const file = (name: fc.Arbitrary<string>) =>
    fc.record({ kind: fc.constant('file' as const), name, filename: filenames, type: declaredTypes, bytes: fileBytes });
  const field = (name: fc.Arbitrary<string>, value: fc.Arbitrary<string>) =>
    fc.record({ kind: fc.constant('field' as const), name, value });
  const coherent = fc
    .constantFrom(
      ['policy.pdf', 'application/pdf', PDF],
      ['scan.png', 'image/png', PNG],
      ['photo.jpg', 'image/jpeg', JPEG],
      ['notes.txt', 'text/plain', Buffer.from('Siguria e të dhënave: plani.\n')],
      ['notes.md', 'application/octet-stream', Buffer.from('# Plan\n')],
    )
    .map(([filename, type, bytes]) => ({ kind: 'file' as const, name: 'file', filename, type, bytes }));
  const wellFormed = fc
    .tuple(
      fc.oneof({ arbitrary: coherent, weight: 2 }, { arbitrary: file(fc.constant('file')), weight: 1 }),
      fc.option(fc.oneof(field(fc.constant('question'), fields.question), field(fc.constant('domain'), fields.domain))),
    )
    .map(([f, extra]): Part[] => (extra ? [extra, f] : [f]));
  const anyPart: fc.Arbitrary<Part> = fc.oneof(
    file(fc.constantFrom('file', 'file', 'files', '', '__proto__')),
    field(
      fc.constantFrom('question', 'domain', 'other', '__proto__', 'constructor', '', 'x'.repeat(101)),
      fc.oneof(fieldHints, edgeString, fc.constantFrom('x'.repeat(1_025), 'q'.repeat(200), 'q'.repeat(201))),
    ),
  );
  const rare = fc.oneof({ arbitrary: fc.constant(false), weight: 7 }, { arbitrary: fc.constant(true), weight: 1 });
  return fc
    .record({
      parts: fc.oneof(
        { arbitrary: wellFormed, weight: 3 },
        { arbitrary: fc.array(anyPart, { maxLength: 4 }), weight: 2 },
      ),
      boundary: fc.oneof(
        { arbitrary: fc.constant('kalajaFuzzBoundary'), weight: 6 },
        { arbitrary: fc.constantFrom('x', '-'.repeat(80), 'b\u00e9', '"quoted"'), weight: 1 },
      ),
      mismatch: rare,
      truncate: rare,
      lf: rare,
      noBoundary: rare,
    })
    .map(({ parts, boundary, mismatch, truncate, lf, noBoundary }) => {
      const nl = lf ? '\n' : '\r\n';
      const chunks: Buffer[] = [];
      for (const p of parts) {
        const disposition = `--${boundary}${nl}Content-Disposition: form-data; name="${p.name}"`;
        if (p.kind === 'file')
          chunks.push(
            Buffer.from(`${disposition}; filename="${p.filename}"${nl}Content-Type: ${p.type}${nl}${nl}`),
            p.bytes,
          );
        else chunks.push(Buffer.from(`${disposition}${nl}${nl}${p.value}`));
        chunks.push(Buffer.from(nl));
      }
      chunks.push(Buffer.from(`--${boundary}--${nl}`));
      let payload = Buffer.concat(chunks);
      if (truncate) payload = payload.subarray(0, Math.floor(payload.length / 2));
      const declared = mismatch ? 'anotherBoundary' : boundary;
      return {
        contentType: noBoundary ? 'multipart/form-data' : `multipart/form-data; boundary=${declared}`,
        payload,
      };
    });
}

// ---- framework sources -------------------------------------------------------------------------

const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
  .concat(
    Array.from(
      { length: 8 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
    ),
  )
  .join('\n');

/** YAML and JSON documents that attack parsers: nesting, alias expansion, tags, merge keys, prototype keys. */
export const ADVERSARIAL_FRAMEWORKS: readonly string[] = [
  '['.repeat(10_000) + ']'.repeat(10_000),
  '['.repeat(100_000) + ']'.repeat(100_000),
  '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000),
  deepJson(50_000, 'object'),
  '- '.repeat(5_000) + 'x',
  Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1',
  bomb,
  'kalaja: framework/1\n__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\n',
  '{"kalaja":"framework/1","__proto__":{"polluted":"yes"}}',
  'kalaja: framework/1\nid: x\n<<: {version: "1"}\n',
  'kalaja: framework/1\nid: &x a\nversion: *x\ntitle: *x\n',
  '!!js/function "function () { return 1 }"',
  '%YAML 1.1\n---\n!!binary aGVsbG8=\n',
  'a: !!set {x, y}\n',
  '? [a, b]\n: c\n',
  '? {a: 1}\n: c\n',
  'a: 1\na: 2\n',
  '---\n---\n---\n',
  'kalaja: framework/1\nscale: 1e400\n',
  'kalaja: framework/1\nscale: .nan\nlevels: [{min: .inf, label: x}]\n',
  `- ${'x'.repeat(500_000)}`,
  'kalaja: framework/1\nid: \u0000\nversion: "\uD800"\ntitle: "\u202E"\n',
  '\uFEFF\uFEFFkalaja: framework/1\n',
  '\tkalaja: framework/1\n',
  '&a [*a]',
  '*unknown',
  '!<tag:yaml.org,2002:str> x',
  '%TAG ! tag:evil.example,2000:\n--- !x\n',
];
