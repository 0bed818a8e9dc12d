/**
 * Keyboard and screen-reader friendliness of every view: Alt+1..5 switch views, then Tab walks the
 * whole page. At every stop the focused element must show a visible focus indicator and have an
 * accessible name; every control of the view (disabled ones too, which Tab skips) must have a name.
 * The Tab order of each view is printed, and a screenshot of one focused control per view is saved.
 */
import { expect, test, type Page } from '@playwright/test';
import { screenshot, VIEWS, watchConsole, type PageGlobals, type View } from './helpers/page';
import { freshDataFolder, startServer, type RunningServer } from './helpers/server';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer(freshDataFolder());
});
test.afterAll(async () => {
  await server?.stop();
});

/** The DOM bits the in-page code touches (the root tsconfig has no DOM lib). */
interface El {
  tagName: string;
  matches(selector: string): boolean;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number; height: number };
}
type DomGlobals = {
  document: { activeElement: El | null; body: El };
  getComputedStyle(el: El): { outlineStyle: string; outlineWidth: string; boxShadow: string };
  innerHeight: number;
  innerWidth: number;
};

interface Stop {
  /** a mark put on the element the first time it was focused (detects the cycle) */
  mark: string;
  tag: string;
  body: boolean;
  focusVisible: boolean;
  indicator: boolean;
  inViewport: boolean;
}

/** Look at the focused element: give it a mark, and check its focus indicator and position. */
async function focusedStop(page: Page, next: number): Promise<Stop> {
  return page.evaluate((n) => {
    const g = globalThis as unknown as DomGlobals;
    const el = g.document.activeElement;
    if (!el || el === g.document.body)
      return { mark: 'body', tag: 'BODY', body: true, focusVisible: false, indicator: false, inViewport: true };
    let mark = el.getAttribute('data-kbd-mark');
    if (!mark) {
      mark = String(n);
      el.setAttribute('data-kbd-mark', mark);
    }
    const style = g.getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow !== 'none' && style.boxShadow !== '';
    const r = el.getBoundingClientRect();
    return {
      mark,
      tag: el.tagName,
      body: false,
      focusVisible: el.matches(':focus-visible'),
      indicator: outline || ring,
      inViewport: r.bottom > 0 && r.top < g.innerHeight && r.right > 0 && r.left < g.innerWidth,
    };
  }, next);
}

/** One line describing the focused element as a screen reader would ("button \"Generate\""). */
async function describeFocused(page: Page): Promise<string> {
  const snap = await page.locator(':focus').ariaSnapshot();
  return (snap.split('\n')[0] ?? '').replace(/^- /, '').replace(/:$/, '');
}

async function prepareRun(page: Page): Promise<void> {
  // a small dataset and a one-epoch run through the API, so Compare, Predict and Runs have content
  await page.evaluate(async () => {
    const api = (globalThis as unknown as PageGlobals).api;
    await api.dataset.generate({ tickers: ['AAPL', 'MSFT'], start: '2023-01-03', end: '2023-06-30' });
    const { runId } = await api.train.start({ models: ['lstm', 'dual_tower'], lstm: { epochs: 1 }, dual_tower: { epochs: 1 } });
    for (let i = 0; i < 600; i++) {
      const run = await api.runs.get({ runId });
      if (run.status !== 'running') {
        if (run.status !== 'done') throw new Error(`the run ended ${run.status}: ${run.error?.message ?? ''}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the run did not finish in 150 s');
  });
}

test('every view: Tab reaches each control with a visible focus and an accessible name', async ({ page }, testInfo) => {
  const browser = watchConsole(page);
  await page.goto(server.url);
  await expect(page.getByTestId('nav-dataset')).toBeVisible();
  await prepareRun(page);
  // reload: the app adopts the dataset on the main side and lists the run
  await page.reload();
  await expect(page.getByTestId('nav-dataset')).toBeVisible();

  const report: string[] = [];
  for (const [i, view] of VIEWS.entries()) {
    await test.step(`${view}: Alt+${i + 1}, then Tab through the page`, async () => {
      await page.keyboard.press(`Alt+${i + 1}`);
      await expect(page.getByTestId(`view-${view}`)).toBeVisible();
      await expect(page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page');
      await waitForContent(page, view);
      // the shortcut moves focus into the view, so the next Tab starts there
      expect(await page.evaluate(() => (globalThis as unknown as DomGlobals).document.activeElement?.tagName)).toBe('MAIN');

      const order: string[] = [];
      let first: string | null = null;
      let shot = false;
      for (let n = 0; n < 200; n++) {
        await page.keyboard.press('Tab');
        const stop = await focusedStop(page, n);
        if (stop.body) continue; // focus left the page for the browser's UI; the next Tab comes back
        if (first === null) first = stop.mark;
        else if (stop.mark === first) break; // walked the whole page
        if (order.at(-1)?.startsWith(`${stop.mark}:`)) continue; // a date input's day/month/year parts
        const name = await describeFocused(page);
        order.push(`${stop.mark}:${name}`);
        expect(stop.focusVisible, `${view}: ${name} matches :focus-visible`).toBe(true);
        expect(stop.indicator, `${view}: ${name} shows a focus outline or ring`).toBe(true);
        expect(stop.inViewport, `${view}: ${name} is scrolled into view when focused`).toBe(true);
        await expect(page.locator(':focus'), `${view}: ${name} has an accessible name`).toHaveAccessibleName(/\S/);
        if (!shot && stop.tag !== 'BUTTON' && stop.tag !== 'MAIN') {
          // one focused control per view, to look at the focus ring
          await screenshot(page, `focus-${view}`);
          shot = true;
        }
      }
      expect(first, `${view}: Tab reached something`).not.toBeNull();
      expect(order.length).toBeGreaterThan(5);
      report.push(`${view} (${order.length} stops): ${order.map((o) => o.replace(/^\d+:/, '')).join(' → ')}`);

      // controls Tab skips (disabled ones, those in closed "More settings") must be named too
      await page.locator(`[data-testid="view-${view}"] details:not([open]) > summary`).evaluateAll((els) =>
        els.forEach((e) => (e as unknown as { click(): void }).click()),
      );
      const controls = page.locator(`[data-testid="view-${view}"] :is(input, select, textarea, button, summary, [tabindex="0"])`);
      const count = await controls.count();
      for (let k = 0; k < count; k++) await expect(controls.nth(k)).toHaveAccessibleName(/\S/);
    });
  }
  for (const line of report) console.log(line);
  await testInfo.attach('tab-order', { body: report.join('\n\n'), contentType: 'text/plain' });
  expect(browser.errors, browser.errors.join('\n')).toEqual([]);
  await browser.attach(testInfo);
});

/** Wait until a view shows what it shows with a dataset and a finished run. */
async function waitForContent(page: Page, view: View): Promise<void> {
  if (view === 'dataset') await expect(page.getByTestId('table-row').first()).toBeVisible();
  if (view === 'compare') await expect(page.getByTestId('confusion-lstm')).toBeVisible();
  if (view === 'predict') await expect(page.getByTestId('predict-button')).toBeEnabled();
  if (view === 'runs') await expect(page.getByTestId('run-row')).toHaveCount(1);
}
