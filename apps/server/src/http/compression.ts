import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Content codings Kalaja sends, best first. What is compressed and why — static files always,
 * API responses only where they hold no secret — is decision 6 (docs/decisions/0006-compression.md).
 */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `true` only for an API route whose response holds no secret and nothing of any user —
     * the same bytes for every caller who may read it (a framework's text). Any other response
     * is sent uncompressed, so that its length cannot reveal a secret next to text an attacker
     * chose (BREACH; decision 6).
     */
    compress?: boolean;
  }
}

/**
 * The coding to send, from the request's Accept-Encoding (RFC 9110 §12.5.3) and the codings
 * available; undefined for the identity body. No header means identity; `q=0` refuses a
 * coding; `*` stands for any coding not named; an explicit `identity` preferred over every
 * available coding wins. Ties go to the first available (brotli is smaller).
 */
export function negotiateEncoding(
  header: string | string[] | undefined,
  available: readonly Encoding[],
): Encoding | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value || available.length === 0) return undefined;
  const weights = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([01](?:\.\d{0,3})?)$/.exec(p);
      if (m) q = Number(m[1]);
    }
    const coding = name === 'x-gzip' ? 'gzip' : name;
    if (!weights.has(coding)) weights.set(coding, Math.min(1, q));
  }
  const weightOf = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  let best: Encoding | undefined;
  for (const coding of available) if (weightOf(coding) > (best === undefined ? 0 : weightOf(best))) best = coding;
  if (best === undefined) return undefined;
  return (weights.get('identity') ?? 0) > weightOf(best) ? undefined : best;
}

/** Adds Accept-Encoding to the reply's Vary header (once). */
export function varyOnEncoding(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const list =
    vary === undefined
      ? []
      : String(vary)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  if (list.some((v) => v === '*' || v.toLowerCase() === 'accept-encoding')) return;
  reply.header('vary', [...list, 'Accept-Encoding'].join(', '));
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compresses on the way out, off the event loop (zlib's thread pool). Quality 5 and level 6
 * cost about 3 ms for the 111 kB framework, within 15% of the best ratios.
 */
export function compress(body: Buffer, encoding: Encoding, size = body.length): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: size,
        },
      })
    : gzipAsync(body, { level: 6 });
}

/** API responses smaller than this are sent as they are: compression would save next to nothing. */
const API_MIN_BYTES = 1024;

/**
 * Compresses the successful responses of API routes that declare `compress: true`, and no
 * others. Every other API response goes out uncompressed, whatever the client accepts.
 */
export function compressDeclaredRoutes(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.config?.compress !== true) return payload;
    varyOnEncoding(reply);
    if (reply.statusCode !== 200 || reply.hasHeader('content-encoding')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (body.length < API_MIN_BYTES) return payload;
    const encoding = negotiateEncoding(request.headers['accept-encoding'], ENCODINGS);
    if (!encoding) return payload;
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return compress(body, encoding);
  });
}
