/**
 * The main flow in a real browser against browser mode: generate → table and class balance → train
 * both models (curves grow per epoch, the UI stays responsive) → Compare → Predict → restart the
 * server → the run is still there. Screenshots of every view go to e2e/screenshots/.
 */
import { expect, test, type Page } from '@playwright/test';
import { freshDataFolder, startServer, type RunningServer } from './helpers/server';
import { numAttr, openView, screenshot, timeViewSwitch, watchConsole, type PageGlobals } from './helpers/page';

const TICKERS = 'AAPL, MSFT';
const EPOCHS = 3;

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer(freshDataFolder());
});
test.afterAll(async () => {
  await server?.stop();
});

async function curvePoints(page: Page, kind: 'lstm' | 'dual_tower'): Promise<number> {
  const v = await page.getByTestId(`curve-${kind}`).getAttribute('data-points');
  return Number(v ?? 0);
}

test('generate, train, compare, predict, and keep the run across a restart', async ({ page }, testInfo) => {
  const browser = watchConsole(page);
  try {
    await page.goto(server.url);
    await expect(page.getByTestId('nav-dataset')).toBeVisible();

    let rows = 0;
    await test.step('generate the built-in dataset: 2 tickers × 1 year', async () => {
      await openView(page, 'dataset');
      await page.getByTestId('dataset-source').selectOption('synthetic');
      await page.getByTestId('dataset-tickers').fill(TICKERS);
      await page.getByTestId('dataset-start').fill('2023-01-03');
      await page.getByTestId('dataset-end').fill('2023-12-29');
      await page.getByTestId('generate-button').click();
      await expect(page.getByTestId('dataset-ready')).toBeVisible();
      rows = await numAttr(page, 'dataset-ready', 'data-rows');
      expect(rows).toBeGreaterThan(400); // ~250 trading days per ticker
    });

    await test.step('the table shows rows and the class balance', async () => {
      await expect(page.getByTestId('table-row').first()).toBeVisible();
      const rendered = await page.getByTestId('table-row').count();
      expect(rendered).toBeGreaterThan(5);
      expect(rendered).toBeLessThan(rows); // virtualised: only visible rows are in the DOM
      expect(await numAttr(page, 'table-total', 'data-total')).toBe(rows);
      const balance = page.getByTestId('class-balance');
      const counts = await Promise.all(['data-down', 'data-flat', 'data-up'].map(async (a) => Number(await balance.getAttribute(a))));
      // horizon 1: every row but the last day of each ticker has a label
      expect(counts.reduce((a, b) => a + b, 0)).toBe(rows - 2);
      expect(counts.every((c) => c > 0)).toBe(true);
      await expect(page.getByTestId('feature-summary-row')).toHaveCount(21);
      await screenshot(page, 'dataset');
      await page.getByTestId('price-chart').scrollIntoViewIfNeeded();
      await screenshot(page, 'dataset-charts');
      await page.getByTestId('nav-dataset').focus();
    });

    let runId = '';
    await test.step('train both models for 3 epochs; curves gain a point per epoch; the UI stays responsive', async () => {
      await openView(page, 'train');
      for (const kind of ['lstm', 'dual_tower'] as const) {
        await page.getByTestId(`train-model-${kind}`).check();
        await page.getByTestId(`train-epochs-${kind}`).fill(String(EPOCHS));
      }
      await page.getByTestId('train-start').click();
      await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'running');
      await expect(page.getByTestId('train-status')).toHaveAttribute('data-run-id', /^[\w-]+$/);
      runId = (await page.getByTestId('train-status').getAttribute('data-run-id')) ?? '';
      expect(runId).not.toBe('');

      // Watch both curves grow until the run is done. Once the first epoch is in (the trainers are
      // busy on both cores), check that switching views and a contract round-trip answer within 200 ms.
      const seen = { lstm: new Set<number>(), dual_tower: new Set<number>() };
      let responsiveness: { toDataset: number; toTrain: number; info: number; rows: number } | null = null;
      await expect
        .poll(
          async () => {
            const lstm = await curvePoints(page, 'lstm');
            const dual = await curvePoints(page, 'dual_tower');
            seen.lstm.add(lstm);
            seen.dual_tower.add(dual);
            const status = await page.getByTestId('train-status').getAttribute('data-status');
            if (!responsiveness && status === 'running' && lstm + dual >= 1) {
              const toDataset = await timeViewSwitch(page, 'dataset');
              const toTrain = await timeViewSwitch(page, 'train');
              const [info, rows] = await page.evaluate(async () => {
                const api = (globalThis as unknown as PageGlobals).api;
                const t0 = performance.now();
                await api.app.info();
                const t1 = performance.now();
                await api.dataset.rows({ offset: 0, limit: 100, sortBy: 'close', sortDir: 'desc' });
                return [t1 - t0, performance.now() - t1];
              });
              responsiveness = { toDataset, toTrain, info, rows };
            }
            return status;
          },
          { timeout: 240_000, intervals: [100] },
        )
        .toBe('done');
      expect(responsiveness, 'the run ended before the UI could be timed while training').not.toBeNull();
      const r = responsiveness!;
      console.log(
        `while training: view switch to Dataset ${r.toDataset.toFixed(1)} ms, to Train ${r.toTrain.toFixed(1)} ms; ` +
          `round-trips app.info ${r.info.toFixed(1)} ms, dataset.rows(100) ${r.rows.toFixed(1)} ms`,
      );
      for (const v of Object.values(r)) expect(v).toBeLessThan(200);
      for (const kind of ['lstm', 'dual_tower'] as const) {
        const points = [...seen[kind]].sort((a, b) => a - b);
        console.log(`${kind} curve point counts seen while training: ${points.join(', ')}`);
        expect(points.at(-1)).toBe(EPOCHS);
        // a point per epoch: every intermediate count showed up, not just the final one
        for (let n = 1; n <= EPOCHS; n++) expect(points).toContain(n);
        expect(await curvePoints(page, kind)).toBe(EPOCHS);
      }
      await screenshot(page, 'train');
    });

    await test.step('Compare shows two confusion matrices adding up to the validation size', async () => {
      await openView(page, 'compare');
      await expect(page.getByTestId('confusion-lstm')).toBeVisible();
      const valSamples = await numAttr(page, 'val-samples', 'data-count');
      expect(valSamples).toBeGreaterThan(50);
      for (const kind of ['lstm', 'dual_tower'] as const) {
        const cells = page.getByTestId(`confusion-${kind}`).getByTestId('confusion-cell');
        await expect(cells).toHaveCount(9);
        const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(valSamples);
      }
      await expect(page.getByTestId('metrics-table')).toBeVisible();
      await screenshot(page, 'compare');
      await page.getByTestId('confusion-lstm').scrollIntoViewIfNeeded();
      await screenshot(page, 'compare-matrices');
    });

    await test.step('Predict on two tickers: probabilities sum to 100%', async () => {
      await openView(page, 'predict');
      await page.getByTestId('predict-run').selectOption(runId);
      await page.getByTestId('predict-tickers').fill(TICKERS);
      await page.getByTestId('predict-button').click();
      const predictionRows = page.getByTestId('prediction-row');
      await expect(predictionRows).toHaveCount(2);
      for (const ticker of ['AAPL', 'MSFT']) {
        const row = page.locator(`[data-testid="prediction-row"][data-ticker="${ticker}"]`);
        for (const model of ['lstm', 'dual_tower', 'average']) {
          const cells = row.locator(`[data-testid="prob"][data-model="${model}"]`);
          await expect(cells).toHaveCount(3);
          const values = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
          expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
          const shown = await cells.evaluateAll((els) => els.map((e) => Number.parseFloat((e.textContent ?? '').replace(/[^\d.]/g, ''))));
          const total = shown.reduce((a, b) => a + b, 0);
          expect(Math.abs(total - 100), `${ticker} ${model} shows ${shown.join(' + ')} %`).toBeLessThanOrEqual(0.2);
        }
      }
      await screenshot(page, 'predict');
    });

    await test.step('Runs lists the run', async () => {
      await openView(page, 'runs');
      await expect(page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`)).toHaveAttribute('data-status', 'done');
      await screenshot(page, 'runs');
    });

    expect(browser.errors, browser.errors.join('\n')).toEqual([]);

    await test.step('after a server restart the run is still in Runs', async () => {
      await server.stop();
      // the old page keeps trying to reconnect to the stopped server: expected, not an error of the app
      await page.goto('about:blank');
      browser.errors.length = 0;
      server = await startServer(server.dataFolder);
      await page.goto(server.url);
      await openView(page, 'runs');
      await expect(page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`)).toHaveAttribute('data-status', 'done');
    });

    expect(browser.errors, browser.errors.join('\n')).toEqual([]);
  } finally {
    await browser.attach(testInfo);
  }
});
