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
  signIn,
} from './support';

/**
 * The threat survey beside the assessment (issue 17), on the demo programme: an organisation's
 * member opens the survey from the home page, answers it — one choice, several, a number with
 * its unit, a text — and saves; the programme's manager sees the answers counted in the
 * Threats section, the member's words listed without the organisation's name, and in the
 * threats report.
 */
test('an organisation answers the threat survey; the manager sees it counted in the landscape and its report', async ({
  browser,
}) => {
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const programmes = await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'));
  const demo = programmes.find((p) => p.name.startsWith('Demo programme'))!;
  const progress = await ok<{ organisationId: string; organisation: string; roundId: string; assessmentId: string }[]>(
    await admin.get(`/api/v1/programmes/${demo.id}/progress`),
  );
  const first = progress[0]!;
  // The organisation's assessment in the open round: the demo's last.
  const row = progress.filter((p) => p.organisationId === first.organisationId).at(-1)!;
  const suffix = Date.now().toString(36);
  const member = await joinAs(
    admin,
    {
      email: `survey-member-${suffix}@x.test`,
      role: 'org_member',
      programmeId: demo.id,
      organisationId: row.organisationId,
    },
    'Besa Krasniqi',
  );
  const words = `Our reporter followed home after the council story ${suffix}`;

  // ── The member: the survey from the home page, answered and saved. ──
  const m = await browse(browser);
  await signIn(m.page, member.email, () => freshCode(member.secret, member.used));
  await expect(m.page.getByRole('link', { name: /^Threat survey: / }).first()).toBeVisible();
  await m.page.goto(`/assessments/${row.assessmentId}/survey`);
  const form = m.page.getByRole('form', { name: /Digital threats and capacity needs/ });
  await expect(form).toBeVisible();
  const likelihood = form.getByRole('group', { name: /How likely is a serious digital attack/ });
  await likelihood.getByRole('radio', { name: 'Very likely' }).check();
  const needs = form.getByRole('group', { name: /Which capacities does the organisation most need/ });
  await needs.getByRole('checkbox', { name: 'Legal support' }).check();
  await form.getByLabel(/How many people work for the organisation.*\(people\)/).fill('15');
  await form.getByLabel(/what threat worries you most/i).fill(words);
  await expectAccessible(m.page, 'member: the threat survey');
  await form.getByRole('button', { name: 'Save answers' }).click();
  await expect(m.page.getByRole('status').filter({ hasText: 'Your answers are saved.' })).toBeVisible();
  await m.page.reload();
  await expect(m.page.getByLabel(/what threat worries you most/i)).toHaveValue(words);
  expect(m.problems, 'member: CSP violations and page errors').toEqual([]);
  await m.context.close();

  // ── The manager: the answers counted in the Threats section, then in the threats report. ──
  const g = await browse(browser);
  await signIn(g.page, ADMIN.email, adminCode);
  await g.page.getByRole('link', { name: demo.name }).first().click();
  const nav = g.page.getByRole('navigation', { name: `Sections of ${demo.name}` });
  await nav.getByRole('link', { name: 'Threats', exact: true }).click();
  const threats = g.page.getByRole('region', { name: 'Threats', exact: true });
  // The demo runs the shipped threat survey; a manager can stop it here (or run it).
  await expect(threats.getByText(/^Beside the assessment, each round also asks the survey/)).toBeVisible();
  await expect(threats.getByRole('button', { name: 'Stop the survey' })).toBeVisible();
  await expect(threats.getByRole('heading', { name: /^Survey: Digital threats and capacity needs/ })).toBeVisible();
  await expect(threats.getByText('10 organisations answered').first()).toBeVisible();
  const worry = threats.getByRole('list', { name: 'In their words (without names)' }).first();
  await expect(threats.getByText(words)).toBeVisible();
  await expect(worry).not.toContainText(row.organisation);
  await expectAccessible(g.page, 'manager: the survey in the threat landscape');

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
  await expect(doc.getByRole('heading', { name: /^Survey: Digital threats and capacity needs/ })).toBeVisible();
  await expect(doc.getByText(words)).toBeVisible();
  expect(g.problems, 'manager: CSP violations and page errors').toEqual([]);
  await g.context.close();
  await admin.dispose();
});
