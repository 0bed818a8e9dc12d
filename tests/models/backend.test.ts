import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { currentBackend, initBackend, wasmDir } from '../../src-main/core/backend';

const ROOT = path.resolve(__dirname, '../..');

function backendInChild(env: Record<string, string>): string {
  const script = `import { initBackend } from './src-main/core/backend.ts'; console.log(await initBackend());`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  }).trim();
}

describe('backend selection', () => {
  it('falls back from tfjs-node to wasm (or uses tfjs-node where installed), idempotently', async () => {
    const first = await initBackend();
    expect(['tensorflow', 'wasm']).toContain(first);
    expect(await initBackend('cpu')).toBe(first); // already initialised: no switch
    expect(tf.getBackend()).toBe(first);
    expect(currentBackend()).toBe(first);
  });

  it('finds the wasm binaries in the package, or where STW_WASM_DIR points', () => {
    expect(wasmDir()).toMatch(/tfjs-backend-wasm[\\/]dist[\\/]$/);
    process.env.STW_WASM_DIR = '/opt/app/resources/wasm';
    try {
      expect(wasmDir()).toBe('/opt/app/resources/wasm/');
    } finally {
      delete process.env.STW_WASM_DIR;
    }
  });

  it('STW_BACKEND forces a backend', () => {
    expect(backendInChild({ STW_BACKEND: 'cpu' })).toBe('cpu');
    expect(backendInChild({ STW_BACKEND: 'wasm' })).toBe('wasm');
  });
});
