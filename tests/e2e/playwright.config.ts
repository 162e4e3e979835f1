import { defineConfig } from '@playwright/test';

/**
 * Browser journeys in Debian's Chromium (installed by `.ci/run` with apt; never downloaded).
 * `global-setup.ts` starts a real Kalaja server on a fresh data directory and shares its
 * address and setup token with the tests.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  globalSetup: './global-setup.ts',
  outputDir: '../../test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.KALAJA_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
    screenshot: 'off',
  },
});
