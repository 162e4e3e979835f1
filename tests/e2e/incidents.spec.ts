import { expect, test } from '@playwright/test';
import {
  ADMIN,
  adminCode,
  apiSession,
  browse,
  ensureAdmin,
  expectAccessible,
  freshCode,
  joinAs,
  ok,
  screenshot,
  signIn,
} from './support';

/**
 * The incident log and the threat landscape (issue 17), on the demo programme: an
 * organisation's member records an incident in their own words, edits it (the history keeps
 * both versions) and finds the handbook's sections beside it; the programme's manager sees the
 * cohort's threat landscape in the Threats section and makes the programme report, whose
 * Digital threats section counts the incidents; an observer sees the landscape as published
 * with the results, its small counts withheld.
 */
test('an organisation logs an incident; the manager sees the threat landscape and its report', async ({ browser }) => {
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const programmes = await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'));
  const demo = programmes.find((p) => p.name.startsWith('Demo programme'))!;
  const progress = await ok<{ organisationId: string; assessmentId: string }[]>(
    await admin.get(`/api/v1/programmes/${demo.id}/progress`),
  );
  const row = progress[0]!;
  const suffix = Date.now().toString(36);
  const member = await joinAs(
    admin,
    {
      email: `incident-member-${suffix}@x.test`,
      role: 'org_member',
      programmeId: demo.id,
      organisationId: row.organisationId,
    },
    'Drita Gashi',
  );
  const words = `A fake donor portal asked our finance officer for the bank details ${suffix}`;

  // ── The member: from the home page to the incident log, records one and edits it. ──
  const m = await browse(browser);
  await signIn(m.page, member.email, () => freshCode(member.secret, member.used));
  await m.page
    .getByRole('link', { name: /^Incident log: / })
    .first()
    .click();
  await expect(m.page).toHaveURL(new RegExp(`/assessments/${row.assessmentId}/incidents$`));
  await m.page.getByRole('button', { name: 'Record an incident' }).click();
  const form = m.page.getByRole('form', { name: 'Record an incident' });
  await form.getByLabel('What kind of incident').selectOption({ label: 'Phishing or a fraudulent request' });
  await form.getByLabel('Who was probably behind it').selectOption({ label: 'Criminal' });
  await form.getByLabel('How sure you are').selectOption({ label: 'Suspected' });
  await form.getByLabel('What happened').fill(words);
  await form.getByLabel('What was done').fill('Called the donor on the number we know.');
  await form.getByRole('checkbox', { name: 'Fear, stress or self-censorship' }).check();
  await expectAccessible(m.page, 'member: recording an incident');
  await form.getByRole('button', { name: 'Record it' }).click();
  const card = m.page.getByRole('article').filter({ hasText: words });
  await expect(card).toBeVisible();
  await expect(card.getByRole('heading')).toContainText('Phishing or a fraudulent request');
  // The category's handbook sections, linked.
  await expect(card.getByRole('link').first()).toHaveAttribute('href', /^\/handbook\//);
  await card.getByRole('button', { name: 'Edit' }).click();
  const edit = m.page.getByRole('form', { name: 'Edit the incident' });
  await edit.getByLabel('How sure you are').selectOption({ label: 'Confirmed' });
  await edit.getByRole('button', { name: 'Save the change' }).click();
  await expect(card.getByText('2 versions')).toBeVisible();
  await expectAccessible(m.page, 'member: the incident log');
  await screenshot(m.page, 'incidents-log.png');
  expect(m.problems, 'member: CSP violations and page errors').toEqual([]);
  await m.context.close();

  // ── The manager: the programme's Threats section, then the programme report. ──
  const g = await browse(browser);
  await signIn(g.page, ADMIN.email, adminCode);
  await g.page.getByRole('link', { name: demo.name }).first().click();
  const nav = g.page.getByRole('navigation', { name: `Sections of ${demo.name}` });
  await nav.getByRole('link', { name: 'Threats', exact: true }).click();
  const threats = g.page.getByRole('region', { name: 'Threats', exact: true });
  await expect(threats.getByText(/incidents at \d+ of \d+ organisations/)).toBeVisible();
  const phishing = threats
    .getByRole('row')
    .filter({ has: g.page.getByRole('rowheader', { name: 'Phishing or a fraudulent request' }) });
  await expect(phishing.getByRole('cell').first()).not.toHaveText('0');
  await expect(threats.getByRole('heading', { name: 'Baseline capacity' })).toBeVisible();
  await expectAccessible(g.page, 'manager: the threat landscape');
  await screenshot(g.page, 'incidents-threats.png');

  await nav.getByRole('link', { name: 'Reports', exact: true }).click();
  const reports = g.page.getByRole('region', { name: 'Reports', exact: true });
  await reports.getByLabel('Format').selectOption('html');
  await reports.getByRole('button', { name: 'Generate' }).click();
  await expect(reports.getByRole('status')).toContainText('Ready', { timeout: 60_000 });
  await reports
    .getByRole('button', { name: /^Preview/ })
    .first()
    .click();
  const doc = g.page.frameLocator('.report-preview iframe');
  await expect(doc.getByRole('heading', { name: 'Digital threats', exact: true })).toBeVisible();
  await expect(doc.getByText('Phishing or a fraudulent request').first()).toBeVisible();
  expect(g.problems, 'manager: CSP violations and page errors').toEqual([]);
  await g.context.close();

  // ── An observer: the landscape as published with the results, small counts withheld. ──
  const observer = await joinAs(
    admin,
    { email: `threat-observer-${suffix}@x.test`, role: 'observer', programmeId: demo.id },
    'Arta Morina',
  );
  const o = await browse(browser);
  await signIn(o.page, observer.email, () => freshCode(observer.secret, observer.used));
  await o.page.goto(`/programmes/${demo.id}/threats`);
  const published = o.page.getByRole('region', { name: 'Threats', exact: true });
  await expect(published.getByText(/^As published to observers on /)).toBeVisible();
  await expect(published.getByRole('cell', { name: 'withheld' }).first()).toBeVisible();
  await expectAccessible(o.page, 'observer: the published threat landscape');
  expect(o.problems, 'observer: CSP violations and page errors').toEqual([]);
  await o.context.close();
  await admin.dispose();
});
