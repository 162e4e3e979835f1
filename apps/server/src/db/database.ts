import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type Migration,
  type MigrationProvider,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import * as initial from './migrations/20261123T0900-initial.js';
import * as assessorIndex from './migrations/20261123T1000-assessor-index.js';
import * as reportJobs from './migrations/20261123T1100-report-jobs.js';
import * as sessionHandles from './migrations/20261123T1200-session-handles.js';
import * as passkeys from './migrations/20261123T1300-passkeys.js';
import * as publications from './migrations/20261203T0900-publications.js';
import * as recommendationEdits from './migrations/20261203T1000-recommendation-edits.js';
import * as answerImports from './migrations/20261203T1100-answer-imports.js';
import * as storedFiles from './migrations/20261203T1200-stored-files.js';
import * as plans from './migrations/20261203T1300-plans.js';
import * as resultsCache from './migrations/20261203T1400-results-cache.js';
import * as roundLifecycle from './migrations/20261203T1500-round-lifecycle.js';
import * as carriedAnswers from './migrations/20261203T1600-carried-answers.js';
import * as domainAccounts from './migrations/20261203T1700-domain-accounts.js';
import * as trainings from './migrations/20261203T1800-trainings.js';
import * as findings from './migrations/20261203T2000-findings.js';
import * as userLanguage from './migrations/20261204T0100-user-language.js';
import * as publishedFindings from './migrations/20261204T0200-published-findings.js';
import * as reporting from './migrations/20261204T1000-reporting.js';
import * as incidents from './migrations/20261204T1100-incidents.js';
import * as surveys from './migrations/20261205T0100-surveys.js';
import * as openness from './migrations/20261205T0200-openness.js';
import * as threatDifferencing from './migrations/20261205T0700-threat-differencing.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** A store method's connection: the database, or the transaction it runs inside. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  dialect: Dialect;
  /** PostgreSQL: a few connections in pipeline mode, for batches of saves (see CommitBatcher). */
  pipeline?: pg.Pool;
  close(): Promise<void>;
}

// pg returns bigint (int8) as a string to protect precision; our int8 columns are epoch
// milliseconds and counters, well inside Number's exact range.
pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));

/**
 * Connections of a server process's pool on PostgreSQL, sized to its cores: a request holds one
 * for a statement or a short transaction at a time, and the sessions of requests arriving together
 * share one read, so a few per core keep the cores busy; more only queue on the database's side.
 * (The batches of saves have their own few, see `pipeline` below.)
 */
export const POOL_SIZE = Math.min(20, Math.max(6, 2 * availableParallelism() + 2));

/** Statement texts and their names, shared by every connection; beyond the bound, statements go unnamed. */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 200;

/**
 * How Kysely's statements reach a PostgreSQL connection.
 *
 * Kysely sends every statement unnamed, so PostgreSQL parses and plans the same few statements
 * of every request again each time. A connection that names them prepares each once and then
 * only binds it. The names are bounded (statements with IN-lists vary in length). A statement
 * that PostgreSQL refuses to run again because a table it reads changed shape ("cached plan
 * must not change result type", after another server process migrated the database) fails
 * once; the connection then stops naming statements.
 *
 * A text of several statements without parameters goes in one round trip and answers with a
 * result for each; Kysely reads one result, so it gets the last statement's.
 */
function preparing(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let naming = true;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config !== 'string' || callback) return query(config, values, callback);
    if (!Array.isArray(values) || values.length === 0)
      return (query(config, values) as Promise<unknown>).then((r) => (Array.isArray(r) ? r[r.length - 1] : r));
    if (!naming) return query(config, values);
    let name = statementNames.get(config);
    if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
      name = `kalaja_${statementNames.size}`;
      statementNames.set(config, name);
    }
    if (name === undefined) return query(config, values);
    return (query({ name, text: config, values }) as Promise<unknown>).catch((e: unknown) => {
      if ((e as { code?: string }).code === '0A000') naming = false;
      throw e;
    });
  };
}

/**
 * Opens the configured database. SQLite runs in WAL mode with synchronous=FULL (an
 * acknowledged write survives a power cut), foreign keys on, and secure_delete so that deleted
 * ciphertext is overwritten in the file rather than left in free pages.
 */
export function openDatabase(database: Config['database']): Database {
  if (database.kind === 'sqlite') {
    mkdirSync(dirname(database.file), { recursive: true, mode: 0o700 });
    const sqlite = new SQLite(database.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('secure_delete = ON');
    // Kysely prepares every statement afresh; the same few statements run on every save, so
    // keep the prepared ones (bounded: SQL with IN-lists varies). Statements run one at a
    // time behind Kysely's connection mutex, so sharing them is safe.
    const statements = new Map<string, SQLite.Statement>();
    const cached = {
      prepare(sqlText: string) {
        let stmt = statements.get(sqlText);
        if (!stmt) {
          if (statements.size >= 500) statements.clear();
          stmt = sqlite.prepare(sqlText);
          statements.set(sqlText, stmt);
        }
        return stmt;
      },
      close: () => sqlite.close(),
    };
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cached }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  // A client that loses its server (a database restart) must not crash the process. The pool
  // reports idle clients' errors on itself; a checked-out client emits its own 'error' as well
  // as failing its query, and without a listener that event would end the process. The failed
  // query answers the request (503); the pool drops the broken client when it is released.
  const pooled = (options: pg.PoolConfig) => {
    const p = new pg.Pool({ connectionString: database.url, ...options });
    p.on('error', () => undefined);
    p.on('connect', (client) => {
      client.on('error', () => undefined);
      preparing(client);
    });
    return p;
  };
  const pool = pooled({ max: POOL_SIZE });
  // Batches of saves, one at a time mostly (see CommitBatcher): a connection for each that may
  // run at once. Pipeline mode sends a statement without waiting for the one before to answer.
  const pipeline = pooled({ max: 4, pipeline: true });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    pipeline,
    close: async () => {
      await db.destroy();
      await pipeline.end();
    },
  };
}

/** Migrations in order; names are timestamps so that order is clear and stable. */
const MIGRATIONS: Record<string, { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> }> = {
  '20261123T0900-initial': initial,
  '20261123T1000-assessor-index': assessorIndex,
  '20261123T1100-report-jobs': reportJobs,
  // Session handles, known devices and notices (threat model, T1).
  '20261123T1200-session-handles': sessionHandles,
  // Passkeys, the second factor a session used, and admin-issued recovery links (decision 7).
  '20261123T1300-passkeys': passkeys,
  // Published versions of a round's results, what observers see (threat model, T9).
  '20261203T0900-publications': publications,
  // The programme team's review of drafted recommendations.
  '20261203T1000-recommendation-edits': recommendationEdits,
  // Answer imports as jobs: staged, then applied assessment by assessment (decision 0010).
  '20261203T1100-answer-imports': answerImports,
  // Evidence and report files in PostgreSQL, shared by every server process.
  '20261203T1200-stored-files': storedFiles,
  // Organisations' plans: items, their evidence and history (docs/contracts.md, 7).
  '20261203T1300-plans': plans,
  // The answers version of each assessment and its sealed choices: results at the size of a region (decision 0011).
  '20261203T1400-results-cache': resultsCache,
  // Rounds that open and close; a closed round is read-only, a reopening has its reason (issue 13).
  '20261203T1500-round-lifecycle': roundLifecycle,
  // The answers of the round before, carried over beside each question to confirm or change.
  '20261203T1600-carried-answers': carriedAnswers,
  // The qualitative reassessment: per domain, what changed and why, the assessor's and the organisation's.
  '20261203T1700-domain-accounts': domainAccounts,
  // Training sessions, participants, their check links and results (issue 14).
  '20261203T1800-trainings': trainings,
  // Technical findings: what assessors found, its review, plan item and retest (issue 20).
  '20261203T2000-findings': findings,
  // A person's language, remembered on their account (issue 16).
  '20261204T0100-user-language': userLanguage,
  // Observers' counts of findings, frozen with each published version (issue 20).
  '20261204T0200-published-findings': publishedFindings,
  // The secure reporting channel: sealed reports, their messages and files, and the receivers (issue 17).
  '20261204T1000-reporting': reporting,
  // The incident log, sealed, with its versions and the organisation's consent to its assessors (issue 17).
  '20261204T1100-incidents': incidents,
  // The survey a programme runs beside the assessment and each organisation's sealed answers (issue 17).
  '20261205T0100-surveys': surveys,
  // The openness index: institutions, their answers with evidence, questionnaire links, published waves (issue 18).
  '20261205T0200-openness': openness,
  '20261205T0700-threat-differencing': threatDifferencing,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, this.dialect) }]),
    );
  }
}

/** Applies every pending migration; returns the names applied. Throws with the failing one named. */
export async function migrate(database: Database): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider: new StaticProvider(database.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
