import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { buildApp } from '../src/http/app.js';
import { humanLogStream } from '../src/http/log-format.js';

const repo = new URL('../../../', import.meta.url).pathname;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

interface Started {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  out(): string;
  stop(): Promise<void>;
}

/** Starts `npm start`'s entry with `env` and waits until the banner (or the exit) is printed. */
async function startServer(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [join(repo, 'apps/server/dist/main.js')], {
    env: { PATH: process.env.PATH, KALAJA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited = false;
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  child.once('exit', () => (exited = true));
  // The address, the key file and the setup token may arrive in separate chunks: wait for all.
  const ready = () => /Kalaja is running at/.test(out) && (!/First run/.test(out) || /until it is used\.\n/.test(out));
  const deadline = Date.now() + 20_000;
  while (!ready() && !exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return {
    child,
    out: () => out,
    stop: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', r)));

describe('starting Kalaja as `npm start` does', () => {
  it('serves health, keeps its SQLite file and key in the data dir, and refuses anonymous calls', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kalaja-start-'));
    const port = await freePort();
    const child = spawn(process.execPath, [join(repo, 'apps/server/dist/main.js')], {
      env: { PATH: process.env.PATH, PORT: String(port), KALAJA_DATA_DIR: dataDir, KALAJA_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const deadline = Date.now() + 20_000;
      // The address and the setup token may arrive in separate chunks: wait for both.
      while (!/setup token:\n\n {4}\S+\n/.test(out) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain(`Kalaja is running at http://127.0.0.1:${port}`);
      expect(out).toMatch(/setup token:\n\n {4}[A-Za-z0-9_-]{43}\n/);
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const anonymous = await fetch(`http://127.0.0.1:${port}/api/v1/programmes`);
      expect(anonymous.status).toBe(401);
      expect(existsSync(join(dataDir, 'kalaja.sqlite'))).toBe(true);
      expect(statSync(join(dataDir, 'kalaja.key')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'kalaja.sqlite')).mode & 0o077).toBe(0);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('leads a fresh instance to setup, and prints the same setup token at every start until it is used', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kalaja-start-'));
    const port = await freePort();
    const first = await startServer({ PORT: String(port), KALAJA_DATA_DIR: dataDir });
    let token: string | undefined;
    try {
      expect(first.out()).toContain(`open http://127.0.0.1:${port}/setup and create the first account`);
      token = /setup token:\n\n {4}(\S+)\n/.exec(first.out())?.[1];
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The banner comes last: nothing the start logs follows it.
      expect(first.out().trimEnd().endsWith('Every start prints the same token until it is used.')).toBe(true);
      expect(await (await fetch(`http://127.0.0.1:${port}/api/v1/setup`)).json()).toEqual({ needed: true });
    } finally {
      await first.stop();
    }
    const second = await startServer({ PORT: String(port), KALAJA_DATA_DIR: dataDir });
    try {
      expect(/setup token:\n\n {4}(\S+)\n/.exec(second.out())?.[1]).toBe(token);
      const setup = await fetch(`http://127.0.0.1:${port}/api/v1/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` },
        body: JSON.stringify({
          token,
          email: 'admin@x.test',
          displayName: 'Admin',
          password: 'correct horse battery staple',
        }),
      });
      expect(setup.status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/api/v1/setup`)).json()).toEqual({ needed: false });
    } finally {
      await second.stop();
    }
    const third = await startServer({ PORT: String(port), KALAJA_DATA_DIR: dataDir });
    await third.stop();
    expect(third.out()).not.toMatch(/setup token/);
  });

  it('accepts writes from localhost and 127.0.0.1 without a public URL, and only the public URL with one', async () => {
    const write = (port: number, origin: string) =>
      fetch(`http://127.0.0.1:${port}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email: 'nobody@x.test', password: 'wrong' }),
      }).then(async (r) => ((await r.json()) as { error: { code: string } }).error.code);
    const port = await freePort();
    const plain = await startServer({ PORT: String(port), KALAJA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kalaja-o-')) });
    try {
      // A wrong password (unauthenticated), not a refused origin (forbidden).
      expect(await write(port, `http://localhost:${port}`)).toBe('unauthenticated');
      expect(await write(port, `http://127.0.0.1:${port}`)).toBe('unauthenticated');
      expect(await write(port, `http://localhost:${port + 1}`)).toBe('forbidden');
      expect(await write(port, 'http://evil.test')).toBe('forbidden');
      expect(await write(port, `https://localhost:${port}`)).toBe('forbidden');
    } finally {
      await plain.stop();
    }
    const named = await startServer({
      PORT: String(port),
      KALAJA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kalaja-o-')),
      KALAJA_PUBLIC_URL: `http://localhost:${port}`,
    });
    try {
      expect(await write(port, `http://localhost:${port}`)).toBe('unauthenticated');
      expect(await write(port, `http://127.0.0.1:${port}`)).toBe('forbidden');
    } finally {
      await named.stop();
    }
  });

  it('says which port is in use, without a stack trace', async () => {
    const busy = createServer();
    const port = await new Promise<number>((r) =>
      busy.listen(0, '127.0.0.1', () => r((busy.address() as { port: number }).port)),
    );
    try {
      const s = await startServer({ PORT: String(port), KALAJA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kalaja-p-')) });
      expect(await exitOf(s.child)).toBe(1);
      expect(s.out()).toContain(`kalaja: port ${port} is in use`);
      expect(s.out()).toContain('set PORT');
      expect(s.out()).not.toMatch(/\n\s+at /);
    } finally {
      busy.close();
    }
  });

  it('holds its data directory while it runs: restore refuses, and a mark left by a killed server is stale', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kalaja-lock-'));
    const port = await freePort();
    const backupFile = join(dataDir, '..', `${dataDir.split('/').pop()}.backup`);
    writeFileSync(backupFile, 'not read: the refusal comes first');
    const env = { PORT: String(port), KALAJA_DATA_DIR: dataDir };
    const run = async (argv: string[], extra: Record<string, string> = {}) => {
      let stdout = '';
      let stderr = '';
      const code = await main(
        argv,
        { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
        { ...env, ...extra },
      );
      return { code, stdout, stderr };
    };
    const s = await startServer(env);
    try {
      const refused = await run(['restore', '--from', backupFile, '--force']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`a Kalaja server is running on ${dataDir} (pid ${s.child.pid}`);
      expect(refused.stderr).toContain('stop it first');
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await s.stop();
    }
    expect(readdirSync(join(dataDir, 'running'))).toEqual([]);
    // A server killed outright leaves its mark; no such process exists any more, so it holds nothing.
    const killed = spawn(process.execPath, ['-e', '0']);
    await exitOf(killed);
    writeFileSync(
      join(dataDir, 'running', `${killed.pid}@${hostname()}.json`),
      JSON.stringify({ pid: killed.pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', url: 'http://x' }),
    );
    const after = await run(['restore', '--from', backupFile, '--force']);
    expect(after.stderr).not.toContain('a Kalaja server is running');
    expect(readdirSync(join(dataDir, 'running'))).toEqual([]);
  });

  it('stops with a plain message on bad configuration', async () => {
    const child = spawn(process.execPath, [join(repo, 'apps/server/dist/main.js')], {
      env: { PATH: process.env.PATH, PORT: 'eighty', DATABASE_URL: 'mysql://x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(err).toMatch(/PORT: must be a port number/);
    expect(err).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(err).not.toMatch(/\n\s+at /);
  });
});

describe('the log at a terminal', () => {
  it('is one plain line per request, and plain lines for other messages with their error codes', () => {
    let text = '';
    const stream = humanLogStream({ write: (t: string) => ((text += t), true) });
    const at = new Date(2026, 0, 5, 12, 3, 4).getTime();
    stream.write(
      `${JSON.stringify({ level: 30, time: at, reqId: 'r1', req: { method: 'GET', url: '/api/v1/me' }, msg: 'incoming request' })}\n`,
    );
    stream.write(
      `${JSON.stringify({ level: 30, time: at, reqId: 'r1', res: { statusCode: 401 }, responseTime: 2.6, msg: 'request completed' })}\n{"level":40,`,
    );
    stream.write(`"time":${at},"msg":"slow disk","err":{"message":"EIO"}}\n`);
    stream.write(
      `${JSON.stringify({ level: 50, time: at, reqId: 'r2', msg: 'unexpected error', err: { message: 'deadlock detected', code: '40P01' } })}\n`,
    );
    stream.write(`${JSON.stringify({ level: 40, time: at, code: 'SQLITE_BUSY', msg: 'not kept' })}\n`);
    expect(text).toBe(
      '12:03:04 GET /api/v1/me 401 3 ms\n12:03:04 warn slow disk: EIO\n' +
        '12:03:04 error unexpected error: deadlock detected [40P01] (request r2)\n' +
        '12:03:04 warn not kept [SQLITE_BUSY]\n',
    );
  });
});

describe('an unexpected failure', () => {
  it('answers a generic 500 with the request id, keeps the details in the log, and keeps serving', async () => {
    const logs: string[] = [];
    const { Writable } = await import('node:stream');
    const app = await buildApp({
      config: { logLevel: 'error', publicUrl: 'http://x' },
      ping: async () => undefined,
      logStream: new Writable({ write: (c, _e, done) => (logs.push(String(c)), done()) }),
      routes: [
        (a) =>
          void a.get('/api/v1/boom', { config: { access: 'public' } }, async () => {
            throw new Error('database password is hunter2');
          }),
      ],
    });
    const r = await app.inject({ method: 'GET', url: '/api/v1/boom' });
    expect(r.statusCode).toBe(500);
    const body = r.json();
    expect(body.error).toMatchObject({ code: 'internal', requestId: r.headers['x-request-id'] });
    expect(r.body).not.toMatch(/hunter2|at .*\.ts/);
    expect(logs.join('')).toContain(String(r.headers['x-request-id']));
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    await app.close();
  });

  it('answers 503 with Retry-After when PostgreSQL turns a request away for now, its code in the log', async () => {
    const logs: string[] = [];
    const { Writable } = await import('node:stream');
    const refusals = {
      '40P01': 'deadlock detected',
      '40001': 'could not serialize access due to concurrent update',
      '55P03': 'could not obtain lock on row in relation "answers"',
      '53300': 'sorry, too many clients already',
    };
    const app = await buildApp({
      config: { logLevel: 'warn', publicUrl: 'http://x' },
      ping: async () => undefined,
      logStream: new Writable({ write: (c, _e, done) => (logs.push(String(c)), done()) }),
      routes: [
        (a) =>
          void a.get<{ Params: { code: keyof typeof refusals } }>(
            '/api/v1/refused/:code',
            { config: { access: 'public' } },
            async (request) => {
              throw Object.assign(new Error(refusals[request.params.code]), { code: request.params.code });
            },
          ),
      ],
    });
    for (const code of Object.keys(refusals)) {
      const r = await app.inject({ method: 'GET', url: `/api/v1/refused/${code}` });
      expect([r.statusCode, r.headers['retry-after'], r.json().error.code]).toEqual([503, '1', 'unavailable']);
      expect(r.body).not.toContain(refusals[code as keyof typeof refusals]);
      expect(logs.some((l) => l.includes(`"code":"${code}"`) && l.includes(String(r.headers['x-request-id'])))).toBe(
        true,
      );
    }
    await app.close();
  });
});

describe('behind a reverse proxy', () => {
  it('believes X-Forwarded-For only from the proxies it is told to trust', async () => {
    const build = (trustProxy: string[]) =>
      buildApp({
        config: { logLevel: 'silent', publicUrl: 'http://x', trustProxy },
        ping: async () => undefined,
        routes: [
          (a) => void a.get('/api/v1/ip', { config: { access: 'public' } }, async (request) => ({ ip: request.ip })),
        ],
      });
    const request = {
      method: 'GET' as const,
      url: '/api/v1/ip',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    };
    const trusting = await build(['127.0.0.1']);
    expect((await trusting.inject(request)).json()).toEqual({ ip: '203.0.113.9' });
    const plain = await build([]);
    expect((await plain.inject(request)).json()).toEqual({ ip: '127.0.0.1' });
    await Promise.all([trusting.close(), plain.close()]);
  });
});
