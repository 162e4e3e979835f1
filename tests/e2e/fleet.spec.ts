import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freshCode, PASSWORD, watchConsole } from './support';

/**
 * Several servers (docs/operations.md): two Kalaja processes on one PostgreSQL database, each
 * with its own empty data directory, behind HAProxy from Debian's packages, round robin. A
 * manager's journey — first-run setup, a programme, an answers import followed in the app,
 * results, a report — lands on both processes; one is killed mid-journey and the journey goes
 * on through the other, with nothing lost: every imported answer, the report made after the
 * kill, the session itself. Neither process writes a file of its own: what they hold is in the
 * database.
 */
const repo = new URL('../../', import.meta.url).pathname;
const ADMIN_URL = process.env.KALAJA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ORGANISATIONS = 24;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Server {
  name: string;
  child: ChildProcess;
  out: string;
  dataDir: string;
}

test('two servers behind HAProxy: the journey lands on both, one is killed, nothing is lost', async ({ browser }) => {
  test.setTimeout(240_000);
  const dbName = `kalaja_fleet_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${dbName}`;
  const [proxyPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
  const baseURL = `http://localhost:${proxyPort}`;
  const key = randomBytes(32).toString('base64');
  const servers: Server[] = [];
  let proxy: ChildProcess | undefined;
  const work = mkdtempSync(join(tmpdir(), 'kalaja-fleet-'));

  const start = async (name: string, port: number): Promise<Server> => {
    const dataDir = mkdtempSync(join(work, `${name}-`));
    const child = spawn(process.execPath, [join(repo, 'apps/server/dist/main.js')], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        KALAJA_PUBLIC_URL: baseURL,
        KALAJA_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl.href,
        KALAJA_KEY: key,
        KALAJA_TRUST_PROXY: '127.0.0.1',
        KALAJA_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server: Server = { name, child, out: '', dataDir };
    child.stdout!.on('data', (d) => (server.out += d));
    child.stderr!.on('data', (d) => (server.out += d));
    servers.push(server);
    await waitFor(`server ${name} to start:\n${server.out}`, () => /Kalaja is running at/.test(server.out));
    return server;
  };

  try {
    // One after the other: the first applies the migrations, the second finds them done.
    const a = await start('a', portA);
    const b = await start('b', portB);
    const token = /setup token:\n\n {4}(\S+)/.exec(a.out)?.[1];
    expect(token, 'both processes print the one setup token').toBe(/setup token:\n\n {4}(\S+)/.exec(b.out)?.[1]);
    const config = join(work, 'haproxy.cfg');
    writeFileSync(
      config,
      [
        'global',
        '  maxconn 256',
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 60s',
        '  timeout server 60s',
        '  retries 3',
        '  option redispatch',
        '  retry-on conn-failure empty-response',
        'frontend kalaja',
        `  bind 127.0.0.1:${proxyPort}`,
        '  default_backend servers',
        'backend servers',
        '  balance roundrobin',
        '  option httpchk GET /api/v1/health',
        '  http-response set-header X-Kalaja-Server %[srv_name]',
        `  server a 127.0.0.1:${portA} check inter 300 fall 1 rise 1`,
        `  server b 127.0.0.1:${portB} check inter 300 fall 1 rise 1`,
        '',
      ].join('\n'),
    );
    proxy = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let proxyOut = '';
    proxy.stdout!.on('data', (d) => (proxyOut += d));
    proxy.stderr!.on('data', (d) => (proxyOut += d));
    await waitFor(`HAProxy to listen:\n${proxyOut}`, async () => {
      try {
        return (await fetch(`${baseURL}/api/v1/health`)).ok;
      } catch {
        return false;
      }
    });

    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchConsole(page);
    const landed: Record<string, number> = {};
    const failures: string[] = [];
    page.on('response', (r) => {
      if (!r.url().includes('/api/v1/')) return;
      const server = r.headers()['x-kalaja-server'];
      if (server) landed[server] = (landed[server] ?? 0) + 1;
      if (r.status() >= 500) failures.push(`${r.status()} ${r.url()}`);
    });

    // First-run setup through the proxy, as a newcomer does it.
    await page.goto('/');
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByLabel('Setup token').fill(token!);
    await page.getByLabel('Email').fill('fleet@kalaja.test');
    await page.getByLabel('Your name').fill('Drita Berisha');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create the account' }).click();
    await expect(page.getByRole('heading', { name: /authenticator app/ })).toBeVisible();
    const secret = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
    await page.getByLabel('Code').fill(await freshCode(secret, new Set()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect(page.getByRole('heading', { name: 'Welcome, Drita Berisha' })).toBeVisible();

    // A programme of a region's organisations, set up through the API with the page's session.
    const api = async (method: 'GET' | 'POST', path: string, data?: unknown) => {
      const r = await page.request.fetch(`/api/v1${path}`, {
        method,
        headers: { origin: baseURL },
        ...(data !== undefined && { data }),
      });
      expect(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`).toBe(true);
      return r.json();
    };
    const frameworkId = (await api('GET', '/frameworks'))[0].id;
    const programme = await api('POST', '/programmes', {
      name: 'Rajoni',
      frameworkId,
      rounds: [{ name: 'baseline' }],
    });
    const names = Array.from({ length: ORGANISATIONS }, (_, i) => `Shoqata ${String(i + 1).padStart(2, '0')}`);
    for (const name of names)
      await api('POST', `/programmes/${programme.id}/organisations`, {
        name,
        kind: 'cso',
        sizeBand: '6-10',
        country: 'XK',
      });
    const fw = await api('GET', `/frameworks/${frameworkId}`);
    const questions: { id: string; options: { id: string }[] }[] = fw.domains.flatMap(
      (d: { questions: unknown[] }) => d.questions,
    );
    const lines = ['organisation,round,question,answer,note'];
    names.forEach((name, o) =>
      questions.forEach((q, i) => lines.push(`${name},baseline,${q.id},${q.options[(o + i) % q.options.length]!.id},`)),
    );
    const csv = join(work, 'rajoni.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);

    // The import, in the app: the job is polled until written, whichever process answers.
    await page.goto(`/programmes/${programme.id}/assessments`);
    const section = page.getByRole('region', { name: 'Import answers' });
    await section.getByLabel(/Answers file/).setInputFiles(csv);
    await section.getByRole('button', { name: 'Import' }).click();
    await expect(section.getByRole('status').filter({ hasText: /^Imported/ })).toHaveText(
      `Imported ${ORGANISATIONS * questions.length} answers for ${ORGANISATIONS} organisations into baseline.`,
      { timeout: 60_000 },
    );
    expect(Object.keys(landed).sort(), 'requests landed on both processes').toEqual(['a', 'b']);

    // Evidence sent four times through the proxy, round robin: stored by whichever process took it.
    const [first] = (await api('GET', `/programmes/${programme.id}/progress`)) as { assessmentId: string }[];
    const evidence: { id: string; body: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const body = `Backup restore test ${i}: the laptop image restored in 40 minutes.\n`;
      const r = await page.request.post(`/api/v1/assessments/${first!.assessmentId}/evidence`, {
        headers: { origin: baseURL },
        multipart: {
          question: questions[0]!.id,
          file: { name: `restore-${i}.txt`, mimeType: 'text/plain', buffer: Buffer.from(body) },
        },
      });
      expect(r.status(), await r.text()).toBe(201);
      evidence.push({ id: (await r.json()).id, body });
    }

    // One process dies, without warning, mid-journey.
    a.child.kill('SIGKILL');
    await waitFor('server a to exit', () => a.child.exitCode !== null || a.child.signalCode !== null);
    const before = { ...landed };

    // The same session goes on through the other: results, then a report made and downloaded.
    await page.goto(`/programmes/${programme.id}/results`);
    const overall = page.getByRole('region', { name: 'Overall score, baseline' });
    await expect(overall.getByRole('definition').first()).toHaveText(String(ORGANISATIONS), { timeout: 20_000 });
    const results = await api('GET', `/programmes/${programme.id}/results`);
    expect(JSON.stringify(results)).toContain('Shoqata 24');
    const progress: { completeness: number }[] = await api('GET', `/programmes/${programme.id}/progress`);
    expect(progress.filter((p) => p.completeness === 1)).toHaveLength(ORGANISATIONS);
    const report = await api('POST', `/programmes/${programme.id}/reports`, {
      kind: 'programme',
      format: 'html',
      language: 'en',
    });
    await waitFor('the report', async () => (await api('GET', `/reports/${report.id}`)).status === 'done', 60_000);
    // Every evidence file, whichever process stored it, is read through the one left.
    for (const e of evidence) {
      const r = await page.request.get(`/api/v1/evidence/${e.id}`);
      expect([r.status(), (await r.body()).toString('utf8')]).toEqual([200, e.body]);
    }
    expect((landed.b ?? 0) - (before.b ?? 0)).toBeGreaterThan(0);
    expect(landed.a, 'nothing reached the killed process after it died').toBe(before.a);
    expect(failures).toEqual([]);
    expect(problems).toEqual([]);
    // Neither process wrote data of its own: evidence, reports and jobs are in the database.
    // (`running` only tells the command line on that machine that a server is up.)
    for (const s of servers)
      expect(
        readdirSync(s.dataDir).filter((f) => f !== 'running' && !f.startsWith('.')),
        `${s.name}: data directory`,
      ).toEqual([]);
    await context.close();
  } finally {
    proxy?.kill('SIGTERM');
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(
      servers.map((s) =>
        s.child.exitCode !== null || s.child.signalCode !== null
          ? undefined
          : new Promise((resolve) => s.child.once('exit', resolve)),
      ),
    );
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    rmSync(work, { recursive: true, force: true });
  }
});
