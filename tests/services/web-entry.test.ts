/** The browser-mode entry (what `npm run web` and the `npm start` fallback run) takes its data folder from STW_DATA_DIR. */
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const folder = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-entry-')));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Starts the entry, waits for its "data folder:" line, stops it; resolves with that folder. */
function dataFolderOf(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'src-main/web/server.ts'), '--port', '0', '--renderer', folder, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no data folder line:\n${out}`));
    }, 60_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /data folder: (.+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.kill('SIGTERM');
      resolve(m[1].trim());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

describe('browser-mode entry', () => {
  it('uses STW_DATA_DIR when no --data is given, and --data over it', async () => {
    const fromEnv = path.join(folder, 'from-env');
    const fromFlag = path.join(folder, 'from-flag');
    expect(await dataFolderOf([], { STW_DATA_DIR: fromEnv })).toBe(fromEnv);
    expect(await dataFolderOf(['--data', fromFlag], { STW_DATA_DIR: fromEnv })).toBe(fromFlag);
  }, 120_000);
});
