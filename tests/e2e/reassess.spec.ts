import { expect, request, test, type Browser, type Page } from '@playwright/test';
import {
  ADMIN,
  adminCode,
  apiSession,
  ensureAdmin,
  expectCleanPage,
  freshCode,
  isolatedContext,
  ok,
  PASSWORD,
  state,
  watchConsole,
} from './support';

/**
 * The reassessment in the browser: a manager closes the baseline and opens the reassessment;
 * the organisation finds its baseline answers beside each question, confirms most of them a
 * domain at once, changes some and says in its own words what changed; the assessor sees what
 * was confirmed and what changed, writes what changed in a domain, and validates; then the
 * organisation's change (every round, what moved, the accounts) and the cohort's paired
 * statistics in plain words show in the app, and the same in the reports.
 *
 * The cohort's other five organisations are set up through the API (both rounds imported as
 * validated answers), so the statistics rest on six organisations validated in both rounds.
 */

type LocalText = string | Record<string, string>;
interface Option {
  id: string;
  label: LocalText;
  score: number;
}
interface Question {
  id: string;
  text: LocalText;
  options: Option[];
}
interface Domain {
  id: string;
  title: LocalText;
  questions: Question[];
}

const en = (t: LocalText) => (typeof t === 'string' ? t : (t.en ?? Object.values(t)[0]!));
const PROGRAMME = 'Newsrooms reassessed';
const JOURNEY_ORG = 'Zëri i Qytetit';
const OTHERS = ['Dritare', 'Fjala e Lirë', 'Glas Juga', 'Kronika', 'Sinjali'];

/** The options of a question from worst to best, "Don't know" left out. */
const ranked = (q: Question) =>
  [...q.options].filter((o) => o.score > 0 || !/know/i.test(en(o.label))).sort((a, b) => a.score - b.score);

/** An answers CSV of a round: every question of every organisation, the option `pick` chooses. */
function csv(
  round: string,
  organisations: string[],
  domains: Domain[],
  pick: (org: number, q: Question, i: number) => Option,
) {
  const lines = ['organisation,round,question,answer,note'];
  organisations.forEach((org, o) => {
    let i = 0;
    for (const d of domains) for (const q of d.questions) lines.push(`${org},${round},${q.id},${pick(o, q, i++).id},`);
  });
  return `${lines.join('\n')}\n`;
}

/** Someone invited through the API who accepts and enrols TOTP there: their browser state. */
async function invited(admin: Awaited<ReturnType<typeof apiSession>>, data: object) {
  const invitation = await ok<{ link: string }>(await admin.post('/api/v1/invitations', { data }));
  const api = await request.newContext({ baseURL: state().baseURL });
  const email = (data as { email: string }).email;
  await ok(
    await api.post('/api/v1/invitations/accept', {
      data: { token: new URL(invitation.link).hash.slice(1), displayName: email.split('@')[0], password: PASSWORD },
    }),
  );
  const { secret } = await ok<{ secret: string }>(await api.post('/api/v1/session/totp'));
  await ok(await api.post('/api/v1/session/totp/confirm', { data: { code: await freshCode(secret, new Set()) } }));
  const me = await ok<{ id: string }>(await api.get('/api/v1/me'));
  const storage = await api.storageState();
  await api.dispose();
  return { id: me.id, storage };
}

async function browse(browser: Browser, storage: Awaited<ReturnType<typeof invited>>['storage']) {
  const context = await isolatedContext(browser, undefined, { storageState: storage });
  const page = await context.newPage();
  return { context, page, problems: watchConsole(page) };
}

test('close the baseline, open the reassessment, confirm and change, validate, and see what moved', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const frameworks = await ok<{ id: string; version: string }[]>(await admin.get('/api/v1/frameworks'));
  const fw = await ok<{ domains: Domain[] }>(await admin.get(`/api/v1/frameworks/${frameworks[0]!.id}`));
  const programme = await ok<{ id: string; rounds: { id: string; name: string }[] }>(
    await admin.post('/api/v1/programmes', {
      data: {
        name: PROGRAMME,
        frameworkId: frameworks[0]!.id,
        rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
      },
    }),
  );
  const [baseline, reassessment] = programme.rounds;
  const orgIds = new Map<string, string>();
  for (const name of [JOURNEY_ORG, ...OTHERS]) {
    const o = await ok<{ id: string }>(
      await admin.post(`/api/v1/programmes/${programme.id}/organisations`, {
        data: {
          name,
          kind: 'media',
          sizeBand: '6-10',
          municipality: 'Prizren',
          country: 'XK',
          focus: '',
          languages: [],
        },
      }),
    );
    orgIds.set(name, o.id);
  }
  // The baseline, validated: a middling answer everywhere (the second-worst option), a little better for some.
  const all = [JOURNEY_ORG, ...OTHERS];
  await ok(
    await admin.post(`/api/v1/programmes/${programme.id}/rounds/${baseline!.id}/answers`, {
      data: {
        // The journey's organisation answers the second-worst option everywhere, so that it can do better.
        csv: csv('baseline', all, fw.domains, (o, q, i) =>
          o === 0 ? ranked(q)[1]! : ranked(q)[Math.min(ranked(q).length - 1, 1 + ((o + i) % 5 === 0 ? 1 : 0))]!,
        ),
        layer: 'validated',
      },
    }),
  );
  const member = await invited(admin, {
    email: 'director@zeri.test',
    role: 'org_admin',
    programmeId: programme.id,
    organisationId: orgIds.get(JOURNEY_ORG),
  });
  const assessor = await invited(admin, {
    email: 'assessor@reassess.test',
    role: 'assessor',
    programmeId: programme.id,
  });
  await ok(
    await admin.post(`/api/v1/programmes/${programme.id}/assessors`, {
      data: { userId: assessor.id, organisationId: orgIds.get(JOURNEY_ORG) },
    }),
  );
  const progress = await ok<{ organisationId: string; roundId: string; assessmentId: string }[]>(
    await admin.get(`/api/v1/programmes/${programme.id}/progress`),
  );
  const assessmentOf = (org: string, round: string) =>
    progress.find((p) => p.organisationId === orgIds.get(org) && p.roundId === round)!.assessmentId;
  const theirs = assessmentOf(JOURNEY_ORG, reassessment!.id);

  // The manager closes the baseline and opens the reassessment.
  const manager = await browse(browser, await admin.storageState());
  let page: Page = manager.page;
  await page.goto(`/programmes/${programme.id}`);
  const baselineCard = page.locator('.round-card').filter({ hasText: 'baseline' });
  const reassessmentCard = page.locator('.round-card').filter({ hasText: 'reassessment' });
  await expect(baselineCard.getByText('Open', { exact: true })).toBeVisible();
  await expect(reassessmentCard.getByText('Not open yet')).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await baselineCard.getByRole('button', { name: 'Close baseline' }).click();
  await expect(baselineCard.getByText('Closed', { exact: true })).toBeVisible();
  await reassessmentCard.getByRole('button', { name: 'Open reassessment' }).click();
  await expect(reassessmentCard.getByText('Open', { exact: true })).toBeVisible();
  await page.getByText('History of the rounds').click();
  await expect(page.getByText(/^baseline closed by Arta Krasniqi/)).toBeVisible();
  await expectCleanPage(page, 'manager: rounds');

  // The other five organisations' reassessment, validated, through the API: most improve, one declines.
  await ok(
    await admin.post(`/api/v1/programmes/${programme.id}/rounds/${reassessment!.id}/answers`, {
      data: {
        csv: csv('reassessment', OTHERS, fw.domains, (o, q, i) => {
          const r = ranked(q);
          if (o === 4) return r[0]!;
          return i % (o + 2) === 0 ? r[r.length - 1]! : r[Math.min(r.length - 1, 1 + ((o + 1 + i) % 5 === 0 ? 1 : 0))]!;
        }),
        layer: 'validated',
      },
    }),
  );

  // The organisation: its home says the reassessment is open; each domain shows the baseline's answers to confirm.
  const org = await browse(browser, member.storage);
  page = org.page;
  await page.goto('/');
  await expect(page.getByRole('link', { name: `${JOURNEY_ORG} — reassessment` })).toBeVisible();
  const own = page.locator('.cards li').filter({ hasText: 'reassessment' });
  await expect(own.getByText('Open', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: `${JOURNEY_ORG} — reassessment` }).click();
  const total = fw.domains.reduce((n, d) => n + d.questions.length, 0);
  await expect(page.getByText(`0 of ${total} questions answered`, { exact: false })).toBeVisible();
  await expect(
    page.getByText(`${total} answers from the baseline wait for you to confirm or change them.`, { exact: false }),
  ).toBeVisible();
  await expectCleanPage(page, 'organisation: reassessment');
  for (const [d, domain] of fw.domains.entries()) {
    await page.goto(`/assessments/${theirs}?domain=${domain.id}`);
    await expect(page.locator('#domain-title')).toContainText(en(domain.title));
    if (d < 2) {
      // Better than at the baseline: its best option, chosen instead of confirming.
      const j = domain.questions.findIndex((x) => ranked(x).length >= 3);
      const q = domain.questions[j]!;
      const article = page.getByRole('article', { name: `${d + 1}.${j + 1} ${en(q.text)}`, exact: true });
      await expect(article.getByText('From the baseline — confirm or change')).toBeVisible();
      await article.getByRole('radio', { name: en(ranked(q).at(-1)!.label), exact: true }).check();
      await expect(article.locator('.save-text')).toHaveText(/^✓?\s*Saved$/);
      await expect(article.getByText('Changed since the baseline')).toBeVisible();
    }
    if (d === 0) {
      await page
        .getByLabel('In your own words: what changed in this domain since the baseline? (optional)')
        .fill('We moved every account to an authenticator app after the training in March.');
      await page.getByRole('button', { name: 'Save the account' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    }
    const left = domain.questions.length - (d < 2 ? 1 : 0);
    await page
      .getByRole('button', {
        name:
          left === 1
            ? 'Confirm the answer from the baseline in this domain'
            : `Confirm the ${left} answers from the baseline in this domain`,
      })
      .click();
    await expect(page.getByRole('button', { name: /answers? from the baseline in this domain/ })).toHaveCount(0);
    await expect(page.getByText('Confirmed unchanged since the baseline').first()).toBeVisible();
  }
  await expect(page.getByText(`${total} of ${total} questions answered`, { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Submit for validation' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Submit', exact: true }).click();
  await expect(page.getByText('Submitted for validation').first()).toBeVisible();

  // The assessor: what was confirmed and what changed; an account of the first domain; validation.
  const review = await browse(browser, assessor.storage);
  page = review.page;
  await page.goto(`/assessments/${theirs}/review?domain=${fw.domains[0]!.id}`);
  await expect(
    page.getByText(`Since the baseline: ${total - 2} confirmed unchanged, 2 changed, 0 not confirmed yet.`),
  ).toBeVisible();
  await expect(
    page.getByText('We moved every account to an authenticator app after the training in March.'),
  ).toBeVisible();
  await page
    .getByLabel('What changed in this domain since the baseline, and why')
    .fill('Seen on every laptop in the newsroom; the director still receives codes by SMS.');
  await page.getByRole('button', { name: 'Save the account' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expectCleanPage(page, 'assessor: review');
  await page.getByRole('button', { name: 'Validate assessment' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByText('This assessment is closed.', { exact: false })).toBeVisible();

  // The organisation's change: every round, what moved in each domain, and the accounts beside it.
  page = org.page;
  await page.goto(`/assessments/${theirs}/results`);
  await expect(page.getByRole('heading', { name: 'What moved between rounds' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'From baseline to reassessment' })).toBeVisible();
  await expect(page.getByText('Answered better: 1 question')).toHaveCount(2);
  await expect(
    page.getByText('Seen on every laptop in the newsroom; the director still receives codes by SMS.'),
  ).toBeVisible();
  await expectCleanPage(page, 'organisation: what moved');

  // The cohort's change in plain words, over the six organisations validated in both rounds.
  page = manager.page;
  await page.goto(`/programmes/${programme.id}/results`);
  await expect(page.getByRole('heading', { name: 'How the cohort changed, in plain words' })).toBeVisible();
  const plain = page.locator('.plain-words');
  await expect(plain).toHaveText(
    /^\d of 6 organisations improved; the mean change was [+−-]\d+\.\d\d \(95% interval [+−-]?\d+\.\d\d to [+−-]?\d+\.\d\d\)\.$/,
  );
  await expect(
    page.getByText('These figures rest on the 6 organisations whose assessments were validated in both rounds.'),
  ).toBeVisible();
  await expect(page.getByText(/^There is no control group/)).toBeVisible();
  await expect(page.getByText(/^With \d changed pairs?, the smallest p the test can reach is/)).toBeVisible();
  await expectCleanPage(page, 'manager: cohort change');

  // The same in the reports: the programme report's change and the organisation's report.
  const report = async (body: object) => {
    const job = await ok<{ id: string }>(
      await admin.post(`/api/v1/programmes/${programme.id}/reports`, { data: body }),
    );
    await expect
      .poll(async () => (await ok<{ status: string }>(await admin.get(`/api/v1/reports/${job.id}`))).status, {
        timeout: 60_000,
      })
      .toBe('done');
    return (await admin.get(`/api/v1/reports/${job.id}/preview`)).text();
  };
  const programmeReport = await report({ kind: 'programme', format: 'html' });
  expect(programmeReport).toMatch(/\d of 6 organisations improved; the mean change was/);
  expect(programmeReport).toContain('These figures rest on the assessments validated in both rounds, 6 in all');
  expect(programmeReport).toContain('There is no control group.');
  const organisationReport = await report({
    kind: 'organisation',
    organisationId: orgIds.get(JOURNEY_ORG),
    format: 'html',
  });
  expect(organisationReport).toContain('What moved between rounds');
  expect(organisationReport).toContain(
    'Seen on every laptop in the newsroom; the director still receives codes by SMS.',
  );
  expect(organisationReport).toContain('We moved every account to an authenticator app after the training in March.');

  for (const p of [manager, org, review]) {
    expect(p.problems).toEqual([]);
    expect(p.context.foreign).toEqual([]);
    await p.context.close();
  }
  await admin.dispose();
});
