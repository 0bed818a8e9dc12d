/**
 * Picks the tfjs backend once per process: tfjs-node (native) when it loads, else wasm
 * (binaries ship inside the npm package), else the plain JS cpu backend.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Backend } from './types';

const ORDER: Backend[] = ['tensorflow', 'wasm', 'cpu'];

let active: Promise<Backend> | null = null;

function isBackend(v: string | undefined): v is Backend {
  return v === 'tensorflow' || v === 'wasm' || v === 'cpu';
}

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional dependency: absent on offline machines. The variable keeps bundlers from resolving it.
    const name = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

/** Directory holding the .wasm binaries; STW_WASM_DIR wins so a bundled app can point at its resources. */
export function wasmDir(): string {
  const override = process.env.STW_WASM_DIR;
  if (override) return override.endsWith(path.sep) || override.endsWith('/') ? override : override + path.sep;
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist') + path.sep;
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmDir());
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function tryBackend(b: Backend): Promise<boolean> {
  if (b === 'tensorflow') return tryTensorflow();
  if (b === 'wasm') return tryWasm();
  return tf.setBackend('cpu');
}

async function choose(prefer?: Backend): Promise<Backend> {
  const forced = process.env.STW_BACKEND;
  const first = isBackend(forced) ? forced : prefer;
  // A forced/preferred backend is tried first, then the usual order as a fallback.
  const order = first ? [first, ...ORDER.filter((b) => b !== first)] : ORDER;
  for (const b of order) {
    if (await tryBackend(b)) {
      await tf.ready();
      return b;
    }
  }
  throw new Error('no tfjs backend could be initialised');
}

/** Initialise tfjs once; later calls return the same backend. */
export function initBackend(prefer?: Backend): Promise<Backend> {
  if (!active) active = choose(prefer);
  return active;
}

/** The backend tfjs is using right now (after initBackend). */
export function currentBackend(): Backend {
  const name = tf.getBackend();
  return isBackend(name) ? name : 'cpu';
}
