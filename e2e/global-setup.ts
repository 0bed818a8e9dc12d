/**
 * Build the app once before the e2e tests if out/ is missing or older than the sources: the renderer
 * (browser mode serves it) and the main/preload bundles (the Electron spec starts out/main/index.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const MAIN_OUTPUTS = ['out/main/index.js', 'out/main/trainer.js', 'out/preload/index.cjs'];
const MAIN_SOURCES = ['src-main', 'src-preload', 'electron.vite.config.ts'];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((m, entry) => Math.max(m, newestMtime(path.join(p, entry))), 0);
}

function mainIsStale(): boolean {
  const outputs = MAIN_OUTPUTS.map((f) => path.join(root, f));
  if (outputs.some((f) => !existsSync(f))) return true;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return Math.max(...MAIN_SOURCES.map((s) => newestMtime(path.join(root, s)))) > built;
}

export default function globalSetup(): void {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import('./scripts/web.mjs'); if (${mainIsStale()} || m.rendererIsStale()) m.build();`,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('building the app for the e2e tests failed');
}
