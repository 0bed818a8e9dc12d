/**
 * The Dataset table with ~21,000 rows (7 tickers × 12 years, synthetic) stays smooth: scroll it with
 * 50 wheel events and a jump to the middle and the end, and measure in the page itself — frame times
 * from requestAnimationFrame deltas and long tasks (> 50 ms) from PerformanceObserver. The figures are
 * printed; the only assertions on time are generous sanity bounds (a stuck or pathological table).
 */
import { expect, test } from '@playwright/test';
import { numAttr, openView, screenshot, watchConsole } from './helpers/page';
import { freshDataFolder, startServer, type RunningServer } from './helpers/server';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer(freshDataFolder());
});
test.afterAll(async () => {
  await server?.stop();
});

/** What the in-page probe collects (the root tsconfig has no DOM lib: the page code is typed loosely). */
interface ScrollFigures {
  frames: number[];
  longTasks: number[];
}

type ProbeGlobals = {
  __scrollProbe?: { frames: number[]; longTasks: number[]; stop: () => void };
  requestAnimationFrame(cb: (t: number) => void): number;
  PerformanceObserver: new (cb: (list: { getEntries(): { duration: number }[] }) => void) => {
    observe(o: { type: string; buffered?: boolean }): void;
    disconnect(): void;
  };
};

function summary(values: number[]): { n: number; median: number; p95: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { n: s.length, median: at(0.5), p95: at(0.95), max: s.at(-1) ?? 0 };
}

test('Dataset table: 21,000 rows scroll smoothly (frame times and long tasks printed)', async ({ page }, testInfo) => {
  const browser = watchConsole(page);
  await page.goto(server.url);
  await openView(page, 'dataset');
  await page.getByTestId('dataset-source').selectOption('synthetic');
  await page.getByTestId('dataset-tickers').fill('AAPL, MSFT, GOOGL, AMZN, NVDA, META, TSLA');
  await page.getByTestId('dataset-start').fill('2013-01-02');
  await page.getByTestId('dataset-end').fill('2024-11-29');
  const t0 = Date.now();
  await page.getByTestId('generate-button').click();
  await expect(page.getByTestId('dataset-ready')).toBeVisible({ timeout: 120_000 });
  const rows = await numAttr(page, 'dataset-ready', 'data-rows');
  console.log(`generated ${rows} rows (7 tickers × 12 years) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  expect(rows).toBeGreaterThan(20_000);
  await expect(page.getByTestId('table-total')).toHaveAttribute('data-total', String(rows));

  const scroller = page.getByTestId('table-scroller');
  await scroller.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('table-row').first()).toBeVisible();

  // start the probe: every frame's delta and every long task until stop()
  await page.evaluate(() => {
    const g = globalThis as unknown as ProbeGlobals;
    const frames: number[] = [];
    const longTasks: number[] = [];
    let last = 0;
    let running = true;
    const tick = (t: number) => {
      if (last) frames.push(t - last);
      last = t;
      if (running) g.requestAnimationFrame(tick);
    };
    g.requestAnimationFrame(tick);
    const observer = new g.PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
    observer.observe({ type: 'longtask' });
    g.__scrollProbe = {
      frames,
      longTasks,
      stop: () => {
        running = false;
        observer.disconnect();
      },
    };
  });

  const box = await scroller.boundingBox();
  expect(box).not.toBeNull();
  await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
  const wheelStart = Date.now();
  for (let i = 0; i < 50; i++) {
    await page.mouse.wheel(0, 600);
    // a user's wheel ticks come ~16-30 ms apart, not all in one burst
    await page.waitForTimeout(20);
  }
  const wheelMs = Date.now() - wheelStart;
  // every row in view is filled (pages fetched), none left as a "…" placeholder
  await expect(page.getByTestId('table-row-loading')).toHaveCount(0);
  const afterWheel = await scroller.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop);
  expect(afterWheel).toBeGreaterThan(50 * 300); // the wheel really scrolled (~28 px rows)

  // jump to the middle and to the end, as a scrollbar drag would, and time until the rows are filled
  const jumps: { to: string; ms: number }[] = [];
  for (const to of ['middle', 'end'] as const) {
    const t = Date.now();
    await scroller.evaluate((el, where) => {
      const s = el as unknown as { scrollTop: number; scrollHeight: number };
      s.scrollTop = where === 'middle' ? s.scrollHeight / 2 : s.scrollHeight;
    }, to);
    await expect(page.getByTestId('table-row-loading')).toHaveCount(0);
    await expect(page.getByTestId('table-row').first()).toBeVisible();
    jumps.push({ to, ms: Date.now() - t });
  }
  // the last row (TSLA's last day: no label yet) is reached and only a window of rows is in the DOM
  await expect(page.locator('[data-testid="table-row"][data-part="unlabelled"]').last()).toBeVisible();
  const inDom = await page.getByTestId('table-row').count();
  expect(inDom).toBeLessThan(80);

  const figures = await page.evaluate((): ScrollFigures => {
    const probe = (globalThis as unknown as ProbeGlobals).__scrollProbe!;
    probe.stop();
    return { frames: probe.frames, longTasks: probe.longTasks };
  });
  const f = summary(figures.frames);
  const lt = summary(figures.longTasks);
  const over50 = figures.frames.filter((d) => d > 50).length;
  const report =
    `table scroll, ${rows} rows, ${inDom} rows in the DOM: 50 wheel events in ${wheelMs} ms; ` +
    `frames n=${f.n} median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(1)} ms, ${over50} over 50 ms; ` +
    `long tasks n=${lt.n}${lt.n ? `, max ${lt.max.toFixed(0)} ms` : ''}; ` +
    `jump to ${jumps.map((j) => `${j.to} filled in ${j.ms} ms`).join(', ')}`;
  console.log(report);
  testInfo.annotations.push({ type: 'figures', description: report });
  await screenshot(page, 'dataset-table-21k');

  // sanity bounds only (a headless 2-core machine, other work running): a table that froze would break them
  expect(f.n).toBeGreaterThan(20);
  expect(lt.max, 'no long task over 500 ms while scrolling').toBeLessThan(500);
  expect(browser.errors, browser.errors.join('\n')).toEqual([]);
  await browser.attach(testInfo);
});
