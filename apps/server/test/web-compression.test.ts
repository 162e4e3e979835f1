import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { negotiateEncoding } from '../src/http/compression.js';
import { CONTENT_SECURITY_POLICY, webApp } from '../src/http/web.js';
import { startHarness, type Harness } from './support/kalaja.js';

/** What a browser sends: Chromium 156 asks for all four. */
const BROWSER = 'gzip, deflate, br, zstd';

/** Text that compresses like a real bundle: repetitive, but not trivially so. */
function script(kilobytes: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < kilobytes * 1000; i++)
    lines.push(`export function question${i}(answer){return answer===${i % 7}?"option-${i % 13}":null;}`);
  return Buffer.from(lines.join('\n'));
}

const FILES = {
  '/index.html': Buffer.from(
    `<!doctype html><html lang="en"><head><title>Kalaja</title><script type="module" src="/assets/index-abc.js"></script><link rel="stylesheet" href="/assets/index-abc.css"></head><body><div id="root"></div></body></html>`.repeat(
      4,
    ),
  ),
  '/assets/index-abc.js': script(40),
  '/assets/index-abc.css': Buffer.from('.question { margin: 0 0 1rem; padding: 0.5rem; }\n'.repeat(100)),
  // Zeros compress very well: if these were compressed, the test would see it.
  '/assets/logo-abc.png': Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(4000)]),
  '/assets/font-abc.woff2': Buffer.concat([Buffer.from('wOF2'), Buffer.alloc(4000)]),
  '/favicon.svg': Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
};

/** The copy the web build writes beside the script: used as is. */
const BUILD_COPY = brotliCompressSync(FILES['/assets/index-abc.js'], {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
});

describe('the web app, compressed', () => {
  let dir: string;
  let app: FastifyInstance;
  const get = (url: string, acceptEncoding?: string, method: 'GET' | 'HEAD' = 'GET') =>
    app.inject({ method, url, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kalaja-web-'));
    mkdirSync(join(dir, 'assets'));
    for (const [path, body] of Object.entries(FILES)) writeFileSync(join(dir, path), body);
    writeFileSync(join(dir, 'assets/index-abc.js.br'), BUILD_COPY);
    // A copy left by an older build: it does not decode to the file, so it must never be sent.
    writeFileSync(
      join(dir, 'assets/index-abc.css.br'),
      brotliCompressSync(Buffer.from('.question { color: red; }\n'.repeat(100))),
    );
    writeFileSync(join(dir, 'assets/index-abc.css.gz'), randomBytes(64));
    app = await buildApp({
      config: { logLevel: 'silent', publicUrl: 'https://kalaja.example.org' },
      ping: async () => undefined,
      routes: [webApp({ secure: true, dist: dir })],
    });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends brotli to a browser: the bytes decode to the file, with the right headers', async () => {
    const r = await get('/assets/index-abc.js', BROWSER);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers.vary).toBe('Accept-Encoding');
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(r.headers['content-length'])).toBe(r.rawPayload.length);
    expect(r.rawPayload.length).toBeLessThan(FILES['/assets/index-abc.js'].length / 3);
    expect(brotliDecompressSync(r.rawPayload).equals(FILES['/assets/index-abc.js'])).toBe(true);
    // The build's own copy, not one made again at start.
    expect(r.rawPayload.equals(BUILD_COPY)).toBe(true);
  });

  it('keeps every security and caching header on a compressed response', async () => {
    const r = await get('/assets/index-abc.js', BROWSER);
    expect(r.headers).toMatchObject({
      'cache-control': 'public, max-age=31536000, immutable',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'strict-transport-security': 'max-age=63072000; includeSubDomains',
    });
    expect(r.headers['permissions-policy']).toContain('camera=()');
    expect(r.headers['x-request-id']).toBeTruthy();
  });

  it('sends gzip to a client that accepts only gzip', async () => {
    for (const accept of ['gzip', 'x-gzip', 'br;q=0, gzip', 'br;q=0.2, gzip;q=0.9']) {
      const r = await get('/assets/index-abc.js', accept);
      expect(r.headers['content-encoding'], accept).toBe('gzip');
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(Number(r.headers['content-length'])).toBe(r.rawPayload.length);
      expect(gunzipSync(r.rawPayload).equals(FILES['/assets/index-abc.js'])).toBe(true);
    }
  });

  it('sends the identity body to a client without Accept-Encoding, or that refuses both codings', async () => {
    for (const accept of [undefined, '', 'identity', 'deflate, zstd', 'br;q=0, gzip;q=0', '*;q=0']) {
      const r = await get('/assets/index-abc.js', accept);
      expect(r.headers['content-encoding'], String(accept)).toBeUndefined();
      // The response still varies with the header, so caches must not reuse it for a browser.
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(Number(r.headers['content-length'])).toBe(FILES['/assets/index-abc.js'].length);
      expect(r.rawPayload.equals(FILES['/assets/index-abc.js'])).toBe(true);
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('never sends a copy that does not decode to the file: it compresses the file itself', async () => {
    const br = await get('/assets/index-abc.css', 'br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(FILES['/assets/index-abc.css'])).toBe(true);
    const gz = await get('/assets/index-abc.css', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(FILES['/assets/index-abc.css'])).toBe(true);
  });

  it('serves the copies only as forms of their file, never at their own path', async () => {
    expect((await get('/assets/index-abc.js.br', BROWSER)).statusCode).toBe(404);
    expect((await get('/assets/index-abc.css.gz', BROWSER)).statusCode).toBe(404);
  });

  it('never compresses PNG or WOFF2, even where it would shrink them', async () => {
    for (const [path, type] of [
      ['/assets/logo-abc.png', 'image/png'],
      ['/assets/font-abc.woff2', 'font/woff2'],
    ] as const) {
      const r = await get(path, BROWSER);
      expect(r.headers['content-type']).toBe(type);
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(r.headers.vary).toBeUndefined();
      expect(r.rawPayload.equals(FILES[path])).toBe(true);
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('sends a file that compression would not shrink as it is', async () => {
    const r = await get('/favicon.svg', BROWSER);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.rawPayload.equals(FILES['/favicon.svg'])).toBe(true);
  });

  it('compresses index.html for links into the app too, and keeps it revalidated', async () => {
    const r = await get('/programmes/abc?domain=x', BROWSER);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(brotliDecompressSync(r.rawPayload).equals(FILES['/index.html'])).toBe(true);
  });

  it('answers HEAD with the length of the coding it would send', async () => {
    const r = await get('/assets/index-abc.js', 'br', 'HEAD');
    expect(r.headers['content-encoding']).toBe('br');
    expect(Number(r.headers['content-length'])).toBe(BUILD_COPY.length);
    expect(r.rawPayload.length).toBe(0);
  });
});

describe('Accept-Encoding', () => {
  const both = ['br', 'gzip'] as const;
  it.each([
    [undefined, undefined],
    ['', undefined],
    [BROWSER, 'br'],
    ['gzip, br', 'br'],
    ['GZIP', 'gzip'],
    ['gzip;q=0.5, br;q=0.8', 'br'],
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['br;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['gzip;q=0.5, identity', undefined],
    ['gzip, identity;q=0.5', 'gzip'],
    ['deflate', undefined],
  ])('%j → %s', (header, expected) => {
    expect(negotiateEncoding(header, both)).toBe(expected);
  });

  it('chooses among the codings available only', () => {
    expect(negotiateEncoding(BROWSER, ['gzip'])).toBe('gzip');
    expect(negotiateEncoding('br', ['gzip'])).toBeUndefined();
    expect(negotiateEncoding(BROWSER, [])).toBeUndefined();
  });
});

describe('API responses', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('declares compressible only routes that hold no secret: the framework’s text, the public handbook and the published indexes', () => {
    expect(h.kalaja.app.routeTable.filter((r) => r.compress).map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/frameworks/:id',
      'GET /api/v1/handbook',
      'GET /api/v1/handbook/:id',
      // Published waves of an openness index: public by design, the same for every reader.
      'GET /api/v1/public/indexes/:id',
      'GET /api/v1/public/indexes/:id/waves/:wave',
      'GET /api/v1/public/indexes/:id/waves/:wave/institutions/:institution',
      'GET /api/v1/public/indexes/:id/waves/:wave/data.json',
      'GET /api/v1/public/indexes/:id/waves/:wave/datapackage.json',
      'GET /api/v1/public/indexes/:id/waves/:wave/institutions.csv',
      'GET /api/v1/public/indexes/:id/waves/:wave/indicators.csv',
    ]);
  });

  it('compresses a framework, and nothing that may hold a secret, whatever the client accepts', async () => {
    const admin = await h.admin();
    const as = (url: string, acceptEncoding?: string) =>
      h.kalaja.app.inject({
        method: 'GET',
        url,
        headers: { cookie: admin.cookie!, ...(acceptEncoding !== undefined && { 'accept-encoding': acceptEncoding }) },
      });
    const [framework] = (await admin.get('/api/v1/frameworks')).json as { id: string }[];
    const url = `/api/v1/frameworks/${framework!.id}`;

    const plain = await as(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    for (const [accept, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      const r = await as(url, accept);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-encoding']).toBe(accept);
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(Number(r.headers['content-length'])).toBe(r.rawPayload.length);
      expect(r.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      expect(decode(r.rawPayload).equals(plain.rawPayload)).toBe(true);
    }
    // A missing framework's error is not compressed.
    const missing = await as('/api/v1/frameworks/AAAAAAAAAAAAAAAAAAAAAA', BROWSER);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-encoding']).toBeUndefined();

    for (const other of ['/api/v1/me', '/api/v1/frameworks', '/api/v1/programmes', '/api/v1/openapi.json']) {
      const r = await as(other, BROWSER);
      expect(r.statusCode, other).toBe(200);
      expect(r.headers['content-encoding'], other).toBeUndefined();
      expect(r.headers.vary, other).toBeUndefined();
    }
  });
});
