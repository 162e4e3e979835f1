// Benchmark: importing a round's answers file into a real server (`node
// apps/server/dist/main.js`, SQLite, a temporary data directory) through the job route
// (POST /api/v1/programmes/:id/rounds/:round/imports, the CSV as saved; decision 0010), for
// 100, 1,000 and 5,000 organisations × all 80 questions. Meanwhile one organisation's admin
// saves an answer in a closed loop: the slowest of those saves says how long anybody waited
// on the import. The baseline is a bare insert of the same rows (assessment id, question id, a
// 300-byte blob, the size of a sealed answer, and a version) into a table of the same shape
// with better-sqlite3 in WAL mode with synchronous=FULL, in one transaction, in this process.
// Goals: Kalaja's rows/s ≥ 25% of the bare insert's; time per row at 5,000 within 1.5× of
// that at 100 (linear); no save waits more than 50 ms; 1,000 organisations < 5 s; 5,000 < 30 s.
// BENCH_IMPORT_SIZES=100,1000 runs fewer sizes; BENCH_PROFILE=DIR profiles the server.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
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
  tempDir,
} from './server-fixture.js';

const SIZES = (process.env.BENCH_IMPORT_SIZES ?? '100,1000,5000').split(',').map(Number);

/** The bare insert of the same rows, in one transaction: the floor for writing them at all. */
function bareInsert(rows, questions) {
  const dir = tempDir('kalaja-bench-bare-');
  try {
    const db = new SQLite(join(dir, 'bare.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`create table answers (assessment_id text not null, question_id text not null, sealed blob,
      version integer not null, primary key (assessment_id, question_id))`);
    const insert = db.prepare('insert into answers values (?, ?, ?, 1)');
    const blob = randomBytes(300);
    const t0 = performance.now();
    db.transaction(() => {
      for (let i = 0; i < rows; i++)
        insert.run(`assessment${Math.floor(i / questions.length)}`, questions[i % questions.length].id, blob);
    })();
    const ms = performance.now() - t0;
    db.close();
    return ms;
  } finally {
    removeDir(dir);
  }
}

async function measure(organisations, questions) {
  // BENCH_PROFILE=DIR writes a CPU profile of the server to DIR.
  const profile = process.env.BENCH_PROFILE;
  const server = await startServer(profile ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profile] } : {});
  try {
    const admin = await firstAdmin(server);
    const [framework] = await admin.expect(200, 'GET', '/api/v1/frameworks');
    const programme = await admin.expect(201, 'POST', '/api/v1/programmes', {
      name: 'Region',
      frameworkId: framework.id,
      rounds: [{ name: 'baseline' }],
    });
    const names = Array.from({ length: organisations }, (_, i) => `Organisation ${String(i).padStart(5, '0')}`);
    const orgs = await pool(names, 8, (name) =>
      admin.expect(201, 'POST', `/api/v1/programmes/${programme.id}/organisations`, {
        name,
        kind: 'cso',
        sizeBand: '1-5',
        country: 'XK',
      }),
    );
    // One more organisation, not in the file, whose admin keeps saving during the import.
    const saver = await admin.expect(201, 'POST', `/api/v1/programmes/${programme.id}/organisations`, {
      name: 'The one saving meanwhile',
      kind: 'media',
      sizeBand: '1-5',
      country: 'XK',
    });
    const inv = await admin.expect(201, 'POST', '/api/v1/invitations', {
      email: 'saver@bench.kalaja.test',
      role: 'org_admin',
      programmeId: programme.id,
      organisationId: saver.id,
    });
    const member = client(server.url);
    await member.expect(200, 'POST', '/api/v1/invitations/accept', {
      token: new URL(inv.link).hash.slice(1),
      displayName: 'Saver',
      password: PASSWORD,
    });
    await enrolTotp(member);
    const progress = await admin.expect(200, 'GET', `/api/v1/programmes/${programme.id}/progress`);
    const saverAssessment = progress.find((p) => p.organisationId === saver.id).assessmentId;
    const csv = answersCsv(
      orgs.map((o) => o.name),
      questions,
      { note: (o, i) => ((o * 80 + i) % 33 === 0 ? '"Checked with the director, twice"' : '') },
    );
    const rows = organisations * questions.length;

    // The saves before the import: what a save costs on this server when nothing else runs.
    const latencies = { before: [], during: [] };
    let phase = 'before';
    let saving = true;
    const saves = (async () => {
      for (let i = 0; saving; i++) {
        const q = questions[i % questions.length];
        const t0 = performance.now();
        await member.expect(200, 'PUT', `/api/v1/assessments/${saverAssessment}/answers/${q.id}`, {
          answer: q.options[i % q.options.length],
          note: '',
        });
        latencies[phase].push(performance.now() - t0);
      }
    })();
    await new Promise((r) => setTimeout(r, 1000));
    phase = 'during';
    let peak = 0;
    const ms = await importFile(server, admin, programme.id, programme.rounds[0].id, csv, () => {
      peak = Math.max(peak, memoryOf(server.pid).hwm ?? 0);
    });
    saving = false;
    await saves;
    const bare = bareInsert(rows, questions);
    const during = latencies.during.sort((a, b) => a - b);
    return {
      organisations,
      rows,
      bytes: Buffer.byteLength(csv),
      ms,
      bare,
      saves: during.length,
      maxSave: during.at(-1) ?? 0,
      p95Save: during[Math.floor(during.length * 0.95)] ?? 0,
      maxBefore: Math.max(...latencies.before),
      peak: memoryOf(server.pid).hwm ?? peak,
    };
  } finally {
    await server.kill('SIGTERM');
    removeDir(server.dataDir);
  }
}

export async function run() {
  const questions = frameworkQuestions();
  const results = [];
  for (const n of SIZES) results.push(await measure(n, questions));
  const rowsPerS = (r) => (r.rows / r.ms) * 1000;
  const perRow = (r) => r.ms / r.rows;
  const first = results[0];
  const last = results.at(-1);
  const goals = {
    ratio: results.every((r) => r.bare / r.ms >= 0.25),
    linear: perRow(last) <= 1.5 * perRow(first),
    wait: results.every((r) => r.maxSave <= 50),
    thousand: results.filter((r) => r.organisations === 1000).every((r) => r.ms < 5000),
    fiveThousand: results.filter((r) => r.organisations === 5000).every((r) => r.ms < 30_000),
  };
  const rows = [];
  for (const r of results) {
    rows.push([
      `${r.organisations} organisations: ${r.rows.toLocaleString('en')} rows, ${(r.bytes / 1e6).toFixed(1)} MB`,
      `${(r.ms / 1000).toFixed(2)} s, ${Math.round(rowsPerS(r)).toLocaleString('en')} rows/s; bare insert ${Math.round(r.bare)} ms; ratio ${((100 * r.bare) / r.ms).toFixed(0)}%`,
    ]);
    rows.push([
      `${r.organisations}: saves during the import (n, p95, max; max before it)`,
      `${r.saves}, ${r.p95Save.toFixed(1)} ms, ${r.maxSave.toFixed(1)} ms; ${r.maxBefore.toFixed(1)} ms`,
    ]);
    rows.push([`${r.organisations}: server peak RSS`, mib(r.peak)]);
  }
  rows.push(['**ratio to the bare insert ≥ 25% at every size**', goals.ratio ? 'met' : '**missed**']);
  rows.push([
    `**linear: time per row at ${last.organisations} within 1.5× of ${first.organisations}**`,
    `${((perRow(last) / perRow(first)) * 100).toFixed(0)}% — ${goals.linear ? 'met' : '**missed**'}`,
  ]);
  rows.push(['**no save waits > 50 ms during an import**', goals.wait ? 'met' : '**missed**']);
  rows.push(['**1,000 organisations < 5 s**', goals.thousand ? 'met' : '**missed**']);
  rows.push(['**5,000 organisations < 30 s**', goals.fiveThousand ? 'met' : '**missed**']);
  return {
    name: 'Importing a round of a region (SQLite, the job route)',
    rows,
    ok: Object.values(goals).every(Boolean),
  };
}
