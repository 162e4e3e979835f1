import { expect, test } from '@playwright/test';
import { expectAccessible, freshCode, isolatedContext, PASSWORD, saveAdmin, state, watchConsole } from './support';

test('first run: the setup token creates the admin, who enrols an authenticator app and saves recovery codes', async ({
  browser,
}) => {
  const context = await isolatedContext(browser);
  const page = await context.newPage();
  const problems = watchConsole(page);
  // A fresh instance opened at its address leads to setup.
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Set up Kalaja' })).toBeVisible();
  await expectAccessible(page, 'setup');
  await page.getByLabel('Setup token').fill(state().token);
  await page.getByLabel('Email').fill('admin@kalaja.test');
  await page.getByLabel('Your name').fill('Arta Krasniqi');
  await page.getByLabel('Password').fill('too short');
  await page.getByRole('button', { name: 'Create the account' }).click();
  await expect(page.getByText(/at least 15 characters/i).first()).toBeVisible();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel(/Load the demo programme/).check();
  await page.getByRole('button', { name: 'Create the account' }).click();

  // Loading the demo (ten organisations, their rounds, plans and three trainings) takes seconds.
  await expect(page.getByRole('heading', { name: /authenticator app/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('img', { name: /authenticator app/ })).toBeVisible();
  await expectAccessible(page, 'enrol');
  const secret = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
  const used = new Set<number>();
  await page.getByLabel('Code').fill(await freshCode(secret, used));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  // The other spec files sign in as this admin: they read the secret (and the steps used) from a file.
  saveAdmin(secret, used);
  await expect(page.locator('ul.codes li')).toHaveCount(10);
  await page.getByRole('button', { name: 'I have saved them' }).click();

  await expect(page.getByRole('heading', { name: 'Welcome, Arta Krasniqi' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Demo programme/ })).toBeVisible();
  await expectAccessible(page, 'home');
  expect(
    await page.evaluate(() => ({
      local: Object.keys(localStorage).filter((k) => k !== 'kalaja.language'),
      session: sessionStorage.length,
    })),
  ).toEqual({ local: [], session: 0 });
  expect(problems).toEqual([]);
  expect(context.foreign).toEqual([]);
  await context.close();
});
