import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN, adminCode, ensureAdmin, expectAccessible, isolatedContext, PASSWORD, watchConsole } from './support';

/**
 * Reports in the app (docs/decisions/0005-reports-in-the-app.md): the admin, who manages the
 * demo programme, opens its Reports section with the keyboard, generates the programme report as a PDF, follows its progress, previews it in the page (a sandboxed frame
 * of the server's HTML rendering: it must render styled, with no CSP violation), and downloads
 * it — the first download meets a "recent sign-in required" answer, the step-up dialog asks for
 * the password and a code, and the download carries on.
 *
 * The server's clock cannot be moved from here, so that first answer is played by the browser
 * context (a route that answers the first download request with the server's 401); the
 * step-up itself (`POST /session/reauth`) and the retried download are real.
 */
test('a manager generates, previews and downloads the programme report, confirming it is them', async ({ browser }) => {
  await ensureAdmin();
  const context = await isolatedContext(browser);
  const page = await context.newPage();
  const problems = watchConsole(page);

  await page.goto('/signin');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code').fill(await adminCode());
  await page.getByRole('button', { name: 'Continue' }).click();
  await page
    .getByRole('link', { name: /Demo programme/ })
    .first()
    .click();

  // The programme's sections by keyboard: Tab reaches the link, Enter opens the section, and
  // reading goes on at the section's heading, not at the top of the page again.
  const nav = page.getByRole('navigation', { name: /^Sections of Demo programme/ });
  await expect(nav.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  const link = nav.getByRole('link', { name: 'Reports', exact: true });
  for (let i = 0; i < 40 && !(await link.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(link).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/programmes\/[^/]+\/reports$/);
  await expect(link).toHaveAttribute('aria-current', 'page');
  const section = page.getByRole('region', { name: 'Reports', exact: true });
  await expect(section.getByRole('heading', { name: 'Reports', exact: true })).toBeFocused();

  // The team reviews the drafted recommendations first: one reworded, marked as edited.
  const recommendations = section.getByRole('list', { name: 'Recommendations for the programme report' });
  const first = recommendations.getByRole('listitem').first();
  await expect(first).toContainText('Rule: ');
  await first.getByRole('button', { name: /^Edit/ }).click();
  await first.getByLabel('Title').fill('Our own wording, for the funders');
  await first.getByRole('button', { name: 'Save' }).click();
  await expect(first).toContainText('edited by the team');
  await expect(first).toContainText('Our own wording, for the funders');
  await expectAccessible(page, 'programme page, recommendations reviewed');

  await section.getByLabel('Format').selectOption('pdf');
  const started = Date.now();
  await section.getByRole('button', { name: 'Generate' }).click();
  const status = section.getByRole('status');
  await expect(status).toContainText('Programme report');
  await expect(status).toContainText('Ready', { timeout: 60_000 });
  const elapsed = Date.now() - started;
  test.info().annotations.push({ type: 'report job (request to ready, in the browser)', description: `${elapsed} ms` });
  await expectAccessible(page, 'programme page, report ready');

  // The preview: the server's HTML rendering, styled, in a frame without scripts.
  await section
    .getByRole('button', { name: /^Preview/ })
    .first()
    .click();
  const frame = section.locator('iframe');
  await expect(frame).toHaveAttribute('sandbox', '');
  const doc = page.frameLocator('.report-preview iframe');
  await expect(doc.getByRole('heading', { level: 2 }).first()).toBeVisible();
  await expect(doc.locator('main')).toHaveCSS('background-color', 'rgb(255, 255, 255)');
  // The team's wording is in the report, marked, under the rule that drafted it.
  await expect(doc.getByText('Our own wording, for the funders')).toBeVisible();
  await expect(doc.getByText(/edited by the programme team/).first()).toBeVisible();
  // (axe-core opens a page of its own to analyse frames, which this Chromium refuses: the page
  // is checked with the preview closed.)
  await section.getByRole('button', { name: 'Close the preview' }).click();
  await expect(frame).toHaveCount(0);

  // The first download is answered "recent sign-in required"; the dialog asks, then it carries on.
  let refused = false;
  await context.route('**/api/v1/reports/*/download', async (route) => {
    if (refused) return route.continue();
    refused = true;
    return route.fulfill({
      status: 401,
      contentType: 'application/json',
      body: JSON.stringify({
        error: {
          code: 'reauthentication_required',
          message: 'For this, confirm it is you: enter your password and a code again.',
          requestId: 'e2e',
        },
      }),
    });
  });
  await section
    .getByRole('button', { name: /^Download/ })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'step-up dialog');
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByLabel('Code', { exact: true }).fill(await adminCode());
  const downloaded = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Confirm and continue' }).click();
  const file = await downloaded;
  expect(file.suggestedFilename()).toMatch(/^programme report .*\.pdf$/);
  const path = await file.path();
  expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await expect(dialog).toBeHidden();

  // Back to the draft: the demo's recommendations as the rules wrote them.
  await first.getByRole('button', { name: /^Back to the draft/ }).click();
  await expect(first).not.toContainText('edited by the team');

  expect(problems).toEqual([]);
  expect(context.foreign).toEqual([]);
  await context.close();
});
