#!/usr/bin/env node
// `stock-trend …` (npm link / npx): the CLI from its TypeScript sources through tsx, as `npm run cli -- …`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'src-main', 'cli', 'index.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
// pass signals on (the CLI cancels its jobs on the first and ignores repeats) and wait for it to finish
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
