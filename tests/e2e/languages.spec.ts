import { expect, test, type Page } from '@playwright/test';
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
 * - a member of an organisation whose browser speaks Albanian signs in, answers in the
 *   questionnaire (questions and options in Albanian), reads the results, and chooses Albanian
 *   in the menu, which their account then keeps: in an English browser, Kalaja speaks Albanian
 *   to them after they sign in;
 * - the programme manager, in a browser set to Serbian (Serbia: Cyrillic), signs in, reads the
 *   programme in Cyrillic and makes the programme report, which is Cyrillic throughout.
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

test('an organisation works in Albanian, and its member keeps Albanian on their account', async ({ browser }) => {
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const { textFor, loadFramework } = await engine();
  const fw = loadFramework(readFileSync(`${repo}content/frameworks/cso-media.yaml`, 'utf8'), { file: 'f' }).value;
  const programmes = await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'));
  const demo = programmes.find((p) => p.name.startsWith('Demo programme'))!;
  const progress = await ok<
    { organisationId: string; organisation: string; completeness: number; assessmentId: string }[]
  >(await admin.get(`/api/v1/programmes/${demo.id}/progress`));
  const answered = progress.find((p) => p.completeness > 0)!;
  const member: Account = await joinAs(
    admin,
    {
      email: `shqip-${Date.now().toString(36)}@x.test`,
      role: 'org_admin',
      programmeId: demo.id,
      organisationId: answered.organisationId,
    },
    'Vjosa Hoxha',
  );
  const common = await words('sq', 'common');

  // ── An Albanian browser: the sign-in page, home and the questionnaire speak Albanian. ──
  const context = await isolatedContext(browser, { width: 1280, height: 900 }, { locale: 'sq-AL' });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await signInIn(page, 'sq', member.email, () => freshCode(member.secret, member.used));
  await expect(
    page.getByRole('heading', { level: 1, name: common('home.title', { name: 'Vjosa Hoxha' }) }),
  ).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sq');
  await expectAccessible(page, 'home in Albanian');

  const domain = fw.domains[0]!;
  await page.goto(`/assessments/${answered.assessmentId}?domain=${domain.id}`);
  await expect(page.getByRole('heading', { level: 2 })).toContainText(textFor(domain.title, 'sq'));
  const question = domain.questions[0]!;
  const card = page.getByRole('article', { name: textFor(question.text, 'sq') });
  await expect(card).toBeVisible();
  // Its options are Albanian, and the English is nowhere on the page.
  for (const option of question.options)
    await expect(card.getByRole('radio', { name: textFor(option.label, 'sq'), exact: true })).toBeAttached();
  await expect(page.locator('main')).not.toContainText(textFor(question.text, 'en'));
  await screenshot(page, 'questionnaire-sq.png');
  await expectAccessible(page, 'questionnaire in Albanian');

  // ── The results of the organisation, in Albanian. ──
  const results = await words('sq', 'results');
  await page.goto(`/assessments/${answered.assessmentId}/results`);
  await expect(
    page.getByRole('heading', {
      level: 1,
      name: results('organisation.titleNamed', { organisation: answered.organisation }),
    }),
  ).toBeVisible();
  await expect(page.getByText(textFor(fw.domains[1]!.title, 'sq')).first()).toBeVisible();

  // ── Chosen in the menu, Albanian is kept on the account: an English browser follows it. ──
  await page.getByLabel(common('app.language')).selectOption('sq');
  await expect.poll(async () => (await (await page.request.get('/api/v1/me')).json()).language).toBe('sq');
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
    again.getByRole('heading', { level: 1, name: common('home.title', { name: 'Vjosa Hoxha' }) }),
  ).toBeVisible();
  await expect(again.locator('html')).toHaveAttribute('lang', 'sq');
  await english.close();
  await admin.dispose();
});

test('the programme manager reads the programme and makes its report in Serbian Cyrillic', async ({ browser }) => {
  await ensureAdmin();
  const { latinToCyrillic } = await engine();
  const context = await isolatedContext(browser, { width: 1280, height: 900 }, { locale: 'sr-RS' });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await signInIn(page, 'sr-Cyrl', ADMIN.email, adminCode);
  const common = await words('sr-Cyrl', 'common');
  const manager = await words('sr-Cyrl', 'manager');
  await expect(page.getByRole('heading', { level: 1, name: common('home.title', { name: ADMIN.name }) })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sr-Cyrl');

  await page
    .getByRole('link', { name: /Demo programme|Демо/ })
    .first()
    .click();
  await expect(page.getByRole('link', { name: manager('sections.reports'), exact: true })).toBeVisible();
  await expectAccessible(page, 'programme in Cyrillic');

  // The programme report, in the language the app shows: Cyrillic throughout.
  await page.getByRole('link', { name: manager('sections.reports'), exact: true }).click();
  const reports = page.getByRole('region', { name: manager('reports.title'), exact: true });
  await expect(reports.getByLabel(manager('reports.language'), { exact: true })).toHaveValue('sr-Cyrl');
  await reports.getByLabel(manager('reports.format')).selectOption('html');
  await reports.getByRole('button', { name: manager('reports.generate') }).click();
  await expect(reports.getByRole('status')).toContainText(manager('reports.done'), { timeout: 90_000 });
  await reports
    .getByRole('button', { name: new RegExp(`^${manager('reports.preview')}`) })
    .first()
    .click();
  const preview = page.frameLocator('.report-preview iframe');
  await expect(preview.locator('html')).toHaveAttribute('lang', 'sr-Cyrl');
  const report = JSON.parse(readFileSync(`${repo}packages/engine/src/report/locales/sr-Latn.json`, 'utf8')) as Record<
    string,
    string
  >;
  await expect(preview.getByText(latinToCyrillic(report['report.programme']!)).first()).toBeVisible();
  const text = (await preview.locator('body').innerText()).replace(/\s+/g, ' ');
  expect(text).toContain(latinToCyrillic(report['section.summary']!));
  // No Serbian Latin letters anywhere: what Latin remains are names, acronyms and the demo's own data.
  expect(text).not.toMatch(/[čćžšđČĆŽŠĐ]/);
  await screenshot(page, 'report-sr-Cyrl.png');
  expect(problems).toEqual([]);
  expect(context.foreign).toEqual([]);
  await context.close();
});
