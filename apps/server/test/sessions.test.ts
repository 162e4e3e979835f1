import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Argon2 from '@node-rs/argon2';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import * as initial from '../src/db/migrations/20261123T0900-initial.js';
import * as sessionHandles from '../src/db/migrations/20261123T1200-session-handles.js';
import { systemActor } from '../src/modules/access/access-types.js';
import { MAX_FAILURES } from '../src/modules/auth/throttle-service.js';
import { totpCode } from '../src/modules/auth/auth-totp.js';
import { addressFamily, deviceFingerprint } from '../src/modules/sessions/devices.js';
import { summariseUserAgent } from '../src/modules/sessions/user-agent.js';
import { DATABASES } from './support/databases.js';
import { PASSWORD, startHarness, type Client, type Harness } from './support/kalaja.js';

/** Every argon2 verification the server runs, by the hash it checks against. */
const argon2 = vi.hoisted(() => ({ verified: [] as string[] }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof Argon2>();
  return {
    ...real,
    verify: vi.fn((hash: string, password: string) => {
      argon2.verified.push(hash);
      return real.verify(hash, password);
    }),
  };
});

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const ORG = { kind: 'cso', sizeBand: '1-5', country: 'XK' } as const;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A browser on a device: its own user agent, address and cookie. */
interface Device {
  cookie: string | undefined;
  request(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown): Promise<Reply>;
}

describe('user agents in words', () => {
  it('names the common browsers and systems, and nothing else', () => {
    expect(summariseUserAgent(FIREFOX_LINUX)).toEqual({ browser: 'Firefox', os: 'Linux' });
    expect(summariseUserAgent(SAFARI_IPHONE)).toEqual({ browser: 'Safari', os: 'iOS' });
    expect(summariseUserAgent(CHROME_WINDOWS)).toEqual({ browser: 'Chrome', os: 'Windows' });
    expect(summariseUserAgent(`${CHROME_WINDOWS} Edg/126.0.0.0`)).toEqual({ browser: 'Edge', os: 'Windows' });
    expect(
      summariseUserAgent(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
      ),
    ).toEqual({ browser: 'Chrome', os: 'Android' });
    expect(summariseUserAgent('curl/8.5.0')).toEqual({ browser: null, os: null });
    expect(summariseUserAgent('')).toEqual({ browser: null, os: null });
  });

  it('tells address families apart without keeping the address', () => {
    expect(addressFamily('192.0.2.7')).toBe('ipv4');
    expect(addressFamily('::ffff:192.0.2.7')).toBe('ipv4');
    expect(addressFamily('2001:db8::1')).toBe('ipv6');
    expect(deviceFingerprint(FIREFOX_LINUX, 'ipv4')).toMatch(/^[0-9a-f]{64}$/);
    expect(deviceFingerprint(FIREFOX_LINUX, 'ipv4')).not.toBe(deviceFingerprint(FIREFOX_LINUX, 'ipv6'));
  });
});

describe('the session-handles migration', () => {
  it('gives sessions that exist before it a handle each, unique', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalaja-migration-'));
    const database = openDatabase({ kind: 'sqlite', file: join(dir, 'kalaja.sqlite') });
    try {
      const db = database.db;
      await initial.up(db as never, 'sqlite');
      await sql`insert into users (id, email, display_name, password_hash, is_instance_admin, created_at)
                values ('u1', 'a@x.test', 'A', 'x', 0, 0)`.execute(db);
      for (const id of ['s1', 's2', 's3'])
        await sql`insert into sessions (id, user_id, created_at, last_seen_at, reauth_at, user_agent)
                  values (${id}, 'u1', 0, 0, 0, 'ua')`.execute(db);
      await sessionHandles.up(db as never, 'sqlite');
      const handles = (await db.selectFrom('sessions').select('handle').orderBy('id').execute()).map((r) => r.handle);
      expect(handles).toHaveLength(3);
      expect(new Set(handles).size).toBe(3);
      for (const h of handles) expect(h).toMatch(/^[A-Za-z0-9_-]{22}$/);
      await expect(sql`update sessions set handle = ${handles[0]} where id = 's2'`.execute(db)).rejects.toThrow(
        /UNIQUE/,
      );
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(DATABASES)('sessions, notices and disabling accounts on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let programmeId: string;
  let dana: Client & { userId: string };
  let erin: Client & { userId: string };

  /** A device with its own user agent and address, talking to the same server. */
  function device(userAgent: string, remoteAddress: string): Device {
    const d: Device = {
      cookie: undefined,
      async request(method, url, body) {
        const res = await h.kalaja.app.inject({
          method,
          url,
          remoteAddress,
          headers: {
            'user-agent': userAgent,
            ...(d.cookie && { cookie: d.cookie }),
            ...(body !== undefined && { 'content-type': 'application/json' }),
          },
          ...(body !== undefined && { payload: JSON.stringify(body) }),
        });
        const set = res.headers['set-cookie'];
        const first = Array.isArray(set) ? set[0] : set;
        if (first) {
          const pair = first.split(';')[0]!;
          d.cookie = pair.endsWith('=') ? undefined : pair;
        }
        return { status: res.statusCode, headers: res.headers, json: res.body ? JSON.parse(res.body) : undefined };
      },
    };
    return d;
  }

  /** Signs in with the password and a fresh TOTP code (the clock moves to the next step). */
  async function signIn(d: Device, email: string, secret: string): Promise<void> {
    const r = await d.request('POST', '/api/v1/session', { email, password: PASSWORD });
    expect([r.status, r.json]).toEqual([200, { next: 'mfa', factors: ['totp', 'recovery_code'] }]);
    h.clock.now += 31_000;
    const m = await d.request('POST', '/api/v1/session/mfa', { code: totpCode(secret, h.clock.now) });
    expect(m.status).toBe(200);
  }

  /** Step-up: the password and a fresh code again. */
  async function reauth(c: Client): Promise<void> {
    h.clock.now += 31_000;
    const r = await c.post('/api/v1/session/reauth', {
      password: PASSWORD,
      code: totpCode(c.totpSecret!, h.clock.now),
    });
    expect(r.status).toBe(204);
  }

  /** Signs the admin in again (after the clock has moved past the session's timeouts). */
  async function adminAgain(): Promise<void> {
    expect((await admin.post('/api/v1/session', { email: 'admin@kalaja.test', password: PASSWORD })).status).toBe(200);
    h.clock.now += 31_000;
    expect((await admin.post('/api/v1/session/mfa', { code: totpCode(admin.totpSecret!, h.clock.now) })).status).toBe(
      200,
    );
  }

  const auditRows = (action: string) =>
    h.kalaja.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    programmeId = (
      await admin.post('/api/v1/programmes', { name: 'Ours', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
    dana = await h.join(admin, { email: 'dana@x.test', role: 'observer', programmeId });
    erin = await h.join(admin, { email: 'erin@x.test', role: 'observer', programmeId });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lists your own sessions by handle, with the device in words and this one marked', async () => {
    const laptop = device(FIREFOX_LINUX, '192.0.2.10');
    const signedInAt = new Date(h.clock.now).toISOString();
    await signIn(laptop, 'dana@x.test', dana.totpSecret!);
    const halfway = device(SAFARI_IPHONE, '192.0.2.11');
    await halfway.request('POST', '/api/v1/session', { email: 'dana@x.test', password: PASSWORD });

    const list = await laptop.request('GET', '/api/v1/sessions');
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(3);
    const byBrowser = Object.fromEntries(list.json.map((s: { browser: string | null }) => [s.browser, s]));
    expect(byBrowser.Firefox).toMatchObject({ os: 'Linux', current: true, secondFactor: true });
    expect(byBrowser.Safari).toMatchObject({ os: 'iOS', current: false, secondFactor: false });
    expect(byBrowser.null).toMatchObject({ os: null, current: false, secondFactor: true }); // the harness's own
    // Created at the password step; the second factor half a minute later is not yet worth a
    // write of last_seen_at (at most one a minute).
    expect(byBrowser.Firefox).toMatchObject({ createdAt: signedInAt, lastSeenAt: signedInAt });

    // The handle is not the token's hash, and nobody else's sessions are listed.
    const rows = await h.kalaja.database.db.selectFrom('sessions').select(['id', 'handle', 'user_id']).execute();
    const ids = list.json.map((s: { id: string }) => s.id);
    expect(ids.every((id: string) => rows.some((r) => r.handle === id && r.user_id === dana.userId))).toBe(true);
    expect(ids.some((id: string) => rows.some((r) => r.id === id))).toBe(false);
    expect((await erin.get('/api/v1/sessions')).json).toHaveLength(1);
  });

  it('ends one of your sessions, but answers 404 for another user\u2019s or a missing handle', async () => {
    const phone = device(SAFARI_IPHONE, '192.0.2.12');
    await signIn(phone, 'erin@x.test', erin.totpSecret!);
    const erinsPhone = (await phone.request('GET', '/api/v1/sessions')).json.find(
      (s: { current: boolean }) => s.current,
    );

    const foreign = await dana.request('DELETE', `/api/v1/sessions/${erinsPhone.id}`);
    const missing = await dana.request('DELETE', '/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA');
    expect([foreign.status, foreign.json.error.code]).toEqual([404, 'not_found']);
    expect(foreign.json.error.message).toBe(missing.json.error.message);
    expect((await phone.request('GET', '/api/v1/me')).status).toBe(200);

    const ended = await erin.request('DELETE', `/api/v1/sessions/${erinsPhone.id}`);
    expect(ended.status).toBe(204);
    expect(ended.headers['set-cookie']).toBeUndefined(); // not the session it was sent with
    expect((await phone.request('GET', '/api/v1/me')).status).toBe(401);
    expect((await erin.get('/api/v1/me')).status).toBe(200);
    expect((await auditRows('session.end')).map((r) => [r.actor_id, r.object_id])).toEqual([
      [erin.userId, erinsPhone.id],
    ]);
  });

  it('ends every other session at once, and keeps this one', async () => {
    const laptop = device(FIREFOX_LINUX, '192.0.2.10');
    await signIn(laptop, 'dana@x.test', dana.totpSecret!);
    const before = (await laptop.request('GET', '/api/v1/sessions')).json as { id: string; current: boolean }[];
    expect(before.length).toBeGreaterThanOrEqual(3);
    const erinBefore = (await erin.get('/api/v1/sessions')).json.length;

    const r = await laptop.request('DELETE', '/api/v1/sessions');
    expect([r.status, r.json]).toEqual([200, { ended: before.length - 1 }]);
    const after = (await laptop.request('GET', '/api/v1/sessions')).json;
    expect(after).toEqual([expect.objectContaining({ id: before.find((s) => s.current)!.id, current: true })]);
    expect((await dana.get('/api/v1/me')).status).toBe(401);
    expect((await erin.get('/api/v1/sessions')).json).toHaveLength(erinBefore);
    const audited = (await auditRows('session.end')).filter((a) => a.actor_id === dana.userId);
    expect(audited.map((a) => a.object_id).sort()).toEqual(
      before
        .filter((s) => !s.current)
        .map((s) => s.id)
        .sort(),
    );
    // The harness client for Dana is gone; sign it in again for the tests below.
    const fresh = device('lightMyRequest', '127.0.0.1');
    await signIn(fresh, 'dana@x.test', dana.totpSecret!);
    dana.cookie = fresh.cookie;
  });

  it('notices a sign-in from a new device, not from a known one, and not on the device itself', async () => {
    const notices = async () => (await dana.get('/api/v1/notices')).json as { id: string; params: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const before = await notices();

    // Firefox on Linux over IPv4 is known by now (earlier tests); the same browser over IPv6 is not.
    const again = device(FIREFOX_LINUX, '192.0.2.99');
    await signIn(again, 'dana@x.test', dana.totpSecret!);
    expect(await notices()).toEqual(before);

    const stranger = device(CHROME_WINDOWS, '2001:db8::7');
    await signIn(stranger, 'dana@x.test', dana.totpSecret!);
    const after = await notices();
    expect(after).toHaveLength(before.length + 1);
    const strangerHandle = (await stranger.request('GET', '/api/v1/sessions')).json.find(
      (s: { current: boolean }) => s.current,
    ).id;
    expect(after[0]).toMatchObject({
      kind: 'new_device',
      params: { browser: 'Chrome', os: 'Windows', session: strangerHandle, at: new Date(h.clock.now).toISOString() },
    });
    // The device that signed in does not see its own notice; the others do.
    expect((await stranger.request('GET', '/api/v1/notices')).json.map((n: { id: string }) => n.id)).not.toContain(
      after[0]!.id,
    );

    // The same device again: no second notice.
    const strangerAgain = device(CHROME_WINDOWS, '2001:db8::8');
    await signIn(strangerAgain, 'dana@x.test', dana.totpSecret!);
    expect(await notices()).toHaveLength(after.length);

    // Dismissed, it is gone; someone else cannot dismiss it, and a step-up is not a sign-in.
    expect((await erin.post(`/api/v1/notices/${after[0]!.id}/read`)).status).toBe(404);
    expect((await dana.post(`/api/v1/notices/${after[0]!.id}/read`)).status).toBe(204);
    expect((await notices()).map((n) => n.id)).not.toContain(after[0]!.id);
    await reauth(dana);
    expect(await notices()).toHaveLength(after.length - 1);
    const known = await h.kalaja.database.db
      .selectFrom('known_devices')
      .select('fingerprint')
      .where('user_id', '=', dana.userId)
      .execute();
    expect(known.map((k) => k.fingerprint)).toContain(deviceFingerprint(CHROME_WINDOWS, 'ipv6'));
  });

  it('lets only instance admins list accounts, and disable or enable them after a recent sign-in', async () => {
    const users = await admin.get('/api/v1/users');
    expect(users.status).toBe(200);
    expect(users.json.find((u: { email: string }) => u.email === 'erin@x.test')).toMatchObject({
      id: erin.userId,
      displayName: 'erin',
      isInstanceAdmin: false,
      disabled: false,
      disabledAt: null,
    });
    for (const path of ['/api/v1/users', `/api/v1/users/${erin.userId}/disable`]) {
      const r = path.endsWith('disable') ? await dana.post(path) : await dana.get(path);
      expect([r.status, r.json.error.code]).toEqual([404, 'not_found']);
    }

    h.clock.now += 6 * 60_000;
    const stale = await admin.post(`/api/v1/users/${erin.userId}/disable`);
    expect([stale.status, stale.json.error.code]).toEqual([401, 'reauthentication_required']);
    await reauth(admin);
    const me = (await admin.get('/api/v1/me')).json.id;
    expect((await admin.post(`/api/v1/users/${me}/disable`)).status).toBe(409);
    expect((await admin.post('/api/v1/users/AAAAAAAAAAAAAAAAAAAAAA/disable')).status).toBe(404);
  });

  it('ends all of a disabled user\u2019s sessions at once, and refuses their sign-in with the usual message', async () => {
    const phone = device(SAFARI_IPHONE, '192.0.2.20');
    await signIn(phone, 'erin@x.test', erin.totpSecret!);
    const countSessions = async () =>
      (await h.kalaja.database.db.selectFrom('sessions').select('id').where('user_id', '=', erin.userId).execute())
        .length;
    expect(await countSessions()).toBeGreaterThanOrEqual(2);

    await reauth(admin);
    const r = await admin.post(`/api/v1/users/${erin.userId}/disable`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: erin.userId, disabled: true, disabledAt: new Date(h.clock.now).toISOString() });
    expect(await countSessions()).toBe(0);
    expect((await erin.get('/api/v1/me')).status).toBe(401);
    expect((await phone.request('GET', '/api/v1/me')).status).toBe(401);

    const other = device(SAFARI_IPHONE, '192.0.2.21');
    const refused = await other.request('POST', '/api/v1/session', { email: 'erin@x.test', password: PASSWORD });
    const wrong = await other.request('POST', '/api/v1/session', { email: 'dana@x.test', password: `${PASSWORD}!` });
    expect([refused.status, refused.json.error.code]).toEqual([401, 'unauthenticated']);
    expect(refused.json.error.message).toBe(wrong.json.error.message);
    expect(await countSessions()).toBe(0);
    expect((await admin.get('/api/v1/users')).json.find((u: { id: string }) => u.id === erin.userId).disabled).toBe(
      true,
    );

    const enabled = await admin.post(`/api/v1/users/${erin.userId}/enable`);
    expect([enabled.status, enabled.json.disabled]).toEqual([200, false]);
    await signIn(other, 'erin@x.test', erin.totpSecret!);
    expect((await other.request('GET', '/api/v1/me')).status).toBe(200);
    expect((await auditRows('user.disable')).map((a) => [a.actor_id, a.object_id])).toEqual([
      [(await admin.get('/api/v1/me')).json.id, erin.userId],
    ]);
    expect(await auditRows('user.enable')).toHaveLength(1);
  });

  it('signs out when you end the session you are using, and leaves out notices it cannot read', async () => {
    const tablet = device(SAFARI_IPHONE, '192.0.2.30');
    await signIn(tablet, 'dana@x.test', dana.totpSecret!);
    await h.kalaja.database.db
      .insertInto('notices')
      .values({
        id: 'UnreadableNotice01',
        user_id: dana.userId,
        kind: 'new_device',
        params: '{"at":"soon"}',
        created_at: h.clock.now,
        read_at: null,
      })
      .execute();
    const listed = await tablet.request('GET', '/api/v1/notices');
    expect(listed.status).toBe(200);
    expect(listed.json.map((n: { id: string }) => n.id)).not.toContain('UnreadableNotice01');

    const mine = (await tablet.request('GET', '/api/v1/sessions')).json.find((s: { current: boolean }) => s.current);
    const cookie = tablet.cookie;
    const r = await tablet.request('DELETE', `/api/v1/sessions/${mine.id}`);
    expect(r.status).toBe(204);
    expect(String(r.headers['set-cookie'])).toMatch(/^kalaja_session=;/);
    expect(r.headers['clear-site-data']).toBe('"cookies", "storage"');
    tablet.cookie = cookie;
    expect((await tablet.request('GET', '/api/v1/me')).status).toBe(401);
  });

  it('asks for a recent sign-in before deleting evidence', async () => {
    const org = (await admin.post(`/api/v1/programmes/${programmeId}/organisations`, { ...ORG, name: 'A' })).json.id;
    const progress = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json as {
      organisationId: string;
      assessmentId: string;
    }[];
    const assessment = progress.find((p) => p.organisationId === org)!.assessmentId;
    const file = await h.kalaja.services.evidence.upload(systemActor('test'), assessment, async () => ({
      file: { name: 'x.pdf', declaredType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
    }));
    h.clock.now += 6 * 60_000;
    const stale = await admin.request('DELETE', `/api/v1/evidence/${file.id}`);
    expect([stale.status, stale.json.error.code]).toEqual([401, 'reauthentication_required']);
    await reauth(admin);
    expect((await admin.request('DELETE', `/api/v1/evidence/${file.id}`)).status).toBe(204);
  });

  it('answers an unknown account, a wrong password and a disabled account alike, after one argon2 check each', async () => {
    await reauth(admin);
    expect((await admin.post(`/api/v1/users/${erin.userId}/disable`)).status).toBe(200);
    const d = device(FIREFOX_LINUX, '198.51.100.1');
    const attempt = async (email: string, password: string) => {
      argon2.verified.length = 0;
      const r = await d.request('POST', '/api/v1/session', { email, password });
      const verified = [...argon2.verified];
      const { requestId, ...error } = r.json.error;
      expect(requestId).toBe(r.headers['x-request-id']);
      return { status: r.status, error, verified };
    };
    const unknown = await attempt('nobody@x.test', PASSWORD);
    const wrong = await attempt('dana@x.test', 'a wrong but long password');
    const disabled = await attempt('erin@x.test', PASSWORD);
    expect(unknown.status).toBe(401);
    expect(wrong).toMatchObject({ status: unknown.status, error: unknown.error });
    expect(disabled).toMatchObject({ status: unknown.status, error: unknown.error });
    // One verification each, against hashes with the same parameters: the same work either way.
    const params = (hash: string) => hash.split('$').slice(1, 4).join('$');
    for (const r of [unknown, wrong, disabled]) expect(r.verified).toHaveLength(1);
    expect(params(unknown.verified[0]!)).toBe(params(wrong.verified[0]!));
    expect(params(wrong.verified[0]!)).toBe('argon2id$v=19$m=19456,t=2,p=1');
    expect(unknown.verified[0]).not.toBe(wrong.verified[0]);
  });

  it('doubles the wait after each further block of failed sign-ins, up to 15 minutes', async () => {
    const gus = await h.join(admin, { email: 'gus@x.test', role: 'observer', programmeId });
    const d = device(FIREFOX_LINUX, '198.51.100.2');
    const waits: number[] = [];
    for (let block = 0; block < 7; block++) {
      for (let i = 0; i < MAX_FAILURES; i++) {
        const r = await d.request('POST', '/api/v1/session', { email: 'gus@x.test', password: 'not it, not at all' });
        expect(r.status, `block ${block}, failure ${i + 1}`).toBe(401);
      }
      const blocked = await d.request('POST', '/api/v1/session', { email: 'gus@x.test', password: PASSWORD });
      expect([blocked.status, blocked.json.error.code]).toEqual([429, 'too_many_requests']);
      waits.push(Number(blocked.headers['retry-after']));
      // One second short is still blocked; the full wait is enough.
      h.clock.now += (waits.at(-1)! - 1) * 1000;
      expect((await d.request('POST', '/api/v1/session', { email: 'gus@x.test', password: PASSWORD })).status).toBe(
        429,
      );
      h.clock.now += 1000;
    }
    expect(waits).toEqual([60, 120, 240, 480, 900, 900, 900]);
    // Another address is blocked as well: the account is the subject, not only the address.
    const elsewhere = device(FIREFOX_LINUX, '198.51.100.3');
    for (let i = 0; i < MAX_FAILURES; i++)
      await elsewhere.request('POST', '/api/v1/session', { email: 'gus@x.test', password: 'still not it, sorry' });
    const r = await elsewhere.request('POST', '/api/v1/session', { email: 'gus@x.test', password: PASSWORD });
    expect([r.status, r.headers['retry-after']]).toEqual([429, '900']);
    // After the wait, the right password still works.
    h.clock.now += 900_000;
    await signIn(elsewhere, 'gus@x.test', gus.totpSecret!);
  });

  it('throttles an existing account\u2019s password at an invitation exactly like sign-in, on the same lock', async () => {
    await adminAgain();
    const hal = await h.join(admin, { email: 'hal@x.test', role: 'observer', programmeId });
    const invite = async () =>
      new URL(
        (await admin.post('/api/v1/invitations', { email: 'hal@x.test', role: 'assessor', programmeId })).json.link,
      ).hash.slice(1);
    const token = await invite();
    const accept = (d: Device, password: string) =>
      d.request('POST', '/api/v1/invitations/accept', { token, displayName: 'Hal', password });
    const d = device(FIREFOX_LINUX, '198.51.100.20');
    for (let i = 0; i < MAX_FAILURES; i++) {
      const r = await accept(d, `wrong guess number ${i} at it`);
      expect([r.status, r.json.error.code]).toEqual([401, 'unauthenticated']);
    }
    // The right password now waits, like a sign-in would…
    argon2.verified.length = 0;
    const blocked = await accept(d, PASSWORD);
    expect([blocked.status, blocked.json.error.code, blocked.headers['retry-after']]).toEqual([
      429,
      'too_many_requests',
      '60',
    ]);
    expect(argon2.verified).toEqual([]); // refused before any password is checked
    // …and the lock is the account's: sign-in from elsewhere is refused too.
    const elsewhere = device(FIREFOX_LINUX, '198.51.100.21');
    const signInBlocked = await elsewhere.request('POST', '/api/v1/session', {
      email: 'hal@x.test',
      password: PASSWORD,
    });
    expect([signInBlocked.status, signInBlocked.json.error.message]).toEqual([429, blocked.json.error.message]);
    h.clock.now += 60_000;

    // The other way round: failed sign-ins lock the invitation as well.
    for (let i = 0; i < MAX_FAILURES; i++)
      await elsewhere.request('POST', '/api/v1/session', { email: 'hal@x.test', password: 'not it, not at all' });
    const third = device(FIREFOX_LINUX, '198.51.100.22');
    const lockedByPasswords = await accept(third, PASSWORD);
    // Ten failures: the second block doubles the wait.
    expect([lockedByPasswords.status, lockedByPasswords.headers['retry-after']]).toEqual([429, '120']);
    h.clock.now += 120_000;

    // After the wait the right password is accepted: a session and the new role, nothing before.
    const accepted = await accept(third, PASSWORD);
    expect([accepted.status, accepted.json]).toEqual([200, { next: 'mfa', factors: ['totp', 'recovery_code'] }]);
    const roles = await h.kalaja.database.db
      .selectFrom('memberships')
      .select('role')
      .where('user_id', '=', hal.userId)
      .orderBy('role')
      .execute();
    expect(roles.map((r) => r.role)).toEqual(['assessor', 'observer']);
  });

  it('answers a disabled account at an invitation as a wrong password, after one argon2 check', async () => {
    await adminAgain();
    const ivy = await h.join(admin, { email: 'ivy@x.test', role: 'observer', programmeId });
    const link = async () =>
      new URL(
        (await admin.post('/api/v1/invitations', { email: 'ivy@x.test', role: 'assessor', programmeId })).json.link,
      ).hash.slice(1);
    const d = device(FIREFOX_LINUX, '198.51.100.30');
    const attempt = async (token: string, password: string) => {
      argon2.verified.length = 0;
      const r = await d.request('POST', '/api/v1/invitations/accept', { token, displayName: 'Ivy', password });
      const { requestId: _, ...error } = r.json.error;
      return { status: r.status, error, checks: argon2.verified.length };
    };
    const wrong = await attempt(await link(), 'a wrong but long password');
    await adminAgain();
    expect((await admin.post(`/api/v1/users/${ivy.userId}/disable`)).status).toBe(200);
    const disabled = await attempt(await link(), PASSWORD);
    expect(wrong).toMatchObject({ status: 401, checks: 1 });
    expect(disabled).toEqual(wrong);
    h.clock.now += 60_000;
  });

  it('answers a manager\u2019s invitation the same whether the email has an account anywhere or not', async () => {
    await adminAgain();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const other = (
      await admin.post('/api/v1/programmes', { name: 'Theirs', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
    const manager = await h.join(admin, { email: 'kim@x.test', role: 'programme_manager', programmeId: other });
    const invite = async (email: string) => {
      argon2.verified.length = 0;
      const r = await manager.post('/api/v1/invitations', { email, role: 'observer', programmeId: other });
      return { r, checks: argon2.verified.length };
    };
    // dana has an account (in the first programme only); nobody has this one.
    const known = await invite('dana@x.test');
    const unknown = await invite('not-yet@x.test');
    const shape = ({ r, checks }: Awaited<ReturnType<typeof invite>>) => ({
      status: r.status,
      keys: Object.keys(r.json).sort(),
      id: /^[A-Za-z0-9_-]{22}$/.test(r.json.id),
      link: /^http:\/\/localhost:3000\/invite#[A-Za-z0-9_-]{43}$/.test(r.json.link),
      expiresAt: r.json.expiresAt,
      checks,
    });
    expect(shape(known)).toEqual(shape(unknown));
    expect(shape(known)).toMatchObject({
      status: 201,
      keys: ['expiresAt', 'id', 'link'],
      id: true,
      link: true,
      checks: 0,
    });
  });

  it('gives a session a new token when its second factor passes, and refuses the token it had before', async () => {
    await adminAgain();
    const d = device(FIREFOX_LINUX, '198.51.100.40');
    expect((await d.request('POST', '/api/v1/session', { email: 'dana@x.test', password: PASSWORD })).status).toBe(200);
    // Someone who planted or saw the token before the second factor…
    const planted = device(FIREFOX_LINUX, '198.51.100.41');
    planted.cookie = d.cookie;
    h.clock.now += 31_000;
    expect(
      (await d.request('POST', '/api/v1/session/mfa', { code: totpCode(dana.totpSecret!, h.clock.now) })).status,
    ).toBe(200);
    expect(d.cookie).toBeDefined();
    expect(d.cookie).not.toBe(planted.cookie);
    expect((await d.request('GET', '/api/v1/me')).json.email).toBe('dana@x.test');
    // …holds nothing: the old token is no session at all, not even a half one.
    for (const url of ['/api/v1/me', '/api/v1/session']) {
      const stale = await planted.request('GET', url);
      expect([url, stale.status, stale.json.error.code]).toEqual([url, 401, 'unauthenticated']);
    }

    // The same when a new account completes its session by setting up an authenticator app.
    const inv = await admin.post('/api/v1/invitations', { email: 'jo@x.test', role: 'observer', programmeId });
    const n = device(SAFARI_IPHONE, '198.51.100.42');
    const accepted = await n.request('POST', '/api/v1/invitations/accept', {
      token: new URL(inv.json.link).hash.slice(1),
      displayName: 'Jo',
      password: PASSWORD,
    });
    expect(accepted.json).toEqual({ next: 'enrol_totp' });
    const halfToken = n.cookie;
    const { secret } = (await n.request('POST', '/api/v1/session/totp')).json;
    h.clock.now += 31_000;
    const confirmed = await n.request('POST', '/api/v1/session/totp/confirm', { code: totpCode(secret, h.clock.now) });
    expect(confirmed.json.recoveryCodes).toHaveLength(10);
    expect(n.cookie).not.toBe(halfToken);
    expect((await n.request('GET', '/api/v1/me')).status).toBe(200);
    const old = device(SAFARI_IPHONE, '198.51.100.42');
    old.cookie = halfToken;
    expect((await old.request('GET', '/api/v1/session')).status).toBe(401);
  });
});
