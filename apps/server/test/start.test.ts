import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';

const repo = new URL('../../../', import.meta.url).pathname;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

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
