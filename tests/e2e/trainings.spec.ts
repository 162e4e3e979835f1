import { expect, test, type Browser } from '@playwright/test';
import {
  ADMIN,
  adminCode,
  apiSession,
  browse,
  ensureAdmin,
  expectAccessible,
  expectCleanPage,
  freshCode,
  joinAs,
  ok,
  previewReport,
  screenshot,
  signIn,
} from './support';

/**
 * A training from start to finish (docs/contracts.md, §8), on the demo programme: a trainer
 * schedules a session from the module catalogue and adds three participants from the cohort;
 * the links go out; three participants take the check before the session on 360 px phones —
 * two by their link, one by typing the short code from the projector — without an account; the
 * trainer records attendance and opens the check after the session; they take it again, with
 * the reaction survey, and see their answers explained; a link used twice is refused; the
 * manager sees the impact and the programme report's training section filled.
 */

interface Handout {
  name: string;
  code: string;
  link: string;
}

/** A participant's phone: no account, no cookie, nothing but our server. */
async function phone(browser: Browser) {
  return browse(browser, { width: 360, height: 740 });
}

/** Answers every item of the check open on the page with the option `choose` names (by position). */
async function answerCheck(page: Awaited<ReturnType<typeof phone>>['page'], choose: (i: number) => number) {
  const items = page.locator('.check-item');
  const n = await items.count();
  for (let i = 0; i < n; i++) {
    const options = items.nth(i).getByRole('radio');
    await options.nth(Math.min(choose(i), (await options.count()) - 1)).check();
  }
  return n;
}

test('a trainer runs a session, three participants take the check on their phones before and after, and the manager sees the impact in the app and the report', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const programmes = await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'));
  const demo = programmes.find((p) => p.name.startsWith('Demo programme'))!;
  const organisations = await ok<{ id: string; name: string }[]>(
    await admin.get(`/api/v1/programmes/${demo.id}/organisations`),
  );
  const suffix = Date.now().toString(36);
  const trainer = await joinAs(
    admin,
    { email: `trainer-${suffix}@x.test`, role: 'trainer', programmeId: demo.id },
    'Valbona Hoxha',
  );
  const sessionTitle = `Phishing clinic ${suffix}`;

  // ── The trainer: schedules the session and adds three participants. ──
  const tr = await browse(browser);
  await signIn(tr.page, trainer.email, () => freshCode(trainer.secret, trainer.used));
  await tr.page.getByRole('link', { name: demo.name }).first().click();
  const nav = tr.page.getByRole('navigation', { name: `Sections of ${demo.name}` });
  // A trainer finds the trainings and nothing else of the programme.
  await expect(nav.getByRole('link')).toHaveText(['Trainings']);
  const section = tr.page.getByRole('region', { name: 'Trainings', exact: true });
  await section.getByText('Schedule a session', { exact: true }).click();
  await section.getByLabel('Module', { exact: true }).selectOption({ label: 'Account security and phishing' });
  await expect(section.getByText(/Its knowledge check has \d+ questions/)).toBeVisible();
  await section.getByLabel('Title of the session', { exact: true }).fill(sessionTitle);
  await section.getByLabel('Starts at', { exact: true }).fill('2026-11-20T09:30');
  await section.getByLabel('Place', { exact: true }).fill('Hotel Sirius, Prishtinë');
  await section.getByLabel('Trainers', { exact: true }).fill('Valbona Hoxha');
  await expect(section.getByLabel('Number of places', { exact: true })).toHaveValue('20');
  await expectAccessible(tr.page, 'trainer: scheduling a session');
  await section.getByRole('button', { name: 'Schedule the session' }).click();

  const page = tr.page.getByRole('region', { name: sessionTitle });
  await expect(page.getByText('Hotel Sirius, Prishtinë')).toBeVisible();
  const people = [
    { name: 'Teuta K.', organisation: organisations[0]!.name, role: 'editor' },
    { name: 'Arben', organisation: organisations[1]!.name, role: 'finance officer' },
    { name: 'Participant 3', organisation: organisations[2]!.name, role: '' },
  ];
  for (const p of people) {
    await page.getByLabel('Name or pseudonym', { exact: true }).fill(p.name);
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: p.organisation });
    await page.getByLabel('Role', { exact: true }).fill(p.role);
    await page.getByRole('button', { name: 'Add the participant' }).click();
    await expect(page.getByRole('rowheader', { name: p.name, exact: true })).toBeVisible();
  }
  await expect(page.getByText('3 of 20')).toBeVisible();
  await page.getByRole('button', { name: 'Send the links' }).click();
  const links = tr.page.getByRole('region', { name: 'The participants’ links' }).first();
  await expect(links.getByRole('row')).toHaveCount(4);
  const handouts: Handout[] = [];
  for (const p of people) {
    const row = links.getByRole('row').filter({ has: tr.page.getByRole('rowheader', { name: p.name, exact: true }) });
    handouts.push({
      name: p.name,
      code: (await row.locator('.code').innerText()).trim(),
      link: await row
        .getByRole('link')
        .getAttribute('href')
        .then((h) => h!),
    });
  }
  expect(handouts.map((h) => h.code)).toEqual(handouts.map(() => expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/)));
  await expectAccessible(tr.page, 'trainer: links issued');
  await screenshot(tr.page, 'training-links.png');

  // ── Before the session: three phones, two by link, one by the code on the projector. ──
  const scores: number[] = [];
  for (const [i, h] of handouts.entries()) {
    const p = await phone(browser);
    if (i < 2) await p.page.goto(h.link);
    else {
      await p.page.goto('/check');
      await expectAccessible(p.page, 'participant: typing the code');
      await p.page.getByLabel('Your code', { exact: true }).fill(h.code.toLowerCase());
      await p.page.getByRole('button', { name: 'Open my check' }).click();
    }
    await expect(p.page.getByRole('heading', { level: 1 })).toContainText(sessionTitle);
    await expect(p.page.getByText(/^Before the session:/)).toBeVisible();
    const confidence = p.page.getByRole('group', { name: /How confident do you feel/ });
    await confidence.getByText(String(2 + i), { exact: true }).click();
    // Before: each gets a different share right (the first option is not always the correct one).
    await answerCheck(p.page, (item) => (item + i) % 2);
    expect(await p.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    if (i === 0) {
      await expectAccessible(p.page, 'participant: the check before the session');
      await screenshot(p.page, 'training-check-360.png');
    }
    await p.page.getByRole('button', { name: 'Send my answers' }).click();
    const result = p.page.getByText(/^Before the session: \d+ of \d+ correct/);
    await expect(result).toBeVisible();
    scores.push(Number(/\((\d+)%\)/.exec(await result.innerText())![1]));
    await expectCleanPage(p.page, 'participant: after sending');
    expect(await p.context.cookies(), 'the check sets no cookie').toEqual([]);
    expect(p.problems, 'participant: CSP violations and page errors').toEqual([]);
    expect(p.context.foreign).toEqual([]);
    await p.context.close();
  }

  // A link is taken once per phase: sending again is refused, and the page says the check waits.
  const again = await phone(browser);
  await again.page.goto(handouts[0]!.link);
  await expect(again.page.getByText(/You have taken the check before the session/)).toBeVisible();
  await again.context.close();

  // ── The session: attendance, then the check after it. ──
  await tr.page.reload();
  const session = tr.page.getByRole('region', { name: sessionTitle });
  for (const p of people) await session.getByLabel(`${p.name} attended`).check();
  await expect(session.getByText('3 attended')).toBeVisible();
  await session.getByRole('button', { name: 'Open the check after the session' }).click();
  await expect(session.getByText('After the session', { exact: true })).toBeVisible();

  // ── After the session: the same items, then the reaction; the answers explained. ──
  for (const [i, h] of handouts.entries()) {
    const p = await phone(browser);
    await p.page.goto(h.link);
    await expect(p.page.getByText(/^After the session:/)).toBeVisible();
    await answerCheck(p.page, (item) => ((item + i) % 3 === 0 ? 1 : 0));
    await p.page
      .getByRole('group', { name: /how confident/i })
      .getByText('4', { exact: true })
      .click();
    await p.page
      .getByRole('group', { name: /How useful/ })
      .getByText('5', { exact: true })
      .click();
    await p.page
      .getByRole('group', { name: /How relevant/ })
      .getByText('4', { exact: true })
      .click();
    await p.page.getByText('about right').click();
    if (i === 0) await expectAccessible(p.page, 'participant: the check after the session');
    await p.page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(p.page.getByText(/^After the session: \d+ of \d+ correct/)).toBeVisible();
    await expect(p.page.getByRole('heading', { name: 'The answers, explained' })).toBeVisible();
    expect(await p.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    if (i === 0) await screenshot(p.page, 'training-explained-360.png');
    // The same phase again, from the same link: refused, nothing changes.
    const token = new URL(h.link, 'http://x').pathname.split('/').pop()!;
    const twice = await p.page.request.post(`/api/v1/checks/${token}/post`, { data: { answers: {} } });
    expect(twice.status()).toBe(409);
    expect(p.problems, 'participant: CSP violations and page errors').toEqual([]);
    expect(p.context.foreign).toEqual([]);
    await p.context.close();
  }

  // The trainer sees each participant's before and after.
  await tr.page.reload();
  for (const p of people) {
    const row = tr.page.getByRole('row').filter({ has: tr.page.getByRole('rowheader', { name: p.name, exact: true }) });
    await expect(row.getByRole('cell')).toContainText([/.*/, /.*/, /.*/, /\d+/, /\d+/]);
  }
  await expect(tr.page.getByRole('heading', { name: 'What participants learned' })).toBeVisible();
  await expect(tr.page.getByText(/3 participants took the check before and after/)).toBeVisible();
  await expectAccessible(tr.page, 'trainer: the session after the check');
  await screenshot(tr.page, 'training-session.png');
  expect(tr.problems, 'trainer: CSP violations and page errors').toEqual([]);
  expect(tr.context.foreign).toEqual([]);
  await tr.context.close();

  // ── The manager: the impact in the app, and the report's training section. ──
  const g = await browse(browser);
  await signIn(g.page, ADMIN.email, adminCode);
  await g.page.getByRole('link', { name: demo.name }).first().click();
  const gnav = g.page.getByRole('navigation', { name: `Sections of ${demo.name}` });
  await gnav.getByRole('link', { name: 'Trainings', exact: true }).click();
  const trainings = g.page.getByRole('region', { name: 'Trainings', exact: true });
  await expect(trainings.getByRole('link', { name: sessionTitle })).toBeVisible();
  const impact = trainings.getByRole('region', { name: 'Training impact' });
  await expect(impact.getByRole('rowheader', { name: 'Account security and phishing' })).toBeVisible();
  await expect(impact.getByRole('heading', { name: 'By organisation' })).toBeVisible();
  await expect(impact.getByText(/association, not that the training caused/)).toBeVisible();
  await expectAccessible(g.page, 'manager: training impact');
  await screenshot(g.page, 'training-impact.png');

  await gnav.getByRole('link', { name: 'Reports', exact: true }).click();
  const doc = await previewReport(g.page);
  await expect(doc.getByRole('heading', { name: 'Training impact' })).toBeVisible();
  // Sessions go by their module's title in the report: a title of the trainer's own stays in the app.
  await expect(doc.getByRole('cell', { name: 'Account security and phishing' }).first()).toBeVisible();
  await expect(doc.getByText('No trainings have been recorded yet.')).toHaveCount(0);
  expect(g.problems, 'manager: CSP violations and page errors').toEqual([]);
  expect(g.context.foreign).toEqual([]);
  await g.context.close();
  await admin.dispose();
  expect(scores).toHaveLength(3);
});
