/** Page helpers shared by the browser-mode specs. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';

export const VIEWS = ['dataset', 'train', 'compare', 'predict', 'runs'] as const;
export type View = (typeof VIEWS)[number];

const screenshots = path.resolve(import.meta.dirname, '..', 'screenshots');

/** Collect console errors and page errors; attach them to the test report when it fails. */
export function watchConsole(page: Page): { errors: string[]; attach(info: TestInfo): Promise<void> } {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return {
    errors,
    attach: async (info) => {
      if (errors.length) await info.attach('browser-errors', { body: errors.join('\n'), contentType: 'text/plain' });
    },
  };
}

/** Click a nav button and wait for its view; returns the milliseconds it took. */
export async function openView(page: Page, view: View): Promise<number> {
  const t0 = Date.now();
  await page.getByTestId(`nav-${view}`).click();
  await expect(page.getByTestId(`view-${view}`)).toBeVisible();
  return Date.now() - t0;
}

/**
 * Switch views from inside the page and time it with the page's own clock: from the click until the
 * new view is in the DOM and a frame has been painted (no Playwright round-trips in the figure).
 */
export async function timeViewSwitch(page: Page, view: View): Promise<number> {
  const ms = await page.evaluate(async (v) => {
    const g = globalThis as unknown as PageGlobals;
    const nextFrame = () => new Promise<void>((resolve) => g.requestAnimationFrame(() => resolve()));
    const t0 = performance.now();
    g.document.querySelector(`[data-testid="nav-${v}"]`)?.click();
    while (!g.document.querySelector(`[data-testid="view-${v}"]`)) await nextFrame();
    await nextFrame();
    return performance.now() - t0;
  }, view);
  await expect(page.getByTestId(`view-${view}`)).toBeVisible();
  return ms;
}

export async function screenshot(page: Page, view: View | string): Promise<string> {
  mkdirSync(screenshots, { recursive: true });
  const file = path.join(screenshots, `${view}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** data-* attribute as a number (fails the test if absent or not numeric). */
export async function numAttr(page: Page, testId: string, attr: string): Promise<number> {
  const v = await page.getByTestId(testId).first().getAttribute(attr);
  expect(v, `${testId} ${attr}`).not.toBeNull();
  // Number('') is 0: an attribute that is still empty (not loaded yet) must not pass as a count
  expect(v!.trim(), `${testId} ${attr} is empty`).not.toBe('');
  const n = Number(v);
  expect(Number.isFinite(n), `${testId} ${attr}=${v}`).toBe(true);
  return n;
}

/**
 * The browser globals the specs touch inside page.evaluate (the root tsconfig has no DOM lib):
 * `const g = globalThis as unknown as PageGlobals`.
 */
export interface PageGlobals {
  api: import('../../src-preload/contract').Api;
  location: { host: string };
  document: { querySelector(selector: string): { click(): void } | null };
  requestAnimationFrame(cb: () => void): number;
  innerWidth: number;
  innerHeight: number;
  WebSocket: new (url: string) => {
    onopen: (() => void) | null;
    onerror: ((e: unknown) => void) | null;
    onmessage: ((ev: { data: unknown }) => void) | null;
    send(data: string): void;
    close(): void;
  };
}
