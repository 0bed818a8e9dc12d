/**
 * The desktop app itself, through Playwright's Electron driver (`_electron.launch`), running the same
 * flow as the browser-mode spec (helpers/flow.ts): generate → table rows and class balance → train
 * both models for a few epochs → curves gain points → Compare matrices sum to the validation size →
 * Predict sums to 100% → quit and relaunch the app → the run is still listed.
 *
 * Runs only where it can: the Electron binary must be installed (offline installs skip its download)
 * and, on Linux, a display must exist (X11 or Wayland; on a headless machine run it under xvfb-run).
 * Elsewhere the test is reported as skipped with the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { compareMatrices, generateDataset, predictTwo, runListed, trainBoth } from './helpers/flow';
import { openView, watchConsole, type PageGlobals } from './helpers/page';
import { freshDataFolder } from './helpers/server';

const root = path.resolve(import.meta.dirname, '..');

/**
 * Why the Electron test cannot run here, or null when it can. Mirrors how node_modules/electron/index.js
 * finds the executable, without calling it (requiring it would start a download when the binary is missing).
 */
function cannotRun(): string | null {
  const dir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(dir, 'package.json'))) return 'the electron package is not installed';
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return 'the Electron binary is not installed (node_modules/electron/path.txt is missing: its download never ran)';
  const name = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const exe = override ? path.join(override, name) : path.join(dir, 'dist', name);
  if (!existsSync(exe)) return `the Electron binary ${path.relative(root, exe)} is missing`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'no display (DISPLAY / WAYLAND_DISPLAY unset): run the e2e tests under xvfb-run to include the Electron app';
  return null;
}

/** The built app Electron starts from package.json "main"; global-setup builds it. */
const BUILT = ['out/main/index.js', 'out/main/trainer.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

const reason = cannotRun();

async function launch(dataFolder: string): Promise<{ app: ElectronApplication; win: Page }> {
  // No executablePath: Playwright then starts node_modules/electron's binary with its loader, which
  // holds the app's "ready" event until the driver is attached. args[0] = the project folder, so
  // Electron reads package.json (name, version, main = out/main/index.js) like `npm start` does.
  const app = await electron.launch({
    args: [root],
    cwd: root,
    env: { ...process.env, STW_DATA_DIR: dataFolder },
    timeout: 60_000,
  });
  const win = await app.firstWindow();
  await expect(win.getByTestId('nav-dataset')).toBeVisible();
  return { app, win };
}

test('Electron app: generate, train, compare, predict, and keep the run across a restart', async ({}, testInfo) => {
  test.skip(reason !== null, `Electron e2e skipped: ${reason}`);
  for (const file of BUILT) expect(existsSync(path.join(root, file)), `${file} is built (electron-vite build)`).toBe(true);

  const dataFolder = freshDataFolder();
  let { app, win } = await launch(dataFolder);
  const browser = watchConsole(win);
  try {
    await test.step('one sandboxed window that sees only window.api', async () => {
      expect(app.windows()).toHaveLength(1);
      const size = await win.evaluate(() => ({
        w: (globalThis as unknown as PageGlobals).innerWidth,
        h: (globalThis as unknown as PageGlobals).innerHeight,
      }));
      expect(size.w).toBeGreaterThan(1000);
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await win.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).api).sort())).toEqual([
        'app',
        'dataset',
        'dialog',
        'on',
        'predict',
        'runs',
        'train',
      ]);
      expect(await win.evaluate(() => (globalThis as unknown as PageGlobals).api.app.info().then((i) => i.mode))).toBe('electron');
      // context isolation: the page's globals are not the preload's (window.api is a frozen bridge copy)
      expect(await win.evaluate(() => Object.isFrozen((globalThis as unknown as PageGlobals).api))).toBe(true);
    });

    await generateDataset(win);
    const runId = await trainBoth(win);
    await compareMatrices(win);
    await predictTwo(win, runId);
    await test.step('Runs lists the run', () => runListed(win, runId));
    expect(browser.errors, browser.errors.join('\n')).toEqual([]);

    await test.step('after quitting and relaunching the app the run is still in Runs', async () => {
      await app.close();
      ({ app, win } = await launch(dataFolder));
      await openView(win, 'runs');
      await runListed(win, runId);
    });
  } finally {
    await browser.attach(testInfo);
    await app.close().catch(() => {});
  }
});
