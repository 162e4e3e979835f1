import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { adminCode, ADMIN, browse, ensureAdmin, expectCleanPage, signIn } from './support';

// Issue 19: an instance admin brings NIST CSF 2.0 in from its OSCAL catalog, sees what it becomes
// and what it leaves out, saves it, and a programme can start on it.

const CSF = readFileSync(new URL('../../content/reference/nist-csf-2.0/NIST_CSF_v2.0_catalog.xml', import.meta.url));

test('an admin imports the CSF 2.0 catalog: a preview of 22 domains and 106 questions, then a new framework version', async ({
  browser,
}) => {
  await ensureAdmin();
  const { page, problems } = await browse(browser);
  await signIn(page, ADMIN.email, adminCode);
  await page.locator('summary', { hasText: ADMIN.name }).click();
  await page.getByRole('link', { name: 'Frameworks' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Frameworks');
  await expect(page.getByRole('table', { name: 'Stored framework versions' })).toBeVisible();

  await page.getByLabel('Format of the file').selectOption('oscal');
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'NIST_CSF_v2.0_catalog.xml',
    mimeType: 'application/xml',
    buffer: CSF,
  });
  await page.getByLabel('Answers for each question').selectOption('csf-tiers');
  await page.getByRole('button', { name: 'Show what it becomes' }).click();

  const preview = page.getByRole('region', { name: 'What NIST Cybersecurity Framework 2.0 becomes' });
  await expect(preview).toBeVisible();
  await expect(preview.getByText('22 domains, 106 questions')).toBeVisible();
  await expect(preview.getByText('79 controls of an earlier version of the catalog left out')).toBeVisible();
  const domains = preview.getByRole('table', { name: 'Domains' });
  await expect(domains.getByRole('row')).toHaveCount(23);
  await expect(domains.getByRole('rowheader', { name: 'Organizational Context (GV.OC)' })).toBeVisible();
  await expectCleanPage(page, 'the import preview');

  await preview.getByRole('button', { name: /^Save NIST Cybersecurity Framework 2.0 1.0.0/ }).click();
  await expect(page.getByRole('region', { name: 'Frameworks' }).getByRole('status')).toHaveText(
    'NIST Cybersecurity Framework 2.0 1.0.0 is saved. Programmes can now start on it.',
  );
  const stored = page.getByRole('table', { name: 'Stored framework versions' });
  await expect(stored.getByRole('row', { name: /NIST Cybersecurity Framework 2.0.*106/ })).toBeVisible();

  // Saving the same upload again would change nothing: the preview says so and offers no save.
  await page.getByRole('button', { name: 'Show what it becomes' }).click();
  await expect(page.getByText('This exact framework version is already stored.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Save NIST/ })).toBeDisabled();

  // A file that is not an OSCAL catalog: the problem and its line, nothing stored.
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'profile.xml',
    mimeType: 'application/xml',
    buffer: Buffer.from('<?xml version="1.0"?>\n<profile/>\n'),
  });
  await page.getByRole('button', { name: 'Show what it becomes' }).click();
  await expect(page.getByText(/the root element is `profile`, not `catalog`/)).toBeVisible();
  expect(problems).toEqual([]);
});
