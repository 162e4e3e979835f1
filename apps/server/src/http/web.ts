import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/** Where `vite build` puts the web app. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/**
 * The Content Security Policy of every page: nothing but our own scripts, styles, images and
 * API; no inline code, no other origin, no framing, no plugins, no form posts elsewhere. The
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

interface StaticFile {
  body: Buffer;
  type: string;
  immutable: boolean;
}

/** Every file of the built app, read once at start: only these paths can ever be served. */
function readDist(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const url = `/${relative(dir, path).split(sep).join('/')}`;
        files.set(url, {
          body: readFileSync(path),
          type: TYPES[extname(name)] ?? 'application/octet-stream',
          immutable: url.startsWith('/assets/'),
        });
      }
    }
  };
  walk(dir);
  return files;
}

/**
 * Serves the web app and sets the browser-facing security headers on every response. Any
 * path that is not a file of the build and not under /api/ gets the app's index.html, so
 * that links into the app work on reload.
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
      return reply
        .type(file.type)
        .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(file.body);
    });
  };
}
