/** The one workbench window: 1280×800, sandboxed, isolated, no Node in the renderer. */
import { BrowserWindow } from 'electron';

export interface WindowPaths {
  preload: string;
  /** dev server URL (electron-vite dev) or the built index.html */
  renderer: { url: string } | { file: string };
  /** the window's icon (resources/icon.png) */
  icon?: string;
}

export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Stock Trend Workbench',
    ...(paths.icon ? { icon: paths.icon } : {}),
    autoHideMenuBar: true,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // middle-click (auxclick) must not open links in new windows (Electronegativity AUXCLICK_JS_CHECK)
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  if ('url' in paths.renderer) void win.loadURL(paths.renderer.url);
  else void win.loadFile(paths.renderer.file);
  return win;
}
