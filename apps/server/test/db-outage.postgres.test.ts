import { sql as kysql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

/**
 * PostgreSQL going away under a running server: requests answer 503 with Retry-After while it
 * is gone, and the server recovers by itself when it is back. The outage is made by refusing
 * new connections to the test database and ending the open ones. (`*.postgres.test.ts` files
 * run when KALAJA_TEST_DATABASE_URL is set — always in CI; see vitest.config.ts.)
 */
describe('a database outage on PostgreSQL', () => {
  let h: Harness;
  let admin: Client;
  let name: string;
  const adminUrl = process.env.KALAJA_TEST_DATABASE_URL!;
  const sql = async (text: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    h = await startHarness('postgres');
    admin = await h.admin();
    name = new URL((h.test.config as { url: string }).url).pathname.slice(1);
  });

  afterAll(async () => {
    await sql(`alter database ${name} allow_connections true`).catch(() => undefined);
    await h?.close();
  });

  it('answers 503 with Retry-After while the database is gone, and recovers by itself', async () => {
    expect((await admin.get('/api/v1/programmes')).status).toBe(200);
    await sql(`alter database ${name} allow_connections false`);
    await sql(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
    );
    const during = await admin.get('/api/v1/programmes');
    expect(during.status).toBe(503);
    expect(during.headers['retry-after']).toBe('5');
    expect(during.json.error.code).toBe('unavailable');
    const health = await h.client().get('/api/v1/health');
    expect(health.status).toBe(503);
    await sql(`alter database ${name} allow_connections true`);
    let after = 0;
    for (let i = 0; i < 20 && after !== 200; i++) {
      after = (await admin.get('/api/v1/programmes')).status;
      if (after !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(after).toBe(200);
    expect((await h.client().get('/api/v1/health')).status).toBe(200);
  });

  it('survives the database going away under a transaction in progress', async () => {
    // A connection checked out of the pool (here: a transaction between two statements) emits
    // its own 'error' when its server ends; with no listener, that event ends the whole
    // process (found by scripts/durability.mjs --postgres).
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    const running = h.kalaja.database.db
      .transaction()
      .execute(async (trx) => {
        await kysql`select 1`.execute(trx);
        await paused;
        await kysql`select 1`.execute(trx);
      })
      .then(
        () => 'finished',
        (e: unknown) => e,
      );
    await new Promise((r) => setTimeout(r, 100));
    await sql(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
    );
    await new Promise((r) => setTimeout(r, 300));
    resume();
    expect(await running).toBeInstanceOf(Error);
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await admin.get('/api/v1/programmes')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});
