/** Build the app once before the e2e tests if out/ is missing or older than the sources. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function globalSetup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const r = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "const m = await import('./scripts/web.mjs'); if (m.rendererIsStale()) m.build();"],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('building the app for the e2e tests failed');
}
