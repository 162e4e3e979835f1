import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { answerStore } from '../src/modules/assessments/answer-store.js';
import { startHarness, type Harness } from './support/kalaja.js';

/**
 * Results calls and report jobs keep each assessment's sealed choices (decision 0011), in one
 * server process or several at once. Under the load of a region, two of them keeping the same
 * assessments in different orders waited on each other until PostgreSQL failed one
 * (deadlock_detected), and the results call behind it answered 500.
 */
describe('keeping sealed choices from two server processes at once on PostgreSQL', () => {
  let h: Harness;
  let processes: Database[];
  let ids: string[];

  beforeAll(async () => {
    h = await startHarness('postgres');
    const admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const programme = (
      await admin.post('/api/v1/programmes', { name: 'Two', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json;
    for (const name of ['Alpha', 'Beta'])
      await admin.post(`/api/v1/programmes/${programme.id}/organisations`, {
        name,
        kind: 'cso',
        sizeBand: '1-5',
        country: 'XK',
      });
    const db = h.kalaja.database.db;
    ids = (await db.selectFrom('assessments').select('id').where('programme_id', '=', programme.id).execute())
      .map((a) => a.id)
      .sort();
    expect(ids).toHaveLength(2);
    // Each row a transaction writes takes a moment: long enough for the two to interleave.
    await sql`create function kalaja_test_slowly() returns trigger language plpgsql as
      $$ begin perform pg_sleep(0.3); return new; end $$`.execute(db);
    await sql`create trigger kalaja_test_slowly before insert on assessment_choices
      for each row execute function kalaja_test_slowly()`.execute(db);
    processes = [openDatabase(h.test.config), openDatabase(h.test.config)];
  });

  afterAll(async () => {
    for (const p of processes ?? []) await p.close();
    await h?.close();
  });

  it('never waits in a circle whatever order each is handed, and keeps the later version', async () => {
    const [lo, hi] = ids as [string, string];
    const snapshot = (assessmentId: string, answersVersion: number) => ({
      assessmentId,
      answersVersion,
      sealed: Buffer.from([answersVersion]),
    });
    const keep = (p: Database, list: ReturnType<typeof snapshot>[]) =>
      p.db.transaction().execute((tx) => answerStore(p.db, 'postgres').putChoiceSnapshots(list, tx));
    const [a, b] = processes as [Database, Database];
    // One holds the first row while it writes the second; the other was handed them the other way round.
    await Promise.all([keep(a, [snapshot(lo, 2), snapshot(hi, 2)]), keep(b, [snapshot(hi, 1), snapshot(lo, 1)])]);
    const kept = await h.kalaja.database.db
      .selectFrom('assessment_choices')
      .select(['assessment_id', 'answers_version'])
      .orderBy('assessment_id')
      .execute();
    expect(kept).toEqual([
      { assessment_id: lo, answers_version: 2 },
      { assessment_id: hi, answers_version: 2 },
    ]);
  });
});
