// Benchmark: saving one answer (PUT /api/v1/assessments/:id/answers/:question) under 50
// concurrent clients — each an organisation with its own session, each loop a random question
// and option — against a real Kalaja server process, and against a bare Fastify 5 route that
// writes the same shape of row with better-sqlite3 (WAL, synchronous=FULL), driven by the same
// clients in the same run. Goals: Kalaja's throughput ≥ 50% of the baseline's, Kalaja's p95
// < 50 ms. Also reports the server's resident memory idle (after seeding) and under load.
import { once } from 'node:events';
import { join } from 'node:path';
import { median, mulberry32, repo } from './lib.js';
import {
  cpuMsOf,
  frameworkQuestions,
  memoryOf,
  mib,
  removeDir,
  seed,
  spawnTracked,
  startServer,
  tempDir,
} from './server-fixture.js';

const CLIENTS = 50;
const REQUESTS = 5000;
const DEADLINE_MS = 30_000;
const WARMUP = 500;
const TRIALS = 5;

/** Percentile of sorted values (nearest rank). */
export const pct = (sorted, p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;

/**
 * `total` saves spread over the clients, each client one request at a time, until done, the
 * deadline passes or `stop()` says so. Returns latencies (ms), throughput (req/s) and errors.
 */
export async function drive(base, clients, { total, deadlineMs, random, questions, note, stop = () => false }) {
  const latencies = new Float64Array(total);
  let issued = 0;
  let completed = 0;
  let errors = 0;
  let firstError = '';
  const started = performance.now();
  const deadline = started + deadlineMs;
  const loop = async (c) => {
    while (issued < total && performance.now() < deadline && !stop()) {
      issued++;
      const q = questions[Math.floor(random() * questions.length)];
      const answer = q.options[Math.floor(random() * q.options.length)];
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/assessments/${c.assessmentId}/answers/${q.id}`, {
        method: 'PUT',
        headers: { cookie: `kalaja_session=${c.cookie}`, 'content-type': 'application/json' },
        body: JSON.stringify({ answer, note }),
      });
      const body = await res.text();
      latencies[completed++] = performance.now() - t;
      if (res.status !== 200) {
        errors++;
        firstError ||= `${res.status} ${body.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(clients.map(loop));
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.subarray(0, completed).sort();
  return {
    completed,
    errors,
    firstError,
    throughput: completed / seconds,
    p50: pct(sorted, 0.5),
    p95: pct(sorted, 0.95),
    p99: pct(sorted, 0.99),
    latencies: sorted,
  };
}

async function startBaseline(dir) {
  const child = spawnTracked([join(repo, 'bench/bare-save-server.js'), dir], { cwd: repo });
  child.stdout.setEncoding('utf8');
  let out = '';
  while (!/listening on (\d+)/.test(out)) {
    const [chunk] = await Promise.race([
      once(child.stdout, 'data'),
      once(child, 'exit').then(() => {
        throw new Error('baseline server exited before listening');
      }),
    ]);
    out += chunk;
  }
  const port = Number(/listening on (\d+)/.exec(out)[1]);
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

export async function run() {
  const questions = frameworkQuestions();
  const note = 'Checked with the director.';

  // Kalaja: a real server process, seeded over HTTP with 50 organisations and their admins.
  const seedStart = performance.now();
  const server = await startServer(
    process.env.KALAJA_BENCH_PROFILE
      ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.KALAJA_BENCH_PROFILE}`] }
      : {},
  );
  const seeded = await seed(server, { organisations: CLIENTS });
  const seedMs = performance.now() - seedStart;
  const kalajaClients = seeded.organisations.map((o) => ({ cookie: o.cookie, assessmentId: o.assessmentId }));
  await new Promise((r) => setTimeout(r, 1000)); // let the seeding garbage settle
  const idle = memoryOf(server.pid);

  // The baseline: the same clients (same cookies, same assessment ids) against the bare route.
  const bareDir = tempDir('kalaja-bare-');
  const bare = await startBaseline(bareDir);

  const random = mulberry32(20261124);
  const options = (total) => ({ total, deadlineMs: DEADLINE_MS, random, questions, note });
  const kalajaRuns = [];
  const bareRuns = [];
  let peakRss = 0;
  let kalajaCpuMs = 0;
  let bareCpuMs = 0;
  try {
    await drive(bare.base, kalajaClients, options(WARMUP));
    await drive(server.url, kalajaClients, options(WARMUP));
    for (let i = 0; i < TRIALS; i++) {
      let cpu = cpuMsOf(bare.pid);
      bareRuns.push(await drive(bare.base, kalajaClients, options(REQUESTS)));
      bareCpuMs += cpuMsOf(bare.pid) - cpu;
      cpu = cpuMsOf(server.pid);
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, memoryOf(server.pid).rss)), 50);
      try {
        kalajaRuns.push(await drive(server.url, kalajaClients, options(REQUESTS)));
      } finally {
        clearInterval(sampler);
      }
      kalajaCpuMs += cpuMsOf(server.pid) - cpu;
    }
  } finally {
    await bare.stop();
  }
  const loaded = memoryOf(server.pid);
  await server.kill('SIGTERM');
  removeDir(server.dataDir);
  removeDir(bareDir);

  const summary = (runs) => {
    const all = Float64Array.from(runs.flatMap((r) => [...r.latencies])).sort();
    return {
      throughput: median(runs.map((r) => r.throughput)),
      p50: pct(all, 0.5),
      p95: pct(all, 0.95),
      p99: pct(all, 0.99),
      completed: runs.reduce((s, r) => s + r.completed, 0),
      errors: runs.reduce((s, r) => s + r.errors, 0),
      firstError: runs.find((r) => r.firstError)?.firstError ?? '',
    };
  };
  const k = summary(kalajaRuns);
  const b = summary(bareRuns);
  // Each Kalaja trial runs right after its baseline trial; the disk's fsync time drifts, so the
  // ratio is taken per pair and the median of the pairs reported.
  const ratio = median(kalajaRuns.map((r, i) => r.throughput / bareRuns[i].throughput));
  const perTrial = kalajaRuns
    .map((r, i) => `${Math.round(bareRuns[i].throughput)} / ${Math.round(r.throughput)}`)
    .join(', ');
  const ms = (v) => `${v.toFixed(1)} ms`;
  const rps = (v) => `${Math.round(v).toLocaleString('en')} req/s`;
  if (k.errors || b.errors) console.error(`errors: kalaja ${k.firstError} / baseline ${b.firstError}`);
  return {
    name: `saving one answer, ${CLIENTS} concurrent clients`,
    rows: [
      [
        'load',
        `${CLIENTS} clients × ${TRIALS} trials of ${REQUESTS.toLocaleString('en')} saves (after ${WARMUP} warm-up)`,
      ],
      ['seeding (start + 50 organisations and admins over HTTP)', `${(seedMs / 1000).toFixed(1)} s`],
      ['baseline: bare Fastify + better-sqlite3 upsert (median of trials)', rps(b.throughput)],
      ['baseline latency p50 / p95 / p99', `${ms(b.p50)} / ${ms(b.p95)} / ${ms(b.p99)}`],
      ['Kalaja PUT answer (median of trials)', rps(k.throughput)],
      ['Kalaja latency p50 / p95 / p99', `${ms(k.p50)} / ${ms(k.p95)} / ${ms(k.p99)}`],
      ['throughput per trial, baseline / Kalaja (req/s)', perTrial],
      [
        '**Kalaja throughput vs baseline, median of per-trial ratios (goal ≥ 50%)**',
        `**${(ratio * 100).toFixed(0)}%**`,
      ],
      ['**Kalaja p95 (goal < 50 ms)**', `**${ms(k.p95)}**`],
      [
        'server CPU per save, baseline / Kalaja (user + system)',
        `${(bareCpuMs / b.completed).toFixed(2)} ms / ${(kalajaCpuMs / k.completed).toFixed(2)} ms`,
      ],
      ['errors (Kalaja / baseline)', `${k.errors} / ${b.errors}`],
      ['Kalaja RSS idle, after seeding', mib(idle.rss)],
      ['Kalaja RSS under load (highest sampled VmRSS)', mib(peakRss)],
      ['Kalaja peak RSS over the whole run (VmHWM)', mib(loaded.hwm)],
    ],
    ok: ratio >= 0.5 && k.p95 < 50 && k.errors === 0 && b.errors === 0,
  };
}
