// Benchmark: saving one answer (PUT /api/v1/assessments/:id/answers/:question) under 50
// concurrent clients — each an organisation with its own session, each loop a random question
// and option — against real Kalaja server processes, on SQLite and on PostgreSQL in the same
// run, each beside a bare Fastify 5 route that writes the same shape of row on the same
// database engine (better-sqlite3 with WAL and synchronous=FULL; a `pg` pool, autocommit),
// driven by the same clients. PostgreSQL is a private cluster made for the run
// (bench/pg-cluster.js); with two Kalaja processes on that one database the clients are split
// between them. Goals: on each database Kalaja's throughput ≥ 50% of its bare route's and p95
// < 50 ms; on PostgreSQL also ≥ 50% of Kalaja on SQLite, and two processes together ≥ 1.5× one.
// Also reports the servers' resident memory and CPU per save.
//
// KALAJA_BENCH_PROFILE=DIR writes CPU profiles of the Kalaja servers to DIR.
// KALAJA_BENCH_PG_PROFILE=1 loads pg_stat_statements into the cluster and samples
// pg_stat_activity during the PostgreSQL trials: statements per save and where the database's
// connections spend their time.
// KALAJA_BENCH_SAVE=sqlite|postgres measures one database only; KALAJA_BENCH_TRIALS=N sets the
// number of trials (5).
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { median, mulberry32, repo } from './lib.js';
import { postgresBin, privateCluster } from './pg-cluster.js';
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
const TRIALS = Number(process.env.KALAJA_BENCH_TRIALS ?? 5);
const only = process.env.KALAJA_BENCH_SAVE;
const pgProfile = process.env.KALAJA_BENCH_PG_PROFILE === '1';

/** Percentile of sorted values (nearest rank). */
export const pct = (sorted, p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;

/**
 * `total` saves spread over the clients, each client one request at a time, until done, the
 * deadline passes or `stop()` says so; each client saves on its own `base` if it has one, else
 * on `base`. Returns latencies (ms), throughput (req/s) and errors.
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
      const res = await fetch(`${c.base ?? base}/api/v1/assessments/${c.assessmentId}/answers/${q.id}`, {
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
  return { completed, errors, firstError, throughput: completed / seconds, latencies: sorted };
}

/** A bare baseline server (`script` with `args`); resolves once it listens. */
async function startBaseline(script, args) {
  const child = spawnTracked([join(repo, script), ...args], { cwd: repo });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  let out = '';
  let err = '';
  child.stderr.on('data', (t) => (err += t));
  while (!/listening on (\d+)/.test(out)) {
    const [chunk] = await Promise.race([
      once(child.stdout, 'data'),
      once(child, 'exit').then(() => {
        throw new Error(`${script} exited before listening: ${err.slice(0, 500)}`);
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

/** A Kalaja server seeded with the 50 organisations; its clients point at it. */
async function seededKalaja(env = {}) {
  const server = await startServer({
    env,
    ...(process.env.KALAJA_BENCH_PROFILE && {
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.KALAJA_BENCH_PROFILE}`],
    }),
  });
  const seeded = await seed(server, { organisations: CLIENTS });
  return {
    server,
    clients: seeded.organisations.map((o) => ({ base: server.url, cookie: o.cookie, assessmentId: o.assessmentId })),
  };
}

/** One measured target: a name, the processes whose CPU counts, and how it is driven. */
function target(name, pids, clients, database) {
  return { name, pids, clients, database, runs: [], cpuMs: 0, databaseCpuMs: 0 };
}

/**
 * CPU time (user + system, ms) of a PostgreSQL cluster so far: its postmaster's live children
 * (the backends, the WAL writer, …) and those that have exited (the postmaster's cutime and
 * cstime). 0 without /proc.
 */
function clusterCpuMs(cluster) {
  try {
    const postmaster = Number(readFileSync(join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const fields = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const own = fields(postmaster);
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = fields(entry);
        if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // gone meanwhile
      }
    }
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

async function measure(t, options) {
  const cpu = t.pids.reduce((s, pid) => s + cpuMsOf(pid), 0);
  const databaseCpu = t.database ? clusterCpuMs(t.database) : 0;
  t.runs.push(await drive(null, t.clients, options));
  t.cpuMs += t.pids.reduce((s, pid) => s + cpuMsOf(pid), 0) - cpu;
  if (t.database) t.databaseCpuMs += clusterCpuMs(t.database) - databaseCpu;
}

function summary(t) {
  const all = Float64Array.from(t.runs.flatMap((r) => [...r.latencies])).sort();
  const completed = t.runs.reduce((s, r) => s + r.completed, 0);
  return {
    throughput: median(t.runs.map((r) => r.throughput)),
    p50: pct(all, 0.5),
    p95: pct(all, 0.95),
    p99: pct(all, 0.99),
    completed,
    errors: t.runs.reduce((s, r) => s + r.errors, 0),
    firstError: t.runs.find((r) => r.firstError)?.firstError ?? '',
    cpuPerSave: t.cpuMs / completed,
    databaseCpuPerSave: t.databaseCpuMs / completed,
  };
}

/** Median over trials of a's throughput over b's, each pair measured back to back (the disk's fsync time drifts). */
const ratio = (a, b) => median(a.runs.map((r, i) => r.throughput / b.runs[i].throughput));
const ms = (v) => `${v.toFixed(1)} ms`;
const rps = (v) => `${Math.round(v).toLocaleString('en')} req/s`;
const pctOf = (v) => `${(v * 100).toFixed(0)}%`;
const latency = (s) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;
const perTrial = (a, b) =>
  a.runs.map((r, i) => `${Math.round(r.throughput)} / ${Math.round(b.runs[i].throughput)}`).join(', ');

/** What a connection of pg_stat_activity is doing, in a few words. */
function activityOf({ state, wait_event_type: type, wait_event: event }) {
  if (state === 'idle') return 'idle in the pool';
  if (state !== 'active') return `${state} (waiting for the server's next statement)`;
  if (type === 'Lock') return `waiting for a lock (${event})`;
  if (/WAL/.test(event ?? '')) return 'writing or flushing the WAL';
  return 'running a statement';
}

/**
 * Where the database's connections are, sampled every 10 ms from pg_stat_activity while `fn`
 * runs: running a statement, waiting for a lock or for the WAL, or idle inside a transaction
 * (waiting for the server's next statement: a round trip).
 */
async function sampleActivity(url, fn) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const counts = new Map();
  let samples = 0;
  let stop = false;
  const sampler = (async () => {
    while (!stop) {
      const { rows } = await c.query(
        `select state, wait_event_type, wait_event from pg_stat_activity
          where application_name = 'kalaja-bench-1'`,
      );
      samples++;
      for (const r of rows) {
        const key = activityOf(r);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    return await fn();
  } finally {
    stop = true;
    await sampler;
    await c.end();
    activity.samples += samples;
    for (const [k, v] of counts) activity.counts.set(k, (activity.counts.get(k) ?? 0) + v);
  }
}
const activity = { samples: 0, counts: new Map() };

export async function run() {
  const questions = frameworkQuestions();
  const note = 'Checked with the director.';
  const random = mulberry32(20261124);
  const options = (total) => ({ total, deadlineMs: DEADLINE_MS, random, questions, note });
  const stops = [];
  const targets = {};
  const memory = {};
  const notes = [];

  try {
    // SQLite: Kalaja on a data directory of its own, the bare route on its own file.
    if (only !== 'postgres') {
      const k = await seededKalaja();
      stops.push(async () => {
        memory.sqlite = memoryOf(k.server.pid);
        await k.server.kill('SIGTERM');
        removeDir(k.server.dataDir);
      });
      memory.sqliteIdle = memoryOf(k.server.pid);
      const bareDir = tempDir('kalaja-bare-');
      const bare = await startBaseline('bench/bare-save-server.js', [bareDir]);
      stops.push(async () => {
        await bare.stop();
        removeDir(bareDir);
      });
      targets.bareSqlite = target(
        'bare SQLite',
        [bare.pid],
        k.clients.map((c) => ({ ...c, base: bare.base })),
      );
      targets.sqlite = target('Kalaja on SQLite', [k.server.pid], k.clients);
    }

    // PostgreSQL: a private cluster; Kalaja in the `kalaja` database, the bare route in `bare`.
    let cluster;
    const bin = only === 'sqlite' ? null : postgresBin(process.env.KALAJA_BENCH_PG_BIN);
    if (only !== 'sqlite' && !bin) notes.push('PostgreSQL not measured: no initdb/pg_ctl in /usr/lib/postgresql/*/bin');
    if (bin) {
      cluster = await privateCluster(bin, {
        prefix: 'kalaja-bench-pg-',
        settings: pgProfile ? { shared_preload_libraries: 'pg_stat_statements' } : {},
      });
      stops.push(() => cluster.stop());
      await cluster.sql('postgres', 'create database bare');
      if (pgProfile) await cluster.sql('kalaja', 'create extension pg_stat_statements');
      const env = { DATABASE_URL: cluster.url('kalaja'), KALAJA_KEY: randomBytes(32).toString('base64') };
      const k = await seededKalaja({ ...env, PGAPPNAME: 'kalaja-bench-1' });
      stops.push(async () => {
        memory.postgres = memoryOf(k.server.pid);
        await k.server.kill('SIGTERM');
        removeDir(k.server.dataDir);
      });
      // A second process on the same database: the sessions are in the database, so the same
      // cookies work on both; half the clients go to each.
      const second = await startServer({ env: { ...env, PGAPPNAME: 'kalaja-bench-2' } });
      stops.push(async () => {
        await second.kill('SIGTERM');
        removeDir(second.dataDir);
      });
      const bare = await startBaseline('bench/bare-pg-save-server.js', [cluster.url('bare')]);
      stops.push(() => bare.stop());
      targets.barePostgres = target(
        'bare pg',
        [bare.pid],
        k.clients.map((c) => ({ ...c, base: bare.base })),
        cluster,
      );
      targets.postgres = target('Kalaja on PostgreSQL', [k.server.pid], k.clients, cluster);
      targets.postgresTwo = target(
        'Kalaja on PostgreSQL, two processes',
        [k.server.pid, second.pid],
        k.clients.map((c, i) => (i % 2 ? { ...c, base: second.url } : c)),
        cluster,
      );
    }
    await new Promise((r) => setTimeout(r, 1000)); // let the seeding garbage settle

    const order = ['bareSqlite', 'sqlite', 'barePostgres', 'postgres', 'postgresTwo'].filter((n) => targets[n]);
    for (const n of order) await drive(null, targets[n].clients, options(WARMUP));
    if (pgProfile && cluster) await cluster.sql('kalaja', 'select pg_stat_statements_reset()');
    let peakRss = 0;
    for (let i = 0; i < TRIALS; i++) {
      for (const n of order) {
        const t = targets[n];
        if (n === 'sqlite') {
          const sampler = setInterval(() => (peakRss = Math.max(peakRss, memoryOf(t.pids[0]).rss)), 50);
          try {
            await measure(t, options(REQUESTS));
          } finally {
            clearInterval(sampler);
          }
        } else if (n === 'postgres' && pgProfile) {
          await sampleActivity(cluster.url('postgres'), () => measure(t, options(REQUESTS)));
          // The statements of the first single-process trial alone.
          if (i === 0) memory.statements = await statementsPerSave(cluster, t);
        } else await measure(t, options(REQUESTS));
      }
    }
    memory.peakSqlite = peakRss;
  } finally {
    for (const stop of stops.reverse()) await stop();
  }

  const results = [];
  const errorsOf = (...ts) => ts.map((t) => `${summary(t).errors}`).join(' / ');
  for (const t of Object.values(targets)) {
    const s = summary(t);
    if (s.errors) console.error(`errors: ${t.name}: ${s.firstError}`);
  }
  if (targets.sqlite) {
    const k = summary(targets.sqlite);
    const b = summary(targets.bareSqlite);
    const r = ratio(targets.sqlite, targets.bareSqlite);
    results.push({
      name: `saving one answer on SQLite, ${CLIENTS} concurrent clients`,
      rows: [
        [
          'load',
          `${CLIENTS} clients × ${TRIALS} trials of ${REQUESTS.toLocaleString('en')} saves (after ${WARMUP} warm-up)`,
        ],
        ['baseline: bare Fastify + better-sqlite3 upsert (median of trials)', rps(b.throughput)],
        ['baseline latency p50 / p95 / p99', latency(b)],
        ['Kalaja PUT answer (median of trials)', rps(k.throughput)],
        ['Kalaja latency p50 / p95 / p99', latency(k)],
        ['throughput per trial, Kalaja / baseline (req/s)', perTrial(targets.sqlite, targets.bareSqlite)],
        ['**Kalaja throughput vs baseline, median of per-trial ratios (goal ≥ 50%)**', `**${pctOf(r)}**`],
        ['**Kalaja p95 (goal < 50 ms)**', `**${ms(k.p95)}**`],
        [
          'server CPU per save, baseline / Kalaja (user + system)',
          `${b.cpuPerSave.toFixed(2)} ms / ${k.cpuPerSave.toFixed(2)} ms`,
        ],
        ['errors (Kalaja / baseline)', errorsOf(targets.sqlite, targets.bareSqlite)],
        ['Kalaja RSS idle, after seeding', mib(memory.sqliteIdle.rss)],
        ['Kalaja RSS under load (highest sampled VmRSS)', mib(memory.peakSqlite)],
        ['Kalaja peak RSS over the whole run (VmHWM)', mib(memory.sqlite.hwm)],
      ],
      ok: r >= 0.5 && k.p95 < 50 && k.errors === 0 && b.errors === 0,
    });
  }
  if (targets.postgres) {
    const k = summary(targets.postgres);
    const b = summary(targets.barePostgres);
    const two = summary(targets.postgresTwo);
    const r = ratio(targets.postgres, targets.barePostgres);
    const vsSqlite = targets.sqlite && ratio(targets.postgres, targets.sqlite);
    const scale = ratio(targets.postgresTwo, targets.postgres);
    const rows = [
      [
        'load',
        `${CLIENTS} clients × ${TRIALS} trials of ${REQUESTS.toLocaleString('en')} saves (after ${WARMUP} warm-up), a private PostgreSQL cluster (default fsync, synchronous_commit)`,
      ],
      ['baseline: bare Fastify + pg upsert, pool of 10 (median of trials)', rps(b.throughput)],
      ['baseline latency p50 / p95 / p99', latency(b)],
      ['Kalaja PUT answer, one process (median of trials)', rps(k.throughput)],
      ['Kalaja latency p50 / p95 / p99', latency(k)],
      ['throughput per trial, Kalaja / baseline (req/s)', perTrial(targets.postgres, targets.barePostgres)],
      ['**Kalaja throughput vs bare pg, median of per-trial ratios (goal ≥ 50%)**', `**${pctOf(r)}**`],
      ['**Kalaja p95 (goal < 50 ms)**', `**${ms(k.p95)}**`],
    ];
    if (vsSqlite !== undefined)
      rows.push(['**Kalaja on PostgreSQL vs Kalaja on SQLite, same trials (goal ≥ 50%)**', `**${pctOf(vsSqlite)}**`]);
    rows.push(
      ['two Kalaja processes on the database, clients split (median of trials)', rps(two.throughput)],
      ['two processes: latency p50 / p95 / p99', latency(two)],
      ['**two processes vs one, median of per-trial ratios (goal ≥ 1.5×)**', `**${scale.toFixed(2)}×**`],
      [
        'server CPU per save, baseline / Kalaja / two processes (user + system)',
        `${b.cpuPerSave.toFixed(2)} ms / ${k.cpuPerSave.toFixed(2)} ms / ${two.cpuPerSave.toFixed(2)} ms`,
      ],
      [
        'errors (Kalaja / two processes / baseline)',
        errorsOf(targets.postgres, targets.postgresTwo, targets.barePostgres),
      ],
      [
        "database CPU per save, baseline / Kalaja / two processes (all the cluster's processes)",
        `${b.databaseCpuPerSave.toFixed(2)} ms / ${k.databaseCpuPerSave.toFixed(2)} ms / ${two.databaseCpuPerSave.toFixed(2)} ms`,
      ],
      ['Kalaja RSS at the end (VmRSS / VmHWM)', `${mib(memory.postgres.rss)} / ${mib(memory.postgres.hwm)}`],
    );
    if (memory.statements) rows.push(...memory.statements);
    if (activity.samples) {
      const perSample = [...activity.counts].sort((a, b) => b[1] - a[1]);
      for (const [k2, v] of perSample)
        rows.push([
          `Kalaja's connections ${k2} (mean of ${activity.samples} samples)`,
          (v / activity.samples).toFixed(2),
        ]);
    }
    results.push({
      name: `saving one answer on PostgreSQL, ${CLIENTS} concurrent clients`,
      rows,
      ok:
        r >= 0.5 &&
        k.p95 < 50 &&
        (vsSqlite === undefined || vsSqlite >= 0.5) &&
        scale >= 1.5 &&
        k.errors + two.errors + b.errors === 0,
    });
  }
  for (const n of notes) console.error(n);
  return results;
}

/** pg_stat_statements after the first trial: each statement's calls per save and mean time. */
async function statementsPerSave(cluster, t) {
  const saves = t.runs[0].completed;
  const { rows } = await cluster.sql(
    'kalaja',
    `select query, calls, total_exec_time, mean_exec_time from pg_stat_statements
      where dbid = (select oid from pg_database where datname = 'kalaja') order by calls desc`,
  );
  const relevant = rows.filter((r) => r.calls >= saves / 100 && !/pg_stat_activity|pg_stat_statements/.test(r.query));
  const calls = relevant.reduce((s, r) => s + Number(r.calls), 0);
  const time = relevant.reduce((s, r) => s + r.total_exec_time, 0);
  return [
    ['statements per save (pg_stat_statements, first trial)', (calls / saves).toFixed(1)],
    ['database execution time per save (sum of statements)', `${(time / saves).toFixed(3)} ms`],
    ...relevant.map((r) => [
      `\`${r.query.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 110)}\``,
      `${(r.calls / saves).toFixed(2)} per save, ${r.mean_exec_time.toFixed(3)} ms each`,
    ]),
  ];
}
