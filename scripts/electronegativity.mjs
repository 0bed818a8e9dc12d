#!/usr/bin/env node
// Electronegativity (Doyensec's Electron security scanner) over the app's sources — src-main,
// src-preload, src-renderer and package.json, copied to a temporary folder so the scan sees exactly
// the app (no tests, benches or node_modules). Every finding must be in
// security/electronegativity-allowlist.json with a reason (README "Security review (Electronegativity)");
// anything else, or a file the scanner could not parse, exits non-zero.
//
//   node scripts/electronegativity.mjs [--csv report.csv]
//
// Offline by design: the tool's CLI entry is broken with the hoisted commander 14, so its runner is
// called directly; its two network calls (translations, the Electron release list) are answered
// locally, and the check that needs the release list (AvailableSecurityFixesGlobalCheck) is not run —
// the Electron version is pinned in package.json and reviewed with dependency updates.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const SCANNED = ['package.json', 'src-main', 'src-preload', 'src-renderer'];
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const allowlistFile = path.join(root, 'security', 'electronegativity-allowlist.json');

const args = process.argv.slice(2);
const csvIndex = args.indexOf('--csv');
const csvOut = csvIndex >= 0 ? path.resolve(args[csvIndex + 1] ?? 'electronegativity.csv') : undefined;

function electronVersion() {
  const installed = path.join(root, 'node_modules', 'electron', 'package.json');
  if (existsSync(installed)) return JSON.parse(readFileSync(installed, 'utf8')).version;
  const range = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies?.electron ?? '';
  return range.replace(/^[^\d]*/, '');
}

/** Answer the tool's HTTP requests locally (it uses `got` for translations and Electron releases). */
function stayOffline() {
  const toolRequire = createRequire(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = toolRequire.resolve('got');
  const offline = () => Promise.resolve({ statusCode: 404, body: '', headers: {} });
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) };
  return toolRequire;
}

function loadAllowlist() {
  const list = JSON.parse(readFileSync(allowlistFile, 'utf8'));
  for (const entry of list) {
    if (!entry.id || !entry.file || typeof entry.reason !== 'string' || entry.reason.trim().length < 20) {
      throw new Error(`${allowlistFile}: every entry needs an id, a file and a real reason: ${JSON.stringify(entry)}`);
    }
  }
  return list;
}

async function main() {
  process.env.LANG = 'en-US'; // the tool localises its messages from LANG
  const toolRequire = stayOffline();
  const run = toolRequire('./dist/runner.js');
  const stage = mkdtempSync(path.join(os.tmpdir(), 'stw-electronegativity-'));
  try {
    for (const entry of SCANNED) cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
    const version = electronVersion();
    const result = await run({
      input: stage,
      isRelative: true,
      electronVersionOverride: version,
      excludeFromScan: EXCLUDED_CHECKS,
    });
    const allowlist = loadAllowlist();
    const used = new Set();
    const unexplained = [];
    console.log(`electronegativity ${toolRequire('./package.json').version}: ${result.globalChecks + result.atomicChecks} checks on ${SCANNED.join(', ')} (Electron ${version})`);
    for (const issue of result.issues) {
      const where = `${issue.file}:${issue.location.line}`;
      const entry = allowlist.find((e) => e.id === issue.id && e.file === issue.file);
      if (entry) {
        used.add(entry);
        console.log(`  explained  ${issue.id} ${where} (${issue.severity.name}) — ${entry.reason.split('. ')[0]}.`);
      } else {
        unexplained.push(issue);
        console.log(`  FINDING    ${issue.id} ${where} (${issue.severity.name}, ${issue.confidence.name}): ${issue.description} ${issue.shortenedURL}`);
      }
    }
    const unparsed = result.errors.filter((e) => !e.tolerable);
    for (const e of unparsed) console.log(`  UNPARSED   ${path.relative(stage, e.file)}: ${e.message}`);
    for (const entry of allowlist) if (!used.has(entry)) console.log(`  (allow-list entry no longer needed: ${entry.id} ${entry.file})`);
    if (csvOut) {
      // written here: the tool's own CSV writer is asynchronous and may not finish before exit
      const cell = (v) => `"${String(v ?? '').replace(/"/g, '""')}"`;
      const rows = result.issues.map((i) => {
        const entry = allowlist.find((e) => e.id === i.id && e.file === i.file);
        return [i.id, i.severity.name, i.confidence.name, i.file, `${i.location.line}:${i.location.column}`, i.description, i.shortenedURL, entry ? entry.reason : 'UNEXPLAINED'].map(cell).join(',');
      });
      writeFileSync(csvOut, ['issue,severity,confidence,file,location,description,url,explanation', ...rows].join('\n') + '\n');
      console.log(`report: ${csvOut}`);
    }
    if (unexplained.length || unparsed.length) {
      console.log(`electronegativity: ${unexplained.length} unexplained finding(s), ${unparsed.length} unparsed file(s) — fix them or explain them in ${path.relative(root, allowlistFile)}`);
      return 1;
    }
    console.log(`electronegativity: ${result.issues.length} finding(s), all explained`);
    return 0;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`electronegativity: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
