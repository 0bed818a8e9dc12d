/**
 * Electron main: a thin composition root. Each setupX() owns one capability; the core (dataset,
 * training, evaluation) lives in src-main/core and src-main/services and knows nothing of Electron.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog } from 'electron';
import ElectronStore from 'electron-store';
import { expectedBackend } from '../services/backend-probe';
import { loadEngine } from '../services/engine';
import { ensureWritableFolder, openRunStore, type BackingStoreClass } from '../services/store';
import { createWorkbenchService, type WorkbenchService } from '../services/workbench';
import { openFolderDialog } from './dialogs';
import { setupIpc } from './ipc';
import { setupSecurity } from './security';
import { setupTrainers } from './trainers';
import { appLocationFromDevUrl, appLocationFromFile, isTrustedUrl } from './trusted-url';
import { createMainWindow, type WindowPaths } from './window';

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main
const devUrl = process.env.ELECTRON_RENDERER_URL;
const paths: WindowPaths = {
  preload: path.join(here, '..', 'preload', 'index.cjs'),
  renderer: devUrl ? { url: devUrl } : { file: path.join(here, '..', 'renderer', 'index.html') },
  icon: path.join(here, '..', '..', 'resources', 'icon.png'),
};
const location = 'url' in paths.renderer ? appLocationFromDevUrl(paths.renderer.url) : appLocationFromFile(paths.renderer.file);
const isTrusted = (url: string): boolean => isTrustedUrl(url, location);

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

async function setupService(): Promise<{ service: WorkbenchService; killTrainers: () => void }> {
  const dataFolder = path.resolve(process.env.STW_DATA_DIR ?? app.getPath('userData'));
  try {
    await ensureWritableFolder(dataFolder);
  } catch (err) {
    dialog.showErrorBox('Stock Trend Workbench', `The data folder ${dataFolder} cannot be written (${(err as Error).message}).`);
    app.exit(1);
    throw err;
  }
  const store = openRunStore(ElectronStore as unknown as BackingStoreClass, dataFolder);
  const trainers = setupTrainers(path.join(here, 'trainer.js'));
  const service = createWorkbenchService({
    mode: 'electron',
    version: app.getVersion(),
    dataFolder,
    store,
    engine: loadEngine,
    spawnTrainer: trainers.spawn,
    openFolderDialog,
    expectedBackend: expectedBackend(),
  });
  return { service, killTrainers: trainers.killAll };
}

function setupLifecycle(service: WorkbenchService, killTrainers: () => void): void {
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !service.activeRunId()) return;
    // Cancel the run in flight (it is recorded as cancelled), then quit for real.
    event.preventDefault();
    quitting = true;
    const hardStop = setTimeout(() => app.quit(), 2000);
    void service.shutdown().finally(() => {
      clearTimeout(hardStop);
      app.quit();
    });
  });
  app.on('will-quit', killTrainers);
  app.on('window-all-closed', () => app.quit());
}

void app.whenReady().then(async () => {
  setupSecurity(isTrusted);
  const { service, killTrainers } = await setupService();
  setupIpc(service, isTrusted);
  setupLifecycle(service, killTrainers);
  createMainWindow(paths);
});
