/** Shared by the kill-during-save tests: run tests/fixtures/robustness/save-loop.ts and SIGKILL it mid-loop. */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const KILLS = 10;
const root = path.resolve(__dirname, '../..');
const child = path.join(root, 'tests/fixtures/robustness/save-loop.ts');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Start the loop, let it finish one save, wait `delayMs` more, SIGKILL it. Resolves with the last n the
 * child reported finished (stdout is a pipe: writes are synchronous on Linux, so every "saved" line
 * written before the kill is read).
 */
export function saveThenKill(mode: 'model' | 'store', dir: string, first: number, delayMs: number): Promise<{ last: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', tsx, child, mode, dir, String(first)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!armed && out.includes('saved ')) {
        armed = true;
        setTimeout(() => proc.kill('SIGKILL'), delayMs);
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const guard = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    proc.on('close', (_code, signal) => {
      clearTimeout(guard);
      const saved = [...out.matchAll(/^saved (\d+)$/gm)].map((m) => Number(m[1]));
      if (saved.length === 0) reject(new Error(`the save loop never finished a save:\n${err}`));
      else resolve({ last: saved[saved.length - 1]!, signal });
    });
  });
}
