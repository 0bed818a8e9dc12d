#!/usr/bin/env node
// Browser mode: build the renderer if out/renderer is missing or older than its sources, then start
// the server (src-main/web/server.ts through tsx) with the arguments passed through, e.g.
//   npm run web -- --port 5317 --data ~/.stock-trend-workbench --allow ~/prices
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function rendererIsStale() {
  const built = path.join(root, 'out', 'renderer', 'index.html');
  if (!existsSync(built)) return true;
  const sources = [
    path.join(root, 'src-renderer'),
    path.join(root, 'src-preload', 'contract.ts'),
    path.join(root, 'src-preload', 'ws-transport.ts'),
    path.join(root, 'src-main', 'core', 'types.ts'),
    path.join(root, 'electron.vite.config.ts'),
  ];
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

export function build() {
  const bin = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('The build failed (see above); browser mode needs out/renderer.');
    process.exit(r.status ?? 1);
  }
}

/** Start the browser-mode server; resolves with its exit code. */
export function startWebServer(args) {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'src-main', 'web', 'server.ts'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (rendererIsStale()) build();
  process.exitCode = await startWebServer(process.argv.slice(2));
}
