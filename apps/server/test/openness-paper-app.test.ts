import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/ids.js';
import { DEMO_INDEX_NAME, runDemoOpenness } from '../src/modules/demo/demo-openness.js';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';
import { docxText, pdfText } from './support/report-files.js';

const NOTE = 'CANARY-paper-note-7d31 the clerk said off the record';
const INTERVIEW = 'CANARY-paper-interview-2b9e the secretary-general';

/**
 * The policy paper of a wave in the app (docs/contracts.md, §11): the demo index's managers get
 * it as PDF, DOCX or HTML in a language, rendered in the report worker; researchers who are not
 * managers, another index's managers and the signed out do not; the team's notes stay out.
 */
describe.each(DATABASES)('the policy paper of a wave on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let manager: Client & { userId: string };
  let researcher: Client & { userId: string };
  let outsider: Client & { userId: string };
  let index: string;
  let waves: { id: string; name: string }[];
  let institution: { id: string; name: string };

  const paper = (c: Client, wave: string, query = '') =>
    h.kalaja.app.inject({
      method: 'GET',
      url: `/api/v1/indexes/${index}/waves/${wave}/paper${query}`,
      headers: c.cookie ? { cookie: c.cookie } : {},
    });

  const papers = async () =>
    Number(
      (
        await h.kalaja.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', 'openness.paper')
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const s = h.kalaja.services;
    index = (await runDemoOpenness({
      openness: s.openness,
      rounds: s.rounds,
      frameworks: s.frameworks,
      now: () => h.clock.now,
    }))!;
    expect(index).toBeTruthy();
    // The instance admin manages the demo index, as the demo makes its loader (demo-service.ts).
    const me = (await admin.get('/api/v1/me')).json;
    await h.kalaja.stores.users.addMemberships([
      {
        id: newId(),
        userId: me.id,
        role: 'programme_manager',
        programmeId: index,
        organisationId: null,
        at: h.clock.now,
      },
    ]);
    manager = await h.join(admin, { email: 'lead@x.test', role: 'programme_manager', programmeId: index });
    const programme = (await manager.get('/api/v1/programmes')).json.find(
      (p: { name: string }) => p.name === DEMO_INDEX_NAME,
    );
    waves = programme.rounds;
    researcher = await h.join(admin, { email: 'researcher@x.test', role: 'assessor', programmeId: index });
    institution = (await manager.get(`/api/v1/indexes/${index}/institutions`)).json[0];
    expect(
      (
        await admin.post(`/api/v1/programmes/${index}/assessors`, {
          userId: researcher.userId,
          organisationId: institution.id,
        })
      ).status,
    ).toBe(204);
    const other = await admin.post('/api/v1/indexes', {
      name: 'Their index',
      frameworkId: programme.framework.id,
      waves: [{ name: '2026' }],
    });
    expect(other.status, other.body).toBe(201);
    outsider = await h.join(admin, { email: 'outsider@x.test', role: 'programme_manager', programmeId: other.json.id });
  }, 600_000);

  afterAll(async () => {
    await h?.close();
  });

  it('gives a manager the PDF of the latest wave, its ranking compared with the wave before, audited', async () => {
    const latest = waves.find((w) => w.name === '2026')!;
    const before = await papers();
    const r = await paper(manager, latest.id);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(String(r.headers['content-disposition'])).toContain('policy%20paper');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(r.rawPayload).replace(/\s+/g, ' ');
    expect(text).toContain('The ranking');
    expect(text).toContain('10 institutions were measured in wave 2026');
    expect(text).toContain('Assembly of the Republic (demo)');
    expect(text).toContain('parliament · national · XK');
    expect(text).toContain('Findings by principle');
    expect(text).toContain('2025');
    expect(await papers()).toBe(before + 1);
  });

  it('writes the paper in the language asked for, as DOCX and as HTML', async () => {
    const latest = waves.find((w) => w.name === '2026')!;
    const docx = await paper(manager, latest.id, '?format=docx&language=sq');
    expect(docx.statusCode, docx.body).toBe(200);
    expect(docx.headers['content-type']).toContain('officedocument.wordprocessingml');
    const sq = docxText(docx.rawPayload);
    expect(sq).toContain('Assembly of the Republic (demo)');
    expect(sq).not.toContain('The ranking');
    const html = await paper(manager, latest.id, '?format=html&language=sr-Cyrl');
    expect(html.statusCode, html.body).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(String(html.headers['content-security-policy'])).toContain('sandbox');
    expect(html.body).toMatch(/lang="sr-Cyrl"/);
    expect(html.body).toMatch(/[\u0400-\u04FF]{4}/);
  });

  it('leaves the team’s notes and interview notes out of the paper', async () => {
    const latest = waves.find((w) => w.name === '2026')!;
    const sheet = (await researcher.get(`/api/v1/indexes/${index}/waves/${latest.id}/institutions/${institution.id}`))
      .json;
    const indicator = sheet.indicators.find((x: { answer: string | null }) => x.answer !== null);
    const put = await researcher.put(
      `/api/v1/indexes/${index}/waves/${latest.id}/institutions/${institution.id}/indicators/${indicator.id}`,
      { answer: indicator.answer, notes: NOTE, interviewNotes: INTERVIEW },
    );
    expect(put.status, put.body).toBe(200);
    const html = await paper(manager, latest.id, '?format=html');
    expect(html.statusCode).toBe(200);
    const pdf = await paper(manager, latest.id);
    const text = pdfText(pdf.rawPayload);
    for (const canary of ['CANARY-paper-note-7d31', 'CANARY-paper-interview-2b9e']) {
      expect(html.body).not.toContain(canary);
      expect(text).not.toContain(canary);
    }
    expect(h.logs.join('\n')).not.toContain('CANARY-paper');
  });

  it('applies the team’s review of the drafted recommendations: reworded, dropped and its own added', async () => {
    const latest = waves.find((w) => w.name === '2026')!;
    const review = await manager.get(`/api/v1/programmes/${index}/recommendations?language=en`);
    expect(review.status, review.body).toBe(200);
    const items = review.json.items as { id: string; rule: string; title: string }[];
    // The paper's own rules drafted them, not the programme report's.
    expect(items.length).toBeGreaterThan(2);
    const rules = new Set(items.map((i) => i.rule));
    expect(
      [...rules].every((r) => ['government-wide', 'principle-priority', 'decline', 'indicator-missing'].includes(r)),
    ).toBe(true);
    const [reworded, dropped] = items as [(typeof items)[number], (typeof items)[number]];
    const recs = `/api/v1/programmes/${index}/recommendations`;
    const times = (html: string, title: string) => html.split(`<h4>${title}</h4>`).length - 1;
    const before = (await paper(manager, latest.id, '?format=html')).body;
    expect(
      (
        await manager.put(`${recs}/${encodeURIComponent(reworded.id)}`, {
          language: 'en',
          title: 'REWORDED-by-the-team publish the budget monthly',
        })
      ).status,
    ).toBe(204);
    expect(
      (await manager.put(`${recs}/${encodeURIComponent(dropped.id)}`, { language: 'en', dropped: true })).status,
    ).toBe(204);
    expect(
      (await manager.post(recs, { language: 'en', title: 'ADDED-by-the-team one portal', text: 'One portal for all.' }))
        .status,
    ).toBe(201);
    const html = (await paper(manager, latest.id, '?format=html')).body;
    expect(html).toContain('REWORDED-by-the-team publish the budget monthly');
    expect(html).toContain('ADDED-by-the-team one portal');
    expect(times(html, dropped.title)).toBe(times(before, dropped.title) - 1);
    // A researcher does not review them.
    expect((await researcher.get(`${recs}?language=en`)).status).toBe(404);
  });

  it('is the managers’ only: a researcher, another index’s manager and the signed out are refused', async () => {
    const latest = waves.find((w) => w.name === '2026')!;
    expect((await paper(researcher, latest.id)).statusCode).toBe(404);
    expect((await paper(outsider, latest.id)).statusCode).toBe(404);
    expect((await paper(h.client(), latest.id)).statusCode).toBe(401);
    // A wave of another index, through this index: missing.
    expect((await paper(manager, 'AAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    const bad = await paper(manager, latest.id, '?format=odt');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { where: string }) => d.where)).toContain('querystring.format');
  });
});
