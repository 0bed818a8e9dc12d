#!/usr/bin/env node
// Runs every suite (typecheck, unit/integration with vitest, end-to-end with Playwright) and ends
// with one plain line "N passed, N failed" totalled over all of them (skips counted on the line
// before), so a run that tested nothing is visible.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = path.join(root, 'tests', '.tmp');
mkdirSync(tmp, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const only = process.argv.slice(2); // e.g. `npm test -- unit` runs one suite (typecheck, unit, e2e)

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}
const want = (name) => only.length === 0 || only.includes(name);

if (want('typecheck')) {
  const code = run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  const web = existsSync(path.join(root, 'tsconfig.web.json'))
    ? run('npx', ['svelte-check', '--tsconfig', 'tsconfig.web.json', '--threshold', 'error', '--output', 'human'])
    : 0;
  if (code === 0 && web === 0) totals.passed += 1;
  else totals.failed += 1;
  console.log(`typecheck: ${code === 0 && web === 0 ? 'passed' : 'FAILED'}`);
}

if (want('unit')) {
  const out = path.join(tmp, 'vitest.json');
  rmSync(out, { force: true });
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += r.numPassedTests ?? 0;
    totals.failed += r.numFailedTests ?? 0;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (code !== 0 && (r.numFailedTests ?? 0) === 0) totals.failed += 1; // a suite that crashed before its tests ran
  } else {
    totals.failed += 1;
  }
}

if (want('e2e') && existsSync(path.join(root, 'playwright.config.ts'))) {
  const build = run('npx', ['electron-vite', 'build']);
  if (build !== 0) totals.failed += 1;
  else {
    const out = path.join(root, 'e2e', '.tmp', 'results.json'); // the JSON reporter's outputFile in playwright.config.ts
    rmSync(out, { force: true });
    const code = run('npx', ['playwright', 'test']);
    if (existsSync(out)) {
      const report = JSON.parse(readFileSync(out, 'utf8'));
      for (const line of skippedWithReasons(report)) console.log(line);
      const s = report.stats ?? {};
      totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
      totals.failed += s.unexpected ?? 0;
      totals.skipped += s.skipped ?? 0;
      if (code !== 0 && (s.unexpected ?? 0) === 0) totals.failed += 1;
    } else {
      totals.failed += 1;
    }
  }
}

/** Every skipped e2e test by name, with the reason it gave (e.g. no Electron binary here). */
function skippedWithReasons(report) {
  const lines = [];
  const walk = (suite, trail) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const why = (t.annotations ?? []).find((a) => a.type === 'skip')?.description ?? 'no reason given';
        lines.push(`skipped: ${[...trail, spec.title].join(' › ')} — ${why}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...trail, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
  return lines;
}

// The last line is exactly "N passed, N failed" (what CI reads); skips are counted on the line before.
console.log(`\n${totals.skipped} skipped (each listed above with its reason)`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
