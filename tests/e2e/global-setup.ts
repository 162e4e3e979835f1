import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('../../', import.meta.url).pathname;
export const STATE_FILE = join(tmpdir(), 'kalaja-e2e-state.json');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * Starts Kalaja as `npm start` would, on a fresh data directory, and records its URL and setup
 * token. The server listens on 127.0.0.1 but is reached as `localhost` (its public URL, which
 * its Origin check and passkeys go by): browsers refuse passkeys for an IP address.
 */
export default async function globalSetup() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kalaja-e2e-'));
  const baseURL = `http://localhost:${port}`;
  const child = spawn(process.execPath, [join(repo, 'apps/server/dist/main.js')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      KALAJA_PUBLIC_URL: baseURL,
      KALAJA_DATA_DIR: dataDir,
      KALAJA_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!/setup token:\n\n {4}(\S+)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const token = /setup token:\n\n {4}(\S+)/.exec(out)?.[1];
  if (!token) {
    child.kill();
    throw new Error(`Kalaja did not start:\n${out}`);
  }
  writeFileSync(STATE_FILE, JSON.stringify({ baseURL, token, dataDir }));
  return async () => {
    child.kill('SIGTERM');
  };
}
