import { expect, test } from '@playwright/test';
import { ADMIN, adminCode, apiSession, browse, ensureAdmin, expectAccessible, ok, screenshot, signIn } from './support';

/**
 * The Digital Security Handbook (issue 15): someone with no account opens it on a 360 px phone,
 * searches, and follows a respond path step by step; the connection goes, and the path still
 * reads after a reload, from the service worker's copy; and a manager, from an organisation's
 * low domain in its results, follows the link straight to the section that helps.
 */

test('the handbook reads signed out, a respond path still reads offline, and a low result links to the section that helps', async ({
  browser,
}) => {
  // ── Signed out, on a phone: the three parts, a search, a respond path one step at a time. ──
  const r = await browse(browser, { width: 360, height: 780 });
  await r.page.goto('/handbook');
  await expect(r.page.getByRole('heading', { level: 1, name: 'Digital Security Handbook' })).toBeVisible();
  for (const part of ['Prepare', 'Respond', 'Recover'])
    await expect(r.page.getByRole('heading', { level: 2, name: part })).toBeVisible();
  await expectAccessible(r.page, 'handbook contents');
  await r.page.getByRole('searchbox', { name: 'Search the handbook' }).fill('lost access');
  await expect(r.page.getByRole('heading', { name: /sections? found$/ })).toBeVisible();
  await screenshot(r.page, 'handbook-search-360.png');
  await r.page.getByRole('link', { name: 'I lost access to my account' }).first().click();
  await expect(r.page.getByRole('heading', { level: 1, name: 'I lost access to my account' })).toBeVisible();
  await expect(r.page.getByText(/^Step 1 of \d+$/)).toBeVisible();
  await r.page.getByRole('button', { name: 'Next step' }).click();
  await expect(r.page.getByText(/^Step 2 of \d+$/)).toBeVisible();
  await expect(r.page).toHaveURL(/\/handbook\/lost-account-access\?step=2$/);
  await expect(r.page.getByRole('heading', { level: 2, name: 'Questions to ask' })).toBeVisible();
  await expectAccessible(r.page, 'respond path, step 2');
  // The worker has kept what this page needs.
  await expect(r.page.getByText(/^Saved on this device/)).toBeVisible({ timeout: 20_000 });
  await screenshot(r.page, 'handbook-respond-step-360.png');

  // ── Offline: the server cannot be reached, and the path still reads after a reload. ──
  await r.context.setOffline(true);
  const reachable = await r.page.evaluate(() =>
    fetch('/api/v1/health').then(
      () => true,
      () => false,
    ),
  );
  expect(reachable, 'the network is really gone').toBe(false);
  const reload = await r.page.reload();
  expect(reload?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
  await expect(r.page.getByRole('heading', { level: 1, name: 'I lost access to my account' })).toBeVisible();
  await expect(r.page.getByText(/^Step 2 of \d+$/)).toBeVisible();
  await r.page.getByRole('link', { name: 'When to call for help, and whom' }).first().click();
  await expect(r.page.getByRole('heading', { level: 2, name: 'When to call for help, and whom' })).toBeVisible();
  await expect(r.page.getByText(/Access Now Digital Security Helpline/)).toBeVisible();
  await screenshot(r.page, 'handbook-offline-help-360.png');
  // The contents, too, were kept when they were first opened.
  await r.page.getByRole('link', { name: 'All sections' }).click();
  await expect(r.page.getByRole('heading', { level: 2, name: 'Respond' })).toBeVisible();
  await r.context.setOffline(false);
  expect(r.problems).toEqual([]);
  expect(r.context.foreign).toEqual([]);
  await r.context.close();

  // ── A manager: from a low domain in an organisation's results to the section that helps. ──
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const programmes = await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'));
  const demo = programmes.find((p) => p.name.startsWith('Demo programme'))!;
  const progress = await ok<{ assessmentId: string; completeness: number; status: string }[]>(
    await admin.get(`/api/v1/programmes/${demo.id}/progress`),
  );
  const answered = progress.filter((p) => p.completeness > 0.5);
  expect(answered.length).toBeGreaterThan(0);
  const m = await browse(browser);
  await signIn(m.page, ADMIN.email, adminCode);
  // The first demo organisation whose results show a low domain or a critical gap.
  let found = false;
  for (const a of answered) {
    await m.page.goto(`/assessments/${a.assessmentId}/results`);
    await expect(m.page.getByRole('heading', { level: 2, name: /domain|Domain/ }).first()).toBeVisible();
    if ((await m.page.getByText('In the handbook:').count()) > 0) {
      found = true;
      break;
    }
  }
  expect(found, 'a demo organisation with a low domain').toBe(true);
  const links = m.page.getByText('In the handbook:').first().getByRole('link');
  const first = links.first();
  const title = await first.innerText();
  await screenshot(m.page, 'handbook-from-results.png');
  await first.click();
  await expect(m.page).toHaveURL(/\/handbook\/[a-z0-9-]+$/);
  await expect(m.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(m.page.getByText(/^Last reviewed/)).toBeVisible();
  expect(m.problems).toEqual([]);
  expect(m.context.foreign).toEqual([]);
  await m.context.close();
  await admin.dispose();
});
