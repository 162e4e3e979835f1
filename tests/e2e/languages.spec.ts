import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  ADMIN,
  adminCode,
  apiSession,
  ensureAdmin,
  expectAccessible,
  freshCode,
  isolatedContext,
  joinAs,
  ok,
  PASSWORD,
  screenshot,
  watchConsole,
  type Account,
} from './support';

/**
 * Kalaja in the seeds' languages, starting where their people start (docs/contracts.md §13):
 *
 * - in Albanian (a browser set to `sq-AL`) and in Serbian Cyrillic (`sr-RS`, as browsers in
 *   Serbia report it): a member of an organisation signs in, reads the questionnaire (domain,
 *   question and every option in the language, no English), reads the results, and chooses the
 *   language in the menu, which their account then keeps — in an English browser Kalaja speaks
 *   it to them after they sign in;
 * - in both too, the programme manager sets up a programme (the form and the rounds it proposes
 *   in the language), reads the cohort's results, and downloads the programme report as a PDF in
 *   the language: no English heading, and in Cyrillic no Serbian Latin letter at all.
 *
 * Every word looked for comes from the catalogues and the framework the app ships, so the test
 * checks the language the page is in, not one translation.
 */

const repo = new URL('../../', import.meta.url).pathname;
type Catalogue = Record<string, unknown>;
interface Engine {
  latinToCyrillic(text: string): string;
  cyrillicCatalogue<T>(c: T): T;
  loadFramework(text: string, options: { file: string }): { ok: boolean; value: Framework };
  textFor(text: unknown, locale: string): string;
}
interface Framework {
  domains: {
    id: string;
    title: unknown;
    questions: { id: string; text: unknown; options: { id: string; label: unknown }[] }[];
  }[];
}
const engine = async () =>
  (await import(new URL('../../packages/engine/dist/index.js', import.meta.url).href)) as Engine;

/** The app's words for a language and namespace, as the app shows them (Cyrillic derived). */
async function words(
  lng: 'sq' | 'sr-Cyrl',
  ns: string,
): Promise<(key: string, values?: Record<string, string>) => string> {
  const { cyrillicCatalogue } = await engine();
  const file = (l: string) =>
    JSON.parse(readFileSync(`${repo}apps/web/src/locales/${l}/${ns}.json`, 'utf8')) as Catalogue;
  const catalogue = lng === 'sr-Cyrl' ? cyrillicCatalogue(file('sr-Latn')) : file(lng);
  return (key, values = {}) => {
    const found = key.split('.').reduce<unknown>((node, part) => (node as Catalogue | undefined)?.[part], catalogue);
    if (typeof found !== 'string') throw new Error(`${lng}/${ns}.json has no ${key}`);
    return found.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
  };
}

/** Signs in through the sign-in page in whatever language it is in. */
async function signInIn(page: Page, lng: 'sq' | 'sr-Cyrl', email: string, code: () => Promise<string>) {
  const t = await words(lng, 'common');
  await page.goto('/');
  await page.goto('/signin');
  await expect(page.getByRole('heading', { level: 1, name: t('auth.signInTitle') })).toBeVisible();
  await page.getByLabel(t('auth.email')).fill(email);
  await page.getByLabel(t('auth.password')).fill(PASSWORD);
  await page.getByRole('button', { name: t('auth.signIn') }).click();
  await page.getByLabel(t('auth.code'), { exact: true }).fill(await code());
  await page.getByRole('button', { name: t('auth.verify') }).click();
}

const BROWSER: Record<'sq' | 'sr-Cyrl', string> = { sq: 'sq-AL', 'sr-Cyrl': 'sr-RS' };
const NAMES: Record<'sq' | 'sr-Cyrl', string> = { sq: 'Vjosa Hoxha', 'sr-Cyrl': 'Milica Jovanović' };

for (const lng of ['sq', 'sr-Cyrl'] as const)
  test(`an organisation answers in ${lng}, reads its results, and keeps the language on its account`, async ({
    browser,
  }) => {
    await ensureAdmin();
    const admin = await apiSession(ADMIN.email, adminCode);
    const { textFor, loadFramework } = await engine();
    const fw = loadFramework(readFileSync(`${repo}content/frameworks/cso-media.yaml`, 'utf8'), { file: 'f' }).value;
    const programmes = await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'));
    const demo = programmes.find((p) => p.name.startsWith('Demo programme'))!;
    // An organisation of its own in the demo, so its reassessment (the open round) is a new draft.
    const organisation = `${lng === 'sq' ? 'Zëri i Lirë' : 'Слободни глас'} ${Date.now().toString(36)}`;
    const created = await ok<{ id: string }>(
      await admin.post(`/api/v1/programmes/${demo.id}/organisations`, {
        data: {
          name: organisation,
          kind: 'media',
          sizeBand: '1-5',
          municipality: '',
          country: 'XK',
          focus: '',
          languages: [],
        },
      }),
    );
    const member: Account = await joinAs(
      admin,
      {
        email: `${lng}-${Date.now().toString(36)}@x.test`,
        role: 'org_admin',
        programmeId: demo.id,
        organisationId: created.id,
      },
      NAMES[lng],
    );
    const { rounds } = await ok<{ rounds: { id: string; state: string }[] }>(
      await admin.get(`/api/v1/programmes/${demo.id}`),
    );
    const open = rounds.find((r) => r.state === 'open')!;
    const progress = await ok<{ organisationId: string; roundId: string; assessmentId: string }[]>(
      await admin.get(`/api/v1/programmes/${demo.id}/progress`),
    );
    const answered = {
      assessmentId: progress.find((p) => p.organisationId === created.id && p.roundId === open.id)!.assessmentId,
      organisation,
    };
    const common = await words(lng, 'common');

    // ── A browser in the language: the sign-in page, home and the questionnaire speak it. ──
    const context = await isolatedContext(browser, { width: 1280, height: 900 }, { locale: BROWSER[lng] });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signInIn(page, lng, member.email, () => freshCode(member.secret, member.used));
    await expect(
      page.getByRole('heading', { level: 1, name: common('home.title', { name: NAMES[lng] }) }),
    ).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', lng);
    await expectAccessible(page, `home in ${lng}`);

    const domain = fw.domains[0]!;
    await page.goto(`/assessments/${answered.assessmentId}?domain=${domain.id}`);
    await expect(page.getByRole('heading', { level: 2 }).first()).toContainText(textFor(domain.title, lng));
    const question = domain.questions[0]!;
    const card = page.getByRole('article', { name: textFor(question.text, lng) });
    await expect(card).toBeVisible();
    // Its options are in the language, and the English is nowhere on the page.
    for (const option of question.options)
      await expect(card.getByRole('radio', { name: textFor(option.label, lng), exact: true })).toBeAttached();
    await expect(page.locator('main')).not.toContainText(textFor(question.text, 'en'));
    // An answer chosen by its words in the language, and saved.
    const assessment = await words(lng, 'assessment');
    const chosen = textFor(question.options[1]!.label, lng);
    await card.getByRole('radio', { name: chosen, exact: true }).check();
    await expect(card).toContainText(assessment('save.saved'));
    await expect(card.getByRole('radio', { name: chosen, exact: true })).toBeChecked();
    await screenshot(page, `questionnaire-${lng}.png`);
    await expectAccessible(page, `questionnaire in ${lng}`);

    // ── The results of the organisation, in the language. ──
    const results = await words(lng, 'results');
    await page.goto(`/assessments/${answered.assessmentId}/results`);
    await expect(
      page.getByRole('heading', {
        level: 1,
        name: results('organisation.titleNamed', { organisation: answered.organisation }),
      }),
    ).toBeVisible();
    await expect(page.locator('main')).toContainText(textFor(fw.domains[1]!.title, lng));

    // ── Chosen in the menu, the language is kept on the account: an English browser follows it. ──
    await page.getByLabel(common('app.language')).selectOption(lng);
    await expect.poll(async () => (await (await page.request.get('/api/v1/me')).json()).language).toBe(lng);
    expect(problems).toEqual([]);
    expect(context.foreign).toEqual([]);
    await context.close();

    const english = await isolatedContext(browser, { width: 1280, height: 900 }, { locale: 'en-GB' });
    const again = await english.newPage();
    await again.goto('/signin');
    await expect(again.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await again.getByLabel('Email').fill(member.email);
    await again.getByLabel('Password').fill(PASSWORD);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByLabel('Code', { exact: true }).fill(await freshCode(member.secret, member.used));
    await again.getByRole('button', { name: 'Continue' }).click();
    await expect(
      again.getByRole('heading', { level: 1, name: common('home.title', { name: NAMES[lng] }) }),
    ).toBeVisible();
    await expect(again.locator('html')).toHaveAttribute('lang', lng);
    await english.close();
    await admin.dispose();
  });

for (const lng of ['sq', 'sr-Cyrl'] as const)
  test(`the programme manager sets up a programme, reads the results and downloads the report in ${lng}`, async ({
    browser,
  }) => {
    await ensureAdmin();
    const { latinToCyrillic, loadFramework, textFor } = await engine();
    const fw = loadFramework(readFileSync(`${repo}content/frameworks/cso-media.yaml`, 'utf8'), { file: 'f' }).value;
    const context = await isolatedContext(
      browser,
      { width: 1280, height: 900 },
      { locale: BROWSER[lng], acceptDownloads: true },
    );
    const page = await context.newPage();
    const problems = watchConsole(page);
    await signInIn(page, lng, ADMIN.email, adminCode);
    const common = await words(lng, 'common');
    const manager = await words(lng, 'manager');
    const results = await words(lng, 'results');
    await expect(
      page.getByRole('heading', { level: 1, name: common('home.title', { name: ADMIN.name }) }),
    ).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', lng);

    // ── Setting up a programme: the form, and the rounds it proposes, in Cyrillic. ──
    await page.getByRole('link', { name: common('home.newProgramme') }).click();
    await expect(page.getByRole('heading', { level: 1, name: manager('new.title') })).toBeVisible();
    const name = `${lng === 'sq' ? 'Siguria e redaksive' : 'Безбедност редакција'} ${Date.now().toString(36)}`;
    await page.getByLabel(manager('new.name')).fill(name);
    const round1 = page.getByRole('group', { name: manager('new.round', { n: '1' }), exact: true });
    await expect(round1.getByLabel(manager('new.roundName'))).toHaveValue(manager('new.defaultRound.baseline'));
    await expectAccessible(page, `new programme in ${lng}`);
    await page.getByRole('button', { name: manager('new.create') }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

    // ── The demo programme's cohort results: the domains in Cyrillic. ──
    await page.goto('/');
    await page
      .getByRole('link', { name: /Demo programme/ })
      .first()
      .click();
    await expect(page.getByRole('link', { name: manager('sections.reports'), exact: true })).toBeVisible();
    await page
      .getByRole('link', { name: manager('overview.results') })
      .first()
      .click();
    await expect(page.getByRole('heading', { level: 1, name: results('cohort.title') })).toBeVisible();
    await expect(page.locator('main')).toContainText(textFor(fw.domains[2]!.title, lng));
    await expectAccessible(page, `cohort results in ${lng}`);

    // ── The programme report, in the language the app shows: Cyrillic throughout, downloaded. ──
    await page.goBack();
    await page.getByRole('link', { name: manager('sections.reports'), exact: true }).click();
    const reports = page.getByRole('region', { name: manager('reports.title'), exact: true });
    await expect(reports.getByLabel(manager('reports.language'), { exact: true })).toHaveValue(lng);
    await reports.getByLabel(manager('reports.format')).selectOption('pdf');
    await reports.getByRole('button', { name: manager('reports.generate') }).click();
    await expect(reports.getByRole('status')).toContainText(manager('reports.done'), { timeout: 90_000 });
    const downloaded = page.waitForEvent('download');
    await reports
      .getByRole('button', { name: new RegExp(`^${manager('reports.download')}`) })
      .first()
      .click();
    const file = await (await downloaded).path();
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const catalogue = (l: string) =>
      JSON.parse(readFileSync(`${repo}packages/engine/src/report/locales/${l}.json`, 'utf8')) as Record<string, string>;
    const report = lng === 'sq' ? catalogue('sq') : catalogue('sr-Latn');
    const inLanguage = (x: string) => (lng === 'sr-Cyrl' ? latinToCyrillic(x) : x);
    expect(text).toContain(inLanguage(report['section.summary']!));
    expect(text).toContain(textFor(fw.domains[2]!.title, lng));
    // No English heading of the report, and in Cyrillic no Serbian Latin letter anywhere: what
    // Latin remains are names, acronyms and the demo's own data.
    const english = JSON.parse(readFileSync(`${repo}apps/web/src/locales/en/manager.json`, 'utf8')) as {
      reports: { programmeReport: string };
    };
    expect(text).not.toContain(english.reports.programmeReport);
    if (lng === 'sr-Cyrl') expect(text).not.toMatch(/[čćžšđČĆŽŠĐ]/);
    await screenshot(page, `report-${lng}.png`);
    expect(problems).toEqual([]);
    expect(context.foreign).toEqual([]);
    await context.close();
  });
