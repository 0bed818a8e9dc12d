/**
 * The backend a trainer process is expected to pick, known without loading tfjs in this process
 * (that would cost the main process a second and memory it never uses). Reported until the first
 * trainer says which backend it really uses.
 */
import { createRequire } from 'node:module';
import type { Backend } from '../core/types';

export function expectedBackend(): Backend {
  const forced = process.env.STW_BACKEND;
  if (forced === 'tensorflow' || forced === 'wasm' || forced === 'cpu') return forced;
  const require = createRequire(import.meta.url);
  for (const [pkg, backend] of [
    ['@tensorflow/tfjs-node', 'tensorflow'],
    ['@tensorflow/tfjs-backend-wasm', 'wasm'],
  ] as const) {
    try {
      require.resolve(pkg);
      return backend;
    } catch {
      // not installed: try the next one
    }
  }
  return 'cpu';
}
