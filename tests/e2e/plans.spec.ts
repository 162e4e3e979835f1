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
  previewReport,
  screenshot,
  signIn,
} from './support';

/**
 * From gaps to a plan (docs/contracts.md, §7), on the demo programme: an assessor assigned to an
 * organisation opens its ranked interventions beside the plan and picks one into it, with an
 * owner from the organisation and a due date, and adds an item of their own; the organisation's
 * member, on a 360 px phone, finds it under "What to do next", starts it, marks it done and
 * attaches evidence; the manager sees it counted in the programme's plans; and the
 * organisation's confidential report shows the plan.
 */

test('an assessor builds a plan from the ranking, the organisation carries it out on a phone, the manager and the report show it', async ({
  browser,
}) => {
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const programmes = await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'));
  const demo = programmes.find((p) => p.name.startsWith('Demo programme'))!;
  const organisations = await ok<{ id: string; name: string }[]>(
    await admin.get(`/api/v1/programmes/${demo.id}/organisations`),
  );
  // A demo organisation with answers: other journeys add organisations of their own to the demo.
  const progress = await ok<{ organisationId: string; completeness: number }[]>(
    await admin.get(`/api/v1/programmes/${demo.id}/progress`),
  );
  const answered = new Set(progress.filter((p) => p.completeness > 0).map((p) => p.organisationId));
  const org = organisations.find((o) => answered.has(o.id))!;
  const suffix = Date.now().toString(36);
  const assessor = await joinAs(
    admin,
    { email: `plan-assessor-${suffix}@x.test`, role: 'assessor', programmeId: demo.id },
    'Besa Gashi',
  );
  await ok(
    await admin.post(`/api/v1/programmes/${demo.id}/assessors`, {
      data: { userId: assessor.userId, organisationId: org.id },
    }),
  );
  const member = await joinAs(
    admin,
    { email: `plan-member-${suffix}@x.test`, role: 'org_member', programmeId: demo.id, organisationId: org.id },
    'Drilon Berisha',
  );

  // ── The assessor: the ranking beside the plan; one intervention picked, one item of their own. ──
  const a = await browse(browser);
  await signIn(a.page, assessor.email, () => freshCode(assessor.secret, assessor.used));
  // The plan answers the baseline's gaps: the demo's baseline is validated and closed, and its
  // reassessment has only answers carried over, which count for nothing until confirmed.
  await a.page
    .getByRole('link', { name: `Plan for ${org.name}` })
    .first()
    .click();
  await expect(a.page.getByRole('heading', { level: 1, name: `Plan: ${org.name}` })).toBeVisible();
  const ranking = a.page.getByRole('region', { name: 'Ranked interventions' });
  await expect(ranking.getByText(/^Raises “/).first()).toBeVisible();
  await expectAccessible(a.page, 'assessor: ranking beside the plan');
  const choice = ranking
    .getByRole('listitem')
    .filter({ has: a.page.getByRole('button', { name: /^Add “/ }) })
    .first();
  const title = (await choice.getByRole('heading', { level: 3 }).innerText()).replace(/^#\d+\s*/, '');
  await choice.getByLabel('Owner').selectOption({ label: member.name });
  await choice.getByLabel('Due').fill('2030-06-30');
  await choice.getByRole('button', { name: `Add “${title}” to the plan` }).click();
  const plan = a.page.getByRole('region', { name: 'The plan' });
  const picked = plan.getByRole('article', { name: title });
  await expect(picked).toContainText(`Owner: ${member.name}`);
  await expect(picked).toContainText('Planned');
  await expect(ranking.getByRole('listitem').filter({ hasText: title }).getByText('In the plan')).toBeVisible();
  await plan.getByText('Add an item of your own').click();
  await plan.getByLabel('What is to be done').fill('Lock the server cupboard');
  await plan.getByRole('button', { name: 'Add the item' }).click();
  await expect(plan.getByRole('article', { name: 'Lock the server cupboard' })).toBeVisible();
  await expectAccessible(a.page, 'assessor: plan built');
  await screenshot(a.page, 'plan-assessor.png');
  expect(a.problems, 'assessor: CSP violations and page errors').toEqual([]);
  expect(a.context.foreign).toEqual([]);
  await a.context.close();

  // ── The organisation's member, on a 360 px phone: what to do next, started, done, evidence. ──
  const m = await browse(browser, { width: 360, height: 740 });
  await signIn(m.page, member.email, () => freshCode(member.secret, member.used));
  await m.page
    .getByRole('link', { name: `What to do next: ${org.name}` })
    .first()
    .click();
  const next = m.page.getByRole('region', { name: 'What to do next' });
  const mine = next.getByRole('article', { name: title });
  await expect(mine).toContainText('Due Jun 30, 2030');
  await expectAccessible(m.page, 'member: what to do next');
  await screenshot(m.page, 'plan-next-360.png');
  await mine.getByRole('button', { name: `Start: ${title}` }).click();
  await expect(mine).toContainText('In progress');
  await mine.getByText('Steps', { exact: true }).first().click();
  await expect(mine.getByRole('list').first()).toBeVisible();
  await mine.getByLabel('Attach a file that shows it is done').setInputFiles({
    name: 'two-step login on.png',
    mimeType: 'image/png',
    buffer: Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    ),
  });
  await expect(mine.getByRole('link', { name: 'two-step login on.png' })).toBeVisible();
  await mine.getByLabel('Notes').fill('Every mailbox now asks for a passkey.');
  await mine.getByRole('button', { name: 'Save the notes' }).click();
  await expect(mine.getByText('Saved.')).toBeVisible();
  await mine.getByRole('button', { name: `Mark done: ${title}` }).click();
  const done = m.page.getByRole('region', { name: 'Done' }).getByRole('article', { name: title });
  await expect(done).toContainText(/Done on/);
  // Nothing wider than the phone's screen.
  expect(await m.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expectAccessible(m.page, 'member: item done with evidence');
  await done.scrollIntoViewIfNeeded();
  await screenshot(m.page, 'plan-360.png');
  expect(m.problems, 'member: CSP violations and page errors').toEqual([]);
  expect(m.context.foreign).toEqual([]);
  await m.context.close();

  // ── The manager: the programme's plans, and the organisation's report with its plan. ──
  const g = await browse(browser);
  await signIn(g.page, ADMIN.email, adminCode);
  await g.page.getByRole('link', { name: demo.name }).first().click();
  const nav = g.page.getByRole('navigation', { name: `Sections of ${demo.name}` });
  await nav.getByRole('link', { name: 'Plans', exact: true }).click();
  const section = g.page.getByRole('region', { name: 'Plans', exact: true });
  await expect(section.getByRole('heading', { name: 'Most needed' })).toBeVisible();
  const row = section.getByRole('row').filter({ has: g.page.getByRole('rowheader', { name: org.name, exact: true }) });
  await expect(row).toBeVisible();
  await expect(section.getByRole('heading', { name: 'Overdue' })).toBeVisible();
  await expectAccessible(g.page, 'manager: programme plans');
  await screenshot(g.page, 'plans-programme.png');

  await nav.getByRole('link', { name: 'Reports', exact: true }).click();
  const doc = await previewReport(g.page, async (reports) => {
    await reports.getByLabel('One organisation').check();
    await reports.getByLabel('Organisation', { exact: true }).selectOption({ label: org.name });
  });
  await expect(doc.getByRole('heading', { name: 'The plan: what was chosen and where it stands' })).toBeVisible();
  await expect(
    doc.getByRole('cell', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }),
  ).toBeVisible();
  await expect(doc.getByText('Lock the server cupboard', { exact: false })).toBeVisible();
  expect(g.problems, 'manager: CSP violations and page errors').toEqual([]);
  expect(g.context.foreign).toEqual([]);
  await g.context.close();
  await admin.dispose();
});
