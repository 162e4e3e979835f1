// Benchmark: a region on PostgreSQL — 1,000 organisations × 2 rounds × all 80 questions,
// imported through the job route — served by two Kalaja processes on one database, with 200
// concurrent clients spread over both. Phase 1: 200 organisations' admins save answers into
// their reassessment, alone. Phase 2: 190 of them go on saving while 10 managers' clients read
// the cohort results and a programme report of the 1,000 organisations is made. The phases'
// save throughput is compared (ratio, same run), with p95s of saves and results and the
// report's time. Goals: saves under the mixed load keep ≥ 50% of their throughput alone and a
// p95 < 50 ms (the save goal), results p95 < 1.5 s. Uses a fresh database on
// KALAJA_BENCH_DATABASE_URL (default: KALAJA_TEST_DATABASE_URL, then the local test server).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  answersCsv,
  client,
  enrolTotp,
  firstAdmin,
  frameworkQuestions,
  importFile,
  memoryOf,
  mib,
  PASSWORD,
  pool,
  removeDir,
  startServer,
} from './server-fixture.js';

const ORGANISATIONS = Number(process.env.BENCH_REGION_ORGANISATIONS ?? 1000);
const CLIENTS = 200;
const READERS = 10;
const PHASE_MS = 15_000;
const ADMIN_URL =
  process.env.KALAJA_BENCH_DATABASE_URL ??
  process.env.KALAJA_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

const pct = (sorted, p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;

/** Saves in a closed loop until `until()`; latencies of every save. */
async function saving(savers, questions, until) {
  const latencies = [];
  let errors = 0;
  await Promise.all(
    savers.map(async (s, k) => {
      for (let i = k; !until(); i++) {
        const q = questions[i % questions.length];
        const t = performance.now();
        const r = await s.client.request('PUT', `/api/v1/assessments/${s.assessment}/answers/${q.id}`, {
          answer: q.options[(i * 7) % q.options.length],
          note: '',
        });
        latencies.push(performance.now() - t);
        if (r.status !== 200) errors++;
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), errors };
}

export async function run() {
  const dbName = `kalaja_bench_region_${randomBytes(4).toString('hex')}`;
  const adminDb = new pg.Client({ connectionString: ADMIN_URL });
  await adminDb.connect();
  await adminDb.query(`create database ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const env = { DATABASE_URL: url.href, KALAJA_KEY: randomBytes(32).toString('base64') };
  const servers = [];
  try {
    servers.push(await startServer({ env }));
    const [a] = servers;
    const admin = await firstAdmin(a);
    servers.push(await startServer({ env }));
    const urls = servers.map((s) => s.url);
    const [framework] = await admin.expect(200, 'GET', '/api/v1/frameworks');
    const programme = await admin.expect(201, 'POST', '/api/v1/programmes', {
      name: 'Region',
      frameworkId: framework.id,
      rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
    });
    const names = Array.from({ length: ORGANISATIONS }, (_, i) => `Organisation ${String(i).padStart(5, '0')}`);
    const orgs = await pool(names, 8, (name) =>
      admin.expect(201, 'POST', `/api/v1/programmes/${programme.id}/organisations`, {
        name,
        kind: 'cso',
        sizeBand: '1-5',
        country: 'XK',
      }),
    );
    const questions = frameworkQuestions();
    const imports = [];
    for (const [k, round] of programme.rounds.entries()) {
      // The reassessment takes answers once it is opened (on the baseline's answers, carried over).
      if (k > 0) await admin.expect(204, 'POST', `/api/v1/programmes/${programme.id}/rounds/${round.id}/open`, {});
      imports.push(
        await importFile(
          a,
          admin,
          programme.id,
          round.id,
          answersCsv(names, questions, { round: round.name, shift: k }),
        ),
      );
    }
    const progress = await admin.expect(200, 'GET', `/api/v1/programmes/${programme.id}/progress`);
    const reassessment = programme.rounds[1].id;
    // 200 organisations' admins, each signed in on one of the two processes, in turn.
    const savers = await pool(orgs.slice(0, CLIENTS), 4, async (org, i) => {
      const inv = await admin.expect(201, 'POST', '/api/v1/invitations', {
        email: `org${i}@bench.kalaja.test`,
        role: 'org_admin',
        programmeId: programme.id,
        organisationId: org.id,
      });
      const c = client(urls[i % 2]);
      await c.expect(200, 'POST', '/api/v1/invitations/accept', {
        token: new URL(inv.link).hash.slice(1),
        displayName: `Admin ${i}`,
        password: PASSWORD,
      });
      await enrolTotp(c);
      const assessment = progress.find((p) => p.organisationId === org.id && p.roundId === reassessment).assessmentId;
      return { client: c, assessment };
    });

    // Phase 1: saves alone.
    let end = performance.now() + PHASE_MS;
    const alone = await saving(savers, questions, () => performance.now() > end);
    const aloneRate = (alone.latencies.length / PHASE_MS) * 1000;

    // Phase 2: saves, results read by managers' clients on both processes, a report job.
    const readers = Array.from({ length: READERS }, (_, i) => client(urls[i % 2], admin.cookie));
    const results = [];
    let reportMs = NaN;
    let reportDone = false;
    end = performance.now() + PHASE_MS;
    const t0 = performance.now();
    const mixedStart = performance.now();
    const [mixed] = await Promise.all([
      saving(savers.slice(0, CLIENTS - READERS), questions, () => performance.now() > end && reportDone),
      Promise.all(
        readers.map(async (r) => {
          while (performance.now() < end || !reportDone) {
            const t = performance.now();
            await r.expect(200, 'GET', `/api/v1/programmes/${programme.id}/results`);
            results.push(performance.now() - t);
          }
        }),
      ),
      (async () => {
        const job = await admin.expect(202, 'POST', `/api/v1/programmes/${programme.id}/reports`, {
          kind: 'programme',
          format: 'pdf',
          language: 'en',
        });
        for (;;) {
          const r = await admin.expect(200, 'GET', `/api/v1/reports/${job.id}`);
          if (r.status === 'done' || r.status === 'failed') {
            if (r.status === 'failed') throw new Error(`report failed: ${r.error}`);
            break;
          }
          await new Promise((res) => setTimeout(res, 250));
        }
        reportMs = performance.now() - t0;
        reportDone = true;
      })(),
    ]);
    const mixedMs = performance.now() - mixedStart;
    const mixedRate = (mixed.latencies.length / mixedMs) * 1000;
    results.sort((x, y) => x - y);
    const ratio = mixedRate / aloneRate;
    const goals = {
      ratio: ratio >= 0.5,
      p95: pct(mixed.latencies, 0.95) < 50,
      results: pct(results, 0.95) < 1500,
    };
    const memory = servers.map((s) => mib(memoryOf(s.pid).hwm));
    return {
      name: `A region on PostgreSQL: ${ORGANISATIONS.toLocaleString('en')} organisations × 2 rounds, two processes, ${CLIENTS} clients`,
      rows: [
        ['imports, baseline / reassessment', imports.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(' / ')],
        [
          'saves alone: throughput, p50 / p95 / p99',
          `${aloneRate.toFixed(0)}/s, ${pct(alone.latencies, 0.5).toFixed(1)} / ${pct(alone.latencies, 0.95).toFixed(1)} / ${pct(alone.latencies, 0.99).toFixed(1)} ms`,
        ],
        [
          'saves with results and a report: throughput, p50 / p95 / p99',
          `${mixedRate.toFixed(0)}/s, ${pct(mixed.latencies, 0.5).toFixed(1)} / ${pct(mixed.latencies, 0.95).toFixed(1)} / ${pct(mixed.latencies, 0.99).toFixed(1)} ms`,
        ],
        ['errors (alone / mixed)', `${alone.errors} / ${mixed.errors}`],
        [
          `cohort results read by ${READERS} clients: n, p50 / p95`,
          `${results.length}, ${pct(results, 0.5).toFixed(0)} / ${pct(results, 0.95).toFixed(0)} ms`,
        ],
        ['programme report (PDF) of the region, requested to done', `${(reportMs / 1000).toFixed(1)} s`],
        ['peak RSS of the two processes', memory.join(', ')],
        [
          '**save throughput mixed / alone (goal ≥ 50%)**',
          `${(100 * ratio).toFixed(0)}% — ${goals.ratio ? 'met' : '**missed**'}`,
        ],
        ['**save p95 under the mixed load (goal < 50 ms)**', goals.p95 ? 'met' : '**missed**'],
        ['**results p95 (goal < 1.5 s)**', goals.results ? 'met' : '**missed**'],
      ],
      ok: Object.values(goals).every(Boolean),
    };
  } catch (error) {
    // What the servers said, for whoever reads the failure.
    for (const s of servers) process.stderr.write(s.output.tail);
    throw error;
  } finally {
    for (const s of servers) {
      await s.kill('SIGTERM');
      removeDir(s.dataDir);
    }
    await adminDb.query(`drop database if exists ${dbName} with (force)`);
    await adminDb.end();
  }
}
