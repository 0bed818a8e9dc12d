/**
 * The main flow in a real browser against browser mode: generate → table and class balance → train
 * both models (curves grow per epoch, the UI stays responsive) → Compare (matrices; importance, trading
 * and walk-forward panels) → Predict → restart the server → the run is still there. Screenshots of every
 * view and of the Compare panels go to e2e/screenshots/.
 * The steps live in helpers/flow.ts; electron.spec.ts runs the same ones in the desktop app.
 */
import { expect, test } from '@playwright/test';
import { compareMatrices, compareResearch, generateDataset, predictTwo, runListed, trainBoth } from './helpers/flow';
import { openView, watchConsole } from './helpers/page';
import { freshDataFolder, startServer, type RunningServer } from './helpers/server';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer(freshDataFolder());
});
test.afterAll(async () => {
  await server?.stop();
});

test('generate, train, compare, predict, and keep the run across a restart', async ({ page }, testInfo) => {
  const browser = watchConsole(page);
  const shots = { screenshots: true };
  try {
    await page.goto(server.url);
    await expect(page.getByTestId('nav-dataset')).toBeVisible();

    await generateDataset(page, shots);
    const runId = await trainBoth(page, shots);
    await compareMatrices(page, shots);
    await compareResearch(page, shots);
    await predictTwo(page, runId, shots);
    await test.step('Runs lists the run', () => runListed(page, runId, shots));

    expect(browser.errors, browser.errors.join('\n')).toEqual([]);

    await test.step('after a server restart the run is still in Runs', async () => {
      await server.stop();
      // the old page keeps trying to reconnect to the stopped server: expected, not an error of the app
      await page.goto('about:blank');
      browser.errors.length = 0;
      server = await startServer(server.dataFolder);
      await page.goto(server.url);
      await openView(page, 'runs');
      await runListed(page, runId);
    });

    expect(browser.errors, browser.errors.join('\n')).toEqual([]);
  } finally {
    await browser.attach(testInfo);
  }
});
