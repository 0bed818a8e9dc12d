#!/usr/bin/env node
// `npm start`: build, then launch the Electron app. Where the Electron binary is missing (offline
// install: its postinstall download is not allowed or failed) try its installer once; if there is
// still no binary, say so in one line and start browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, startWebServer } from './web.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');

/** Path of the Electron executable, or the reason there is none. (require('electron') would try to download.) */
function electronBinary() {
  if (!existsSync(electronDir)) return { reason: 'the electron package is not installed' };
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'node_modules/electron/path.txt is missing: its download never ran' };
  const exe = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(exe)) return { reason: `${path.relative(root, exe)} is missing` };
  return { exe };
}

function tryInstallOnce() {
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    cwd: electronDir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status === 0) return null;
  const lines = `${r.stderr ?? ''}\n${r.error?.message ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN|timed? ?out/i.test(l)) ?? lines.at(-1) ?? `exit code ${r.status}`;
  return line.replace(/^Error:\s*/, '').slice(0, 160);
}

const args = process.argv.slice(2);
build();

let bin = electronBinary();
if (!bin.exe && existsSync(path.join(electronDir, 'install.js'))) {
  const failure = tryInstallOnce();
  const again = electronBinary();
  bin = again.exe ? again : { reason: failure ? `download failed: ${failure}` : again.reason };
}

if (!bin.exe) {
  console.log(`Electron binary not available (${bin.reason}); starting browser mode instead`);
  process.exitCode = await startWebServer(args);
} else {
  const child = spawn(bin.exe, [root, ...args], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}
