/**
 * The Electronegativity gate CI runs (`node scripts/electronegativity.mjs`, see .ci/run and
 * README.md, "Security and robustness"), also part of `npm test` so a change that weakens the Electron setup fails
 * here first: every finding must be explained in security/electronegativity-allowlist.json.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

describe('Electronegativity', () => {
  it('scans src-main, src-preload, src-renderer offline and finds nothing unexplained', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/electronegativity.mjs')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toMatch(/^electronegativity [\d.]+: \d+ checks on package\.json, src-main, src-preload, src-renderer \(Electron \d+\.\d+\.\d+\)$/m);
    expect(r.stdout).not.toMatch(/FINDING|UNPARSED/);
    expect(r.stdout).toMatch(/finding\(s\), all explained\n$/);
    expect(r.status).toBe(0);
  });

  it('every allow-list entry names a check and a file and gives a reason', () => {
    const list = JSON.parse(readFileSync(path.join(root, 'security/electronegativity-allowlist.json'), 'utf8')) as { id: string; file: string; reason: string }[];
    expect(list.map((e) => `${e.id} ${e.file}`)).toEqual([
      'CSP_GLOBAL_CHECK src-renderer/index.html',
      'CSP_GLOBAL_CHECK src-main/app/security.ts',
      'ELECTRON_VERSION_JSON_CHECK package.json',
      'PRELOAD_JS_CHECK src-main/app/window.ts',
    ]);
    for (const e of list) expect(e.reason.length).toBeGreaterThan(80);
  });
});
