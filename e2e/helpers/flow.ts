/**
 * The main flow of the workbench, step by step, shared by the browser-mode spec and the Electron spec
 * so both front doors are held to the same checks: generate → table and class balance → train both
 * models (curves gain a point per epoch, the UI stays responsive) → Compare → Predict → Runs.
 * Each step is a Playwright test.step; the specs add their own restart and screenshots.
 */
import { expect, test, type Page } from '@playwright/test';
import { numAttr, openView, screenshot, timeViewSwitch, type PageGlobals } from './page';

export const FLOW = {
  tickers: ['AAPL', 'MSFT'],
  start: '2023-01-03',
  end: '2023-12-29',
  epochs: 3,
} as const;

export interface FlowOptions {
  /** save screenshots of each view (browser mode does; the Electron spec does not overwrite them) */
  screenshots?: boolean;
  /** prefix for screenshot names */
  shotPrefix?: string;
}

async function curvePoints(page: Page, kind: 'lstm' | 'dual_tower'): Promise<number> {
  const v = await page.getByTestId(`curve-${kind}`).getAttribute('data-points');
  return Number(v ?? 0);
}

/** The minimal DOM the curve recorder needs (the e2e tsconfig has no DOM lib). */
interface RecorderNode {
  getAttribute?(name: string): string | null;
  querySelectorAll?(selector: string): ArrayLike<RecorderNode>;
}
interface RecorderGlobals {
  document: { body: unknown };
  MutationObserver: new (cb: (records: { type: string; target: RecorderNode; oldValue: string | null; addedNodes: ArrayLike<RecorderNode> }[]) => void) => {
    observe(node: unknown, opts: { subtree: boolean; childList: boolean; attributes: boolean; attributeOldValue: boolean; attributeFilter: string[] }): void;
  };
  __curveCounts?: Record<string, CurveCount[]>;
}

/** One value a curve's data-points took; `remount` when it came with a fresh element (the view was re-opened). */
interface CurveCount {
  n: number;
  remount: boolean;
}

/**
 * Records every value the curves' data-points attribute takes, in the page: polling from the test
 * can miss a count when epochs take less than the polling interval (the dual tower's do). The
 * responsiveness check switches views while training, which unmounts the Train view: counts that
 * arrive meanwhile show up on the re-created element, recorded as a remount.
 */
async function recordCurvePoints(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as RecorderGlobals;
    const log: Record<string, CurveCount[]> = {};
    g.__curveCounts = log;
    const push = (id: string, n: number, remount: boolean): void => {
      const seen = (log[id] ??= []);
      if (seen.at(-1)?.n !== n) seen.push({ n, remount });
    };
    const curveId = (node: RecorderNode): string => node.getAttribute?.('data-testid') ?? '';
    new g.MutationObserver((records) => {
      // Several changes can land before this callback runs (two fast epochs in one task): each record's
      // oldValue is the value before its change, so the old values in order plus the current value are
      // every value the attribute took.
      const targets = new Map<string, RecorderNode>();
      for (const r of records) {
        if (r.type === 'childList') {
          for (let i = 0; i < r.addedNodes.length; i++) {
            const added = r.addedNodes[i];
            const inside = added.querySelectorAll ? Array.from(added.querySelectorAll('[data-testid^="curve-"][data-points]')) : [];
            for (const el of [added, ...inside]) {
              const id = curveId(el);
              if (id.startsWith('curve-') && el.getAttribute?.('data-points') != null) push(id, Number(el.getAttribute('data-points')), true);
            }
          }
          continue;
        }
        const id = curveId(r.target);
        if (r.oldValue !== null) push(id, Number(r.oldValue), false);
        targets.set(id, r.target);
      }
      for (const [id, target] of targets) push(id, Number(target.getAttribute?.('data-points') ?? 0), false);
    }).observe(g.document.body, { subtree: true, childList: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-points'] });
  });
}

async function recordedCurvePoints(page: Page, kind: 'lstm' | 'dual_tower'): Promise<CurveCount[]> {
  return page.evaluate((id) => (globalThis as unknown as RecorderGlobals).__curveCounts?.[id] ?? [], `curve-${kind}`);
}

async function shot(page: Page, name: string, opts: FlowOptions): Promise<void> {
  if (opts.screenshots) await screenshot(page, `${opts.shotPrefix ?? ''}${name}`);
}

/** Generate the built-in dataset (2 tickers × 1 year); returns its row count. */
export async function generateDataset(page: Page, opts: FlowOptions = {}): Promise<number> {
  let rows = 0;
  await test.step('generate the built-in dataset: 2 tickers × 1 year', async () => {
    await openView(page, 'dataset');
    await page.getByTestId('dataset-source').selectOption('synthetic');
    await page.getByTestId('dataset-tickers').fill(FLOW.tickers.join(', '));
    await page.getByTestId('dataset-start').fill(FLOW.start);
    await page.getByTestId('dataset-end').fill(FLOW.end);
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
    expect(counts.reduce((a, b) => a + b, 0)).toBe(rows - FLOW.tickers.length);
    expect(counts.every((c) => c > 0)).toBe(true);
    await expect(page.getByTestId('feature-summary-row')).toHaveCount(21);
    await shot(page, 'dataset', opts);
    await page.getByTestId('price-chart').scrollIntoViewIfNeeded();
    await shot(page, 'dataset-charts', opts);
    await page.getByTestId('nav-dataset').focus();
  });
  return rows;
}

export interface Responsiveness {
  toDataset: number;
  toTrain: number;
  info: number;
  rows: number;
}

/**
 * Train both models for FLOW.epochs; checks that each curve gained a point per epoch and, once the
 * first epoch is in (both cores busy), that switching views and a contract round-trip answer within
 * 200 ms. Returns the run id.
 */
export async function trainBoth(page: Page, opts: FlowOptions = {}): Promise<string> {
  let runId = '';
  await test.step(`train both models for ${FLOW.epochs} epochs; curves gain a point per epoch; the UI stays responsive`, async () => {
    await openView(page, 'train');
    for (const kind of ['lstm', 'dual_tower'] as const) {
      await page.getByTestId(`train-model-${kind}`).check();
      await page.getByTestId(`train-epochs-${kind}`).fill(String(FLOW.epochs));
    }
    await recordCurvePoints(page);
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'running');
    await expect(page.getByTestId('train-status')).toHaveAttribute('data-run-id', /^[\w-]+$/);
    runId = (await page.getByTestId('train-status').getAttribute('data-run-id')) ?? '';
    expect(runId).not.toBe('');

    const seen = { lstm: new Set<number>(), dual_tower: new Set<number>() };
    let responsiveness: Responsiveness | null = null;
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
    const r: Responsiveness = responsiveness!;
    console.log(
      `while training: view switch to Dataset ${r.toDataset.toFixed(1)} ms, to Train ${r.toTrain.toFixed(1)} ms; ` +
        `round-trips app.info ${r.info.toFixed(1)} ms, dataset.rows(100) ${r.rows.toFixed(1)} ms`,
    );
    for (const v of Object.values(r)) expect(v).toBeLessThan(200);
    for (const kind of ['lstm', 'dual_tower'] as const) {
      const polled = [...seen[kind]].sort((a, b) => a - b);
      const recorded = await recordedCurvePoints(page, kind);
      console.log(
        `${kind} curve point counts: recorded in the page ${recorded.map((c) => `${c.n}${c.remount ? ' (view re-opened)' : ''}`).join(' → ')}; ` +
          `seen by polling ${polled.join(', ')}`,
      );
      expect(polled.at(-1)).toBe(FLOW.epochs);
      // a point per epoch: on screen the chart went 1 → 2 → … → epochs, one point at a time; only
      // while the Train view was closed (the view-switch timing above) can it have moved on unseen
      const counts = recorded.filter((c) => c.n > 0);
      expect(counts.at(-1)?.n).toBe(FLOW.epochs);
      counts.forEach((c, i) => {
        if (i > 0 && !c.remount) expect(c.n, `${kind}: the curve jumped from ${counts[i - 1].n} to ${c.n} points in view`).toBe(counts[i - 1].n + 1);
      });
      expect(counts.filter((c) => !c.remount).length, `${kind}: the curve grew while in view`).toBeGreaterThanOrEqual(2);
      expect(await curvePoints(page, kind)).toBe(FLOW.epochs);
    }
    await shot(page, 'train', opts);
  });
  return runId;
}

/** Compare: two confusion matrices whose cells add up to the validation size, on the first screen. */
export async function compareMatrices(page: Page, opts: FlowOptions = {}): Promise<void> {
  await test.step('Compare shows two confusion matrices adding up to the validation size', async () => {
    await openView(page, 'compare');
    await expect(page.getByTestId('confusion-lstm')).toBeVisible();
    const valSamples = await numAttr(page, 'val-samples', 'data-count');
    expect(valSamples).toBeGreaterThan(50);
    for (const kind of ['lstm', 'dual_tower'] as const) {
      const matrix = page.getByTestId(`confusion-${kind}`);
      const cells = matrix.getByTestId('confusion-cell');
      await expect(cells).toHaveCount(9);
      const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(valSamples);
      // the headline numbers and both matrices are seen together, without scrolling
      await expect(matrix).toBeInViewport({ ratio: 1 });
    }
    await expect(page.getByTestId('metrics-table')).toBeAttached();
    await shot(page, 'compare', opts);
    await page.getByTestId('metrics-table').scrollIntoViewIfNeeded();
    await shot(page, 'compare-metrics', opts);
  });
}

/** Scroll a panel's top to the top of the view, so a viewport screenshot shows it. */
async function scrollToTop(page: Page, testId: string): Promise<void> {
  await page
    .getByTestId(testId)
    .first()
    .evaluate((el) => (el as unknown as { scrollIntoView(o: { block: string }): void }).scrollIntoView({ block: 'start' }));
}

/** Folds the e2e runs walk-forward with (not the default 3, so the select is exercised too). */
export const WALK_FORWARD_K = 2;

/**
 * Compare's research panels: permutation importance (21 features and 4 groups per model), the trading
 * read-out (a row per ticker and the portfolio, an equity curve), and walk-forward run from its panel with
 * WALK_FORWARD_K folds (K folds, both models in each, mean ± sd).
 */
export async function compareResearch(page: Page, opts: FlowOptions = {}): Promise<void> {
  await test.step('Compare: permutation importance has 21 features and 4 groups per model', async () => {
    await openView(page, 'compare');
    for (const kind of ['lstm', 'dual_tower'] as const) {
      const block = page.getByTestId(`importance-${kind}`);
      await expect(block).toHaveAttribute('data-features', '21');
      await expect(block).toHaveAttribute('data-groups', '4');
      const groups = block.getByTestId('importance-group');
      await expect(groups).toHaveCount(4);
      expect((await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-group')))).sort()).toEqual(['macro', 'news', 'policy', 'stock']);
      // the chart tells a screen reader what it shows
      await expect(block.getByRole('img')).toHaveAttribute('aria-label', /21 features, largest first: .+Groups: /);
    }
    await scrollToTop(page, 'importance-lstm');
    await shot(page, 'compare-importance', opts);
  });

  await test.step('Compare: the trading read-out has a row per ticker, the portfolio row and an equity curve', async () => {
    const panel = page.getByTestId('trading-panel');
    await expect(panel.getByTestId('trading-ticker-row')).toHaveCount(FLOW.tickers.length);
    const portfolio = panel.getByTestId('trading-portfolio');
    await expect(portfolio).toBeVisible();
    await expect(portfolio).toHaveAttribute('data-tickers', String(FLOW.tickers.length));
    // one strategy return per model, each a possible one (a long-or-flat strategy cannot lose more than everything)
    const returns = await portfolio.getByTestId('trading-return').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(returns).toHaveLength(2);
    for (const r of returns) expect(Number.isFinite(r) && r > -1).toBe(true);
    await expect(panel.getByTestId('equity-curve')).toBeVisible();
    await scrollToTop(page, 'trading-panel');
    await shot(page, 'compare-trading', opts);
  });

  await test.step(`Compare: walk-forward with ${WALK_FORWARD_K} folds shows ${WALK_FORWARD_K} folds, both models in each`, async () => {
    const panel = page.getByTestId('walk-forward-panel');
    await expect(panel).toHaveAttribute('data-folds', '0');
    await panel.getByTestId('walk-forward-k').selectOption(String(WALK_FORWARD_K));
    await panel.getByTestId('walk-forward-run').click();
    await expect(panel).toHaveAttribute('data-folds', String(WALK_FORWARD_K), { timeout: 240_000 });
    const folds = panel.getByTestId('walk-forward-fold');
    await expect(folds).toHaveCount(WALK_FORWARD_K);
    for (let f = 0; f < WALK_FORWARD_K; f++) {
      const cells = await folds
        .nth(f)
        .getByTestId('walk-forward-fold-accuracy')
        .evaluateAll((els) => els.map((e) => ({ model: e.getAttribute('data-model'), accuracy: Number(e.getAttribute('data-value')) })));
      expect(cells.map((c) => c.model)).toEqual(['lstm', 'dual_tower']);
      for (const c of cells) expect(c.accuracy >= 0 && c.accuracy <= 1).toBe(true);
    }
    // mean ± sd per metric and model
    await expect(panel.getByTestId('walk-forward-summary')).toContainText('±');
    await panel.locator('details').evaluate((d) => ((d as unknown as { open: boolean }).open = true));
    await scrollToTop(page, 'walk-forward-panel');
    await shot(page, 'compare-walk-forward', opts);
  });
}

/** Predict on the two tickers: per ticker and model, probabilities that sum to 100%. */
export async function predictTwo(page: Page, runId: string, opts: FlowOptions = {}): Promise<void> {
  await test.step('Predict on two tickers: probabilities sum to 100%', async () => {
    await openView(page, 'predict');
    await page.getByTestId('predict-run').selectOption(runId);
    await page.getByTestId('predict-tickers').fill(FLOW.tickers.join(', '));
    await page.getByTestId('predict-button').click();
    const predictionRows = page.getByTestId('prediction-row');
    await expect(predictionRows).toHaveCount(FLOW.tickers.length);
    for (const ticker of FLOW.tickers) {
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
    await shot(page, 'predict', opts);
  });
}

/** Runs lists the run as done (and with its source). */
export async function runListed(page: Page, runId: string, opts: FlowOptions = {}): Promise<void> {
  await openView(page, 'runs');
  const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await expect(row).toHaveAttribute('data-status', 'done');
  await expect(row).toHaveAttribute('data-source', 'synthetic');
  await shot(page, 'runs', opts);
}
