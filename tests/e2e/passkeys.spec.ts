import { expect, request, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import {
  ADMIN,
  adminCode,
  apiSession,
  ensureAdmin,
  expectAccessible,
  expectCleanPage,
  freshCode,
  isolatedContext,
  ok,
  PASSWORD,
  state,
  watchConsole,
} from './support';

/**
 * Passkeys (decision 7) in Chromium's virtual authenticator (CDP WebAuthn: an internal, resident,
 * user-verifying authenticator that answers every prompt at once). Passkeys need a host name,
 * which is why the whole e2e setup reaches Kalaja as `localhost` (global-setup.ts).
 *
 * One person adds a passkey on the account page — the request first meets "recent sign-in
 * required", the step-up dialog asks for the password and a code, and it carries on — signs out,
 * signs in with the password and the passkey, and removes it, confirming with the passkey. An instance admin resets another person's
 * second factor; that person, with the password alone, is told to open the recovery link; with
 * the link (its token taken out of the address bar) they sign in and enrol again, this time with
 * a passkey, and save the recovery codes it brings.
 */

/** The server's answer when an action needs a recent sign-in. */
const stepUpRequired = JSON.stringify({
  error: {
    code: 'reauthentication_required',
    message: 'For this, confirm it is you: enter your password and your second factor again.',
    requestId: 'e2e',
  },
});

interface Person {
  email: string;
  name: string;
  secret: string;
  used: Set<number>;
  api: APIRequestContext;
}

/** Someone invited to the demo programme as an observer, with an authenticator app, through the API. */
async function join(admin: APIRequestContext, programmeId: string, email: string, name: string): Promise<Person> {
  const invitation = await ok<{ link: string }>(
    await admin.post('/api/v1/invitations', { data: { email, role: 'observer', programmeId } }),
  );
  const api = await request.newContext({ baseURL: state().baseURL });
  const accepted = await ok<{ next: string }>(
    await api.post('/api/v1/invitations/accept', {
      data: { token: new URL(invitation.link).hash.slice(1), displayName: name, password: PASSWORD },
    }),
  );
  expect(accepted.next).toBe('enrol_totp');
  const { secret } = await ok<{ secret: string }>(await api.post('/api/v1/session/totp'));
  const used = new Set<number>();
  await ok(await api.post('/api/v1/session/totp/confirm', { data: { code: await freshCode(secret, used) } }));
  return { email, name, secret, used, api };
}

/** A virtual authenticator for the page, as a phone's or laptop's platform authenticator. */
async function virtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

test('a passkey added after a step-up signs in; a reset second factor is recovered by link and enrolled again', async ({
  browser,
}) => {
  const { baseURL } = state();
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const demo = (await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'))).find((p) =>
    p.name.startsWith('Demo programme'),
  );
  if (!demo) throw new Error('the demo programme is missing: first-run setup loads it');
  const ana = await join(admin, demo.id, 'ana@passkeys.test', 'Ana Passkey');
  const ben = await join(admin, demo.id, 'ben@passkeys.test', 'Ben Recover');

  // 1. Ana, on a phone-sized screen, adds a passkey on the account page.
  const anaContext = await isolatedContext(
    browser,
    { width: 360, height: 780 },
    { storageState: await ana.api.storageState() },
  );
  const page = await anaContext.newPage();
  const problems = watchConsole(page);
  const authenticator = await virtualAuthenticator(anaContext, page);
  // The server's clock cannot be moved from here: the first request for passkey options is
  // answered "recent sign-in required" by the browser context; the step-up and the rest are real.
  let refused = false;
  await anaContext.route('**/api/v1/passkeys/options', async (route) => {
    if (refused) return route.continue();
    refused = true;
    return route.fulfill({ status: 401, contentType: 'application/json', body: stepUpRequired });
  });
  await page.goto('/');
  const menu = page.locator('summary', { hasText: 'Ana Passkey' });
  await menu.click();
  await page.getByRole('link', { name: 'Sign-in security' }).click();
  await expect(page.getByRole('heading', { name: 'Passkeys' })).toBeVisible();
  await expect(page.getByText('No passkeys yet.')).toBeVisible();
  await page.getByLabel('Name of this passkey').fill('Work laptop');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByLabel('Code', { exact: true }).fill(await freshCode(ana.secret, ana.used));
  await dialog.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'The passkey Work laptop is added' })).toBeVisible();
  const row = page.getByRole('row', { name: /Work laptop/ });
  await expect(row.getByRole('cell', { name: 'Never' })).toBeVisible();
  expect(await authenticator.credentials()).toHaveLength(1);
  await expectCleanPage(page, 'account: passkeys');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // Signed out, Ana signs in with the password and the passkey: offered first, nothing to type.
  await menu.click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(ana.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Two-step sign-in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Use a code from the app instead' })).toBeVisible();
  await expectAccessible(page, 'second step: passkey');
  await page.getByRole('button', { name: 'Use your passkey', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Ana Passkey' })).toBeVisible();
  await page.goto('/account/security');
  const used = page.getByRole('row', { name: /Work laptop/ });
  await expect(used).toBeVisible();
  await expect(used.getByRole('cell', { name: 'Never' })).toHaveCount(0);

  // Removing it: the step-up dialog now offers the passkey (with the password) first.
  let refusedDelete = false;
  await anaContext.route('**/api/v1/passkeys/*', async (route) => {
    if (refusedDelete || route.request().method() !== 'DELETE') return route.continue();
    refusedDelete = true;
    return route.fulfill({ status: 401, contentType: 'application/json', body: stepUpRequired });
  });
  await page.getByRole('button', { name: 'Remove the passkey Work laptop' }).click();
  await page.getByRole('button', { name: 'Yes, remove Work laptop' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Code', { exact: true })).toHaveCount(0);
  await expectAccessible(page, 'step-up with a passkey');
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Confirm with your passkey' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('No passkeys yet.')).toBeVisible();
  expect(problems).toEqual([]);
  expect(anaContext.foreign).toEqual([]);
  await anaContext.close();

  // 2. The admin resets Ben's second factor (the API session signed in moments ago: no step-up).
  const adminContext = await isolatedContext(browser, undefined, { storageState: await admin.storageState() });
  const adminPage = await adminContext.newPage();
  const adminProblems = watchConsole(adminPage);
  await adminPage.goto('/admin/users');
  // Requiring passkeys is refused to an admin who did not sign in with one (it would lock them
  // out); the reason shows next to the rule.
  const rule = adminPage.getByRole('region', { name: 'Sign-in rule' });
  await rule.getByLabel('Instance admins and programme managers').check();
  await rule.getByRole('button', { name: 'Save the rule' }).click();
  await expect(rule.getByRole('alert')).toContainText('Add a passkey to your own account');
  await adminPage.getByRole('button', { name: 'Reset the second factor of Ben Recover' }).click();
  await expect(adminPage.getByRole('heading', { name: 'Reset the second factor of Ben Recover?' })).toBeFocused();
  await adminPage.getByRole('button', { name: 'Yes, reset it and create a recovery link' }).click();
  await expect(adminPage.getByRole('heading', { name: 'Recovery link for Ben Recover' })).toBeVisible();
  await expect(adminPage.getByText(/never by the same email as the password/)).toBeVisible();
  await expectAccessible(adminPage, 'people: recovery link');
  const link = await adminPage.getByLabel('Recovery link').inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL}/recover#[A-Za-z0-9_-]{20,}$`));
  expect(adminProblems).toEqual([]);
  expect(adminContext.foreign).toEqual([]);
  await adminContext.close();
  await admin.dispose();
  // Every session of Ben's ended with the reset.
  expect((await ben.api.get('/api/v1/me')).status()).toBe(401);
  await ben.api.dispose();
  await ana.api.dispose();

  // 3. Ben: the password alone leads to the explanation; the link, to a new second factor.
  const benContext = await isolatedContext(browser);
  const benPage = await benContext.newPage();
  const benProblems = watchConsole(benPage);
  const benAuthenticator = await virtualAuthenticator(benContext, benPage);
  await benPage.goto('/signin');
  await benPage.getByLabel('Email').fill(ben.email);
  await benPage.getByLabel('Password').fill(PASSWORD);
  await benPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(
    benPage.getByText('Your second factor was reset by an administrator. Open the recovery link they gave you.'),
  ).toBeVisible();
  await expectAccessible(benPage, 'second factor reset');
  // After a reload too: the session says where it stands.
  await benPage.goto('/');
  await expect(benPage.getByRole('heading', { name: 'Your second factor was reset' })).toBeVisible();

  await benPage.goto(link);
  await expect(benPage.getByRole('heading', { name: 'Recover your account' })).toBeVisible();
  // The token leaves the address bar (and the history entry) at once.
  await expect(benPage).toHaveURL(`${baseURL}/recover`);
  await benPage.getByLabel('Email').fill(ben.email);
  await benPage.getByLabel('Password').fill(PASSWORD);
  await benPage.getByRole('button', { name: 'Continue' }).click();
  await expect(
    benPage.getByRole('heading', { name: 'Protect your account with an authenticator app or a passkey' }),
  ).toBeVisible();
  await expectAccessible(benPage, 'enrol: app or passkey');
  await benPage.getByLabel('Name of this passkey').fill('Phone');
  await benPage.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(benPage.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  await expect(benPage.locator('ul.codes li')).toHaveCount(10);
  expect(await benAuthenticator.credentials()).toHaveLength(1);
  await benPage.getByRole('button', { name: 'I have saved them' }).click();
  await expect(benPage.getByRole('heading', { name: 'Welcome, Ben Recover' })).toBeVisible();
  expect(benProblems).toEqual([]);
  expect(benContext.foreign).toEqual([]);
  await benContext.close();
});

test('a password change signs out the other devices and keeps this one', async ({ browser }) => {
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  const demo = (await ok<{ id: string; name: string }[]>(await admin.get('/api/v1/programmes'))).find((p) =>
    p.name.startsWith('Demo programme'),
  );
  if (!demo) throw new Error('the demo programme is missing: first-run setup loads it');
  const cleo = await join(admin, demo.id, 'cleo@password.test', 'Cleo Password');
  await admin.dispose();
  // A second device of Cleo's, signed in on its own.
  const phone = await apiSession(cleo.email, () => freshCode(cleo.secret, cleo.used));

  const context = await isolatedContext(browser, undefined, { storageState: await cleo.api.storageState() });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto('/account/security');
  const section = page.getByRole('region', { name: 'Password' });
  await section.getByLabel('Current password').fill('not the password at all');
  await section.getByLabel('New password').fill('a much longer passphrase for the newsroom');
  await section.getByRole('button', { name: 'Change password' }).click();
  await expect(section.getByText('That is not your current password.').first()).toBeVisible();
  await section.getByLabel('Current password').fill(PASSWORD);
  await section.getByRole('button', { name: 'Change password' }).click();
  await expect(section.getByRole('status')).toHaveText('Your password is changed. One other device was signed out.');
  await expect(section.getByLabel('Current password')).toHaveValue('');
  await expectCleanPage(page, 'account: password');

  expect((await phone.get('/api/v1/me')).status()).toBe(401);
  expect((await page.request.get('/api/v1/me')).status()).toBe(200);
  const again = await request.newContext({ baseURL: state().baseURL });
  expect((await again.post('/api/v1/session', { data: { email: cleo.email, password: PASSWORD } })).status()).toBe(401);
  expect(
    await ok(
      await again.post('/api/v1/session', {
        data: { email: cleo.email, password: 'a much longer passphrase for the newsroom' },
      }),
    ),
  ).toMatchObject({ next: 'mfa' });
  expect(problems).toEqual([]);
  expect(context.foreign).toEqual([]);
  await Promise.all([again.dispose(), phone.dispose(), cleo.api.dispose(), context.close()]);
});
