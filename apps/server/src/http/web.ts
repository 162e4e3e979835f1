import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { ENCODINGS, negotiateEncoding, varyOnEncoding, type Encoding } from './compression.js';

/** Where `vite build` puts the web app. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/**
 * The Content Security Policy of every page: nothing but our own scripts, styles, images,
 * API and service worker; no inline code, no other origin, no framing, no plugins, no form posts elsewhere. The
 * app may frame our own URLs (a report's preview, which sends its own stricter policy); no
 * one may frame the app.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "manifest-src 'self'",
  // The handbook's service worker (apps/web/public/handbook-sw.js), from our origin only.
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Text that compresses. Images and fonts of the build (PNG, WOFF2) are compressed formats
 * already: compressing them again costs time and gains nothing.
 */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

/** The file name suffix of each coding's precompressed copy, as the web build writes them. */
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

interface StaticFile {
  body: Buffer;
  type: string;
  immutable: boolean;
  /** The same bytes compressed, for each coding that makes them smaller (text files only). */
  encoded: Partial<Record<Encoding, Buffer>>;
}

const decode = (bytes: Buffer, encoding: Encoding) =>
  encoding === 'br' ? brotliDecompressSync(bytes) : gunzipSync(bytes);

/**
 * In memory, for a text file whose build left no (or no matching) compressed copy — a build
 * made without the web app's Vite config. Faster settings: about 60 ms for the whole app.
 */
const encodeNow = (body: Buffer, encoding: Encoding) =>
  encoding === 'br'
    ? brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzipSync(body, { level: 9 });

/**
 * The compressed forms of one text file. The web build writes `<file>.br` (brotli, quality
 * 11) and `<file>.gz` (gzip, level 9) beside each one; each copy is used only if it decodes
 * to the file's exact bytes (a stale or damaged copy is never served), and only if smaller.
 */
function encodingsOf(body: Buffer, copies: Partial<Record<Encoding, Buffer>>): StaticFile['encoded'] {
  const encoded: StaticFile['encoded'] = {};
  for (const encoding of ENCODINGS) {
    let bytes = copies[encoding];
    if (bytes) {
      try {
        if (!decode(bytes, encoding).equals(body)) bytes = undefined;
      } catch {
        bytes = undefined;
      }
    }
    bytes ??= encodeNow(body, encoding);
    if (bytes.length < body.length) encoded[encoding] = bytes;
  }
  return encoded;
}

/**
 * Every file of the built app, read once at start: only these paths can ever be served. The
 * compressed copies the build wrote are not paths of their own but forms of their file.
 */
export function readDist(dir: string): Map<string, StaticFile> {
  const raw = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else raw.set(`/${relative(dir, path).split(sep).join('/')}`, readFileSync(path));
    }
  };
  walk(dir);
  const copyOf = (url: string) =>
    ENCODINGS.find((e) => url.endsWith(SUFFIX[e]) && COMPRESSIBLE.has(extname(url.slice(0, -SUFFIX[e].length))));
  const files = new Map<string, StaticFile>();
  for (const [url, body] of raw) {
    const encoding = copyOf(url);
    if (encoding && raw.has(url.slice(0, -SUFFIX[encoding].length))) continue;
    const ext = extname(url);
    const copies = Object.fromEntries(ENCODINGS.map((e) => [e, raw.get(url + SUFFIX[e])]));
    files.set(url, {
      body,
      type: TYPES[ext] ?? 'application/octet-stream',
      immutable: url.startsWith('/assets/'),
      encoded: COMPRESSIBLE.has(ext) ? encodingsOf(body, copies) : {},
    });
  }
  return files;
}

/**
 * Serves the web app and sets the browser-facing security headers on every response. Any
 * path that is not a file of the build and not under /api/ gets the app's index.html, so
 * that links into the app work on reload. Text files go out brotli- or gzip-compressed when the
 * request accepts it (with `Vary: Accept-Encoding`), from copies made once, not per request.
 */
export function webApp(options: { secure: boolean; dist?: string }) {
  return (app: FastifyInstance) => {
    const dist = options.dist ?? WEB_DIST;
    const files = existsSync(join(dist, 'index.html')) ? readDist(dist) : new Map<string, StaticFile>();
    const index = files.get('/index.html');

    app.addHook('onSend', async (_request, reply) => {
      // A route that serves a document of its own (an evidence file, a report's preview) sets
      // its own, stricter policy and framing; every other response gets the app's.
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
      reply.header('cross-origin-opener-policy', 'same-origin');
      reply.header('cross-origin-resource-policy', 'same-origin');
      reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
      if (options.secure) reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
    });

    app.get('/*', { config: { access: 'public' } }, async (request, reply) => {
      const path = decodeURIComponent(request.url.split('?')[0] ?? '/');
      if (path.startsWith('/api/')) throw new AppError('not_found', 'There is nothing here.');
      const file = files.get(path) ?? (extname(path) === '' ? index : undefined);
      if (!file) {
        if (!index) {
          return reply
            .status(503)
            .type('text/plain; charset=utf-8')
            .send('The web app is not built yet: run `npm run build` in the Kalaja folder, then reload.');
        }
        return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
      }
      reply
        .type(file.type)
        .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      const available = ENCODINGS.filter((e) => file.encoded[e]);
      if (available.length === 0) return reply.send(file.body);
      // Static files hold no secret and reflect nothing of the request: always safe to compress.
      varyOnEncoding(reply);
      const encoding = negotiateEncoding(request.headers['accept-encoding'], available);
      if (!encoding) return reply.send(file.body);
      return reply.header('content-encoding', encoding).send(file.encoded[encoding]);
    });
  };
}
