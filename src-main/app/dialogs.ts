import { BrowserWindow, dialog } from 'electron';

/** A native folder picker on the focused window; null when the user cancels. */
export async function openFolderDialog(title?: string): Promise<string | null> {
  const win = BrowserWindow.getFocusedWindow();
  const options: Electron.OpenDialogOptions = { title: title ?? 'Choose a folder', properties: ['openDirectory'] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : (result.filePaths[0] ?? null);
}
