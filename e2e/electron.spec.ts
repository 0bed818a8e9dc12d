/**
 * The desktop app itself (Playwright's Electron driver). Runs only where the Electron binary is
 * installed; elsewhere (offline installs, like the CI machine) it is skipped with the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { freshDataFolder } from './helpers/server';
import type { PageGlobals } from './helpers/page';


const root = path.resolve(import.meta.dirname, '..');

/** The Electron executable, or why there is none (require('electron') would try to download it). */
function electronBinary(): { exe: string } | { reason: string } {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'node_modules/electron/path.txt is missing: the binary download never ran' };
  const exe = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? { exe } : { reason: `${path.relative(root, exe)} is missing` };
}

const bin = electronBinary();

test('the desktop app opens one sandboxed window and generates a dataset', async () => {
  test.skip(!('exe' in bin), `Electron binary not installed: ${'reason' in bin ? bin.reason : ''}`);
  if (!('exe' in bin)) return;
  const app = await electron.launch({
    executablePath: bin.exe,
    args: [root],
    env: { ...process.env, STW_DATA_DIR: freshDataFolder() },
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('nav-dataset')).toBeVisible();
    const size = await win.evaluate(() => ({ w: (globalThis as unknown as PageGlobals).innerWidth, h: (globalThis as unknown as PageGlobals).innerHeight }));
    expect(size.w).toBeGreaterThan(1000);
    // the renderer has no Node and sees only window.api
    expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await win.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).api).sort())).toEqual(['app', 'dataset', 'dialog', 'on', 'predict', 'runs', 'train']);
    expect(await win.evaluate(() => (globalThis as unknown as PageGlobals).api.app.info().then((i) => i.mode))).toBe('electron');
    await win.getByTestId('dataset-tickers').fill('AAPL');
    await win.getByTestId('dataset-start').fill('2023-01-03');
    await win.getByTestId('dataset-end').fill('2023-06-30');
    await win.getByTestId('generate-button').click();
    await expect(win.getByTestId('dataset-ready')).toBeVisible();
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});
