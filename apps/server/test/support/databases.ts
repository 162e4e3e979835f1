import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config.js';
import { migrate, openDatabase, type Database } from '../../src/db/database.js';

/**
 * The databases every integration suite runs on: SQLite always; PostgreSQL when
 * KALAJA_TEST_DATABASE_URL names a server (CI always sets it, and `.ci/run` fails when the
 * server is unreachable, so the PostgreSQL path is never silently left out there).
 */
export const DATABASES: Config['database']['kind'][] = [
  'sqlite',
  ...(process.env.KALAJA_TEST_DATABASE_URL ? (['postgres'] as const) : []),
];

export interface TestDatabase {
  database: Database;
  config: Config['database'];
  /** Drops everything the test database holds. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database of the given kind: a new SQLite file, or a new PostgreSQL database. */
export async function freshDatabase(kind: Config['database']['kind']): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kalaja-db-'));
    const config = { kind: 'sqlite', file: join(dir, 'kalaja.sqlite') } as const;
    const database = openDatabase(config);
    await migrate(database);
    return {
      database,
      config,
      destroy: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = process.env.KALAJA_TEST_DATABASE_URL!;
  const name = `kalaja_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await withClient(admin, (c) => c.query(`create database ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const config = { kind: 'postgres', url: url.toString() } as const;
  const database = openDatabase(config);
  await migrate(database);
  return {
    database,
    config,
    destroy: async () => {
      await database.close();
      await withClient(admin, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
