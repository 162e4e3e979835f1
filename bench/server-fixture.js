// A real Kalaja server for benchmarks and the crash test: `node apps/server/dist/main.js` as a
// child process on 127.0.0.1, its data in a temporary directory, seeded through the HTTP API the
// way people use it — first-run setup of the instance admin, TOTP enrolment, a programme on the
// default framework, organisations, and an invited organisation admin (with TOTP) for each.
// Every request goes to 127.0.0.1 only; every child is killed when this process exits.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { totpCode } from '../apps/server/dist/modules/auth/auth-totp.js';
import { repo } from './lib.js';

export const PASSWORD = 'correct horse battery staple';
export const COOKIE = 'kalaja_session';
const MAIN = join(repo, 'apps/server/dist/main.js');

// ---- children are never left behind -------------------------------------------------------

const children = new Set();
let hooked = false;
function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      for (const c of children) c.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/** Spawns a node script as a tracked child (killed when this process exits). */
export function spawnTracked(args, options = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  track(child);
  return child;
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released for the server to take). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** VmRSS and VmHWM of a process, in KiB (from /proc; zeros where there is no /proc). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds (from /proc; 0 elsewhere). */
export function cpuMsOf(pid) {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

export const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;

/**
 * Waits until the child prints what `pattern` matches on stdout (or exits, or time runs out).
 * Returns the match.
 */
function waitForOutput(child, output, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(output.stdout);
      if (m) {
        done();
        resolve(m);
      }
    };
    const onExit = (code, signal) => {
      done();
      reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${output.stderr || output.stdout}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`server not ready after ${timeoutMs} ms:\n${output.stdout}\n${output.stderr}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

/**
 * Starts `node apps/server/dist/main.js` on a free port with its data in `dataDir` (a new
 * temporary directory by default). PORT=0 would make the printed URL (the public URL) say
 * port 0, so the port is chosen here. On a new data directory the setup token printed on
 * stdout is returned. `nodeArgs` go to node before the script (e.g. `--cpu-prof`).
 */
export async function startServer({
  dataDir = tempDir('kalaja-bench-'),
  logLevel = 'warn',
  env = {},
  nodeArgs = [],
} = {}) {
  const port = await freePort();
  // `tail`: the last of everything the server wrote, for whoever reads a failure.
  const output = { stdout: '', stderr: '', tail: '' };
  const keepTail = (t) => {
    output.tail = (output.tail + t).slice(-16 * 1024);
  };
  const child = spawnTracked([...nodeArgs, MAIN], {
    cwd: repo,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      KALAJA_DATA_DIR: dataDir,
      KALAJA_LOG_LEVEL: logLevel,
      ...env,
    },
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  // Keep only the head of the output: the start banner is all we read; logs may run long.
  child.stdout.on('data', (t) => {
    if (output.stdout.length < 64 * 1024) output.stdout += t;
    keepTail(t);
  });
  child.stderr.on('data', (t) => {
    if (output.stderr.length < 64 * 1024) output.stderr += t;
    keepTail(t);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const started = performance.now();
  const [, url] = await waitForOutput(child, output, /Kalaja is running at (\S+)/, 30_000);
  const startMs = performance.now() - started;
  // The setup banner is written right after the "running" line, on a new instance only.
  let setupToken = null;
  const token = /one-time setup token:\s+(\S+)/;
  try {
    setupToken = (await waitForOutput(child, output, token, 300))[1];
  } catch {
    setupToken = token.exec(output.stdout)?.[1] ?? null;
  }
  return {
    url,
    port,
    pid: child.pid,
    child,
    dataDir,
    setupToken,
    startMs,
    output,
    exited,
    /** SIGKILL (a crash) or SIGTERM (a clean stop); resolves when the process has gone. */
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

// ---- a tiny HTTP client: fetch against 127.0.0.1, no Origin header, the session cookie ----

export class HttpError extends Error {
  constructor(what, status, body) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
    this.status = status;
  }
}

export function client(baseUrl, cookie) {
  const base = new URL(baseUrl);
  if (base.hostname !== '127.0.0.1') throw new Error(`refusing to talk to ${base.hostname}: 127.0.0.1 only`);
  const c = {
    cookie,
    base: base.origin,
    async request(method, path, body) {
      const headers = {};
      if (c.cookie) headers.cookie = `${COOKIE}=${c.cookie}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${c.base}${path}`, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      for (const set of res.headers.getSetCookie()) {
        const [pair] = set.split(';');
        const eq = pair.indexOf('=');
        if (pair.slice(0, eq) === COOKIE) c.cookie = pair.slice(eq + 1) || undefined;
      }
      const text = await res.text();
      let json;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text };
    },
    /** The request, which must answer `status`; its JSON. */
    async expect(status, method, path, body) {
      const r = await c.request(method, path, body);
      if (r.status !== status) throw new HttpError(`${method} ${path}`, r.status, r.text);
      return r.json;
    },
  };
  return c;
}

/** Enrols TOTP for a session that owes it; returns the secret. One code per user: no reuse. */
export async function enrolTotp(c) {
  const { secret } = await c.expect(200, 'POST', '/api/v1/session/totp');
  await c.expect(200, 'POST', '/api/v1/session/totp/confirm', { code: totpCode(secret, Date.now()) });
  return secret;
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const PROFILE = {
  kind: 'cso',
  sizeBand: '6-10',
  municipality: 'Prishtinë',
  country: 'XK',
  focus: 'benchmark',
  languages: ['sq', 'en'],
};

/**
 * An answers CSV of every organisation answering every question of one round: the option picked
 * shifts with the organisation and the question (and `shift`), so rows differ; `note(o, i)` gives
 * a row its note (already quoted when it needs to be), empty by default.
 */
export function answersCsv(names, questions, { round = 'baseline', shift = 0, note = () => '' } = {}) {
  const lines = ['organisation,round,question,answer,note'];
  names.forEach((name, o) =>
    questions.forEach((q, i) =>
      lines.push(`${name},${round},${q.id},${q.options[(o + i + shift) % q.options.length]},${note(o, i)}`),
    ),
  );
  return `${lines.join('\n')}\n`;
}

/** First-run setup of a new instance: the instance admin, TOTP enrolled; their client. */
export async function firstAdmin(server) {
  if (!server.setupToken) throw new Error('a new instance is needed (no setup token was printed)');
  const admin = client(server.url);
  await admin.expect(200, 'POST', '/api/v1/setup', {
    token: server.setupToken,
    email: 'admin@bench.kalaja.test',
    displayName: 'Bench Admin',
    password: PASSWORD,
  });
  await enrolTotp(admin);
  return admin;
}

/**
 * Imports an answers CSV into a round through the job route (the file as saved) and follows
 * the job until it ends; `during` is called at every poll. Returns the milliseconds it took.
 */
export async function importFile(server, admin, programmeId, roundId, csv, during = () => {}) {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1/programmes/${programmeId}/rounds/${roundId}/imports`, {
    method: 'POST',
    headers: { cookie: `${COOKIE}=${admin.cookie}`, 'content-type': 'text/csv' },
    body: csv,
  });
  if (res.status !== 202) throw new Error(`import: ${res.status} ${(await res.text()).slice(0, 300)}`);
  let job = await res.json();
  while (job.status !== 'done' && job.status !== 'failed') {
    await new Promise((r) => setTimeout(r, 50));
    job = await admin.expect(200, 'GET', `/api/v1/programmes/${programmeId}/imports/${job.id}`);
    during();
  }
  if (job.status !== 'done') throw new Error(`import failed: ${job.error}`);
  return performance.now() - t0;
}

/**
 * Seeds a fresh server through the HTTP API: the instance admin (who becomes the programme's
 * manager), a programme on the default framework with the given rounds, `organisations`
 * organisations, and for each an invited org_admin with TOTP. Returns the admin's cookie, the
 * programme, and per organisation its admin's session cookie and its assessment ids by round.
 */
export async function seed(server, { organisations, rounds = ['baseline'], concurrency = 4 }) {
  const admin = await firstAdmin(server);
  const [framework] = await admin.expect(200, 'GET', '/api/v1/frameworks');
  const programme = await admin.expect(201, 'POST', '/api/v1/programmes', {
    name: 'Benchmark programme',
    frameworkId: framework.id,
    rounds: rounds.map((name) => ({ name })),
  });
  const orgs = [];
  for (let i = 0; i < organisations; i++) {
    const o = await admin.expect(201, 'POST', `/api/v1/programmes/${programme.id}/organisations`, {
      ...PROFILE,
      name: `Bench organisation ${String(i).padStart(4, '0')}`,
    });
    orgs.push({ id: o.id, name: o.name, index: i });
  }
  // Accepting hashes a password (argon2id) — a few at a time keeps both cores busy.
  await pool(orgs, concurrency, async (org) => {
    const inv = await admin.expect(201, 'POST', '/api/v1/invitations', {
      email: `org${org.index}@bench.kalaja.test`,
      role: 'org_admin',
      programmeId: programme.id,
      organisationId: org.id,
    });
    const member = client(server.url);
    await member.expect(200, 'POST', '/api/v1/invitations/accept', {
      token: new URL(inv.link).hash.slice(1),
      displayName: `Admin of organisation ${org.index}`,
      password: PASSWORD,
    });
    await enrolTotp(member);
    org.cookie = member.cookie;
  });
  const progress = await admin.expect(200, 'GET', `/api/v1/programmes/${programme.id}/progress`);
  const roundName = new Map(programme.rounds.map((r) => [r.id, r.name]));
  for (const org of orgs) {
    org.assessments = Object.fromEntries(
      progress.filter((p) => p.organisationId === org.id).map((p) => [roundName.get(p.roundId), p.assessmentId]),
    );
    org.assessmentId = org.assessments[rounds[0]];
  }
  return { adminCookie: admin.cookie, programmeId: programme.id, frameworkId: framework.id, organisations: orgs };
}

/** Removes a temporary data directory (never anything outside the system temp directory). */
export function removeDir(dir) {
  if (dir.startsWith(tmpdir())) rmSync(dir, { recursive: true, force: true });
}

/** The default framework's questions: ids, option ids, and whether "not applicable" is allowed. */
export function frameworkQuestions() {
  const fw = parse(readFileSync(join(repo, 'content/frameworks/cso-media.yaml'), 'utf8'));
  return fw.domains.flatMap((d) =>
    d.questions.map((q) => ({ id: q.id, options: q.options.map((o) => o.id), na: q.na === true })),
  );
}
