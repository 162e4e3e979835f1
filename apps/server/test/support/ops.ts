import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { main } from '../../src/cli/main.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { systemActor } from '../../src/modules/access/access-types.js';
import { totpCode } from '../../src/modules/auth/auth-totp.js';
import { createKalaja, type Kalaja } from '../../src/server.js';
import { freshDatabase, type TestDatabase } from './databases.js';
import { PASSWORD } from './kalaja.js';

/**
 * An instance as the operations commands see it: a data directory and a key in the
 * environment (and a fresh PostgreSQL database when asked), run through `kalaja` in-process
 * and started as the server would be, as often as a test needs.
 */

export type Env = Record<string, string>;

export interface Response {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  body: string;
  rawBody: Buffer;
}

export interface Client {
  request(method: string, url: string, body?: unknown): Promise<Response>;
  get(url: string): Promise<Response>;
}

export interface Running {
  kalaja: Kalaja;
  /** A client with a full session: signs in with the admin's password and a TOTP code. */
  signIn(email: string, secret: string): Promise<Client>;
  close(): Promise<void>;
}

export interface OpsInstance {
  kind: Config['database']['kind'];
  env: Env;
  dataDir: string;
  /** The PostgreSQL test database; undefined on SQLite. */
  test: TestDatabase | undefined;
  /** Starts the server on this instance (with `override` merged into the environment). */
  start(override?: Env): Promise<Running>;
  run(argv: string[], override?: Env): Promise<{ code: number; stdout: string; stderr: string }>;
  destroy(): Promise<void>;
}

/** The TOTP clock: every code a test asks for is in a step of its own. */
let clock = Date.now();
const tick = () => (clock += 31_000);

export const newKey = () => randomBytes(32).toString('base64');

export async function opsInstance(kind: Config['database']['kind']): Promise<OpsInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kalaja-ops-'));
  const test = kind === 'postgres' ? await freshDatabase('postgres') : undefined;
  const env: Env = {
    KALAJA_DATA_DIR: dataDir,
    KALAJA_KEY: newKey(),
    ...(test && { DATABASE_URL: (test.config as { url: string }).url }),
  };
  return {
    kind,
    env,
    dataDir,
    test,
    async start(override = {}) {
      const kalaja = await createKalaja(
        { ...loadConfig({ ...env, ...override }), logLevel: 'silent' },
        { now: () => clock },
      );
      const client = (): Client & { cookie?: string } => {
        const c: Client & { cookie?: string } = {
          async request(method, url, body) {
            const res = await kalaja.app.inject({
              method: method as 'GET',
              url,
              headers: {
                ...(c.cookie ? { cookie: c.cookie } : {}),
                ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
              },
              ...(body !== undefined && { payload: JSON.stringify(body) }),
            });
            const set = res.headers['set-cookie'];
            const first = Array.isArray(set) ? set[0] : set;
            if (first) c.cookie = first.split(';')[0];
            let json: unknown;
            try {
              json = JSON.parse(res.body);
            } catch {
              json = undefined;
            }
            return { status: res.statusCode, json, body: res.body, rawBody: res.rawPayload };
          },
          get: (url) => c.request('GET', url),
        };
        return c;
      };
      return {
        kalaja,
        async signIn(email, secret) {
          const c = client();
          const s = await c.request('POST', '/api/v1/session', { email, password: PASSWORD });
          if (s.status !== 200) throw new Error(`sign in: ${s.status} ${s.body}`);
          const m = await c.request('POST', '/api/v1/session/mfa', { code: totpCode(secret, tick()) });
          if (m.status !== 200) throw new Error(`mfa: ${m.status} ${m.body}`);
          return c;
        },
        close: () => kalaja.close(),
      };
    },
    async run(argv, override = {}) {
      let stdout = '';
      let stderr = '';
      const code = await main(
        argv,
        { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
        { ...env, ...override },
      );
      return { code, stdout, stderr };
    },
    async destroy() {
      rmSync(dataDir, { recursive: true, force: true });
      await test?.destroy();
    },
  };
}

/** Distinctive strings planted in every kind of sealed data, to look for in files. */
export const CANARIES = {
  own: 'CANARY-own-note-3e9a',
  validated: 'CANARY-validated-note-c41f',
  interview: 'CANARY-interview-77b2',
  evidence: 'CANARY-evidence-body-0d6e',
  evidenceName: 'CANARY-evidence-name-a5c8',
};

export interface Seeded {
  adminEmail: string;
  totpSecret: string;
  programmeId: string;
  organisationId: string;
  organisationName: string;
  assessmentId: string;
  evidenceId: string;
}

/**
 * Creates the first account (with TOTP), a programme with one organisation, and data sealed
 * under its key through the API and services: an own and a validated answer with notes, an
 * interview note and an evidence file, each holding a canary. Also loads the demo cohort, so
 * there are many organisations and answers.
 */
export async function seed(running: Running, organisationName = 'Kumbona e Drenic\u00ebs (test)'): Promise<Seeded> {
  const { kalaja } = running;
  const app = kalaja.app;
  let cookie = '';
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    const set = res.headers['set-cookie'];
    const first = Array.isArray(set) ? set[0] : set;
    if (first) cookie = first.split(';')[0]!;
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const adminEmail = 'admin@ops.test';
  await call('POST', '/api/v1/setup', {
    token: kalaja.setupToken,
    email: adminEmail,
    displayName: 'Admin',
    password: PASSWORD,
    demo: true,
  });
  const { secret } = await call('POST', '/api/v1/session/totp', {});
  await call('POST', '/api/v1/session/totp/confirm', { code: totpCode(secret, tick()) });
  const frameworkId = (await call('GET', '/api/v1/frameworks'))[0].id;
  const programmeId = (
    await call('POST', '/api/v1/programmes', { name: 'Ops', frameworkId, rounds: [{ name: 'baseline' }] })
  ).id;
  const organisationId = (
    await call('POST', `/api/v1/programmes/${programmeId}/organisations`, {
      name: organisationName,
      kind: 'media',
      sizeBand: '1-5',
      country: 'XK',
    })
  ).id;
  const assessmentId = (await call('GET', `/api/v1/programmes/${programmeId}/progress`))[0].assessmentId;
  const system = systemActor('test');
  // The organisation's own answer, as its member would give it (the service, without a second account).
  const member = {
    ...system,
    userId: 'member-test',
    isInstanceAdmin: false,
    memberships: [{ role: 'org_admin' as const, programmeId, organisationId }],
  };
  await kalaja.services.assessments.saveOwn(member, assessmentId, 'access.mfa-email', {
    answer: 'none',
    note: CANARIES.own,
  });
  await call('PUT', `/api/v1/assessments/${assessmentId}/validated/access.mfa-email`, {
    answer: 'some',
    note: CANARIES.validated,
  });
  await call('POST', `/api/v1/assessments/${assessmentId}/interview-notes`, {
    domain: 'access',
    body: CANARIES.interview,
  });
  const evidence = await kalaja.services.evidence.upload(system, assessmentId, async () => ({
    file: {
      name: `${CANARIES.evidenceName}.txt`,
      declaredType: 'text/plain',
      bytes: Buffer.from(`Router password policy: ${CANARIES.evidence}\n`),
    },
  }));
  return {
    adminEmail,
    totpSecret: secret,
    programmeId,
    organisationId,
    organisationName,
    assessmentId,
    evidenceId: evidence.id,
  };
}

/** Reads back through the API everything `seed` sealed; throws on any status but 200. */
export async function readBack(client: Client, s: Seeded) {
  const ok = (r: Response) => {
    if (r.status !== 200) throw new Error(`${r.status} ${r.body}`);
    return r;
  };
  const assessment = ok(await client.get(`/api/v1/assessments/${s.assessmentId}`)).json;
  const answer = assessment.answers.find((a: { question: string }) => a.question === 'access.mfa-email');
  const notes = ok(await client.get(`/api/v1/assessments/${s.assessmentId}/interview-notes`)).json;
  const files = ok(await client.get(`/api/v1/assessments/${s.assessmentId}/evidence`)).json;
  const file = ok(await client.get(`/api/v1/evidence/${s.evidenceId}`));
  return {
    own: answer.own.note as string,
    validated: answer.validated.note as string,
    interview: notes[0].body as string,
    evidenceName: files[0].name as string,
    evidence: file.rawBody.toString('utf8'),
  };
}

/** The tables of an open database, by name; with `application`, without the migrations' own. */
async function tableNames(database: Database, application = false): Promise<string[]> {
  const names =
    database.dialect === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
            database.db,
          )
        ).rows.map((r) => r.name)
      : (
          await sql<{
            name: string;
          }>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(
            database.db,
          )
        ).rows.map((r) => r.name);
  return application ? names.filter((n) => !n.startsWith('kysely_')) : names;
}

/**
 * The instance's tables that hold any row, read without creating anything: an instance whose
 * SQLite file does not exist holds none, and a freshly migrated PostgreSQL database none either.
 */
export async function tablesWithRows(instance: OpsInstance): Promise<string[]> {
  const config = loadConfig(instance.env);
  if (config.database.kind === 'sqlite' && !existsSync(config.database.file)) return [];
  const database = openDatabase(config.database);
  try {
    const filled: string[] = [];
    for (const table of await tableNames(database, true)) {
      const rows = await sql`select 1 from ${sql.table(table)} limit 1`.execute(database.db);
      if (rows.rows.length > 0) filled.push(table);
    }
    return filled;
  } finally {
    await database.close();
  }
}

/**
 * A content hash of every table (rows in a canonical order, binary as hex) and of every
 * evidence file: equal hashes mean the same data.
 */
export async function contentHashes(instance: OpsInstance): Promise<Record<string, string>> {
  const config = loadConfig(instance.env);
  const database = openDatabase(config.database);
  const hashes: Record<string, string> = {};
  try {
    const tables = await tableNames(database);
    for (const table of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(database.db)).rows;
      const lines = rows
        .map((row) =>
          JSON.stringify(
            Object.keys(row)
              .sort()
              .map((k) => {
                const v = row[k];
                return [k, v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v];
              }),
          ),
        )
        .sort();
      hashes[`table:${table}`] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
    }
    // On PostgreSQL the evidence files are rows (stored_files); each is hashed as a file too.
    if (database.dialect === 'postgres')
      for (const f of await database.db
        .selectFrom('stored_files')
        .select(['id', 'body'])
        .where('bucket', '=', 'evidence')
        .orderBy('id')
        .execute())
        hashes[`evidence:${f.id}`] = createHash('sha256').update(f.body).digest('hex');
  } finally {
    await database.close();
  }
  const evidence = join(instance.dataDir, 'evidence');
  if (existsSync(evidence))
    for (const f of readdirSync(evidence).sort())
      hashes[`evidence:${f}`] = createHash('sha256')
        .update(readFileSync(join(evidence, f)))
        .digest('hex');
  return hashes;
}
