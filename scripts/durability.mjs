#!/usr/bin/env node
// The crash test: an acknowledged save must survive the server — or its database — going away.
//
// SQLite (the default). Starts a real Kalaja server (node apps/server/dist/main.js, SQLite in a
// temporary directory) seeded over HTTP with 50 organisations, each with its own admin and
// session. In each round, 50 clients save answers continuously — each save carries a value that
// can be checked later: a per-client counter in the note, and the option chosen from that
// counter — and each client records every save the server acknowledged (HTTP 200). After a
// random 0.5–2 s the server is killed with SIGKILL, a copy of the crashed database files is
// checked with PRAGMA integrity_check, the server is restarted on the same data, and every
// client reads its assessment back: for every question, the stored counter must be at least the
// last acknowledged one (a later save that was cut off before its answer may also have landed),
// and the stored option must be the one that counter chose. At the end the real database file
// gets an integrity check and the audit log's hash chain is verified.
//
// PostgreSQL (`--postgres`). The same server, clients and checks, on a private, throwaway
// PostgreSQL cluster this script creates (initdb in a temporary directory, its own port on
// 127.0.0.1, trust authentication; run as the `postgres` user when started as root). The
// machine's own PostgreSQL is never touched. In each round, after a random 0.5–2 s of load the
// database is stopped the way a crash stops it (`pg_ctl stop -m immediate`), stays away for a
// random 1–3 s and is started again, while the Kalaja server keeps running. Meanwhile every
// client keeps saving: while the database is gone every answer must be 503 with a Retry-After
// header (any other status, a reset connection or a hung request from the Kalaja server is a
// failure); a client that gets 503 waits 50 ms and saves again. The round measures how long
// after the database accepts connections again the first save, and then every client's save,
// is acknowledged; then the load stops and every client reads its assessment back as above. At
// the end `pg_amcheck` checks the cluster's tables and indexes, and `kalaja audit verify`
// checks the audit log's hash chain.
//
// PostgreSQL, the server killed (`--postgres --kill-server`). The same private cluster, and
// the rounds of the SQLite mode: after 0.5–2 s of load the Kalaja server gets SIGKILL — in the
// middle of a batch of saves that share one transaction, most of the time — and is restarted on
// the same database; every client reads its assessment back with the same check. At the end
// `pg_amcheck` and `kalaja audit verify` as above.
//
// Usage: node scripts/durability.mjs [--postgres [--kill-server]] [--rounds 5] [--organisations 50]
//                                    [--seed N] [--keep] [--self-test] [--pg-bin DIR]
// Exit code 1 if an acknowledged save was lost or changed, or a check failed; 2 for bad
// arguments or (with --postgres) no PostgreSQL server programs on this machine. `--self-test`
// proves the checker can fail: in each round it deletes one acknowledged answer from the
// database before the read-back (SQLite: after the crash; PostgreSQL: after the database is
// back), and the run must then report it lost (and exit 1).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { auditHash, AUDIT_GENESIS } from '../apps/server/dist/modules/audit/audit-chain.js';
import { median, mulberry32, repo } from '../bench/lib.js';
import { postgresBin, privateCluster } from '../bench/pg-cluster.js';
import { client, frameworkQuestions, removeDir, seed, startServer, tempDir } from '../bench/server-fixture.js';

const USAGE =
  'usage: node scripts/durability.mjs [--postgres [--kill-server]] [--rounds N] [--organisations N] [--seed N] [--keep] [--self-test] [--pg-bin DIR]';
let parsed;
try {
  parsed = parseArgs({
    options: {
      postgres: { type: 'boolean', default: false },
      'kill-server': { type: 'boolean', default: false },
      rounds: { type: 'string', default: '5' },
      organisations: { type: 'string', default: '50' },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'self-test': { type: 'boolean', default: false },
      'pg-bin': { type: 'string' },
    },
  });
} catch (e) {
  console.error(`${e.message}\n${USAGE}`);
  process.exit(2);
}
const args = parsed.values;
const ROUNDS = Number(args.rounds);
const ORGANISATIONS = Number(args.organisations);
const SEED = args.seed === undefined ? Date.now() % 2 ** 31 : Number(args.seed);
if (!(Number.isInteger(ROUNDS) && ROUNDS > 0 && Number.isInteger(ORGANISATIONS) && ORGANISATIONS > 0)) {
  console.error(USAGE);
  process.exit(2);
}
/** No single request may hang the test. */
const REQUEST_TIMEOUT_MS = 10_000;
/** PostgreSQL mode: how long a client waits after a 503 before it saves again. */
const PAUSE_AFTER_503_MS = 50;
/** PostgreSQL mode: how long the server may take to save for every client again once the database is back. */
const RECOVERY_LIMIT_MS = 30_000;

const random = mulberry32(SEED);
const questions = frameworkQuestions();
const byId = new Map(questions.map((q) => [q.id, q]));
/** The option a save with this counter chooses: alternating, so consecutive saves differ. */
const optionFor = (q, counter) => q.options[counter % q.options.length];
const NOTE = /^durability client (\d+) save (\d+)$/;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = promisify(execFile);

// ---- shared by both modes --------------------------------------------------------------------

/** One client per seeded organisation: its admin's session, its assessment, its saves. */
function makeClients(seeded) {
  return seeded.organisations.map((o, index) => ({
    index,
    cookie: o.cookie,
    assessmentId: o.assessmentId,
    counter: 0,
    /** question id → the counter of its last acknowledged save */
    acked: new Map(),
  }));
}

/**
 * One save by client `c` of a random question, with the next counter. Returns the question, the
 * counter, the status, the Retry-After header and the start of the body; throws when the
 * connection fails or the request hangs.
 */
async function saveOnce(server, c) {
  const q = questions[Math.floor(random() * questions.length)];
  const counter = ++c.counter;
  const res = await fetch(`${server.url}/api/v1/assessments/${c.assessmentId}/answers/${q.id}`, {
    method: 'PUT',
    headers: { cookie: `kalaja_session=${c.cookie}`, 'content-type': 'application/json' },
    body: JSON.stringify({ answer: optionFor(q, counter), note: `durability client ${c.index} save ${counter}` }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.text();
  return { question: q.id, counter, status: res.status, retryAfter: res.headers.get('retry-after'), body };
}

/**
 * Every client reads its assessment back: for every question, the stored counter must be at
 * least the last acknowledged one and the stored option the one that counter chose. A lost
 * answer is counted once, not again in every later round.
 */
async function readBack(server, clients, round, problems) {
  let lost = 0;
  let changed = 0;
  for (const c of clients) {
    const view = await client(server.url, c.cookie).expect(200, 'GET', `/api/v1/assessments/${c.assessmentId}`);
    const stored = new Map(view.answers.map((a) => [a.question, a.own]));
    for (const [question, ackedCounter] of c.acked) {
      const own = stored.get(question);
      const m = own && NOTE.exec(own.note);
      const storedCounter = m && Number(m[1]) === c.index ? Number(m[2]) : -1;
      if (storedCounter < ackedCounter) {
        lost++;
        c.acked.delete(question);
        if (problems.length < 20)
          problems.push(
            `round ${round}: client ${c.index} ${question}: acknowledged save ${ackedCounter}, stored ${own ? JSON.stringify(own.note) : 'nothing'}`,
          );
      } else if (own.answer !== optionFor(byId.get(question), storedCounter)) {
        changed++;
        if (problems.length < 20)
          problems.push(`round ${round}: client ${c.index} ${question}: save ${storedCounter} stored ${own.answer}`);
      }
    }
  }
  return { lost, changed };
}

/** The question of client 0's last acknowledged save (what the self-test deletes). */
const lastAcknowledged = (c) => ([...c.acked].at(-1) ?? [])[0];

const ms = (v) => (v === undefined || Number.isNaN(v) ? '–' : `${Math.round(v).toLocaleString('en')} ms`);

// ---- SQLite: SIGKILL the server ----------------------------------------------------------------

/** PRAGMA integrity_check on a database file; 'ok' or the first problems. */
function integrity(file) {
  const db = new SQLite(file);
  try {
    const rows = db.pragma('integrity_check', { simple: false });
    const text = rows.map((r) => r.integrity_check).join('; ');
    return text === 'ok' ? 'ok' : text.slice(0, 500);
  } finally {
    db.close();
  }
}

/** Checks a copy of the database as the crash left it (so the server recovers the original itself). */
function integrityOfCrashState(dataDir) {
  const copy = tempDir('kalaja-crash-copy-');
  try {
    const file = join(dataDir, 'kalaja.sqlite');
    copyFileSync(file, join(copy, 'kalaja.sqlite'));
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, join(copy, 'kalaja.sqlite-wal'));
    return integrity(join(copy, 'kalaja.sqlite'));
  } finally {
    removeDir(copy);
  }
}

/** Recomputes the audit log's hash chain; returns the number of rows, or throws at the first break. */
function verifyAuditChain(file) {
  const db = new SQLite(file, { readonly: true });
  try {
    let prev = AUDIT_GENESIS;
    let n = 0;
    for (const row of db.prepare('select * from audit_log order by seq').iterate()) {
      if (row.prev_hash !== prev) throw new Error(`audit row ${row.seq} does not chain to the row before it`);
      if (auditHash(prev, row) !== row.hash) throw new Error(`audit row ${row.seq} has the wrong hash`);
      prev = row.hash;
      n++;
    }
    return n;
  } finally {
    db.close();
  }
}

async function mainSqlite() {
  const dataDir = tempDir('kalaja-durability-');
  console.log(
    `durability (SQLite): ${ROUNDS} rounds, ${ORGANISATIONS} clients, seed ${SEED}, data in ${dataDir}${args.keep ? ' (kept)' : ''}`,
  );
  let server = await startServer({ dataDir });
  const clients = makeClients(await seed(server, { organisations: ORGANISATIONS }));

  const totals = { acknowledged: 0, refused: 0, lost: 0, changed: 0, crashIntegrityOk: 0 };
  const problems = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Load: every client saves one answer after another until the server is gone.
    let killed = false;
    let acknowledged = 0;
    const loop = async (c) => {
      while (!killed) {
        let save;
        try {
          save = await saveOnce(server, c);
        } catch {
          return; // the connection died with the server: this save was not acknowledged
        }
        if (save.status === 200) {
          c.acked.set(save.question, save.counter);
          acknowledged++;
        } else {
          totals.refused++;
          if (!killed) problems.push(`round ${round}: client ${c.index} got HTTP ${save.status} before the kill`);
        }
      }
    };
    const loops = Promise.all(clients.map(loop));
    const delay = 500 + Math.floor(random() * 1500);
    await sleep(delay);
    killed = true;
    await server.kill('SIGKILL');
    await loops;
    totals.acknowledged += acknowledged;

    if (args['self-test']) {
      // A simulated lost write: the row of client 0's last acknowledged save disappears.
      const db = new SQLite(join(dataDir, 'kalaja.sqlite'));
      db.prepare('delete from answers where assessment_id = ? and question_id = ?').run(
        clients[0].assessmentId,
        lastAcknowledged(clients[0]),
      );
      db.close();
    }
    const crash = integrityOfCrashState(dataDir);
    if (crash === 'ok') totals.crashIntegrityOk++;
    else problems.push(`round ${round}: integrity_check of the crashed files: ${crash}`);

    // Restart on the same data; the sessions are in the database, so the cookies still work.
    server = await startServer({ dataDir });
    if (server.setupToken) problems.push(`round ${round}: the restarted server behaves like a new instance`);
    const { lost, changed } = await readBack(server, clients, round, problems);
    totals.lost += lost;
    totals.changed += changed;
    console.log(
      `round ${String(round).padStart(3)}: killed after ${delay} ms, ${acknowledged} acknowledged saves, ` +
        `lost ${lost}, changed ${changed}, crashed files ${crash === 'ok' ? 'intact' : 'DAMAGED'}, restart ${server.startMs.toFixed(0)} ms`,
    );
  }

  await server.kill('SIGTERM');
  const file = join(dataDir, 'kalaja.sqlite');
  const finalIntegrity = integrity(file);
  let auditRows = 0;
  let auditProblem = '';
  try {
    auditRows = verifyAuditChain(file);
  } catch (e) {
    auditProblem = e.message;
  }
  if (!args.keep) removeDir(dataDir);

  const ok =
    totals.lost === 0 &&
    totals.changed === 0 &&
    totals.crashIntegrityOk === ROUNDS &&
    finalIntegrity === 'ok' &&
    !auditProblem &&
    problems.length === 0;
  console.log(`
| measure | value |
| --- | --- |
| rounds (SIGKILL after 0.5–2 s of load, restart, read back) | ${ROUNDS} |
| concurrent clients | ${ORGANISATIONS} |
| acknowledged saves | ${totals.acknowledged.toLocaleString('en')} |
| **lost (goal 0)** | **${totals.lost}** |
| stored with another value than their counter chose | ${totals.changed} |
| refused saves (non-200 before a kill) | ${totals.refused} |
| integrity_check of the crashed files | ${totals.crashIntegrityOk} / ${ROUNDS} ok |
| integrity_check at the end | ${finalIntegrity} |
| audit hash chain | ${auditProblem || `${auditRows.toLocaleString('en')} rows, intact`} |
`);
  return { ok, problems };
}

// ---- PostgreSQL: restart the database under a running server ---------------------------------

/** `kalaja audit verify` against the database: the number of rows, or throws with its report. */
async function auditVerify(env) {
  try {
    const { stdout } = await run(process.execPath, [join(repo, 'bin/kalaja.js'), 'audit', 'verify'], {
      cwd: repo,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    const m = /audit chain intact: ([\d,]+) rows?/.exec(stdout);
    if (!m) throw new Error(`unexpected output: ${stdout.slice(0, 300)}`);
    return Number(m[1].replace(/,/g, ''));
  } catch (e) {
    throw new Error(`kalaja audit verify: ${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim().slice(0, 500) || e.message}`);
  }
}

/** The private cluster of both PostgreSQL modes, and where its programs are; exits 2 without them. */
async function openCluster() {
  const bin = postgresBin(args['pg-bin']);
  if (!bin) {
    console.error(
      args['pg-bin']
        ? `durability: no PostgreSQL server programs (initdb, pg_ctl, postgres) in ${args['pg-bin']}`
        : 'durability: --postgres needs the PostgreSQL server programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin ' +
            '(e.g. `apt install postgresql`), or say where they are with --pg-bin DIR',
    );
    process.exit(2);
  }
  try {
    return { bin, cluster: await privateCluster(bin, { prefix: 'kalaja-durability-pg-', keep: args.keep }) };
  } catch (e) {
    console.error(`durability: ${e.message}`);
    process.exit(2);
  }
}

/** PostgreSQL, the server killed: SIGKILL the Kalaja server under load, restart it, read back. */
async function mainPostgresKillServer() {
  const { bin, cluster } = await openCluster();
  const dataDir = tempDir('kalaja-durability-');
  const env = { DATABASE_URL: cluster.url('kalaja'), KALAJA_KEY: randomBytes(32).toString('base64') };
  console.log(
    `durability (PostgreSQL, the server killed, ${bin}): ${ROUNDS} rounds, ${ORGANISATIONS} clients, seed ${SEED}, ` +
      `cluster in ${cluster.dir} on port ${cluster.port}`,
  );
  let server = await startServer({ dataDir, env });
  const clients = makeClients(await seed(server, { organisations: ORGANISATIONS }));
  const totals = { acknowledged: 0, refused: 0, lost: 0, changed: 0 };
  const problems = [];
  for (let round = 1; round <= ROUNDS; round++) {
    let killed = false;
    let acknowledged = 0;
    const loop = async (c) => {
      while (!killed) {
        let save;
        try {
          save = await saveOnce(server, c);
        } catch {
          return; // the connection died with the server: this save was not acknowledged
        }
        if (save.status === 200) {
          c.acked.set(save.question, save.counter);
          acknowledged++;
        } else {
          totals.refused++;
          if (!killed) problems.push(`round ${round}: client ${c.index} got HTTP ${save.status} before the kill`);
        }
      }
    };
    const loops = Promise.all(clients.map(loop));
    const delay = 500 + Math.floor(random() * 1500);
    await sleep(delay);
    killed = true;
    await server.kill('SIGKILL');
    await loops;
    totals.acknowledged += acknowledged;
    if (args['self-test'])
      await cluster.sql('kalaja', 'delete from answers where assessment_id = $1 and question_id = $2', [
        clients[0].assessmentId,
        lastAcknowledged(clients[0]),
      ]);
    // Restart on the same database; the sessions are in it, so the cookies still work.
    server = await startServer({ dataDir, env });
    if (server.setupToken) problems.push(`round ${round}: the restarted server behaves like a new instance`);
    const { lost, changed } = await readBack(server, clients, round, problems);
    totals.lost += lost;
    totals.changed += changed;
    console.log(
      `round ${String(round).padStart(3)}: killed after ${delay} ms, ${acknowledged} acknowledged saves, ` +
        `lost ${lost}, changed ${changed}, restart ${server.startMs.toFixed(0)} ms`,
    );
  }
  await server.kill('SIGTERM');
  const amcheck = await cluster.amcheck('kalaja');
  let auditRows = 0;
  let auditProblem = '';
  try {
    auditRows = await auditVerify(env);
  } catch (e) {
    auditProblem = e.message;
  }
  await cluster.stop();
  if (!args.keep) removeDir(dataDir);
  const ok = totals.lost === 0 && totals.changed === 0 && amcheck === 'ok' && !auditProblem && problems.length === 0;
  console.log(`
| measure | value |
| --- | --- |
| rounds (Kalaja server SIGKILLed after 0.5–2 s of load, restarted on the same database, read back) | ${ROUNDS} |
| concurrent clients | ${ORGANISATIONS} |
| acknowledged saves | ${totals.acknowledged.toLocaleString('en')} |
| **lost (goal 0)** | **${totals.lost}** |
| stored with another value than their counter chose | ${totals.changed} |
| refused saves (non-200 before a kill) | ${totals.refused} |
| pg_amcheck (heap and all indexes) at the end | ${amcheck} |
| audit hash chain (\`kalaja audit verify\`) | ${auditProblem || `${auditRows.toLocaleString('en')} rows, intact`} |
`);
  return { ok, problems };
}

async function mainPostgres() {
  const { bin, cluster } = await openCluster();
  const dataDir = tempDir('kalaja-durability-');
  const env = { DATABASE_URL: cluster.url('kalaja'), KALAJA_KEY: randomBytes(32).toString('base64') };
  console.log(
    `durability (PostgreSQL, ${bin}): ${ROUNDS} rounds, ${ORGANISATIONS} clients, seed ${SEED}, ` +
      `cluster in ${cluster.dir} on port ${cluster.port}, evidence in ${dataDir}${args.keep ? ' (kept)' : ''}`,
  );
  const server = await startServer({ dataDir, env });
  const clients = makeClients(await seed(server, { organisations: ORGANISATIONS }));

  const totals = {
    acknowledged: 0,
    lost: 0,
    changed: 0,
    unavailable: 0,
    withoutRetryAfter: 0,
    unavailableBeforeOutage: 0,
    unavailableAfterFirstSave: 0,
    otherStatus: 0,
    connectionErrors: 0,
    notRecovered: 0,
  };
  const restartMs = [];
  const firstSaveMs = [];
  const everyClientMs = [];
  const problems = [];
  const problem = (text) => {
    if (problems.length < 30) problems.push(text);
  };
  for (let round = 1; round <= ROUNDS; round++) {
    // The phases of a round: load on a working database, the database stopping and gone, and
    // back. `upAt` is when it accepted a query again; a client is back once a save it started
    // after that was acknowledged.
    let phase = 'load';
    let upAt = Infinity;
    let firstSaveAt;
    const backAt = new Map();
    let stop = false;
    const counts = { acknowledged: 0, unavailable: 0, withoutRetryAfter: 0, other: 0, connection: 0 };
    const loop = async (c) => {
      while (!stop) {
        const startedIn = phase;
        const startedAt = performance.now();
        let save;
        try {
          save = await saveOnce(server, c);
        } catch (e) {
          counts.connection++;
          problem(
            `round ${round}: client ${c.index} (${phase}): ${e.name === 'TimeoutError' ? 'no answer in 10 s' : `${e.message} ${e.cause?.code ?? e.cause?.message ?? ''}`}`,
          );
          await sleep(PAUSE_AFTER_503_MS);
          continue;
        }
        const now = performance.now();
        if (save.status === 200) {
          c.acked.set(save.question, save.counter);
          counts.acknowledged++;
          if (startedAt >= upAt) {
            firstSaveAt ??= now;
            if (!backAt.has(c.index)) backAt.set(c.index, now);
          }
        } else if (save.status === 503) {
          counts.unavailable++;
          if (!/^[1-9]\d*$/.test(save.retryAfter ?? '')) {
            counts.withoutRetryAfter++;
            problem(`round ${round}: client ${c.index}: 503 with Retry-After ${JSON.stringify(save.retryAfter)}`);
          }
          if (startedIn === 'load' && phase === 'load') {
            totals.unavailableBeforeOutage++;
            problem(`round ${round}: client ${c.index}: 503 while the database was up: ${save.body.slice(0, 200)}`);
          }
          if (firstSaveAt !== undefined && startedAt >= firstSaveAt) totals.unavailableAfterFirstSave++;
          await sleep(PAUSE_AFTER_503_MS);
        } else {
          counts.other++;
          problem(`round ${round}: client ${c.index} (${phase}): HTTP ${save.status} ${save.body.slice(0, 200)}`);
        }
      }
    };
    const loops = Promise.all(clients.map(loop));
    const delay = 500 + Math.floor(random() * 1500);
    const outage = 1000 + Math.floor(random() * 2000);
    await sleep(delay);
    phase = 'down';
    await cluster.crash();
    await sleep(outage);
    const startAt = performance.now();
    await cluster.start();
    await cluster.ready();
    upAt = performance.now();
    phase = 'up';
    restartMs.push(upAt - startAt);
    while (backAt.size < clients.length && performance.now() - upAt < RECOVERY_LIMIT_MS) await sleep(10);
    stop = true;
    await loops;
    totals.acknowledged += counts.acknowledged;
    totals.unavailable += counts.unavailable;
    totals.withoutRetryAfter += counts.withoutRetryAfter;
    totals.otherStatus += counts.other;
    totals.connectionErrors += counts.connection;
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      problems.push(
        `round ${round}: the Kalaja server stopped (${server.child.exitCode ?? server.child.signalCode}); its last words:\n` +
          `${server.output.stderr.slice(-2000)}\n${server.output.stdout.slice(-2000)}`,
      );
      break;
    }
    if (firstSaveAt !== undefined) firstSaveMs.push(firstSaveAt - upAt);
    if (backAt.size === clients.length) everyClientMs.push(Math.max(...backAt.values()) - upAt);
    else {
      totals.notRecovered++;
      problem(
        `round ${round}: ${clients.length - backAt.size} clients had no save acknowledged ${RECOVERY_LIMIT_MS / 1000} s after the database was back`,
      );
    }

    if (args['self-test']) {
      // A simulated lost write: the row of client 0's last acknowledged save disappears.
      await cluster.sql('kalaja', 'delete from answers where assessment_id = $1 and question_id = $2', [
        clients[0].assessmentId,
        lastAcknowledged(clients[0]),
      ]);
    }
    let readback;
    try {
      readback = await readBack(server, clients, round, problems);
    } catch (e) {
      problems.push(`round ${round}: reading the answers back failed: ${e.message}`);
      break;
    }
    totals.lost += readback.lost;
    totals.changed += readback.changed;
    console.log(
      `round ${String(round).padStart(3)}: stopped after ${delay} ms for ${outage} ms, ${counts.acknowledged} acknowledged, ` +
        `${counts.unavailable} × 503${counts.withoutRetryAfter ? ` (${counts.withoutRetryAfter} without Retry-After)` : ''}, ` +
        `${counts.other} other, ${counts.connection} connection errors; database up in ${ms(upAt - startAt)}, ` +
        `first save ${ms(firstSaveAt - upAt)}, every client ${ms(backAt.size === clients.length ? Math.max(...backAt.values()) - upAt : NaN)} later; ` +
        `lost ${readback.lost}, changed ${readback.changed}`,
    );
  }

  const health = await fetch(`${server.url}/api/v1/health`).then(
    (r) => r.status,
    (e) => e.message,
  );
  if (health !== 200) problems.push(`health at the end: ${health}`);
  const serverPid = server.pid;
  await server.kill('SIGTERM');
  const amcheck = await cluster.amcheck('kalaja');
  let auditRows = 0;
  let auditProblem = '';
  try {
    auditRows = await auditVerify(env);
  } catch (e) {
    auditProblem = e.message;
  }
  await cluster.stop();
  if (!args.keep) removeDir(dataDir);

  const ok =
    totals.lost === 0 &&
    totals.changed === 0 &&
    totals.withoutRetryAfter === 0 &&
    totals.unavailableBeforeOutage === 0 &&
    totals.otherStatus === 0 &&
    totals.connectionErrors === 0 &&
    totals.notRecovered === 0 &&
    amcheck === 'ok' &&
    !auditProblem &&
    problems.length === 0;
  const spread = (values) =>
    values.length ? `median ${ms(median(values))}, max ${ms(Math.max(...values))}` : 'not measured';
  console.log(`
| measure | value |
| --- | --- |
| rounds (database stopped with \`pg_ctl -m immediate\` after 0.5–2 s of load, away 1–3 s, started again; read back) | ${ROUNDS} |
| concurrent clients | ${ORGANISATIONS} |
| acknowledged saves | ${totals.acknowledged.toLocaleString('en')} |
| **lost (goal 0)** | **${totals.lost}** |
| stored with another value than their counter chose | ${totals.changed} |
| answered 503 while the database was stopping, gone or starting | ${totals.unavailable.toLocaleString('en')} |
| **503 without a Retry-After header (goal 0)** | **${totals.withoutRetryAfter}** |
| 503 while the database was up (goal 0) | ${totals.unavailableBeforeOutage} |
| 503 to saves started after the first acknowledged one | ${totals.unavailableAfterFirstSave} |
| **other statuses, e.g. 500 (goal 0)** | **${totals.otherStatus}** |
| **reset connections or hung requests (goal 0)** | **${totals.connectionErrors}** |
| database start after the crash (pg_ctl start to the first query) | ${spread(restartMs)} |
| **recovery: database back → first acknowledged save** | **${spread(firstSaveMs)}** |
| recovery: database back → a save of every client acknowledged | ${spread(everyClientMs)} |
| rounds without recovery within ${RECOVERY_LIMIT_MS / 1000} s (goal 0) | ${totals.notRecovered} |
| Kalaja server | one process (pid ${serverPid}) throughout, never restarted; health at the end ${health} |
| pg_amcheck (heap and all indexes) at the end | ${amcheck} |
| audit hash chain (\`kalaja audit verify\`) | ${auditProblem || `${auditRows.toLocaleString('en')} rows, intact`} |
`);
  return { ok, problems };
}

const { ok, problems } = args.postgres
  ? await (args['kill-server'] ? mainPostgresKillServer() : mainPostgres())
  : await mainSqlite();
for (const p of problems) console.log(`problem: ${p}`);
console.log(ok ? 'durability: ok' : 'durability: FAILED');
process.exitCode = ok ? 0 : 1;
