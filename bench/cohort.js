// Benchmark: cohort results of programmes at the size of a region — 1,000 organisations × 2
// rounds (160,000 answers) and 5,000 organisations × 1 round (400,000 answers), every question
// of the default framework answered — as the results page reads them (GET …/results/summary,
// then the first page of …/results/organisations) and as the whole (GET …/results), through
// app.inject in a server process of its own (bench/cohort-child.js; after the two requests the
// app makes before it, /me and the programme): the first call ever (every
// answer opened), the first call of a server that has just started (the sealed choices kept by
// an earlier call), warm calls, the JSON sizes, and the call after one answer is saved.
// Seeding goes straight into the database (bench/seed-cohort.js). Goals (issue 11): cold
// < 300 ms at 1,000 and < 1.5 s at 5,000; warm < 150 ms at 5,000; the page fetches only what
// it shows.
//
// BENCH_PROFILE=1 profiles the first-ever call of the 1,000 case in this process instead
// (.bench-tmp/cohort-first.cpuprofile) and prints where the time goes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { loadConfig } from '../apps/server/dist/config.js';
import { systemActor } from '../apps/server/dist/modules/access/access-types.js';
import { createKalaja } from '../apps/server/dist/server.js';
import { repo, tmp } from './lib.js';
import { seedCohort } from './seed-cohort.js';
import { removeDir, tempDir } from './server-fixture.js';

const CASES = [
  { organisations: 1000, rounds: ['baseline', 'reassessment'], coldGoalMs: 300 },
  { organisations: 5000, rounds: ['baseline'], coldGoalMs: 1500, warmGoalMs: 150 },
];

const CATEGORIES = [
  ['decrypting answers (AES-GCM open, vault)', /crypto\/(seal|vault)\.js|node:internal\/crypto/],
  ['SQL (Kysely, better-sqlite3)', /node_modules\/(kysely|better-sqlite3)\//],
  ['scoring and statistics (engine)', /packages\/engine\//],
  ['results and assessment services', /modules\/(results|assessments)\//],
];

/**
 * Where the time of a V8 CPU profile goes: self time by function and by package or file, and
 * each sample put in a category by the nearest frame on its stack that has a source file.
 */
export function summariseProfile(profile, top = 12) {
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const where = (url) =>
    url
      .replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
      .replace(/^.*\/(apps|packages)\//, '$1/')
      .replace(/^file:\/\//, '');
  const byFunction = new Map();
  const byFile = new Map();
  const byCategory = new Map();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const f = `${functionName || '(anonymous)'} ${url ? `${where(url)}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(f, (byFunction.get(f) ?? 0) + t);
    const file = url ? where(url) : functionName;
    byFile.set(file, (byFile.get(file) ?? 0) + t);
    let category = functionName === '(garbage collector)' ? 'garbage collection' : 'other';
    for (let cur = id; cur !== undefined && category === 'other'; cur = parent.get(cur)) {
      const u = nodes.get(cur).callFrame.url;
      if (!u) continue;
      category = CATEGORIES.find(([, re]) => re.test(u))?.[0] ?? 'other';
      break;
    }
    byCategory.set(category, (byCategory.get(category) ?? 0) + t);
  }
  const lines = (m, n = top) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
  return { totalMs: total / 1000, byFunction: lines(byFunction), byFile: lines(byFile), byCategory: lines(byCategory) };
}

/** Runs bench/cohort-child.js on a data directory: a server process of its own. */
function child(dataDir, programmeId, mode) {
  const r = spawnSync(process.execPath, [join(repo, 'bench/cohort-child.js'), dataDir, programmeId, mode], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`cohort-child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Profiles the first-ever results call in this process and prints where the time goes. */
async function profileFirst(dataDir, programmeId) {
  const kalaja = await createKalaja(loadConfig({ KALAJA_DATA_DIR: dataDir, KALAJA_LOG_LEVEL: 'warn' }));
  const manager = {
    ...systemActor('bench'),
    memberships: [{ role: 'programme_manager', programmeId, organisationId: null }],
  };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  await kalaja.services.results.summary(manager, programmeId);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  await kalaja.close();
  mkdirSync(tmp, { recursive: true });
  const file = join(tmp, 'cohort-first.cpuprofile');
  writeFileSync(file, JSON.stringify(profile));
  const s = summariseProfile(profile);
  console.log(`\nprofile of the first results call, ${s.totalMs.toFixed(0)} ms sampled — ${file}`);
  console.log(`by category:\n${s.byCategory.join('\n')}\nself time by function:\n${s.byFunction.join('\n')}\n`);
}

export async function run() {
  const rows = [];
  let ok = true;
  const ms = (v) => `${v.toFixed(0)} ms`;
  const kb = (b) => (b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${(b / 1e3).toFixed(1)} kB`);
  for (const c of CASES) {
    const dataDir = tempDir('kalaja-cohort-');
    try {
      const kalaja = await createKalaja(loadConfig({ KALAJA_DATA_DIR: dataDir, KALAJA_LOG_LEVEL: 'warn' }));
      const t = performance.now();
      const seeded = await seedCohort(kalaja, { organisations: c.organisations, rounds: c.rounds, seed: 20261125 });
      const seedSeconds = (performance.now() - t) / 1000;
      await kalaja.close();
      const label = `${c.organisations.toLocaleString('en')} × ${c.rounds.length}`;
      if (process.env.BENCH_PROFILE && c.organisations === 1000) await profileFirst(dataDir, seeded.programmeId);
      const first = child(dataDir, seeded.programmeId, 'first');
      const full = child(dataDir, seeded.programmeId, 'full');
      const coldOk = full.firstMs + full.firstPageMs < c.coldGoalMs;
      const warm = full.summary.ms + full.page.ms;
      const warmOk = c.warmGoalMs === undefined || warm < c.warmGoalMs;
      ok &&= coldOk && warmOk;
      rows.push(
        [`**${label}**: seeded`, `${seeded.answers.toLocaleString('en')} answers in ${seedSeconds.toFixed(0)} s`],
        [
          `${label}: first call ever, every answer opened (summary + first page)`,
          `${ms(first.firstMs)} + ${ms(first.firstPageMs)}`,
        ],
        [
          `${label}: **cold**, a server just started (summary + first page; goal < ${c.coldGoalMs.toLocaleString('en')} ms)`,
          `**${ms(full.firstMs)} + ${ms(full.firstPageMs)}**, ${coldOk ? 'met' : 'missed'}`,
        ],
        [
          `${label}: **warm**, summary + first page of 100, median of 5${c.warmGoalMs ? ` (goal < ${c.warmGoalMs} ms)` : ''}`,
          `**${ms(full.summary.ms)} + ${ms(full.page.ms)}**${c.warmGoalMs ? `, ${warmOk ? 'met' : 'missed'}` : ''}`,
        ],
        [
          `${label}: JSON the page reads (summary / a page of 100)`,
          `${kb(full.summary.bytes)} / ${kb(full.page.bytes)}`,
        ],
        [
          `${label}: the whole results (GET …/results), warm, median of 5`,
          `${ms(full.full.ms)} (min ${ms(full.full.min)}, max ${ms(full.full.max)}), ${kb(full.full.bytes)}`,
        ],
        [`${label}: summary after one answer is saved`, ms(full.afterSaveMs)],
      );
    } finally {
      removeDir(dataDir);
    }
  }
  return { name: 'cohort results at the size of a region (SQLite, a server process each)', rows, ok };
}
