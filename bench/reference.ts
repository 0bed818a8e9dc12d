/** Runs bench/torch_reference.py with Debian's python3 (python3-torch + OpenBLAS) and reads its JSON. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelKind } from '../src-main/core/types';

export interface ReferenceCase {
  model: ModelKind;
  windows: number;
  steps: number;
  batch: number;
}

export interface ReferenceResult extends ReferenceCase {
  /** median seconds per epoch per torch thread count */
  seconds_per_epoch: Record<string, number>;
  cpu_seconds_per_epoch: Record<string, number>;
  best: number;
  best_cpu: number;
  best_threads: number;
}

const PYTHON = '/usr/bin/python3'; // the pyenv python3 on PATH has no torch
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_reference.py');

export function torchReference(cases: ReferenceCase[], epochs: number): Promise<{ torch: string; cases: ReferenceResult[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [SCRIPT, '--cases', JSON.stringify(cases), '--epochs', String(epochs)],
      { env: { ...process.env, OPENBLAS_NUM_THREADS: '1' }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`torch reference failed: ${err.message}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as { torch: string; cases: ReferenceResult[] });
        } catch {
          reject(new Error(`torch reference printed no JSON:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
