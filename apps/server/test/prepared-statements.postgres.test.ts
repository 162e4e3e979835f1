import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
