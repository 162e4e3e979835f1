import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { adminCode, apiSession, ADMIN, browse, ensureAdmin, expectCleanPage, ok, signIn } from './support';

const WHAT = 'Since the protest on Friday my phone shows logins to my mail from a town I have never been to.';
const REPLY = 'Thank you. Please change your mail password from another device and turn on two-step login.';

/** A photo as a phone takes it: with the camera, the artist and the place in its EXIF. */
async function photoWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 24, channels: 3, background: '#3a6' } })
    .jpeg()
    .withExif({
      IFD0: { Artist: 'Reporter Name', Make: 'PhoneMaker', Model: 'P1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '42/1 39/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '21/1 9/1 0/1' },
    })
    .toBuffer();
}

test('an anonymous report with a photo is sealed without a cookie or a foreign request, the team replies, and the reporter reads it with the receipt code', async ({
  browser,
}) => {
  await ensureAdmin();
  const admin = await apiSession(ADMIN.email, adminCode);
  await ok(await admin.put('/api/v1/reporting/settings', { data: { enabled: true, retentionDays: 180 } }));

  // The reporter: no account, a fresh browser, nothing but our server.
  const reporter = await browse(browser, { width: 390, height: 844 });
  await reporter.page.goto('/report');
  await expect(reporter.page.getByRole('heading', { level: 1 })).toHaveText(
    'Report surveillance, censorship or an attack',
  );
  await expect(reporter.page.getByRole('heading', { name: 'What it cannot protect' })).toBeVisible();
  await expect(reporter.page.getByText(/can see that you visited this site/)).toBeVisible();
  await expectCleanPage(reporter.page, 'the report form');
  await reporter.page.getByLabel('What happened').fill(WHAT);
  await reporter.page.getByLabel('When', { exact: true }).fill('since Friday');
  await reporter.page.getByLabel('What kind of incident is it?').selectOption('account-takeover');
  await reporter.page.getByLabel('Files (optional)').setInputFiles({
    name: 'IMG_2041.jpg',
    mimeType: 'image/jpeg',
    buffer: await photoWithExif(),
  });
  await expect(reporter.page.getByLabel(/Remove hidden details/)).toBeChecked();
  expect(await reporter.context.cookies(), 'cookies before submission').toEqual([]);
  await reporter.page.getByRole('button', { name: 'Send the report' }).click();
  await expect(reporter.page.getByRole('heading', { level: 1 })).toHaveText('Your report has been received');
  const receipt = (await reporter.page.getByTestId('receipt').textContent())!.trim();
  expect(receipt).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  await expect(reporter.page.getByText('1 file was stored (1 with its metadata removed).')).toBeVisible();
  await expectCleanPage(reporter.page, 'the receipt');
  expect(await reporter.context.cookies(), 'cookies after submission').toEqual([]);

  // The team: the report in the inbox, its photo without EXIF, and a reply from the app.
  const reports = await ok<{ id: string }[]>(await admin.get('/api/v1/reporting/reports'));
  const found = [];
  for (const r of reports) {
    const full = await ok<{ id: string; what: string; files: { id: string }[] }>(
      await admin.get(`/api/v1/reporting/reports/${r.id}`),
    );
    if (full.what === WHAT) found.push(full);
  }
  expect(found).toHaveLength(1);
  const report = found[0]!;
  const photo = await admin.get(`/api/v1/reporting/files/${report.files[0]!.id}`);
  expect(photo.headers()['content-type']).toBe('image/jpeg');
  const meta = await sharp(await photo.body()).metadata();
  expect(meta.exif, 'EXIF in the stored photo').toBeUndefined();
  expect([meta.width, meta.height]).toEqual([32, 24]);
  expect((await photo.body()).includes(Buffer.from('Reporter Name'))).toBe(false);

  const team = await browse(browser);
  await signIn(team.page, ADMIN.email, adminCode);
  await team.page.goto('/reporting');
  await expect(team.page.getByRole('heading', { level: 1 })).toHaveText('Reports received');
  await team.page.goto(`/reporting/${report.id}`);
  await expect(team.page.getByText(WHAT)).toBeVisible();
  await team.page.getByLabel('Reply').fill(REPLY);
  await team.page.getByRole('button', { name: 'Send the reply' }).click();
  await expect(team.page.locator('.report-from-team')).toContainText(REPLY);
  await expectCleanPage(team.page, 'a report in the inbox');

  // The reporter comes back with the code and reads the reply.
  await reporter.page.goto('/report/follow');
  await reporter.page.getByLabel('Receipt code').fill(receipt.toLowerCase());
  await reporter.page.getByRole('button', { name: 'Open' }).click();
  await expect(reporter.page.getByRole('heading', { level: 1 })).toHaveText('Your report');
  await expect(reporter.page.locator('.report-from-team')).toContainText(REPLY);
  await expectCleanPage(reporter.page, 'the reply read with the code');
  expect(await reporter.context.cookies(), 'cookies after reading').toEqual([]);
  expect(reporter.context.foreign, 'requests to other origins').toEqual([]);
  expect(reporter.problems).toEqual([]);
  expect(team.context.foreign).toEqual([]);

  await reporter.context.close();
  await team.context.close();
  await admin.dispose();
});
