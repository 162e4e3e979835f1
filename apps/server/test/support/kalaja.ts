import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Config } from '../../src/config.js';
import { totpCode } from '../../src/modules/auth/auth-totp.js';
import type { ReportRenderer } from '../../src/reports/render-pool.js';
import { createKalaja, type Kalaja } from '../../src/server.js';
import { freshDatabase, type TestDatabase } from './databases.js';

export const PASSWORD = 'correct horse battery staple';

export interface Harness {
  kalaja: Kalaja;
  test: TestDatabase;
  config: Config;
  /** The clock every service reads; tests move it forward. */
  clock: { now: number };
  /** Everything the server logged, for checking that secrets never appear there. */
  logs: string[];
  client(): Client;
  /** A full session for the instance admin created through first-run setup. */
  admin(): Promise<Client>;
  /** Invites someone with a role, accepts, enrols TOTP: a full session for them. */
  join(
    by: Client,
    invitation: { email: string; role: string; programmeId: string; organisationId?: string },
  ): Promise<Client & { userId: string }>;
  close(): Promise<void>;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  body: string;
}

export interface Client {
  cookie: string | undefined;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  get(url: string): Promise<Response>;
  post(url: string, body?: unknown): Promise<Response>;
  put(url: string, body?: unknown): Promise<Response>;
  totpSecret?: string;
}

/** A Kalaja instance on a fresh database of the given kind, driven through `app.inject`. */
export async function startHarness(
  kind: Config['database']['kind'],
  options: { renderer?: ReportRenderer } = {},
): Promise<Harness> {
  const test = await freshDatabase(kind);
  const dataDir = mkdtempSync(join(tmpdir(), 'kalaja-data-'));
  const config: Config = Object.freeze({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    database: test.config,
    key: { kind: 'env', value: randomBytes(32).toString('base64') },
    publicUrl: 'http://localhost:3000',
    loopbackOrigins: false,
    secureCookies: false,
    logLevel: 'info',
    trustProxy: [],
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const clock = { now: Date.now() };
  const kalaja = await createKalaja(config, {
    database: test.database,
    logStream,
    now: () => clock.now,
    ...(options.renderer && { renderer: options.renderer }),
  });
  const app = kalaja.app;

  const client = (): Client => {
    const c: Client = {
      cookie: undefined,
      async request(method, url, body, headers = {}) {
        const res = await app.inject({
          method: method as 'GET',
          url,
          headers: {
            ...(c.cookie ? { cookie: c.cookie } : {}),
            ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
          ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
        });
        const set = res.headers['set-cookie'];
        const first = Array.isArray(set) ? set[0] : set;
        if (first) {
          const pair = first.split(';')[0]!;
          c.cookie = pair.endsWith('=') ? undefined : pair;
        }
        let json: unknown;
        try {
          json = res.body ? JSON.parse(res.body) : undefined;
        } catch {
          json = undefined;
        }
        return { status: res.statusCode, headers: res.headers, json, body: res.body };
      },
      get: (url) => c.request('GET', url),
      post: (url, body) => c.request('POST', url, body ?? {}),
      put: (url, body) => c.request('PUT', url, body ?? {}),
    };
    return c;
  };

  /** Enrols TOTP for a session that owes it, moving the clock so each code is a fresh step. */
  async function enrol(c: Client): Promise<void> {
    const e = await c.post('/api/v1/session/totp');
    if (e.status !== 200) throw new Error(`enrol: ${e.status} ${e.body}`);
    c.totpSecret = e.json.secret;
    clock.now += 31_000;
    const r = await c.post('/api/v1/session/totp/confirm', { code: totpCode(e.json.secret, clock.now) });
    if (r.status !== 200) throw new Error(`confirm: ${r.status} ${r.body}`);
  }

  let adminClient: Client | undefined;
  return {
    kalaja,
    test,
    config,
    clock,
    logs,
    client,
    async admin() {
      if (adminClient) return adminClient;
      const c = client();
      const r = await c.post('/api/v1/setup', {
        token: kalaja.setupToken,
        email: 'admin@kalaja.test',
        displayName: 'Instance Admin',
        password: PASSWORD,
      });
      if (r.status !== 200) throw new Error(`setup: ${r.status} ${r.body}`);
      await enrol(c);
      adminClient = c;
      return c;
    },
    async join(by, invitation) {
      const inv = await by.post('/api/v1/invitations', invitation);
      if (inv.status !== 201) throw new Error(`invite: ${inv.status} ${inv.body}`);
      const token = new URL(inv.json.link).hash.slice(1);
      const c = client();
      const r = await c.post('/api/v1/invitations/accept', {
        token,
        displayName: invitation.email.split('@')[0],
        password: PASSWORD,
      });
      if (r.status !== 200) throw new Error(`accept: ${r.status} ${r.body}`);
      await enrol(c);
      const me = await c.get('/api/v1/me');
      return Object.assign(c, { userId: me.json.id as string });
    },
    async close() {
      await kalaja.app.close();
      await test.destroy();
    },
  };
}

/**
 * The sealed files a harness's server stored, by id: in the data directory on SQLite, in the
 * database (stored_files) on PostgreSQL.
 */
export async function storedFiles(
  h: Harness,
  bucket: 'evidence' | 'reports' | 'incident-reports',
): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  if (h.kalaja.database.dialect === 'postgres') {
    for (const f of await h.kalaja.database.db
      .selectFrom('stored_files')
      .select(['id', 'body'])
      .where('bucket', '=', bucket)
      .execute())
      files.set(f.id, Buffer.from(f.body));
    return files;
  }
  const dir = join(h.config.dataDir, bucket);
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir)) files.set(name, readFileSync(join(dir, name)));
  return files;
}
