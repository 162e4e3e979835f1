import { readFileSync } from 'node:fs';
import { englishOnly, hasCyrillic, latinToCyrillic, loadFramework, textFor } from '@kalaja/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { localise, MESSAGES, requestLocale } from '../src/messages/localise.js';
import { systemActor } from '../src/modules/access/access-types.js';
import { DEFAULT_FRAMEWORK } from '../src/server.js';
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

describe('the messages people read from the server', () => {
  it('lists every message the code writes (scripts/messages-extract.mjs keeps en.json current)', async () => {
    // @ts-expect-error: a plain JavaScript script, without types
    const { extract } = await import('../../../scripts/messages-extract.mjs');
    expect(MESSAGES).toEqual(extract());
  });

  it.each(['sq', 'sr-Latn'] as const)('has every message in %s, with the same values', async (lng) => {
    const catalogue = (await import(`../src/messages/${lng}.json`, { with: { type: 'json' } })).default as Record<
      string,
      string
    >;
    const missing = MESSAGES.filter((m) => catalogue[m] === undefined || catalogue[m].trim() === '');
    expect(missing).toEqual([]);
    const places = (s: string) => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();
    const wrong = MESSAGES.filter((m) => places(catalogue[m]!).some((p) => !places(m).includes(p)));
    expect(wrong).toEqual([]);
    const copied = MESSAGES.filter((m) => catalogue[m] === m && /[a-z]{4}/.test(m.replace(/\{\d+\}/g, '')));
    expect(copied).toEqual([]);
  });

  it('answers in the language the request names, with the values in place, and in English otherwise', () => {
    const english = 'The request body is not valid JSON.';
    expect(localise(english, 'en')).toBe(english);
    expect(requestLocale('sq-AL,sq;q=0.9,en;q=0.8')).toBe('sq');
    expect(requestLocale('sr-Latn')).toBe('sr-Latn');
    expect(requestLocale('sr-RS,sr;q=0.9')).toBe('sr-Cyrl');
    expect(requestLocale(undefined)).toBe('en');
    const sq = localise(english, 'sq');
    expect(sq).not.toBe(english);
    expect(localise(english, 'sr-Cyrl')).toBe(latinToCyrillic(localise(english, 'sr-Latn')));
    const built = 'the column `question_id` appears twice in the header row';
    const template = MESSAGES.find((m) => m === 'the column `{1}` appears twice in the header row');
    expect(template).toBeDefined();
    expect(localise(built, 'sq')).toContain('`question_id`');
    expect(localise(built, 'sq')).not.toContain('appears twice');
    expect(localise('A sentence no code writes.', 'sq')).toBe('A sentence no code writes.');
  });

  it('sends a refusal in the reader\u2019s language over HTTP, field problems included', async () => {
    const h = await startHarness('sqlite');
    try {
      const admin = await h.admin();
      const r = await admin.request('PUT', '/api/v1/me/language', { language: 'de' }, { 'accept-language': 'sq' });
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('invalid_request');
      expect(r.json.error.message).toBe(localise('Some fields are not valid.', 'sq'));
      expect(r.json.error.message).not.toBe('Some fields are not valid.');
      const cyr = await admin.request('GET', '/api/v1/no-such-route', undefined, { 'accept-language': 'sr-Cyrl' });
      expect(cyr.json.error.message).toBe(localise('There is nothing here.', 'sr-Cyrl'));
      expect(hasCyrillic(cyr.json.error.message)).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('a shipped framework that gained translations', () => {
  it('replaces the stored source of the same version when only translations differ, and nothing else', async () => {
    const h = await startHarness('sqlite');
    try {
      const { stores, services } = h.kalaja;
      const file = readFileSync(DEFAULT_FRAMEWORK, 'utf8');
      const shipped = loadFramework(file, { file: 'cso-media.yaml' });
      if (!shipped.ok) throw new Error('framework');
      const stored = (await stores.frameworks.version('cso-media', '2.0.0'))!;
      // An instance that imported 2.0.0 before the translations: its source is English only.
      const english = JSON.stringify(englishOnly(parseYaml(file)));
      await stores.frameworks.replaceSource(stored.id, english);
      const system = systemActor('startup');
      expect(await services.frameworks.takeTranslations(system, stored.id, file, shipped.value)).toBe(true);
      expect((await stores.frameworks.source(stored.id))!.source).toBe(file);
      const fw = await services.frameworks.load(stored.id);
      expect(textFor(fw.domains[0]!.title, 'sq')).not.toBe(textFor(fw.domains[0]!.title, 'en'));
      // A change of meaning is not a translation: the stored source stays.
      const changed = file.replace('weight: 1.5', 'weight: 2');
      const other = loadFramework(changed, { file: 'changed.yaml' });
      if (!other.ok) throw new Error('changed framework');
      expect(await services.frameworks.takeTranslations(system, stored.id, changed, other.value)).toBe(false);
      expect((await stores.frameworks.source(stored.id))!.source).toBe(file);
      const audit = await h.kalaja.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'framework.translations')
        .execute();
      expect(audit).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe('a framework in one language', () => {
  it('sends each text in the language asked for, a fraction of the whole, and the whole without lang', async () => {
    const h = await startHarness('sqlite');
    try {
      const admin = await h.admin();
      const [fw] = (await admin.get('/api/v1/frameworks')).json as { id: string }[];
      const whole = await admin.get(`/api/v1/frameworks/${fw!.id}`);
      const sq = await admin.get(`/api/v1/frameworks/${fw!.id}?lang=sq`);
      const cyr = await admin.get(`/api/v1/frameworks/${fw!.id}?lang=sr-Cyrl`);
      expect([whole.status, sq.status, cyr.status]).toEqual([200, 200, 200]);
      const title = whole.json.domains[0].title;
      expect(Object.keys(title).sort()).toEqual(['en', 'sq', 'sr-Latn']);
      expect(sq.json.domains[0].title).toEqual({ sq: title.sq });
      expect(cyr.json.domains[0].title).toEqual({ 'sr-Cyrl': latinToCyrillic(title['sr-Latn']) });
      // Scores, ids and caps are the same; only the words are fewer.
      expect(sq.json.domains[0].questions[0].options.map((o: { score: number }) => o.score)).toEqual(
        whole.json.domains[0].questions[0].options.map((o: { score: number }) => o.score),
      );
      expect(sq.body.length).toBeLessThan(whole.body.length / 2);
      const bad = await admin.get(`/api/v1/frameworks/${fw!.id}?lang=de`);
      expect(bad.status).toBe(400);
    } finally {
      await h.close();
    }
  });
});

describe('a refusal that says what one may not do', () => {
  it('translates the deed inside the sentence too', () => {
    const refusal = 'Only the organisation\u2019s assessors or the programme\u2019s managers edit findings.';
    expect(localise(refusal, 'sq')).toBe(
      'Vetëm vlerësuesit e organizatës ose menaxherët e programit mund ta bëjnë këtë: ndryshimin e gjetjeve.',
    );
    expect(localise(refusal, 'sr-Cyrl')).toBe(latinToCyrillic(localise(refusal, 'sr-Latn')));
    expect(localise(refusal, 'sr-Latn')).not.toContain('edit findings');
  });
});
