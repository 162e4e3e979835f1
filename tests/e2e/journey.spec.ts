import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN,
  adminCode,
  ensureAdmin,
  expectCleanPage,
  freshCode,
  isolatedContext,
  PASSWORD,
  state,
  watchConsole,
} from './support';

/**
 * The whole round in the browser: a programme manager sets up a
 * programme, invites an organisation and an assessor; the organisation answers all eleven
 * domains; the assessor validates; the results page shows the numbers the engine computes for
 * exactly those answers. Along the way: another organisation's member and an observer see
 * nothing they should not, every page passes axe, loads nothing from another origin, keeps no
 * answers in the browser's storage, and an expired session is resumed in a dialog.
 *
 * The admin (admin@kalaja.test) is created by auth.spec.ts, which runs before this file
 * (alphabetical order, one worker) and leaves its TOTP secret in a file; run alone, this file
 * creates the admin itself through the API (see `adminCode` in support.ts).
 */

const repo = new URL('../../', import.meta.url).pathname;
/**
 * Screenshots go to test-results/screenshots on every run; `npm run screenshots` sets
 * KALAJA_SCREENSHOTS=update and writes them over docs/screenshots, so a test run never
 * changes tracked files.
 */
const SHOTS =
  process.env.KALAJA_SCREENSHOTS === 'update' ? join(repo, 'docs/screenshots') : join(repo, 'test-results/screenshots');

type LocalText = string | Record<string, string>;
interface Option {
  id: string;
  label: LocalText;
  score: number;
  unknown: boolean;
}
interface Question {
  id: string;
  text: LocalText;
  na: boolean;
  options: Option[];
}
interface Domain {
  id: string;
  title: LocalText;
  questions: Question[];
}
interface Framework {
  title: LocalText;
  version: string;
  scale: number;
  levels: { min: number; label: LocalText }[];
  domains: Domain[];
}
interface Engine {
  loadFramework(text: string, file: string): { ok: boolean; value: Framework };
  formatScore(x: number | null | undefined, decimals: number): string;
  csvLine(fields: string[]): string;
}
interface EngineResult {
  organisation: string;
  round: string;
  overall: number | null;
  completeness: number;
  domains: Record<string, number | null>;
  level: string | null;
}

const en = (t: LocalText) => (typeof t === 'string' ? t : (t.en ?? ''));
const NA = 'na';
const NA_LABEL = 'Not applicable to our organisation';

/** The same engine the server runs, built (`npm run build` comes first). */
const engine = async () =>
  (await import(new URL('../../packages/engine/dist/index.js', import.meta.url).href)) as Engine;

/**
 * The organisation's answer to the i-th question of the framework: option i mod the number of
 * options, with "not applicable" on every fourth question that allows it and "Don't know" on
 * every seventh that has it — so the round exercises both, and caps (options scoring 0).
 */
function answerFor(q: Question, i: number): string {
  const unknown = q.options.find((o) => o.unknown);
  if (q.na && i % 4 === 1) return NA;
  if (unknown && i % 7 === 3) return unknown.id;
  return q.options[i % q.options.length]!.id;
}

const labelOf = (q: Question, answer: string) =>
  answer === NA ? NA_LABEL : en(q.options.find((o) => o.id === answer)!.label);

/** Scores the answers with `kalaja score` (the built CLI), through the exchange CSV. */
async function engineScore(organisation: string, answers: Map<string, string>): Promise<EngineResult> {
  const { csvLine } = await engine();
  const dir = mkdtempSync(join(tmpdir(), 'kalaja-e2e-score-'));
  try {
    const file = join(dir, 'answers.csv');
    const lines = [csvLine(['organisation', 'round', 'question', 'answer', 'note'])];
    for (const [question, answer] of answers) lines.push(csvLine([organisation, 'baseline', question, answer, '']));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out = execFileSync(
      process.execPath,
      [
        'bin/kalaja.js',
        'score',
        '--framework',
        'content/frameworks/cso-media.yaml',
        '--answers',
        file,
        '--format',
        'json',
      ],
      { cwd: repo, encoding: 'utf8' },
    );
    const report = JSON.parse(out) as { results: EngineResult[] };
    expect(report.results).toHaveLength(1);
    return report.results[0]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Person {
  context: BrowserContext & { foreign: string[] };
  page: Page;
  problems: string[];
}

async function person(browser: Browser): Promise<Person> {
  // Reduced motion: charts draw at once, so screenshots show them whole.
  const context = await isolatedContext(browser, { width: 1280, height: 900 }, { reducedMotion: 'reduce' });
  const page = await context.newPage();
  return { context, page, problems: watchConsole(page) };
}

async function close(p: Person, who: string) {
  expect(p.problems, `${who}: CSP violations and page errors`).toEqual([]);
  expect(p.context.foreign, `${who}: requests to another origin`).toEqual([]);
  await p.context.close();
}

async function screenshot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, name) });
}

/** Accepts an invitation link in a fresh browser, with a name and a password, and enrols TOTP. */
async function accept(browser: Browser, link: string, name: string, label: string) {
  const p = await person(browser);
  const { page } = p;
  expect(new URL(link).origin).toBe(state().baseURL);
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Accept your invitation' })).toBeVisible();
  await expectCleanPage(page, `${label}: invitation`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('heading', { name: /authenticator app/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /authenticator app/ })).toBeVisible();
  await expectCleanPage(page, `${label}: enrolment`);
  const secret = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
  const used = new Set<number>();
  await page.getByLabel('Code').fill(await freshCode(secret, used));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  await expectCleanPage(page, `${label}: recovery codes`);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByRole('heading', { name: `Welcome, ${name}` })).toBeVisible();
  await expectCleanPage(page, `${label}: home`);
  return { ...p, secret, used };
}

/** Creates an invitation on the programme page and returns the link the page shows once. */
async function invite(page: Page, email: string, role: string, organisation?: string): Promise<string> {
  const form = page.getByRole('form', { name: 'Invite someone' });
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Role', { exact: true }).selectOption({ label: role });
  if (organisation) await form.getByLabel('Organisation', { exact: true }).selectOption({ label: organisation });
  await form.getByRole('button', { name: 'Create the invitation link' }).click();
  await expect(page.getByRole('heading', { name: `Invitation for ${email}` })).toBeVisible();
  const link = await page.getByLabel('Invitation link').inputValue();
  expect(link).toMatch(/\/invite#\S{20,}$/);
  return link;
}

async function addOrganisation(page: Page, name: string, kind: string, size: string) {
  const form = page.getByRole('form', { name: 'Add an organisation' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Kind', { exact: true }).selectOption({ label: kind });
  await form.getByLabel('Size', { exact: true }).selectOption({ label: size });
  await form.getByLabel('Municipality').fill('Prishtinë');
  await form.getByLabel('Country code').fill('XK');
  await form.getByLabel('Focus').fill('Investigative journalism');
  await form.getByLabel('Working languages').fill('sq, sr-latn, en');
  await form.getByRole('button', { name: 'Add the organisation' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${name} takes part now` })).toBeVisible();
  await expect(page.getByRole('rowheader', { name, exact: true })).toBeVisible();
}

/** A question of the questionnaire or the review, by its number and text. */
const card = (page: Page, d: number, j: number, q: Question): Locator =>
  page.getByRole('article', { name: `${d + 1}.${j + 1} ${en(q.text)}`, exact: true });

const expectSaved = (article: Locator) => expect(article.locator('.save-text')).toHaveText(/^✓?\s*Saved$/);

/** The domain heading of the questionnaire or review ("Domain 3 of 11 …"). */
const domainHeading = (page: Page, d: number, domain: Domain) =>
  expect(page.locator('#domain-title')).toHaveText(
    new RegExp(`Domain ${d + 1} of 11\\s*${escapeRegExp(en(domain.title))}$`),
  );

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Opens a section of the programme page from its navigation, and checks the link says where the reader is. */
async function openSection(page: Page, programme: string, section: string) {
  const nav = page.getByRole('navigation', { name: `Sections of ${programme}` });
  await nav.getByRole('link', { name: section, exact: true }).click();
  await expect(nav.getByRole('link', { name: section, exact: true })).toHaveAttribute('aria-current', 'page');
}

test('a whole round: programme, invitations, all eleven domains answered, validated, results as the engine computes', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const { loadFramework, formatScore } = await engine();
  const loaded = loadFramework(readFileSync(join(repo, 'content/frameworks/cso-media.yaml'), 'utf8'), 'cso-media');
  expect(loaded.ok).toBe(true);
  const fw = loaded.value;
  const questionTotal = fw.domains.reduce((n, d) => n + d.questions.length, 0);
  expect(fw.domains).toHaveLength(11);

  const programmeName = 'Newsroom security 2026';
  const orgA = 'Lajmi i Lirë';
  const orgB = 'Qendra për Transparencë';
  const people = {
    director: { email: 'drita@lajmi.test', name: 'Drita Berisha' },
    assessor: { email: 'milos@assessors.test', name: 'Miloš Petrović' },
    directorB: { email: 'blerim@qendra.test', name: 'Blerim Gashi' },
    observer: { email: 'funder@donor.test', name: 'Ana Funder' },
  };

  // ── The programme manager (the instance admin) signs in and sets the programme up. ──
  await ensureAdmin();
  const admin = await person(browser);
  await test.step('the admin signs in with password and code', async () => {
    const { page } = admin;
    await page.goto('/');
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expectCleanPage(page, 'sign-in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Two-step sign-in' })).toBeVisible();
    await expectCleanPage(page, 'sign-in code');
    await page.getByLabel('Code').fill(await adminCode());
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { name: `Welcome, ${ADMIN.name}` })).toBeVisible();
    await expect(page.getByRole('link', { name: /Demo programme/ })).toBeVisible();
    await expectCleanPage(page, 'home (manager)');
    await screenshot(page, 'home.png');
  });

  let programmeUrl = '';
  const links: Record<keyof typeof people, string> = { director: '', assessor: '', directorB: '', observer: '' };
  await test.step('create a programme on cso-media with a baseline and a reassessment', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'New programme' }).click();
    await expect(page.getByRole('heading', { name: 'New programme' })).toBeVisible();
    await expectCleanPage(page, 'new programme');
    await page.getByLabel('Name of the programme').fill(programmeName);
    await page.getByLabel('Framework', { exact: true }).selectOption({ label: `${en(fw.title)} ${fw.version}` });
    await expect(page.getByText(`${fw.id} ${fw.version} · ${questionTotal} questions`)).toBeVisible();
    const round1 = page.getByRole('group', { name: 'Round 1', exact: true });
    const round2 = page.getByRole('group', { name: 'Round 2', exact: true });
    await expect(round1.getByLabel('Name')).toHaveValue('baseline');
    await expect(round2.getByLabel('Name')).toHaveValue('reassessment');
    await round1.getByLabel('Starts on').fill('2026-02-02');
    await round1.getByLabel('Ends on').fill('2026-03-31');
    await round2.getByLabel('Starts on').fill('2026-10-01');
    await page.getByRole('button', { name: 'Create the programme' }).click();
    await expect(page.getByRole('heading', { level: 1, name: programmeName })).toBeVisible();
    await expect(page).toHaveURL(/\/programmes\/[^/]+$/);
    programmeUrl = new URL(page.url()).pathname;
    await expect(page.getByText(`${fw.id} ${fw.version}`)).toBeVisible();
    await expectCleanPage(page, 'programme (empty)');
  });

  await test.step('add two organisations and invite their admins, an assessor and an observer', async () => {
    const { page } = admin;
    await openSection(page, programmeName, 'Organisations');
    await expect(page).toHaveURL(new RegExp(`^[^?#]*${programmeUrl}/organisations$`));
    await addOrganisation(page, orgA, 'Media outlet', '6–10 people');
    await addOrganisation(page, orgB, 'Civil-society organisation', '1–5 people');
    await expectCleanPage(page, 'programme: organisations');
    await openSection(page, programmeName, 'People');
    links.director = await invite(page, people.director.email, 'Organisation admin', orgA);
    links.assessor = await invite(page, people.assessor.email, 'Assessor');
    links.directorB = await invite(page, people.directorB.email, 'Organisation admin', orgB);
    links.observer = await invite(page, people.observer.email, 'Observer');
    await expectCleanPage(page, 'programme (invitation shown)');
    expect(new Set(Object.values(links)).size).toBe(4);
  });

  // ── Everyone accepts their link in a browser of their own and enrols an authenticator app. ──
  const director = await accept(browser, links.director, people.director.name, 'organisation admin');
  const assessor = await accept(browser, links.assessor, people.assessor.name, 'assessor');
  const directorB = await accept(browser, links.directorB, people.directorB.name, 'other organisation admin');
  const observer = await accept(browser, links.observer, people.observer.name, 'observer');

  await test.step('the manager assigns the assessor to the organisation', async () => {
    const { page } = admin;
    await page.reload();
    const members = page.getByRole('region', { name: 'People with a role in this programme' });
    await expect(members.getByRole('rowheader', { name: new RegExp(people.assessor.name) })).toBeVisible();
    const form = page.getByRole('form', { name: 'Assign an assessor' });
    await form
      .getByLabel('Assessor', { exact: true })
      .selectOption({ label: `${people.assessor.name} (${people.assessor.email})` });
    await form.getByLabel('Organisation', { exact: true }).selectOption({ label: orgA });
    await form.getByRole('button', { name: 'Assign' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: `${people.assessor.name} now reviews ${orgA}.` }),
    ).toBeVisible();
    await expectCleanPage(page, 'programme (assessor assigned)');
  });

  // ── The organisation answers every question of the eleven domains. ──
  const answers = new Map<string, string>();
  let assessmentPath = '';
  await test.step('the organisation admin answers all eleven domains, each change saved at once', async () => {
    const { page } = director;
    await page.getByRole('link', { name: `${orgA} — baseline` }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Self-assessment: ${orgA}` })).toBeVisible();
    assessmentPath = new URL(page.url()).pathname;
    expect(assessmentPath).toMatch(/^\/assessments\/[^/]+$/);
    await expect(page.getByText(`0 of ${questionTotal} questions answered (0%)`)).toBeVisible();
    await expectCleanPage(page, 'questionnaire (empty)');

    let i = 0;
    for (const [d, domain] of fw.domains.entries()) {
      await domainHeading(page, d, domain);
      for (const [j, q] of domain.questions.entries()) {
        const answer = answerFor(q, i++);
        answers.set(q.id, answer);
        const article = card(page, d, j, q);
        const radio = article.getByRole('radio', { name: labelOf(q, answer), exact: true });
        // click, not check(): check() reads the state once, right after the click, and when a save
        // lands the previous answer shows again for a few milliseconds (the save queue says "saved"
        // before the query cache holds the new value; reported). toBeChecked() below waits it out.
        await radio.click();
        await expectSaved(article);
        await expect(radio).toBeChecked();
      }
      if (d === 0) {
        // A note, guidance opened on demand, and the page at a desk and on a phone.
        const first = card(page, 0, 0, domain.questions[0]!);
        await first.getByText('Why it matters and how to check').click();
        await first.getByLabel('Note (optional)').fill('Our editor-in-chief does this, alongside her job.');
        await first.getByLabel('Note (optional)').blur();
        await expectSaved(first);
        await expect(page.getByText('All changes saved')).toBeVisible();
        await expectCleanPage(page, 'questionnaire');
        await screenshot(page, 'questionnaire.png');
        await page.setViewportSize({ width: 360, height: 800 });
        await expect(page.getByText('All domains')).toBeVisible();
        // The evidence upload opened on a phone keeps the page within its width.
        await first.getByText('Add evidence').click();
        await expect(first.getByLabel('Choose a file to upload')).toBeVisible();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        await first.getByText('Add evidence').click();
        await expectCleanPage(page, 'questionnaire (360 px)');
        await screenshot(page, 'questionnaire-360.png');
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      const next = fw.domains[d + 1];
      if (next) await page.getByRole('link', { name: `Next domain: ${en(next.title)}` }).click();
    }
    const values = [...answers.values()];
    // The round really has some "not applicable" and "Don't know" answers in it.
    expect(values.filter((a) => a === NA).length).toBeGreaterThanOrEqual(2);
    expect(values.filter((a) => a === 'dont-know').length).toBeGreaterThanOrEqual(2);
    await expect(page.getByText(`${questionTotal} of ${questionTotal} questions answered (100%)`)).toBeVisible();
  });

  await test.step('the session expires on the questionnaire: sign in again in a dialog, the change is kept and saved', async () => {
    const { page, context } = director;
    const d = fw.domains.length - 1;
    const q = fw.domains[d]!.questions[0]!;
    const url = page.url();
    const changed = q.options.find((o) => !o.unknown && o.id !== answers.get(q.id))!.id;
    answers.set(q.id, changed);
    await context.clearCookies();
    const article = card(page, d, 0, q);
    await article.getByRole('radio', { name: labelOf(q, changed), exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText('Your session has ended')).toBeVisible();
    await expect(article.locator('.save-text')).toHaveText(/Not saved/);
    await expectCleanPage(page, 'questionnaire (session expired)');
    await dialog.getByLabel('Email').fill(people.director.email);
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    const codeDialog = page.getByRole('dialog', { name: 'Two-step sign-in' });
    await expect(codeDialog).toBeVisible();
    await codeDialog.getByLabel('Code').fill(await freshCode(director.secret, director.used));
    await codeDialog.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expectSaved(article);
    expect(page.url()).toBe(url);
    await page.reload();
    await expect(card(page, d, 0, q).getByRole('radio', { name: labelOf(q, changed), exact: true })).toBeChecked();
    await expect(page.getByText(`${questionTotal} of ${questionTotal} questions answered (100%)`)).toBeVisible();
  });

  await test.step('the organisation submits for validation', async () => {
    const { page } = director;
    await page.getByRole('button', { name: 'Submit for validation' }).click();
    const dialog = page.getByRole('dialog', { name: 'Submit your answers for validation?' });
    await expect(dialog).toBeVisible();
    await expectCleanPage(page, 'submit dialog');
    await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Submitted for validation' })).toBeVisible();
    await expect(page.getByRole('radio').first()).toBeDisabled();
    await expectCleanPage(page, 'questionnaire (submitted)');
  });

  // ── The assessor reviews: adjusts one answer, confirms another, notes the interview, validates. ──
  const governance = fw.domains[0]!;
  const adjustedQ = governance.questions[0]!;
  const confirmedQ = governance.questions[1]!;
  let ownAnswerOfAdjusted = '';
  await test.step('the assessor reviews, adjusts an answer, writes an interview note and validates', async () => {
    const { page } = assessor;
    await page.reload();
    await page.getByRole('link', { name: `${orgA} — baseline` }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Review: ${orgA}` })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(`${assessmentPath}/review`);
    await domainHeading(page, 0, governance);

    const own = answers.get(adjustedQ.id)!;
    ownAnswerOfAdjusted = own;
    const known = adjustedQ.options.filter((o) => !o.unknown);
    const adjusted = (known.at(-1)!.id === own ? known[0]! : known.at(-1)!).id;
    answers.set(adjustedQ.id, adjusted);
    const adjustCard = card(page, 0, 0, adjustedQ);
    await expect(adjustCard.locator('.side-own .answer-text')).toHaveText(labelOf(adjustedQ, own));
    await adjustCard.getByRole('radio', { name: labelOf(adjustedQ, adjusted), exact: true }).click();
    await expectSaved(adjustCard);
    await expect(adjustCard.getByRole('radio', { name: labelOf(adjustedQ, adjusted), exact: true })).toBeChecked();
    await adjustCard.getByLabel("Assessor's note").fill('Seen the job description: the role has agreed time.');
    await adjustCard.getByLabel("Assessor's note").blur();
    await expectSaved(adjustCard);
    await expect(adjustCard.getByText('Adjusted: the validated answer differs')).toBeVisible();

    const confirmCard = card(page, 0, 1, confirmedQ);
    await confirmCard.getByRole('button', { name: 'Confirm their answer' }).click();
    await expectSaved(confirmCard);
    await expect(confirmCard.getByText('Confirmed: the validated answer is the organisation')).toBeVisible();

    await page.getByLabel('Add an interview note').fill('Interview with the director: no written policy yet.');
    await page.getByRole('button', { name: 'Add the note' }).click();
    await expect(page.getByText('Interview with the director: no written policy yet.')).toBeVisible();
    await expect(page.getByText('All changes saved')).toBeVisible();
    await expectCleanPage(page, 'review');
    await screenshot(page, 'review.png');

    await page.getByRole('button', { name: 'Validate assessment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Validate this assessment?' });
    await expect(dialog.getByText(`${questionTotal - 2} questions have no validated answer`)).toBeVisible();
    await expectCleanPage(page, 'validate dialog');
    await dialog.getByRole('button', { name: 'Validate', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'This assessment is closed' })).toBeVisible();
    await expectCleanPage(page, 'review (validated)');
  });

  // ── The results are the engine's, for exactly those answers (validated where the assessor changed one). ──
  const expected = await engineScore(orgA, answers);
  expect(expected.completeness).toBe(1);
  // The assessor's adjustment moves the figures, so the page cannot match while ignoring it.
  const ownOnly = await engineScore(orgA, new Map([...answers, [adjustedQ.id, ownAnswerOfAdjusted]]));
  expect(formatScore(ownOnly.domains[governance.id], 1)).not.toBe(formatScore(expected.domains[governance.id], 1));
  const bandOf = (score: number | null) =>
    score === null ? 'No score yet' : en([...fw.levels].reverse().find((l) => score >= l.min)!.label);

  async function expectResults(page: Page, label: string) {
    await expect(page.getByRole('heading', { level: 1, name: `Results of ${orgA}` })).toBeVisible();
    await expect(page.getByText('Validated by an assessor.')).toBeVisible();
    const summary = page.getByRole('region', { name: 'Summary' });
    await expect(summary.locator('.score-big').first()).toHaveText(formatScore(expected.overall, 1));
    await expect(summary.locator('.score-band')).toHaveText(expected.level!);
    await expect(summary).toContainText('100%');
    // The figures behind the radar, as the table alternative gives them.
    await page.getByText('Show the figures as a table').first().click();
    const table = page.getByRole('table', { name: 'Score and band of each domain' });
    await expect(table.getByRole('row')).toHaveCount(12);
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')),
      );
    const want = fw.domains.map((d) => [
      en(d.title),
      formatScore(expected.domains[d.id], 1),
      bandOf(expected.domains[d.id] ?? null),
    ]);
    expect(rows).toEqual(want);
    // And the explanation of each domain says the same.
    const explained = await page
      .locator('details.domain-explain summary')
      .evaluateAll((ss) =>
        ss.map((s) => [
          s.querySelector('.domain-title')?.textContent ?? '',
          s.querySelector('.domain-score')?.textContent ?? '',
        ]),
      );
    expect(explained).toEqual(want.map(([title, score]) => [title, score]));
    await expect(page.locator('.chart svg').first()).toBeVisible();
    await expectCleanPage(page, label);
  }

  await test.step("the assessment's results show the engine's numbers, rounded to one decimal", async () => {
    const { page } = assessor;
    await page.getByRole('link', { name: 'See the results' }).first().click();
    await expect(page).toHaveURL(new RegExp(`${assessmentPath}/results$`));
    await expectResults(page, 'results (assessor)');
    await director.page.goto(`${assessmentPath}/results`);
    await expectResults(director.page, 'results (organisation)');
    await screenshot(director.page, 'results-organisation.png');
  });

  // ── What others must not see. ──
  await test.step("another organisation's admin opening this assessment sees “not found”", async () => {
    const { page } = directorB;
    await expect(page.getByRole('link', { name: `${orgB} — baseline` })).toBeVisible();
    await expect(page.getByRole('link', { name: new RegExp(orgA) })).toHaveCount(0);
    for (const path of [assessmentPath, `${assessmentPath}/review`]) {
      await page.goto(path);
      await expect(
        page.getByRole('heading', { level: 1, name: 'We could not find that assessment, or it is not yours to see.' }),
      ).toBeVisible();
      await expect(page.locator('body')).not.toContainText(orgA);
      await expectCleanPage(page, `not found (${path})`);
    }
    await page.goto(`${assessmentPath}/results`);
    await expect(
      page.getByRole('heading', { level: 1, name: 'We could not find that page, or it is not yours to see.' }),
    ).toBeVisible();
    await expect(page.locator('body')).not.toContainText(orgA);
    await expectCleanPage(page, 'not found (results)');
  });

  await test.step('the manager publishes the baseline to observers, who see nothing live', async () => {
    const { page } = admin;
    await page.goto(programmeUrl);
    await openSection(page, programmeName, 'Publication');
    await expect(page.getByRole('heading', { level: 2, name: 'Publish results to observers' })).toBeVisible();
    const rounds = page.getByRole('table', { name: 'Rounds' });
    // One validated assessment, one still in progress: the preview says what counts.
    await expect(rounds.getByRole('row', { name: /baseline/ })).toContainText(
      'Ready: 1 submitted or validated assessment.',
    );
    await expect(rounds.getByRole('row', { name: /baseline/ })).toContainText(
      '1 assessment still in progress is not counted.',
    );
    await expectCleanPage(page, 'programme: publication');
    await rounds.getByRole('button', { name: 'Publish baseline, version 1' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'baseline, version 1, is published' })).toBeVisible();
    await expect(rounds.getByRole('row', { name: /baseline/ })).toContainText(
      'Published as version 1; nothing it rests on has changed since.',
    );
    await expect(page.getByRole('table', { name: 'Published versions' }).getByRole('row')).toHaveCount(2);
  });

  await test.step('an observer sees anonymised cohort results: no organisation name, small cohort withheld', async () => {
    const { page } = observer;
    // Everything the server tells the observer, not only what the page shows.
    const bodies: Promise<string>[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) bodies.push(r.text().catch(() => ''));
    });
    await page.getByRole('link', { name: programmeName }).click();
    await expect(page).toHaveURL(new RegExp(`${programmeUrl}/results$`));
    await expect(page.getByRole('heading', { level: 1, name: 'Cohort results' })).toBeVisible();
    await expect(page.getByText("You see the figures the programme's managers published")).toBeVisible();
    await expect(page.getByText(/baseline: version 1, published/)).toBeVisible();
    await expect(
      page.getByText('Fewer than 5 organisations have results in baseline, so its figures are withheld.'),
    ).toBeVisible();
    await expectCleanPage(page, 'results (observer)');
    const text = await page.locator('body').innerText();
    const html = await page.content();
    const api = await Promise.all(bodies);
    expect(api.length).toBeGreaterThan(0);
    for (const name of [orgA, orgB]) {
      expect(text).not.toContain(name);
      expect(html).not.toContain(name);
      expect(api.filter((body) => body.includes(name))).toEqual([]);
    }
    // No overall figure of a cohort of one is shown as a number.
    expect(text).not.toContain(formatScore(expected.overall, 2));
    await screenshot(page, 'results-observer.png');
    // The published version as open data, downloaded from our own server.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Open data (ZIP) of baseline, version 1' }).click();
    expect((await download).suggestedFilename()).toMatch(/-baseline-v1\.zip$/);
    await page.goto(assessmentPath);
    await expect(page.getByRole('heading', { level: 1, name: /We could not find that/ })).toBeVisible();
    await expectCleanPage(page, `observer: not found (${assessmentPath})`);
    // The programme's page holds one section for an observer: the threat landscape as published,
    // no organisation named.
    await page.goto(programmeUrl);
    const sections = page.getByRole('navigation', { name: `Sections of ${programmeName}` });
    await expect(sections.getByRole('link')).toHaveText(['Threats']);
    await expect(page.getByRole('region', { name: 'Threats' })).toContainText('As published to observers');
    for (const name of [orgA, orgB]) expect(await page.locator('body').innerText()).not.toContain(name);
    await expectCleanPage(page, 'observer: the programme, threats only');
  });

  await test.step('the manager sees the cohort by name and the progress of the round', async () => {
    const { page } = admin;
    await page.goto(programmeUrl);
    await expect(page.getByRole('heading', { level: 2, name: 'Overview' })).toBeVisible();
    await expect(page.locator('.round-card').first()).toContainText('1 validated');
    await expectCleanPage(page, 'programme: overview');
    await openSection(page, programmeName, 'Assessments and progress');
    await expect(page.getByRole('link', { name: new RegExp(`^${orgA}\\s*, baseline$`) })).toBeVisible();
    const baseline = page.getByRole('table', { name: 'Status and completeness of each organisation in baseline' });
    await expect(baseline.getByRole('row', { name: new RegExp(orgA) })).toContainText('Validated');
    await expect(baseline.getByRole('row', { name: new RegExp(orgA) })).toContainText('100%');
    await expect(baseline.getByRole('row', { name: new RegExp(orgB) })).toContainText('In progress');
    await expectCleanPage(page, 'programme (round validated)');
    await screenshot(page, 'programme.png');
    // The programme's navigation on a phone: every section within reach, nothing cut off.
    await page.setViewportSize({ width: 360, height: 800 });
    const nav = page.getByRole('navigation', { name: `Sections of ${programmeName}` });
    for (const link of await nav.getByRole('link').all()) await expect(link).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectCleanPage(page, 'programme (360 px)');
    await screenshot(page, 'programme-360.png');
    // The progress table on a phone: the page keeps its width, the table scrolls, and its last
    // column can be scrolled fully into view.
    await openSection(page, programmeName, 'Assessments and progress');
    const table = page.getByRole('table', { name: 'Status and completeness of each organisation in baseline' });
    await expect(table).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const reach = await table.evaluate((t) => {
      const wrap = t.closest('.table-wrap') as HTMLElement;
      wrap.scrollLeft = wrap.scrollWidth;
      const cells = t.querySelectorAll('thead th');
      const last = cells[cells.length - 1]!.getBoundingClientRect();
      const box = wrap.getBoundingClientRect();
      return { lastRight: last.right, boxRight: box.right, viewport: window.innerWidth };
    });
    expect(reach.lastRight).toBeLessThanOrEqual(Math.min(reach.boxRight, reach.viewport) + 1);
    await expectCleanPage(page, 'progress (360 px)');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: 'See the results' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Cohort results' })).toBeVisible();
    const stat = (name: string) =>
      page.locator('dl.stat-list > div').filter({ has: page.getByText(name, { exact: true }) });
    await expect(stat('Organisations with results').locator('dd')).toHaveText('1');
    await expect(stat('Mean').locator('dd')).toHaveText(formatScore(expected.overall, 2));
    await expect(page.getByText(orgA).first()).toBeVisible();
    await expect(page.locator('.chart svg').first()).toBeVisible();
    await expectCleanPage(page, 'results (cohort, manager)');
    await screenshot(page, 'results-cohort.png');
  });

  await test.step('another organisation submits with the questions it cannot answer left open, named first', async () => {
    const { page } = directorB;
    await page.goto('/');
    await page.getByRole('link', { name: `${orgB} — baseline` }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Self-assessment: ${orgB}` })).toBeVisible();
    const domain = fw.domains[0]!;
    await domainHeading(page, 0, domain);
    const first = card(page, 0, 0, domain.questions[0]!);
    const answer = answerFor(domain.questions[0]!, 0);
    await first.getByRole('radio', { name: labelOf(domain.questions[0]!, answer), exact: true }).click();
    await expectSaved(first);
    const open = questionTotal - 1;
    await page.getByRole('button', { name: `Submit with ${open} questions unanswered` }).click();
    const dialog = page.getByRole('dialog', { name: `Submit with ${open} questions unanswered?` });
    await expect(dialog).toBeVisible();
    // Every open question named, numbered as on the page; the answered one is not among them.
    const listed = dialog.getByRole('list', { name: 'Questions left unanswered' }).getByRole('listitem');
    await expect(listed).toHaveCount(open);
    await expect(listed.first()).toContainText('1.2');
    await expectCleanPage(page, 'submit dialog (partial)');
    await dialog.getByRole('button', { name: 'Submit with unanswered questions' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Submitted for validation' })).toBeVisible();
    await expectCleanPage(page, 'questionnaire (submitted with open questions)');
  });

  for (const [who, p] of Object.entries({ admin, director, assessor, directorB, observer })) await close(p, who);
});
