// One server process's view of a seeded programme, for bench/cohort.js: opens Kalaja on the
// data directory it is given (a process that has just started: nothing in memory), signs a
// manager in (a session row, as sign-in makes it), and times the results routes through
// app.inject — the first call, then warm calls — printing one JSON line.
//
//   node bench/cohort-child.js DATA_DIR PROGRAMME_ID first|full
//
// `first` times only the first call. `full` also times warm calls, the JSON sizes, and the
// call after one answer is saved.
import { loadConfig } from '../apps/server/dist/config.js';
import { newId } from '../apps/server/dist/ids.js';
import { hashToken, newToken } from '../apps/server/dist/modules/auth/auth-tokens.js';
import { systemActor } from '../apps/server/dist/modules/access/access-types.js';
import { createKalaja } from '../apps/server/dist/server.js';
import { median } from './lib.js';
import { frameworkQuestions } from './server-fixture.js';

const [dataDir, programmeId, mode] = process.argv.slice(2);
const kalaja = await createKalaja(loadConfig({ KALAJA_DATA_DIR: dataDir, KALAJA_LOG_LEVEL: 'warn' }));
const { db } = kalaja.database;
const out = {};
try {
  // A manager of the programme with a complete session (password and second factor passed).
  const userId = newId();
  const now = Date.now();
  await db
    .insertInto('users')
    .values({
      id: userId,
      email: `manager-${userId}@bench.kalaja.test`,
      display_name: 'Bench Manager',
      password_hash: 'not-a-password-hash',
      totp_sealed: null,
      totp_enabled_at: now,
      totp_last_step: null,
      is_instance_admin: 0,
      disabled_at: null,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('memberships')
    .values({
      id: newId(),
      user_id: userId,
      role: 'programme_manager',
      programme_id: programmeId,
      organisation_id: null,
      created_at: now,
    })
    .execute();
  const token = newToken();
  await kalaja.stores.sessions.create({
    id: hashToken(token),
    userId,
    userAgent: 'bench',
    handle: newId(),
    mfa: true,
    at: now,
  });
  const get = async (path) => {
    const t = performance.now();
    const res = await kalaja.app.inject({ method: 'GET', url: path, headers: { cookie: `kalaja_session=${token}` } });
    const ms = performance.now() - t;
    if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return { ms, bytes: res.rawPayload.length };
  };
  const base = `/api/v1/programmes/${programmeId}/results`;
  const routes = {
    summary: `${base}/summary`,
    page: `${base}/organisations?offset=0&limit=100`,
    full: base,
  };

  // What the app reads before the results page asks for results: who is signed in, and the
  // programme. A server that has just started has served these first, as it does for a person.
  await get('/api/v1/me');
  await get(`/api/v1/programmes/${programmeId}`);
  // The page's first read, as the results page makes it: the summary, then the first page.
  const first = await get(routes.summary);
  out.firstMs = first.ms;
  out.firstPageMs = (await get(routes.page)).ms;
  if (mode === 'full') {
    for (const [name, path] of Object.entries(routes)) {
      const times = [];
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const r = await get(path);
        times.push(r.ms);
        bytes = r.bytes;
      }
      out[name] = { ms: median(times), min: Math.min(...times), max: Math.max(...times), bytes };
    }
    // One answer saved (as the manager, the validated layer): the next summary scores that
    // assessment again and recomputes the cohort figures, nothing else.
    const [assessment] = await db
      .selectFrom('assessments')
      .select(['id'])
      .where('programme_id', '=', programmeId)
      .where('answers_version', '>', 0)
      .limit(1)
      .execute();
    const q = frameworkQuestions()[0];
    const manager = {
      ...systemActor('bench'),
      userId,
      memberships: [{ role: 'programme_manager', programmeId, organisationId: null }],
    };
    await kalaja.services.assessments.saveValidated(manager, assessment.id, q.id, { answer: q.options[0], note: '' });
    out.afterSaveMs = (await get(routes.summary)).ms;
  }
} finally {
  await kalaja.close();
}
process.stdout.write(`${JSON.stringify(out)}\n`);
