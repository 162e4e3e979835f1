import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { latinToCyrillic } from '@kalaja/engine';
import { startHarness, type Harness } from './support/kalaja.js';

/** The handbook is not secret: a reader with no account gets it, in parts, and each section whole. */
describe('the handbook, read without an account', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite');
  });
  afterAll(async () => h?.close());

  it('lists the three parts with each section\u2019s title, phase, domains and summary', async () => {
    const r = await h.client().get('/api/v1/handbook?lang=en');
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.json.lang).toBe('en');
    expect(r.json.parts.map((p: { phase: string }) => p.phase)).toEqual(['prepare', 'respond', 'recover']);
    const respond = r.json.parts[1].sections;
    const lost = respond.find((s: { id: string }) => s.id === 'lost-account-access');
    expect(lost).toMatchObject({
      title: 'I lost access to my account',
      phase: 'respond',
      domains: ['access', 'incident'],
    });
    expect(lost.summary).toMatch(/^This path is for the moment you cannot get into an account/);
    expect(lost.text).toContain('registration lock PIN');
  });

  it('serves a section as blocks, with its links to other sections and the sections that link to it', async () => {
    const r = await h.client().get('/api/v1/handbook/lost-account-access');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: 'lost-account-access', lang: 'en', reviewed: '2026-12-02' });
    const headings = r.json.blocks.filter((b: { t: string }) => b.t === 'heading');
    expect(headings.map((b: { anchor: string }) => b.anchor)).toContain('when-to-call-for-help-and-whom');
    expect(JSON.stringify(r.json.blocks)).toContain('"t":"section","id":"clicked-suspicious-link"');
    expect(r.json.linkedFrom.length).toBeGreaterThan(0);
  });

  it('answers in Albanian and in Serbian in both scripts, and an unknown section or language clearly', async () => {
    const sq = await h.client().get('/api/v1/handbook/lost-account-access?lang=sq');
    expect([sq.status, sq.json.lang, sq.json.title]).toEqual([200, 'sq', 'Humba qasjen në llogarinë time']);
    const latin = await h.client().get('/api/v1/handbook/lost-account-access?lang=sr-Latn');
    expect([latin.json.lang, latin.json.title]).toEqual(['sr-Latn', 'Nemam više pristup svom nalogu']);
    // Cyrillic is the Latin transliterated, the steps' anchors the same in every language.
    const cyrillic = await h.client().get('/api/v1/handbook/lost-account-access?lang=sr-Cyrl');
    expect([cyrillic.json.lang, cyrillic.json.title]).toEqual(['sr-Cyrl', latinToCyrillic(latin.json.title)]);
    const anchors = (r: typeof sq) =>
      r.json.blocks
        .filter((b: { t: string; level: number }) => b.t === 'heading' && b.level === 2)
        .map((b: { anchor: string }) => b.anchor);
    expect(anchors(cyrillic)).toEqual(anchors(latin));
    expect(anchors(sq)).toContain('when-to-call-for-help-and-whom');
    const contents = await h.client().get('/api/v1/handbook?lang=sr-Cyrl');
    expect(contents.json.lang).toBe('sr-Cyrl');
    expect(
      contents.json.parts
        .flatMap((p: { sections: { lang?: string }[] }) => p.sections)
        .some((s: { lang?: string }) => s.lang),
    ).toBe(false);
    const missing = await h.client().get('/api/v1/handbook/no-such-section');
    expect([missing.status, missing.json.error.code]).toEqual([404, 'not_found']);
    const bad = await h.client().get('/api/v1/handbook?lang=xx');
    expect([bad.status, bad.json.error.code]).toEqual([400, 'invalid_request']);
    const odd = await h.client().get('/api/v1/handbook/..%2Fsecrets');
    expect(odd.status).toBe(400);
  });

  it('documents its routes in the OpenAPI description', async () => {
    const r = await h.client().get('/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(Object.keys(r.json.paths)).toEqual(
      expect.arrayContaining(['/api/v1/handbook', '/api/v1/handbook/{id}', '/api/v1/handbook/export.pdf']),
    );
  });

  it('exports one PDF with a table of contents and every section\u2019s title', async () => {
    const r = await h.kalaja.app.inject({ method: 'GET', url: '/api/v1/handbook/export.pdf?lang=en' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe('attachment; filename="kalaja-handbook-en.pdf"');
    const dir = mkdtempSync(join(tmpdir(), 'kalaja-handbook-'));
    writeFileSync(join(dir, 'h.pdf'), r.rawPayload);
    const out = spawnSync('pdftotext', ['-layout', join(dir, 'h.pdf'), '-'], { encoding: 'utf8' });
    if (out.error) throw new Error(`pdftotext is needed (apt-get install poppler-utils): ${out.error.message}`);
    const text = out.stdout.replace(/\s+/g, ' ');
    const contents = (await h.client().get('/api/v1/handbook')).json;
    const titles: string[] = contents.parts.flatMap((p: { sections: { title: string }[] }) =>
      p.sections.map((s) => s.title),
    );
    expect(titles.length).toBe(27);
    // The contents page: its heading, the three parts, then every title in order, before the first section.
    const toc = text.indexOf('Contents');
    expect(toc).toBeGreaterThan(0);
    let at = toc;
    for (const part of ['Prepare', 'Respond', 'Recover']) at = text.indexOf(part, at);
    expect(at).toBeGreaterThan(toc);
    for (const title of titles) {
      const first = text.indexOf(title, toc);
      expect(first, title).toBeGreaterThan(toc);
      expect(text.indexOf(title, first + title.length), `${title} as a section`).toBeGreaterThan(first);
    }
    expect(text).toContain('Last reviewed on');
    expect(text).not.toContain('\u2192');
    expect(text).toContain('Google Account > Security');
  }, 120_000);
});

describe('kalaja handbook export', () => {
  it('writes the PDF of a language, in that language', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalaja-handbook-cli-'));
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (t: string) => void err.push(t) };
    const out = join(dir, 'handbook-sq.pdf');
    expect(await main(['handbook', 'export', '--lang', 'sq', '--out', out], io)).toBe(0);
    const text = spawnSync('pdftotext', [out, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('Doracaku i sigurisë digjitale');
    expect(text.replace(/\s+/g, ' ')).toContain('Humba qasjen në llogarinë time');
    expect(err.join('')).toBe('');
    expect(await main(['handbook', 'export', '--lang', 'xx', '--out', out], io)).toBe(2);
  }, 120_000);
});
