#!/usr/bin/env node
// The crash test: an acknowledged save must survive the server being killed.
//
// Starts a real Kalaja server (node apps/server/dist/main.js, SQLite in a temporary directory)
// seeded over HTTP with 50 organisations, each with its own admin and session. In each round,
// 50 clients save answers continuously — each save carries a value that can be checked later: a
// per-client counter in the note, and the option chosen from that counter — and each client
// records every save the server acknowledged (HTTP 200). After a random 0.5–2 s the server is
// killed with SIGKILL, a copy of the crashed database files is checked with PRAGMA
// integrity_check, the server is restarted on the same data, and every client reads its
// assessment back: for every question, the stored counter must be at least the last
// acknowledged one (a later save that was cut off before its answer may also have landed), and
// the stored option must be the one that counter chose. At the end the real database file gets
// an integrity check and the audit log's hash chain is verified.
//
// Usage: node scripts/durability.mjs [--rounds 5] [--organisations 50] [--seed N] [--keep] [--self-test]
// Exit code 1 if an acknowledged save was lost or changed, or a check failed. `--self-test`
// proves the checker can fail: after each crash it deletes one acknowledged answer from the
// database before the restart, and the run must then report it lost (and exit 1).
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { auditHash, AUDIT_GENESIS } from '../apps/server/dist/modules/audit/audit-store.js';
import { mulberry32 } from '../bench/lib.js';
import { client, frameworkQuestions, removeDir, seed, startServer, tempDir } from '../bench/server-fixture.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    organisations: { type: 'string', default: '50' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'self-test': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(args.rounds);
const ORGANISATIONS = Number(args.organisations);
const SEED = args.seed === undefined ? Date.now() % 2 ** 31 : Number(args.seed);
if (!(Number.isInteger(ROUNDS) && ROUNDS > 0 && Number.isInteger(ORGANISATIONS) && ORGANISATIONS > 0)) {
  console.error('usage: node scripts/durability.mjs [--rounds N] [--organisations N] [--seed N] [--keep]');
  process.exit(2);
}
/** No single request may hang the test. */
const REQUEST_TIMEOUT_MS = 10_000;

const random = mulberry32(SEED);
const questions = frameworkQuestions();
const byId = new Map(questions.map((q) => [q.id, q]));
/** The option a save with this counter chooses: alternating, so consecutive saves differ. */
const optionFor = (q, counter) => q.options[counter % q.options.length];
const NOTE = /^durability client (\d+) save (\d+)$/;

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

async function main() {
  const dataDir = tempDir('kalaja-durability-');
  console.log(
    `durability: ${ROUNDS} rounds, ${ORGANISATIONS} clients, seed ${SEED}, data in ${dataDir}${args.keep ? ' (kept)' : ''}`,
  );
  let server = await startServer({ dataDir });
  const seeded = await seed(server, { organisations: ORGANISATIONS });
  const clients = seeded.organisations.map((o, index) => ({
    index,
    cookie: o.cookie,
    assessmentId: o.assessmentId,
    counter: 0,
    /** question id → the counter of its last acknowledged save */
    acked: new Map(),
  }));

  const totals = { acknowledged: 0, refused: 0, lost: 0, changed: 0, crashIntegrityOk: 0 };
  const problems = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Load: every client saves one answer after another until the server is gone.
    let killed = false;
    let acknowledged = 0;
    const loop = async (c) => {
      while (!killed) {
        const q = questions[Math.floor(random() * questions.length)];
        const counter = ++c.counter;
        let status;
        try {
          const res = await fetch(`${server.url}/api/v1/assessments/${c.assessmentId}/answers/${q.id}`, {
            method: 'PUT',
            headers: { cookie: `kalaja_session=${c.cookie}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              answer: optionFor(q, counter),
              note: `durability client ${c.index} save ${counter}`,
            }),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          status = res.status;
          await res.arrayBuffer();
        } catch {
          return; // the connection died with the server: this save was not acknowledged
        }
        if (status === 200) {
          c.acked.set(q.id, counter);
          acknowledged++;
        } else {
          totals.refused++;
          if (!killed) problems.push(`round ${round}: client ${c.index} got HTTP ${status} before the kill`);
        }
      }
    };
    const loops = Promise.all(clients.map(loop));
    const delay = 500 + Math.floor(random() * 1500);
    await new Promise((r) => setTimeout(r, delay));
    killed = true;
    await server.kill('SIGKILL');
    await loops;
    totals.acknowledged += acknowledged;

    if (args['self-test']) {
      // A simulated lost write: the row of client 0's last acknowledged save disappears.
      const [question] = [...clients[0].acked].at(-1) ?? [];
      const db = new SQLite(join(dataDir, 'kalaja.sqlite'));
      db.prepare('delete from answers where assessment_id = ? and question_id = ?').run(
        clients[0].assessmentId,
        question,
      );
      db.close();
    }
    const crash = integrityOfCrashState(dataDir);
    if (crash === 'ok') totals.crashIntegrityOk++;
    else problems.push(`round ${round}: integrity_check of the crashed files: ${crash}`);

    // Restart on the same data; the sessions are in the database, so the cookies still work.
    server = await startServer({ dataDir });
    if (server.setupToken) problems.push(`round ${round}: the restarted server behaves like a new instance`);
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
          c.acked.delete(question); // counted once, not again in every later round
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
  for (const p of problems) console.log(`problem: ${p}`);
  console.log(ok ? 'durability: ok' : 'durability: FAILED');
  process.exitCode = ok ? 0 : 1;
}

await main();
