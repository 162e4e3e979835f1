import AxeBuilder from '@axe-core/playwright';
import {
  expect,
  request,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from '@playwright/test';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATE_FILE } from './global-setup';

export const PASSWORD = 'correct horse battery staple';

/** The instance admin that first-run setup creates (auth.spec.ts does it in the browser). */
export const ADMIN = { email: 'admin@kalaja.test', name: 'Arta Krasniqi' } as const;

export function state(): { baseURL: string; token: string; dataDir: string } {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8'));
}

/** TOTP codes as an authenticator app shows them (the server's own implementation, built). */
export async function totpCode(secret: string, now = Date.now()): Promise<string> {
  const mod = (await import(new URL('../../apps/server/dist/modules/auth/auth-totp.js', import.meta.url).href)) as {
    totpCode(s: string, n: number): string;
  };
  return mod.totpCode(secret, now);
}

/**
 * Codes are accepted once per 30-second step and account, each from a later step than the last.
 * The server also takes the next step's code (one step of clock drift), so when this step's code
 * is used the next one is given — as the app shows it a little later — and only a third code
 * within the same step waits for the next step.
 */
export async function freshCode(secret: string, used: Set<number>): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / 30_000);
    const step = Math.max(current, ...[...used].map((s) => s + 1));
    if (step <= current + 1) {
      used.add(step);
      return totpCode(secret, step * 30_000 + 15_000);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * The admin's TOTP secret and the 30-second steps already used, shared between spec files
 * through a file (tied to this run's data directory, so a file from an earlier run is ignored).
 */
const ADMIN_FILE = join(tmpdir(), 'kalaja-e2e-admin.json');

export function saveAdmin(secret: string, used: Set<number>): void {
  writeFileSync(ADMIN_FILE, JSON.stringify({ dataDir: state().dataDir, secret, used: [...used] }), { mode: 0o600 });
}

function loadAdmin(): { secret: string; used: Set<number> } | undefined {
  if (!existsSync(ADMIN_FILE)) return undefined;
  const saved = JSON.parse(readFileSync(ADMIN_FILE, 'utf8')) as { dataDir: string; secret: string; used: number[] };
  return saved.dataDir === state().dataDir ? { secret: saved.secret, used: new Set(saved.used) } : undefined;
}

/** Makes sure the admin exists (see `setUpAdmin`); call before signing in as the admin. */
export async function ensureAdmin(): Promise<void> {
  if (!loadAdmin()) await setUpAdmin();
}

/** A fresh TOTP code for the admin (waiting for the next step if this one was used), recorded as used. */
export async function adminCode(): Promise<string> {
  const admin = loadAdmin() ?? (await setUpAdmin());
  const code = await freshCode(admin.secret, admin.used);
  saveAdmin(admin.secret, admin.used);
  return code;
}

/**
 * auth.spec.ts runs first (files run in alphabetical order, one worker) and creates the admin in
 * the browser. When another spec file runs on its own, first-run setup happens here, through the
 * API, the same way (with the demo programme), so every file can also run alone.
 */
async function setUpAdmin(): Promise<{ secret: string; used: Set<number> }> {
  const api = await request.newContext({ baseURL: state().baseURL });
  try {
    const setup = await api.post('/api/v1/setup', {
      data: { token: state().token, email: ADMIN.email, displayName: ADMIN.name, password: PASSWORD, demo: true },
    });
    if (!setup.ok()) throw new Error(`setup failed (${setup.status()}): did auth.spec.ts fail? ${await setup.text()}`);
    const { secret } = (await (await api.post('/api/v1/session/totp')).json()) as { secret: string };
    const used = new Set<number>();
    const confirm = await api.post('/api/v1/session/totp/confirm', { data: { code: await freshCode(secret, used) } });
    expect(confirm.ok()).toBe(true);
    saveAdmin(secret, used);
    return { secret, used };
  } finally {
    await api.dispose();
  }
}

/** Checks an API answer and returns its JSON. */
export async function ok<T>(response: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  if (!response.ok()) throw new Error(`${response.url()} answered ${response.status()}: ${await response.text()}`);
  return (response.status() === 204 ? undefined : await response.json()) as T;
}

/** An API session (Node side, no browser) signed in with password and a TOTP code. */
export async function apiSession(email: string, code: () => Promise<string>): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: state().baseURL });
  expect(await ok(await api.post('/api/v1/session', { data: { email, password: PASSWORD } }))).toMatchObject({
    next: 'mfa',
  });
  await ok(await api.post('/api/v1/session/mfa', { data: { code: await code() } }));
  return api;
}

/**
 * Checks a page as it is now: no serious or critical axe finding, and nothing of the user's in
 * the browser's storage — no IndexedDB database at all, and in localStorage only the language.
 */
export async function expectCleanPage(page: Page, label: string): Promise<void> {
  await expectAccessible(page, label);
  const stored = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    local: Object.keys(localStorage).filter((k) => k !== 'kalaja.language'),
    session: Object.keys(sessionStorage),
  }));
  expect(stored, `${label}: browser storage`).toEqual({ databases: [], local: [], session: [] });
}

/**
 * A browser context that fails the test on any request to another origin: the app must talk
 * to its own server and nothing else.
 */
export async function isolatedContext(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
  options: BrowserContextOptions = {},
): Promise<BrowserContext & { foreign: string[] }> {
  const { baseURL } = state();
  // English unless a journey names another language: the app follows the browser's.
  const context = Object.assign(await browser.newContext({ locale: 'en-GB', ...options, baseURL, viewport }), {
    foreign: [] as string[],
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(baseURL) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    context.foreign.push(url);
    return route.abort();
  });
  return context;
}

/** Fails on any serious or critical accessibility violation of the page as it is now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${label}: ${v.id} — ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join('; ')})`,
    ),
  ).toEqual([]);
}

/** Collects CSP violations and page errors, to assert none happened. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

// ---- what several journeys do: people who join, sign in and browse, and screenshots ----

const repo = new URL('../../', import.meta.url).pathname;

/** Screenshots for people to look at: under test-results, or over docs/screenshots with KALAJA_SCREENSHOTS=update. */
const SHOTS =
  process.env.KALAJA_SCREENSHOTS === 'update' ? join(repo, 'docs/screenshots') : join(repo, 'test-results/screenshots');

export async function screenshot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name) });
}

export interface Account {
  email: string;
  name: string;
  userId: string;
  secret: string;
  used: Set<number>;
}

/** Invites someone through the API, accepts the link and enrols an authenticator app, as a browser would. */
export async function joinAs(
  admin: Awaited<ReturnType<typeof apiSession>>,
  invitation: { email: string; role: string; programmeId: string; organisationId?: string },
  name: string,
): Promise<Account> {
  const { link } = await ok<{ link: string }>(await admin.post('/api/v1/invitations', { data: invitation }));
  const api = await request.newContext({ baseURL: state().baseURL });
  try {
    await ok(
      await api.post('/api/v1/invitations/accept', {
        data: { token: new URL(link).hash.slice(1), displayName: name, password: PASSWORD },
      }),
    );
    const { secret } = await ok<{ secret: string }>(await api.post('/api/v1/session/totp'));
    const used = new Set<number>();
    await ok(await api.post('/api/v1/session/totp/confirm', { data: { code: await freshCode(secret, used) } }));
    const me = await ok<{ id: string }>(await api.get('/api/v1/me'));
    return { email: invitation.email, name, userId: me.id, secret, used };
  } finally {
    await api.dispose();
  }
}

export async function signIn(page: Page, email: string, code: () => Promise<string>) {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code').fill(await code());
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome/ })).toBeVisible();
}

export async function browse(browser: Browser, viewport?: { width: number; height: number }) {
  const context = await isolatedContext(browser, viewport);
  const page = await context.newPage();
  return { context, page, problems: watchConsole(page) };
}

/**
 * In a programme's Reports section: generates the report the form is set to (chosen by
 * `choose`) as HTML and opens its preview; the preview's document, for assertions.
 */
export async function previewReport(page: Page, choose: (reports: Locator) => Promise<void> = async () => {}) {
  const reports = page.getByRole('region', { name: 'Reports', exact: true });
  await choose(reports);
  await reports.getByLabel('Format').selectOption('html');
  await reports.getByRole('button', { name: 'Generate' }).click();
  await expect(reports.getByRole('status')).toContainText('Ready', { timeout: 90_000 });
  await reports
    .getByRole('button', { name: /^Preview/ })
    .first()
    .click();
  return page.frameLocator('.report-preview iframe');
}
