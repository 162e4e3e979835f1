import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitBatcher } from '../src/db/commit-batcher.js';
import { auditStore } from '../src/modules/audit/audit-store.js';
import { freshDatabase, type TestDatabase } from './support/databases.js';

/**
 * The statements every request sends are prepared once per connection on PostgreSQL (named
 * statements), not parsed and planned anew each time. (`*.postgres.test.ts` files run when
 * KALAJA_TEST_DATABASE_URL is set.)
 */
describe('prepared statements on PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase('postgres');
  });
  afterAll(async () => {
    await t.destroy();
  });

  const prepared = (conn: TestDatabase['database']['db']) =>
    sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(conn);

  it('prepares a statement with parameters once on a connection and runs it again by name', async () => {
    await t.database.db.connection().execute(async (conn) => {
      const read = () => conn.selectFrom('instance').select('value').where('key', '=', 'schema').execute();
      await read();
      await read();
      const statements = (await prepared(conn)).rows.map((r) => r.statement);
      expect(statements.filter((s) => s.includes('from "instance" where "key" = $1'))).toHaveLength(1);
    });
  });

  it('survives a table changing shape under a prepared statement: one refusal, then it runs unprepared', async () => {
    await t.database.db.connection().execute(async (conn) => {
      const read = () => conn.selectFrom('notices').selectAll().where('user_id', '=', 'nobody').execute();
      await read();
      // Another server process migrates the database meanwhile.
      const other = new pg.Client({ connectionString: (t.config as { url: string }).url });
      await other.connect();
      try {
        await other.query('alter table notices add column later text');
      } finally {
        await other.end();
      }
      await expect(read()).rejects.toMatchObject({ code: '0A000' });
      expect(await read()).toEqual([]);
      expect(await read()).toEqual([]);
    });
  });

  it('writes the audit rows of a batch of any size with one prepared statement', async () => {
    const batcher = new CommitBatcher(t.database.db, { dialect: 'postgres', pipeline: t.database.pipeline });
    const audit = auditStore(t.database.db, 'postgres');
    const actor = { userId: 'system', requestId: 'r', memberships: [], assignments: [], isInstanceAdmin: false };
    for (const size of [1, 3, 7]) {
      await Promise.all(
        Array.from({ length: size }, (_, i) =>
          batcher.run(
            (tx) =>
              audit.append(
                actor as never,
                { action: 'test.batch', objectType: 'test', objectId: `${size}-${i}`, organisationId: null },
                Date.now(),
                tx,
              ),
            { group: true },
          ),
        ),
      );
    }
    // Batches one after the other take the same idle connection of the pipeline's pool.
    const { rows } = await t.database.pipeline!.query<{ statement: string }>(
      'select statement from pg_prepared_statements',
    );
    expect(rows.filter((r) => /^insert into "?audit_log/.test(r.statement))).toHaveLength(1);
    const written = await t.database.db
      .selectFrom('audit_log')
      .select('object_id')
      .where('action', '=', 'test.batch')
      .orderBy('seq')
      .execute();
    expect(written.map((r) => r.object_id)).toEqual(
      [1, 3, 7].flatMap((size) => Array.from({ length: size }, (_, i) => `${size}-${i}`)),
    );
  });
});
