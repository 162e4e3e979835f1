import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relyingParty } from '../src/modules/auth/auth-passkeys.js';
import { totpCode } from '../src/modules/auth/auth-totp.js';
import { DATABASES } from './support/databases.js';
import { PASSWORD, startHarness, type Client, type Harness } from './support/kalaja.js';
import { SoftPasskey } from './support/passkey.js';

describe('the relying party', () => {
  it('is the public host name, and passkeys are off for an instance reached by IP address', () => {
    expect(relyingParty('https://kalaja.example.org')).toEqual({
      id: 'kalaja.example.org',
      origin: 'https://kalaja.example.org',
      available: true,
    });
    expect(relyingParty('http://localhost:3000')).toMatchObject({ id: 'localhost', available: true });
    expect(relyingParty('http://127.0.0.1:3000').available).toBe(false);
    expect(relyingParty('http://[::1]:3000').available).toBe(false);
  });
});

describe.each(DATABASES)('passkeys, required passkeys and recovery on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let programmeId: string;

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    programmeId = (
      await admin.post('/api/v1/programmes', { name: 'Passkeys', frameworkId, rounds: [{ name: 'baseline' }] })
    ).json.id;
  });
  afterAll(() => h.close());

  const signIn = async (email: string) => {
    const c = h.client();
    const r = await c.post('/api/v1/session', { email, password: PASSWORD });
    return { c, r };
  };
  const code = (secret: string) => {
    h.clock.now += 31_000;
    return totpCode(secret, h.clock.now);
  };
  const stepUp = async (c: Client) => {
    const r = await c.post('/api/v1/session/reauth', { password: PASSWORD, code: code(c.totpSecret!) });
    expect(r.status).toBe(204);
  };
  const addPasskey = async (c: Client, key: SoftPasskey, name = 'Work laptop') => {
    const options = await c.post('/api/v1/passkeys/options');
    if (options.status !== 200) return options;
    return c.post('/api/v1/passkeys', { name, attestation: key.attest(options.json) });
  };
  const usePasskey = async (c: Client, key: SoftPasskey, tamper: { origin?: string } = {}) => {
    const options = await c.post('/api/v1/session/passkey/options');
    expect(options.status).toBe(200);
    return c.post('/api/v1/session/mfa', { assertion: key.assert(options.json, tamper) });
  };
  let people = 0;
  const person = (role: string) =>
    h
      .join(admin, { email: `person${++people}@kalaja.test`, role, programmeId })
      .then((c) => Object.assign(c, { email: `person${people}@kalaja.test` }));

  it('adds a passkey after a recent sign-in, signs in and steps up with it, and refuses a replay or another site', async () => {
    const assessor = await person('assessor');
    const key = new SoftPasskey();
    h.clock.now += 6 * 60_000;
    expect((await addPasskey(assessor, key)).json.error.code).toBe('reauthentication_required');
    await stepUp(assessor);
    const added = await addPasskey(assessor, key);
    expect(added.status).toBe(201);
    expect(added.json.passkey).toMatchObject({ name: 'Work laptop', lastUsedAt: null });
    expect(added.json.recoveryCodes).toBeUndefined();
    expect((await addPasskey(assessor, key)).status).toBe(409);

    const { c, r } = await signIn(assessor.email);
    expect(r.json).toEqual({ next: 'mfa', factors: ['totp', 'passkey', 'recovery_code'] });
    expect((await c.get('/api/v1/me')).status).toBe(401);
    // An assertion made for another site is refused, and counts as a failed attempt.
    expect((await usePasskey(c, key, { origin: 'https://kalaja.evil.example' })).status).toBe(401);
    // A second assertion on a used challenge is refused: each challenge works once.
    const options = await c.post('/api/v1/session/passkey/options');
    const assertion = key.assert(options.json);
    expect((await c.post('/api/v1/session/mfa', { assertion })).json).toEqual({ next: 'done' });
    expect((await c.get('/api/v1/me')).status).toBe(200);
    const other = await signIn(assessor.email);
    expect((await other.c.post('/api/v1/session/mfa', { assertion })).status).toBe(401);

    const listed = await c.get('/api/v1/passkeys');
    expect(listed.json).toHaveLength(1);
    expect(listed.json[0].lastUsedAt).not.toBeNull();

    h.clock.now += 6 * 60_000;
    const o = await c.post('/api/v1/session/passkey/options');
    const reauth = await c.post('/api/v1/session/reauth', { password: PASSWORD, assertion: key.assert(o.json) });
    expect(reauth.status).toBe(204);
  });

  it('never lets a session that only passed the password add a factor to an account that has one', async () => {
    const member = await person('observer');
    const { c } = await signIn(member.email);
    const refused = await addPasskey(c, new SoftPasskey());
    expect(refused.json.error.code).toBe('mfa_required');
    expect((await c.post('/api/v1/session/totp')).status).toBe(409);
    expect((await c.get('/api/v1/session')).json).toEqual({ next: 'mfa', factors: ['totp', 'recovery_code'] });
  });

  it('lets a new account enrol with a passkey alone, and then keeps that passkey', async () => {
    const inv = await admin.post('/api/v1/invitations', {
      email: 'keyonly@kalaja.test',
      role: 'assessor',
      programmeId,
    });
    const c = h.client();
    const accepted = await c.post('/api/v1/invitations/accept', {
      token: new URL(inv.json.link).hash.slice(1),
      displayName: 'Key Only',
      password: PASSWORD,
    });
    expect(accepted.json).toEqual({ next: 'enrol_totp' });
    // The enrol page starts an authenticator-app set-up; the person chooses a passkey instead.
    expect((await c.post('/api/v1/session/totp')).status).toBe(200);
    const key = new SoftPasskey();
    const halfToken = c.cookie;
    const added = await addPasskey(c, key, 'Security key');
    expect(added.status).toBe(201);
    expect(added.json.recoveryCodes).toHaveLength(10);
    expect(added.json).not.toHaveProperty('token');
    expect((await c.get('/api/v1/me')).status).toBe(200);
    // The passkey completed the session under a new token; the one from before is void.
    expect(c.cookie).not.toBe(halfToken);
    const stale = h.client();
    stale.cookie = halfToken;
    expect((await stale.get('/api/v1/session')).status).toBe(401);
    const stored = await h.test.database.db
      .selectFrom('users')
      .select(['totp_sealed', 'totp_enabled_at'])
      .where('email', '=', 'keyonly@kalaja.test')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ totp_sealed: null, totp_enabled_at: null });

    const { c: again, r } = await signIn('keyonly@kalaja.test');
    expect(r.json).toEqual({ next: 'mfa', factors: ['passkey', 'recovery_code'] });
    // A password alone must not add an authenticator app to a passkey-only account.
    expect((await again.post('/api/v1/session/totp')).json.error.code).toBe('mfa_required');
    const beforePasskey = again.cookie;
    expect((await usePasskey(again, key)).json).toEqual({ next: 'done' });
    const replayed = h.client();
    replayed.cookie = beforePasskey;
    expect([again.cookie === beforePasskey, (await replayed.get('/api/v1/me')).status]).toEqual([false, 401]);
    h.clock.now += 6 * 60_000;
    const o = await again.post('/api/v1/session/passkey/options');
    await again.post('/api/v1/session/reauth', { password: PASSWORD, assertion: key.assert(o.json) });
    const [only] = (await again.get('/api/v1/passkeys')).json;
    const removed = await again.request('DELETE', `/api/v1/passkeys/${only.id}`);
    expect(removed.status).toBe(409);
    expect(removed.json.error.message).toMatch(/only second factor/);
  });

  it('requires passkeys of admins and managers once set, ending their other sessions at once', async () => {
    const manager = await person('programme_manager');
    const observer = await person('observer');
    await stepUp(admin);
    // The admin turning it on must have signed in with a passkey, or would lock the instance.
    const early = await admin.put('/api/v1/instance/security', { requirePasskeys: 'admins_managers' });
    expect(early.status).toBe(409);
    const adminKey = new SoftPasskey();
    expect((await addPasskey(admin, adminKey, 'Admin key')).status).toBe(201);
    const { c: adminByKey } = await signIn('admin@kalaja.test');
    expect((await usePasskey(adminByKey, adminKey)).json).toEqual({ next: 'done' });
    const set = await adminByKey.put('/api/v1/instance/security', { requirePasskeys: 'admins_managers' });
    expect(set.json).toEqual({ requirePasskeys: 'admins_managers', passkeysAvailable: true });

    // Sessions of admins and managers that used a code end; others stay.
    expect((await admin.get('/api/v1/me')).status).toBe(401);
    expect((await manager.get('/api/v1/me')).status).toBe(401);
    expect((await observer.get('/api/v1/me')).status).toBe(200);
    expect((await adminByKey.get('/api/v1/me')).status).toBe(200);

    // The manager's code proves who it is, but the session is complete only with a passkey.
    const { c, r } = await signIn(manager.email);
    expect(r.json).toEqual({ next: 'mfa', factors: ['totp', 'recovery_code'] });
    expect((await c.post('/api/v1/session/mfa', { code: code(manager.totpSecret!) })).json).toEqual({
      next: 'enrol_passkey',
    });
    expect((await c.get('/api/v1/me')).json.error.code).toBe('mfa_required');
    expect((await c.get('/api/v1/session')).json).toEqual({ next: 'enrol_passkey' });
    const key = new SoftPasskey();
    expect((await addPasskey(c, key)).status).toBe(201);
    expect((await c.get('/api/v1/me')).status).toBe(200);

    // From now on, the code is not accepted; the passkey is.
    const next = await signIn(manager.email);
    expect(next.r.json).toEqual({ next: 'mfa', factors: ['passkey', 'recovery_code'] });
    const byCode = await next.c.post('/api/v1/session/mfa', { code: code(manager.totpSecret!) });
    expect(byCode.status).toBe(403);
    expect((await usePasskey(next.c, key)).json).toEqual({ next: 'done' });
    const [only] = (await next.c.get('/api/v1/passkeys')).json;
    expect((await next.c.request('DELETE', `/api/v1/passkeys/${only.id}`)).json.error.message).toMatch(
      /must keep a passkey/,
    );

    // Observers are not concerned.
    const obs = await signIn(observer.email);
    expect((await obs.c.post('/api/v1/session/mfa', { code: code(observer.totpSecret!) })).json).toEqual({
      next: 'done',
    });

    // Back to the default, for the tests that follow.
    const off = await adminByKey.put('/api/v1/instance/security', { requirePasskeys: 'none' });
    expect(off.json.requirePasskeys).toBe('none');
    admin.cookie = adminByKey.cookie;
    admin.totpSecret = admin.totpSecret ?? '';
  });

  it('changes a password after a recent sign-in, and ends every other session of the account', async () => {
    const person_ = await person('observer');
    const other = await signIn(person_.email);
    expect((await other.c.post('/api/v1/session/mfa', { code: code(person_.totpSecret!) })).status).toBe(200);
    const NEW = 'a much longer passphrase for the newsroom';
    h.clock.now += 6 * 60_000;
    const change = (body: object) => person_.post('/api/v1/account/password', body);
    expect((await change({ currentPassword: PASSWORD, newPassword: NEW })).json.error.code).toBe(
      'reauthentication_required',
    );
    await stepUp(person_);
    const wrong = await change({ currentPassword: 'not the password at all', newPassword: NEW });
    expect([wrong.status, wrong.json.error.details[0].where]).toEqual([400, 'currentPassword']);
    expect((await person_.get('/api/v1/me')).status).toBe(200);
    const weak = await change({ currentPassword: PASSWORD, newPassword: 'short' });
    expect([weak.status, weak.json.error.details[0].where]).toEqual([400, 'newPassword']);
    const same = await change({ currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(same.status).toBe(400);

    const changed = await change({ currentPassword: PASSWORD, newPassword: NEW });
    expect(changed.json).toEqual({ endedSessions: 1 });
    expect((await person_.get('/api/v1/me')).status).toBe(200);
    expect((await other.c.get('/api/v1/me')).status).toBe(401);
    expect((await signIn(person_.email)).r.status).toBe(401);
    const fresh = h.client();
    expect((await fresh.post('/api/v1/session', { email: person_.email, password: NEW })).status).toBe(200);
    const audit = await h.test.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'user.password_change')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('recovers an account that lost every factor only with both the admin’s link and the password', async () => {
    const lost = await person('assessor');
    const me = (await lost.get('/api/v1/me')).json;
    const adminKey = await (async () => {
      // The admin signs in afresh (its earlier session may have ended) and steps up.
      const { c } = await signIn('admin@kalaja.test');
      expect((await c.post('/api/v1/session/mfa', { code: code(admin.totpSecret!) })).status).toBe(200);
      return c;
    })();
    h.clock.now += 6 * 60_000;
    expect((await adminKey.post(`/api/v1/users/${me.id}/reset-second-factor`)).json.error.code).toBe(
      'reauthentication_required',
    );
    await adminKey.post('/api/v1/session/reauth', { password: PASSWORD, code: code(admin.totpSecret!) });
    const self = await adminKey.post(`/api/v1/users/${(await adminKey.get('/api/v1/me')).json.id}/reset-second-factor`);
    expect(self.status).toBe(409);
    // Others than instance admins learn nothing: not found.
    expect((await lost.post(`/api/v1/users/${me.id}/reset-second-factor`)).status).toBe(404);

    const reset = await adminKey.post(`/api/v1/users/${me.id}/reset-second-factor`);
    expect(reset.status).toBe(201);
    expect(reset.json.link).toMatch(/^http:\/\/localhost:3000\/recover#/);
    const token = new URL(reset.json.link).hash.slice(1);
    expect(h.logs.join('\n')).not.toContain(token);
    // Every session of the account ended at once.
    expect((await lost.get('/api/v1/me')).status).toBe(401);

    // The password alone reaches only the recovery step: no enrolment without the link.
    const { c, r } = await signIn(lost.email);
    expect(r.json).toEqual({ next: 'recover' });
    expect((await c.post('/api/v1/session/totp')).json.error.code).toBe('mfa_required');
    expect((await addPasskey(c, new SoftPasskey())).json.error.code).toBe('mfa_required');
    expect((await c.post('/api/v1/session/recover', { token: 'not-the-token' })).status).toBe(401);
    // The link without the password reaches nothing either.
    expect((await h.client().post('/api/v1/session/recover', { token })).status).toBe(401);

    expect((await c.post('/api/v1/session/recover', { token })).json).toEqual({ next: 'enrol_totp' });
    const e = await c.post('/api/v1/session/totp');
    expect(e.status).toBe(200);
    const confirmed = await c.post('/api/v1/session/totp/confirm', { code: code(e.json.secret) });
    expect(confirmed.json.recoveryCodes).toHaveLength(10);
    expect((await c.get('/api/v1/me')).status).toBe(200);

    // The link worked once.
    const again = await signIn(lost.email);
    expect(again.r.json).toEqual({ next: 'mfa', factors: ['totp', 'recovery_code'] });
    expect((await again.c.post('/api/v1/session/recover', { token })).status).toBe(401);

    const audit = await h.test.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['user.mfa_reset', 'mfa.totp.enrol', 'mfa.passkey.add'])
      .execute();
    expect(audit.map((a) => a.action)).toContain('user.mfa_reset');
  });
});
