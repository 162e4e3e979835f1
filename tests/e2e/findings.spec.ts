import { readFileSync } from 'node:fs';
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
 * Technical findings (docs/contracts.md, §14), on the demo programme: a junior assessor records a
 * finding and submits it; a senior (a manager of the programme) asks for a change, the junior
 * makes it and submits again, the senior approves; the organisation's member sees it on a
 * phone; the junior makes it a plan item, which the plan shows, and records the retest.
 */

test('a junior records a finding, a senior asks for a change then approves, the organisation sees it, it is planned and retested', async ({
  browser,
}) => {
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const programmes = await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'));
  const demo = programmes.find((p) => p.name.startsWith('Demo programme'))!;
  const organisations = await ok<{ id: string; name: string }[]>(
    await admin.get(`/api/v1/programmes/${demo.id}/organisations`),
  );
  const progress = await ok<{ organisationId: string; assessmentId: string; completeness: number }[]>(
    await admin.get(`/api/v1/programmes/${demo.id}/progress`),
  );
  const row = progress.find((p) => p.completeness > 0)!;
  const org = organisations.find((o) => o.id === row.organisationId)!;
  const findingsUrl = `/assessments/${row.assessmentId}/findings`;
  const suffix = Date.now().toString(36);
  const junior = await joinAs(
    admin,
    { email: `junior-${suffix}@x.test`, role: 'assessor', programmeId: demo.id },
    'Leart Hoxha',
  );
  await ok(
    await admin.post(`/api/v1/programmes/${demo.id}/assessors`, {
      data: { userId: junior.userId, organisationId: org.id },
    }),
  );
  const senior = await joinAs(
    admin,
    { email: `senior-${suffix}@x.test`, role: 'programme_manager', programmeId: demo.id },
    'Vjosa Berisha',
  );
  const member = await joinAs(
    admin,
    { email: `finding-member-${suffix}@x.test`, role: 'org_member', programmeId: demo.id, organisationId: org.id },
    'Albin Krasniqi',
  );
  const title = `Newsletter sign-up form leaks subscribers ${suffix}`;

  // ── The junior: records the finding from the plan page, and submits it. ──
  const j = await browse(browser);
  await signIn(j.page, junior.email, () => freshCode(junior.secret, junior.used));
  await j.page.goto(findingsUrl);
  await expect(j.page.getByRole('heading', { level: 1, name: `Findings: ${org.name}` })).toBeVisible();
  // What a scanner already found comes in as drafts, each result once.
  await j.page.getByText('Import scanner results').click();
  const scan = j.page.getByRole('form', { name: 'Import scanner results' });
  await scan.getByLabel('Format').selectOption('nuclei');
  await scan.getByLabel('File').setInputFiles({
    name: 'nuclei.jsonl',
    mimeType: 'application/jsonl',
    buffer: readFileSync(new URL('../../apps/server/test/fixtures/scans/nuclei.jsonl', import.meta.url)),
  });
  await scan.getByRole('button', { name: 'Import' }).click();
  await expect(scan.getByRole('status')).toHaveText(/drafts? imported/);
  await expect(
    j.page.getByRole('article', { name: /^WordPress Gallery Plugin < 2\.4 - Unauthenticated File Upload/ }).first(),
  ).toContainText('Draft');
  // A result that is only noise (the login page merely detected) is discarded, after a confirmation.
  const noise = j.page.getByRole('article', { name: /^WordPress Login Panel - Detect/ }).first();
  await expect(noise).toContainText('Draft');
  j.page.once('dialog', (d) => void d.accept());
  await noise.getByRole('button', { name: 'Discard the draft' }).click();
  await expect(j.page.getByRole('article', { name: /^WordPress Login Panel - Detect/ })).toHaveCount(0);
  await j.page.getByRole('button', { name: 'Record a finding' }).click();
  const form = j.page.getByRole('form', { name: 'A new finding' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('What was tested').selectOption('website');
  await form.getByLabel('Severity').selectOption('high');
  await form.getByLabel('CVSS vector (optional)').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
  await form.getByLabel('What was found').fill('The sign-up form answers with the whole subscriber list.');
  await form.getByLabel('What to do about it').fill('Fix the form so it answers with nothing but a thank-you.');
  await form.getByRole('button', { name: 'Save the draft' }).click();
  const card = j.page.getByRole('article', { name: title });
  await expect(card).toContainText('Draft');
  await expect(card).toContainText('CVSS 3.1: 7.5');
  await card.getByRole('button', { name: 'Submit for review' }).click();
  await expect(card).toContainText('In review');

  // ── The senior: asks for a change. ──
  const s = await browse(browser);
  await signIn(s.page, senior.email, () => freshCode(senior.secret, senior.used));
  await s.page.goto(findingsUrl);
  const reviewed = s.page.getByRole('article', { name: title });
  await reviewed.getByLabel('Comment').fill('Say how many subscribers are exposed.');
  await reviewed.getByRole('button', { name: 'Ask for changes' }).click();
  await expect(reviewed).toContainText('Changes asked');

  // ── The junior: makes the change and submits again. ──
  await j.page.reload();
  await expect(card).toContainText('The reviewer asked for changes: Say how many subscribers are exposed.');
  await card.getByRole('button', { name: 'Edit' }).click();
  const edit = j.page.getByRole('form', { name: 'Edit the finding' });
  await edit.getByLabel('What was found').fill('The sign-up form answers with all 2,400 subscribers’ addresses.');
  await edit.getByRole('button', { name: 'Save', exact: true }).click();
  await card.getByRole('button', { name: 'Submit for review' }).click();
  await expect(card).toContainText('In review');

  // ── The senior approves. ──
  await s.page.reload();
  await reviewed.getByRole('button', { name: 'Approve' }).click();
  await expect(reviewed).toContainText('Approved');
  await expect(reviewed).toContainText('reviewed by Vjosa Berisha');
  expect(s.problems, 'senior: CSP violations and page errors').toEqual([]);
  await s.context.close();

  // ── The organisation's member, on a phone: sees the approved finding. ──
  const m = await browse(browser, { width: 360, height: 740 });
  await signIn(m.page, member.email, () => freshCode(member.secret, member.used));
  await m.page.goto(findingsUrl);
  const theirs = m.page.getByRole('article', { name: title });
  await expect(theirs).toContainText('2,400 subscribers');
  await expect(theirs).toContainText('Approved');
  await expect(theirs).not.toContainText('Say how many');
  await expect(theirs.getByRole('button', { name: 'Record a retest' })).toHaveCount(0);
  await expectAccessible(m.page, 'member: approved findings');
  await screenshot(m.page, 'findings-360.png');
  expect(m.problems, 'member: CSP violations and page errors').toEqual([]);

  // ── The junior: makes it a plan item and records the retest. ──
  await j.page.reload();
  await card.getByRole('button', { name: 'Make it a plan item' }).click();
  await expect(card.getByRole('link', { name: 'In the plan' })).toBeVisible();
  await card.getByRole('button', { name: 'Record a retest' }).click();
  const retest = card.getByRole('form', { name: 'Retest' });
  await retest.getByLabel('Outcome').selectOption('fixed');
  await retest.getByLabel('Notes').fill('The form now answers with a thank-you only.');
  await retest.getByRole('button', { name: 'Save the retest' }).click();
  await expect(card).toContainText('Fixed');
  await expect(card).toContainText('The form now answers with a thank-you only.');
  await screenshot(j.page, 'findings-assessor.png');
  expect(j.problems, 'junior: CSP violations and page errors').toEqual([]);
  await j.context.close();

  // The organisation's plan shows the item the finding became.
  await m.page.goto(`/assessments/${row.assessmentId}/plan`);
  await expect(m.page.getByRole('article', { name: title })).toBeVisible();
  await m.context.close();

  // ── The senior, in the programme's Findings section: who found and who reviewed what. ──
  const g = await browse(browser);
  await signIn(g.page, senior.email, () => freshCode(senior.secret, senior.used));
  await g.page.getByRole('link', { name: demo.name }).first().click();
  await g.page
    .getByRole('navigation', { name: `Sections of ${demo.name}` })
    .getByRole('link', { name: 'Findings', exact: true })
    .click();
  const section = g.page.getByRole('region', { name: 'Technical findings', exact: true });
  await expect(section.getByRole('heading', { name: 'By severity' })).toBeVisible();
  const people = section.getByRole('region', { name: 'Who found and reviewed what' });
  const juniorRow = people.getByRole('row').filter({ has: g.page.getByRole('rowheader', { name: junior.name }) });
  // Approved 1 and sent back first 1 (found counts the imported drafts too).
  await expect(juniorRow.getByRole('cell').nth(1)).toHaveText('1');
  await expect(juniorRow.getByRole('cell').nth(2)).toHaveText('1');
  const seniorRow = people.getByRole('row').filter({ has: g.page.getByRole('rowheader', { name: senior.name }) });
  // Approvals given 1, changes asked 1.
  await expect(seniorRow.getByRole('cell').nth(4)).toHaveText('1');
  await expect(seniorRow.getByRole('cell').nth(5)).toHaveText('1');
  await expectAccessible(g.page, 'senior: the programme\u2019s findings');
  await screenshot(g.page, 'findings-programme.png');
  expect(g.problems, 'senior: CSP violations and page errors').toEqual([]);
  await g.context.close();
  await admin.dispose();
});
