import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  ADMIN,
  adminCode,
  apiSession,
  browse,
  ensureAdmin,
  expectAccessible,
  freshCode,
  isolatedContext,
  joinAs,
  ok,
  screenshot,
  signIn,
} from './support';

/** A PDF's text as pdftotext reads it, runs of white space made single spaces. */
function pdfText(bytes: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kalaja-paper-')), 'paper.pdf');
  writeFileSync(path, bytes);
  const r = spawnSync('pdftotext', [path, '-'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw new Error(`pdftotext is needed for this test (apt-get install poppler-utils): ${r.error.message}`);
  return r.stdout.replace(/\s+/g, ' ');
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/**
 * The openness index (docs/contracts.md, §11; decision 0015): a researcher records a wave's
 * indicator with its evidence (link, date checked, archived copy), a second researcher validates
 * it, the manager publishes the wave, and anyone signed out reads the ranking, the institution's
 * page and the open data; a wave not yet published stays 404 to the public. The manager
 * downloads the wave's policy paper as a PDF.
 */
test('a researcher records evidence, a second validates, the wave is published and read signed out', async ({
  browser,
}) => {
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const frameworks = await ok<{ id: string; key: string }[]>(await admin.get('/api/v1/frameworks'));
  const framework = frameworks.find((f) => f.key === 'openness-index')!;
  const suffix = Date.now().toString(36);
  const index = await ok<{ id: string; rounds: { id: string; name: string }[] }>(
    await admin.post('/api/v1/indexes', {
      data: {
        name: `Openness index ${suffix}`,
        frameworkId: framework.id,
        waves: [{ name: '2026' }, { name: '2027' }],
      },
    }),
  );
  const [wave, later] = index.rounds as [{ id: string; name: string }, { id: string; name: string }];
  const assembly = await ok<{ id: string }>(
    await admin.post(`/api/v1/indexes/${index.id}/institutions`, {
      data: { name: `Assembly ${suffix}`, type: 'parliament', level: 'national', country: 'XK' },
    }),
  );
  const first = await joinAs(
    admin,
    { email: `researcher-${suffix}@x.test`, role: 'assessor', programmeId: index.id },
    'Drenusha Gashi',
  );
  const second = await joinAs(
    admin,
    { email: `validator-${suffix}@x.test`, role: 'assessor', programmeId: index.id },
    'Milan Petrović',
  );
  for (const r of [first, second])
    await ok(
      await admin.post(`/api/v1/programmes/${index.id}/assessors`, {
        data: { userId: r.userId, organisationId: assembly.id },
      }),
    );
  const sheetUrl = `/indexes/${index.id}/waves/${wave.id}/institutions/${assembly.id}`;
  const sheet = await ok<{ indicators: { id: string; text: string; options: { id: string }[] }[] }>(
    await admin.get(`/api/v1${sheetUrl}`),
  );
  const indicator = sheet.indicators[0]!;
  const best = indicator.options.at(-1)!.id;
  const today = new Date().toISOString().slice(0, 10);

  // The first researcher records the indicator with its evidence.
  const r1 = await browse(browser);
  await signIn(r1.page, first.email, () => freshCode(first.secret, first.used));
  await expect(r1.page.getByRole('link', { name: `Openness index ${suffix}` })).toBeVisible();
  await r1.page.goto(sheetUrl);
  await expect(r1.page.getByRole('heading', { level: 1, name: `Assembly ${suffix}, wave 2026` })).toBeVisible();
  const form = r1.page.getByRole('form', { name: `${indicator.id}: ${indicator.text}` });
  await form.getByLabel('Answer').selectOption(best);
  await form.getByLabel('Link to the evidence').fill('not a link');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('is not a web address')).toBeVisible();
  await form.getByLabel('Link to the evidence').fill('https://assembly.example/budget/2026');
  await form.getByLabel('Date checked').fill(today);
  await form.getByLabel('Notes (the research team only)').fill('Found through the search page, not the menu');
  await form
    .getByLabel('Archived copy (PDF or screenshot)')
    .setInputFiles({ name: 'budget-2026.pdf', mimeType: 'application/pdf', buffer: PDF });
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  await expect(form.getByRole('link', { name: 'budget-2026.pdf' })).toBeVisible();
  await expect(form.getByText('waiting for a second researcher')).toBeVisible();
  await expectAccessible(r1.page, 'researcher: indicator sheet');
  await screenshot(r1.page, 'openness-sheet.png');

  // The second researcher validates it.
  const r2 = await browse(browser);
  await signIn(r2.page, second.email, () => freshCode(second.secret, second.used));
  await r2.page.goto(sheetUrl);
  const checked = r2.page.getByRole('form', { name: `${indicator.id}: ${indicator.text}` });
  await checked.getByRole('button', { name: 'Validate' }).click();
  await expect(checked.getByText('validated by Milan Petrović')).toBeVisible();

  // Before publication, the public gets nothing.
  const anon = await isolatedContext(browser);
  expect((await anon.request.get(`/api/v1/public/indexes/${index.id}/waves/${wave.id}`)).status()).toBe(404);

  // The manager publishes the wave.
  const m = await browse(browser);
  await signIn(m.page, ADMIN.email, adminCode);
  await m.page.goto(`/indexes/${index.id}/waves/${wave.id}`);
  await expect(m.page.getByRole('heading', { level: 1, name: 'Wave 2026' })).toBeVisible();
  await m.page.getByRole('button', { name: 'Publish' }).click();
  await expect(m.page.getByText('Published as version 1.')).toBeVisible();

  // The manager downloads the wave's policy paper as a PDF; a researcher who is not a manager gets none.
  const paper = m.page.getByRole('region', { name: 'Policy paper' });
  await paper.getByLabel('Format').selectOption('pdf');
  await paper.locator('select[name="language"]').selectOption('en');
  const downloaded = m.page.waitForEvent('download');
  await paper.getByRole('button', { name: 'Download the policy paper' }).click();
  const file = await downloaded;
  expect(file.suggestedFilename()).toMatch(/ - 2026 - policy paper \(en\)\.pdf$/);
  const pdf = readFileSync(await file.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = pdfText(pdf);
  expect(text).toContain('The ranking');
  expect(text).toContain(`Assembly ${suffix}`);
  expect(text).not.toContain('Found through the search page');
  // The paper's drafted recommendations are reviewed beside it.
  await expect(paper.getByRole('heading', { name: 'Recommendations for the policy paper' })).toBeVisible();
  await expectAccessible(m.page, 'team: wave with its policy paper');
  expect((await r1.page.request.get(`/api/v1/indexes/${index.id}/waves/${wave.id}/paper`)).status()).toBe(404);

  // Signed out: the ranking, the institution's page with its evidence, the open data.
  const page = await anon.newPage();
  await page.goto(`/open/${index.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Openness index ${suffix}: 2026` })).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(`Assembly ${suffix}`) });
  await expect(row.getByRole('cell').first()).toHaveText('1');
  await expectAccessible(page, 'public: ranking');
  await screenshot(page, 'openness-ranking.png');
  await row.getByRole('link', { name: `Assembly ${suffix}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Assembly ${suffix} — 2026` })).toBeVisible();
  const evidence = page.getByRole('row', { name: new RegExp(indicator.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  await expect(evidence.getByRole('link', { name: 'Link' })).toHaveAttribute(
    'href',
    'https://assembly.example/budget/2026',
  );
  await expect(evidence.getByRole('link', { name: 'archived copy' })).toBeVisible();
  await expect(page.getByText('Found through the search page')).toHaveCount(0);
  await expectAccessible(page, 'public: institution');
  const pkg = await ok<{ resources: { path: string }[]; licenses: { name: string }[] }>(
    await page.request.get(`/api/v1/public/indexes/${index.id}/waves/${wave.id}/datapackage.json`),
  );
  expect(pkg.resources.map((r) => r.path)).toEqual(['institutions.csv', 'indicators.csv']);
  expect(pkg.licenses[0]!.name).toBe('CC-BY-4.0');
  const csv = await (
    await page.request.get(`/api/v1/public/indexes/${index.id}/waves/${wave.id}/indicators.csv`)
  ).text();
  expect(csv).toContain('https://assembly.example/budget/2026');
  expect(csv).not.toContain('search page');
  expect((await anon.cookies()).length).toBe(0);
  expect(anon.foreign).toEqual([]);

  // The next wave is not published: 404 to the public, and the page says so.
  expect((await page.request.get(`/api/v1/public/indexes/${index.id}/waves/${later.id}`)).status()).toBe(404);
  await page.goto(`/open/${index.id}/waves/${later.id}`);
  await expect(page.getByRole('heading', { level: 1, name: /could not find this index or wave/ })).toBeVisible();

  // The institution's contact answers the questionnaire indicators through a one-time link, signed out.
  const { path: questionnaire } = await ok<{ path: string }>(await admin.post(`/api/v1${sheetUrl}/questionnaire-link`));
  await page.goto(questionnaire);
  await expect(page.getByRole('heading', { level: 1, name: `Questionnaire for Assembly ${suffix}` })).toBeVisible();
  await expectAccessible(page, 'contact: questionnaire');
  const firstQuestion = page.getByRole('group').first();
  await firstQuestion.getByLabel('Answer').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Send the answers' }).click();
  await expect(page.getByRole('status')).toHaveText('1 answer was sent to the researchers.');
  await page.goto(questionnaire);
  await expect(page.getByRole('heading', { level: 1, name: /This questionnaire link does not work/ })).toBeVisible();
  expect((await anon.cookies()).length).toBe(0);
  expect(anon.foreign).toEqual([]);
  for (const p of [r1, r2, m]) expect(p.problems).toEqual([]);
});
