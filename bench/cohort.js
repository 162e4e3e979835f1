// Benchmark: cohort results of a programme of 1,000 organisations (GET
// /api/v1/programmes/:id/results as its manager), every organisation having answered all 80
// questions of the default framework in the first round, then in the second round as well.
// Seeding 160,000 answers over HTTP would take minutes, so this runs Kalaja in this process
// and seeds through its own services: the programme and organisations as the manager, answers
// through `assessments.saveOwn` as each organisation's admin (users and memberships are written
// directly). Then `results.cohort` is timed (median of 5, after one warm-up) and the HTTP route
// is called once through `app.inject`. Goal: < 300 ms.
//
// BENCH_PROFILE=1 also records a CPU profile of the timed calls (.bench-tmp/cohort.cpuprofile)
// and prints where the time goes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../apps/server/dist/config.js';
import { newId } from '../apps/server/dist/ids.js';
import { totpCode } from '../apps/server/dist/modules/auth/auth-totp.js';
import { createKalaja } from '../apps/server/dist/server.js';
import { median, mulberry32, tmp } from './lib.js';
import { frameworkQuestions, PASSWORD, removeDir, tempDir } from './server-fixture.js';

const ORGANISATIONS = 1000;
const ROUNDS = ['baseline', 'reassessment'];
const RUNS = 5;
const GOAL_MS = 300;

/** A tiny `app.inject` client that keeps the session cookie. */
function injector(app) {
  let cookie;
  return async (method, url, body) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...(cookie && { cookie }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    const set = res.headers['set-cookie'];
    if (set) cookie = (Array.isArray(set) ? set[0] : set).split(';')[0];
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };
}

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

export async function run() {
  const dataDir = tempDir('kalaja-cohort-');
  const kalaja = await createKalaja(loadConfig({ KALAJA_DATA_DIR: dataDir, KALAJA_LOG_LEVEL: 'warn' }));
  const { db } = kalaja.database;
  const { auth, programmes, assessments, results } = kalaja.services;
  try {
    // The manager: the instance admin, through first-run setup and TOTP, so the HTTP route can be
    // called with a real session; the programme is created as them, which makes them its manager.
    const http = injector(kalaja.app);
    await http('POST', '/api/v1/setup', {
      token: kalaja.setupToken,
      email: 'manager@bench.kalaja.test',
      displayName: 'Bench Manager',
      password: PASSWORD,
    });
    const { secret } = (await http('POST', '/api/v1/session/totp')).json();
    await http('POST', '/api/v1/session/totp/confirm', { code: totpCode(secret, Date.now()) });
    const managerId = (await http('GET', '/api/v1/me')).json().id;
    const actorOf = (userId, admin = false) => auth.loadActor(userId, 'bench', 'bench', admin);

    // Seeding only: no fsync per transaction (the timed part reads, and runs with FULL again).
    await sql`pragma synchronous = off`.execute(db);
    const seedStart = performance.now();
    const [framework] = await kalaja.services.frameworks.list(await actorOf(managerId, true));
    const programme = await programmes.create(await actorOf(managerId, true), {
      name: 'Cohort benchmark',
      frameworkId: framework.id,
      rounds: ROUNDS.map((name) => ({ name })),
    });
    const manager = await actorOf(managerId, true);
    const organisations = [];
    for (let i = 0; i < ORGANISATIONS; i++) {
      const o = await programmes.addOrganisation(manager, programme.id, {
        name: `Organisation ${String(i).padStart(4, '0')}`,
        kind: i % 3 ? 'cso' : 'media',
        sizeBand: '6-10',
        municipality: 'Prishtinë',
        country: 'XK',
        focus: 'benchmark',
        languages: ['sq'],
      });
      organisations.push(o);
    }
    // One admin per organisation, written directly (they never sign in here).
    const now = Date.now();
    const members = organisations.map((o, i) => ({ userId: newId(), organisationId: o.id, i }));
    for (let i = 0; i < members.length; i += 200) {
      const batch = members.slice(i, i + 200);
      await db
        .insertInto('users')
        .values(
          batch.map((m) => ({
            id: m.userId,
            email: `org${m.i}@bench.kalaja.test`,
            display_name: `Admin ${m.i}`,
            password_hash: 'not-a-password-hash',
            totp_sealed: null,
            totp_enabled_at: now,
            totp_last_step: null,
            is_instance_admin: 0,
            disabled_at: null,
            created_at: now,
          })),
        )
        .execute();
      await db
        .insertInto('memberships')
        .values(
          batch.map((m) => ({
            id: newId(),
            user_id: m.userId,
            role: 'org_admin',
            programme_id: programme.id,
            organisation_id: m.organisationId,
            created_at: now,
          })),
        )
        .execute();
    }
    const progress = await programmes.progress(manager, programme.id);
    const assessmentOf = new Map(progress.map((p) => [`${p.organisationId}/${p.roundId}`, p.assessmentId]));
    const orgsSeconds = (performance.now() - seedStart) / 1000;

    const questions = frameworkQuestions();
    const random = mulberry32(20261125);
    let saved = 0;
    const seedRound = async (round) => {
      const start = performance.now();
      for (const m of members) {
        const actor = await actorOf(m.userId);
        const id = assessmentOf.get(`${m.organisationId}/${round.id}`);
        for (const q of questions) {
          const r = random();
          const answer = q.na && r < 0.05 ? 'na' : q.options[Math.floor(random() * q.options.length)];
          await assessments.saveOwn(actor, id, q.id, { answer, note: r > 0.9 ? 'Checked with the director.' : '' });
          saved++;
        }
      }
      return (performance.now() - start) / 1000;
    };

    const profiling = Boolean(process.env.BENCH_PROFILE);
    const timeCohort = async (label) => {
      await sql`pragma synchronous = full`.execute(db);
      // The first call opens every answer (nothing is cached yet); later calls reuse the opened
      // answers of assessments whose rows have not changed.
      const c = performance.now();
      const first = await results.cohort(manager, programme.id);
      const coldMs = performance.now() - c;
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await results.cohort(manager, programme.id);
        times.push(performance.now() - t);
      }
      if (profiling) {
        // Profiled separately, so that the sampling does not slow the timed calls.
        const session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.start');
        for (let i = 0; i < RUNS; i++) await results.cohort(manager, programme.id);
        const { profile } = await session.post('Profiler.stop');
        session.disconnect();
        mkdirSync(tmp, { recursive: true });
        const file = join(tmp, `cohort-${label}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        const s = summariseProfile(profile);
        console.log(`\nprofile of ${RUNS} cohort calls (${label}), ${s.totalMs.toFixed(0)} ms sampled — ${file}`);
        console.log(`by category:\n${s.byCategory.join('\n')}\nself time by function:\n${s.byFunction.join('\n')}`);
        console.log(`self time by package/file:\n${s.byFile.join('\n')}\n`);
      }
      const h = performance.now();
      const res = await http('GET', `/api/v1/programmes/${programme.id}/results`);
      const httpMs = performance.now() - h;
      await sql`pragma synchronous = off`.execute(db);
      return {
        median: median(times),
        coldMs,
        min: Math.min(...times),
        max: Math.max(...times),
        httpMs,
        bytes: res.rawPayload.length,
        n: first.report.results.length,
      };
    };

    const r1Seconds = await seedRound(programme.rounds[0]);
    const one = await timeCohort('one-round');
    const r2Seconds = await seedRound(programme.rounds[1]);
    const two = await timeCohort('two-rounds');
    const ms = (v) => `${v.toFixed(0)} ms`;
    const line = (t) => `${ms(t.median)} (min ${ms(t.min)}, max ${ms(t.max)})`;
    return {
      name: `cohort results, ${ORGANISATIONS.toLocaleString('en')} organisations`,
      rows: [
        [
          'seeded in process',
          `${ORGANISATIONS.toLocaleString('en')} organisations in ${orgsSeconds.toFixed(1)} s; ${saved.toLocaleString('en')} answers via saveOwn in ${(r1Seconds + r2Seconds).toFixed(0)} s`,
        ],
        ['one round answered (80,000 answers): first call, every answer opened', ms(one.coldMs)],
        ['one round: results.cohort again, median of 5', line(one)],
        ['one round: GET …/results through app.inject (once)', `${ms(one.httpMs)}, ${(one.bytes / 1e6).toFixed(1)} MB`],
        ['two rounds answered (160,000 answers): first call after the second round', ms(two.coldMs)],
        ['two rounds: results.cohort again, median of 5', line(two)],
        [
          'two rounds: GET …/results through app.inject (once)',
          `${ms(two.httpMs)}, ${(two.bytes / 1e6).toFixed(1)} MB`,
        ],
        [`**goal < ${GOAL_MS} ms (one round / two rounds)**`, `**${ms(one.median)} / ${ms(two.median)}**`],
        ['results in the report (one round / two rounds)', `${one.n} / ${two.n}`],
      ],
      ok: one.median < GOAL_MS && two.median < GOAL_MS && one.n === ORGANISATIONS && two.n === 2 * ORGANISATIONS,
    };
  } finally {
    await kalaja.close();
    removeDir(dataDir);
  }
}
