#!/usr/bin/env node
/**
 * Screenshots of the five views at 1280×800 in a real browser, for looking at the UI.
 * Needs a running browser-mode server (`npm run web`); drives the whole flow: generate a
 * dataset, train both models briefly, compare, predict, list runs.
 *
 *   node scripts/screenshots.mjs [url] [outDir]
 *   env: WORKBENCH_URL (default http://127.0.0.1:5173), SHOTS_DIR (default e2e/screenshots),
 *        CHROMIUM (default /usr/bin/chromium), EPOCHS (default 3), TRAIN_TIMEOUT_S (default 600)
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.argv[2] ?? process.env.WORKBENCH_URL ?? 'http://127.0.0.1:5173';
const outDir = path.resolve(process.argv[3] ?? process.env.SHOTS_DIR ?? 'e2e/screenshots');
const epochs = String(process.env.EPOCHS ?? 3);
const trainTimeout = Number(process.env.TRAIN_TIMEOUT_S ?? 600) * 1000;
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const problems = [];
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

const id = (testid) => page.getByTestId(testid);
let n = 0;
async function shot(name, locator) {
  const file = path.join(outDir, `${String(++n).padStart(2, '0')}-${name}.png`);
  if (locator) await locator.screenshot({ path: file });
  else await page.screenshot({ path: file });
  console.log(file);
}
/** Scroll the main pane so `locator` is at the top, then take the viewport. */
async function shotAt(name, locator) {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(150);
  await shot(name);
}

try {
  await page.goto(url);
  await id('view-dataset').waitFor();
  await shot('dataset-empty');

  await id('generate-button').click();
  await id('dataset-ready').waitFor({ timeout: 120_000 });
  await id('table-row').first().waitFor();
  await id('price-chart').waitFor();
  await shot('dataset-ready');
  await shotAt('dataset-rows', page.locator('#rows-title'));
  // sort by close, descending, and filter one ticker
  await page.getByRole('button', { name: /^close/ }).click();
  await page.getByRole('button', { name: /^close/ }).click();
  await id('table-filter-ticker').selectOption({ index: 2 });
  await page.waitForTimeout(300);
  await shotAt('dataset-rows-sorted-filtered', page.locator('#rows-title'));
  await shotAt('dataset-charts', page.locator('#charts-title'));
  await shotAt('dataset-features', page.locator('#features-title'));

  await id('nav-train').click();
  for (const kind of ['lstm', 'dual_tower']) await id(`train-epochs-${kind}`).fill(epochs);
  await shot('train-ready');
  await id('train-start').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="curve-lstm"]')?.getAttribute('data-points') ?? 0) >= 2, null, {
    timeout: trainTimeout,
  }).catch(() => {});
  await shot('train-running');
  await page.locator('[data-testid="train-status"][data-status="done"], [data-testid="train-status"][data-status="failed"]').waitFor({ timeout: trainTimeout });
  await shot('train-finished');

  await id('nav-compare').click();
  await id('metrics-table').waitFor();
  await shot('compare'); // headline numbers and both confusion matrices fit the first screen
  await shotAt('compare-metrics', page.locator('#metrics-title'));

  // a second, shorter run so two runs can be compared
  await id('nav-train').click();
  for (const kind of ['lstm', 'dual_tower']) await id(`train-epochs-${kind}`).fill('2');
  await id('train-start').click();
  await page.locator('[data-testid="train-status"][data-status="running"]').waitFor();
  await page.locator('[data-testid="train-status"][data-status="done"], [data-testid="train-status"][data-status="failed"]').waitFor({ timeout: trainTimeout });
  await id('nav-runs').click();
  await id('run-row').nth(1).waitFor();
  await id('run-select').nth(0).check();
  await id('run-select').nth(1).check();
  await id('runs-compare').click();
  await id('metrics-table').waitFor();
  await page.waitForTimeout(300);
  await shot('compare-two-runs');

  await id('nav-predict').click();
  await id('predict-button').click();
  await id('prediction-row').first().waitFor();
  await shot('predict');

  await id('nav-runs').click();
  await id('run-row').first().waitFor();
  await shot('runs');
  await id('run-delete').first().click();
  await page.waitForTimeout(200);
  await shot('runs-confirm-delete');
  await id('confirm-cancel').click();

  // keyboard: Alt+1 back to Dataset, then Tab through the navigation (visible focus)
  await page.keyboard.press('Alt+1');
  await id('view-dataset').waitFor();
  await id('nav-dataset').focus();
  await page.keyboard.press('Tab');
  await shot('keyboard-focus');

  // a refused request shows the error banner
  await id('dataset-source').selectOption('csv');
  await id('dataset-prices').fill('/nonexistent/prices');
  await id('generate-button').click();
  await id('error-banner').waitFor({ timeout: 60_000 });
  await shot('error-banner');
} finally {
  await browser.close();
  if (problems.length) {
    console.log(`\n${problems.length} console problem(s):`);
    for (const p of problems) console.log(`  ${p}`);
  }
}
