import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in a real browser against browser mode (a fresh server and data folder per test
 * file), plus an Electron flow that runs only where the Electron binary is installed. Debian's
 * Chromium is used as is — never `npx playwright install`.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/.tmp/test-results',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // a full flow trains two models for a few epochs on 2 cores
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['json', { outputFile: 'e2e/.tmp/results.json' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
    trace: 'off',
    screenshot: 'off',
  },
});
