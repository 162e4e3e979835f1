import type { FastifyReply } from 'fastify';
import { AppError } from '../errors.js';

/**
 * The version a write expects, from `If-Match: "3"` (answers and plan items carry versions; a
 * stale write gets 412). Without the header the write is unconditional.
 */
export function ifMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!m)
    throw new AppError('invalid_request', 'If-Match must be a version such as "3".', [
      { where: 'If-Match', message: 'not a version' },
    ]);
  return Number(m[1]);
}

/** An object answered with its version as the ETag, for the next write's If-Match. */
export function withVersion<T extends { version: number }>(reply: FastifyReply, x: T): T {
  reply.header('etag', `"${x.version}"`);
  return x;
}
