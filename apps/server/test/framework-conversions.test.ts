import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

const repo = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, repo), 'utf8');
const CSF = read('content/reference/nist-csf-2.0/NIST_CSF_v2.0_catalog.xml');
const CISO = read('packages/engine/test/fixtures/import/ciso-small.yaml');

describe.each(DATABASES)('importing frameworks from OSCAL, CISO Assistant and SAMM on %s', (kind) => {
  let h: Harness;
  let admin: Client;

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
  });
  afterAll(async () => h?.close());

  it('previews the CSF 2.0 catalog without storing anything', async () => {
    const before = (await admin.get('/api/v1/frameworks')).json.length;
    const r = await admin.post('/api/v1/frameworks/conversions/preview', {
      from: 'oscal',
      source: CSF,
      fileName: 'NIST_CSF_v2.0_catalog.xml',
      scale: 'csf-tiers',
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      key: 'nist-cybersecurity-framework-2-0',
      version: '1.0.0',
      language: 'en',
      questions: 106,
      existing: null,
    });
    expect(r.json.domains).toHaveLength(22);
    expect(r.json.domains[0]).toEqual({ id: 'gv-oc', title: 'Organizational Context (GV.OC)', questions: 5 });
    expect(r.json.notes.map((n: { code: string }) => n.code)).toContain('superseded-controls');
    expect((await admin.get('/api/v1/frameworks')).json.length).toBe(before);
  });

  it('saves it as a new framework version, audited, and again as the same one', async () => {
    const body = { from: 'oscal', source: CSF, fileName: 'csf.xml' };
    const saved = await admin.post('/api/v1/frameworks/conversions', body);
    expect(saved.status).toBe(201);
    expect(saved.json).toMatchObject({ key: 'nist-cybersecurity-framework-2-0', questions: 106 });
    const full = await admin.get(`/api/v1/frameworks/${saved.json.id}`);
    expect(full.json.domains).toHaveLength(22);
    expect(full.json.licence).toMatch(/Public domain/);
    const again = await admin.post('/api/v1/frameworks/conversions', body);
    expect(again.json.id).toBe(saved.json.id);
    expect((await admin.post('/api/v1/frameworks/conversions/preview', body)).json.existing).toBe('same');
    // Another scale is another framework under the same id and version: refused, never changed.
    const other = await admin.post('/api/v1/frameworks/conversions/preview', { ...body, scale: 'csf-tiers' });
    expect(other.json.existing).toBe('different');
    expect((await admin.post('/api/v1/frameworks/conversions', { ...body, scale: 'csf-tiers' })).status).toBe(409);
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('object_id', '=', saved.json.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['framework.import']);
  });

  it('keeps a library in its own language', async () => {
    const r = await admin.post('/api/v1/frameworks/conversions', { from: 'ciso-assistant', source: CISO, depth: 2 });
    expect(r.status).toBe(201);
    const fw = await admin.get(`/api/v1/frameworks/${r.json.id}`);
    expect(fw.json.language).toBe('de');
    expect(fw.json.domains[0].title).toEqual({ de: 'Anmeldung' });
  });

  it('refuses a file that is not what it says, naming the line', async () => {
    const r = await admin.post('/api/v1/frameworks/conversions/preview', {
      from: 'oscal',
      source: '<?xml version="1.0"?>\n<profile/>\n',
      fileName: 'profile.xml',
    });
    expect(r.status).toBe(400);
    expect(r.json.error.details[0]).toEqual({
      where: 'line 2:1',
      message: 'the root element is `profile`, not `catalog`: this is not an OSCAL catalog',
    });
    const bad = await admin.post('/api/v1/frameworks/conversions/preview', { from: 'excel', source: 'x' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/from/);
  });
});
