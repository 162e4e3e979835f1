import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { startHarness, type Harness } from './support/kalaja.js';

describe.each(DATABASES)('a person\u2019s language on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  it('is remembered on the account, follows them to a new session, and is audited', async () => {
    const admin = await h.admin();
    expect((await admin.get('/api/v1/me')).json.language).toBeNull();
    const set = await admin.put('/api/v1/me/language', { language: 'sr-Cyrl' });
    expect(set.status).toBe(204);
    expect((await admin.get('/api/v1/me')).json.language).toBe('sr-Cyrl');
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('action', '=', 'user.language')
      .execute();
    expect(audit).toHaveLength(1);
    const again = await admin.put('/api/v1/me/language', { language: 'sq' });
    expect(again.status).toBe(204);
    expect((await admin.get('/api/v1/me')).json.language).toBe('sq');
  });

  it('refuses a language Kalaja does not speak, naming the field, and anyone signed out', async () => {
    const admin = await h.admin();
    const bad = await admin.put('/api/v1/me/language', { language: 'de' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_request');
    expect(JSON.stringify(bad.json.error)).toContain('language');
    const extra = await admin.put('/api/v1/me/language', { language: 'sq', theme: 'dark' });
    expect(extra.status).toBe(400);
    const anonymous = await h.client().put('/api/v1/me/language', { language: 'sq' });
    expect(anonymous.status).toBe(401);
  });
});
