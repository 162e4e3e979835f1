import { Writable } from 'node:stream';

/** pino's numeric levels, as words. */
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Requests whose end has not been logged yet, remembered by id; bounded so an aborted request cannot grow it. */
const MAX_OPEN_REQUESTS = 1000;

interface LogLine {
  level?: number;
  time?: number;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string; stack?: string; code?: unknown };
  /** A database's or the system's error code, logged on its own where the error is not (`{ code }`). */
  code?: unknown;
}

const clock = (time: number | undefined) => new Date(time ?? Date.now()).toTimeString().slice(0, 8);

/**
 * The server's log for a person at a terminal: one line per request (`12:03:04 GET /api/v1/me
 * 401 3 ms`, written when it completes) and other messages as `12:03:04 warn message`, instead
 * of pino's JSON, which stays the format for files and log collectors. The log's content is the
 * same (redaction happens before), only its shape changes.
 *
 * @example buildApp({ ..., logStream: humanLogStream(process.stdout) })
 */
export function humanLogStream(out: Pick<NodeJS.WritableStream, 'write'>): Writable {
  const open = new Map<string, { method: string; url: string }>();
  let pending = '';
  const format = (line: string): string | null => {
    let entry: LogLine;
    try {
      entry = JSON.parse(line) as LogLine;
    } catch {
      return line;
    }
    const at = clock(entry.time);
    if (entry.msg === 'incoming request' && entry.reqId && entry.req) {
      if (open.size >= MAX_OPEN_REQUESTS) open.delete(open.keys().next().value!);
      open.set(entry.reqId, { method: entry.req.method ?? '?', url: entry.req.url ?? '?' });
      return null;
    }
    if (entry.msg === 'request completed' && entry.reqId) {
      const req = open.get(entry.reqId);
      open.delete(entry.reqId);
      const ms = entry.responseTime === undefined ? '' : ` ${Math.round(entry.responseTime)} ms`;
      return `${at} ${req ? `${req.method} ${req.url}` : `request ${entry.reqId}`} ${entry.res?.statusCode ?? '?'}${ms}`;
    }
    const level = LEVELS[entry.level ?? 30] ?? String(entry.level);
    const error = entry.err?.message ? `: ${entry.err.message}` : '';
    // The code names the failure for whoever looks it up (40P01: a deadlock), without its details.
    const raw = entry.err?.code ?? entry.code;
    const code = typeof raw === 'string' || typeof raw === 'number' ? ` [${raw}]` : '';
    const request = entry.reqId ? ` (request ${entry.reqId})` : '';
    return `${at} ${level} ${entry.msg ?? ''}${error}${code}${request}`;
  };
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        const text = format(line);
        if (text !== null) out.write(`${text}\n`);
      }
      done();
    },
  });
}
