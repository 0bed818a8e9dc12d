/**
 * The training loop's side of the part worker: starts the worker thread, hands it one part of a
 * batch at a time through shared memory, and waits for its gradients without blocking the event
 * loop (so a cancel message still gets through).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WorkbenchError } from '../../errors';
import { allocatePartBuffers, CTL, maskView, partViews, readError, variableView, type PartShape, type PartViews } from './layout';
import type { PartWorkerData, PartWorkerMessage } from './worker';

/** Atomics.waitAsync (Node ≥ 16; not in the ES2023 typings). */
type WaitAsync = (ta: Int32Array, index: number, value: number, timeout?: number) => { async: boolean; value: Promise<'ok' | 'timed-out'> | 'not-equal' | 'timed-out' };

/**
 * The worker's entry: STW_TRAIN_WORKER_ENTRY, else the bundled `train-worker.js` beside the
 * bundle (out/main), else the TypeScript source next to this file.
 */
export function partWorkerEntry(): string {
  if (process.env.STW_TRAIN_WORKER_ENTRY) return process.env.STW_TRAIN_WORKER_ENTRY;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, 'train-worker.js'), path.join(here, '..', 'train-worker.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  return path.join(here, 'worker.ts');
}

/** tsx's ESM register API, from its package's exports map (require.resolve would give the CommonJS one). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const file = pkg.exports?.['./esm/api']?.import?.default;
  if (!file) throw new WorkbenchError('INTERNAL', 'tsx has no ESM register API (tsx/esm/api)');
  return path.join(path.dirname(manifest), file);
}

function spawn(entry: string, data: PartWorkerData): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData: data });
  // TypeScript sources (tests, the CLI under tsx): a worker's entry ignores the --import hooks of
  // its parent, so register tsx inside the worker before importing the entry.
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}

export interface PartRequest {
  /** the part's windows, rows × windowSize values */
  x: Float32Array;
  rows: number;
  labels: Int32Array;
  /** the part's rows of each head dropout mask */
  masks: readonly Float32Array[];
  denominator: number;
}

export class PartWorker {
  private readonly worker: Worker;
  private readonly views: PartViews;
  private seq = 0;
  private failure: string | null = null;
  private exited = false;
  private readonly failed: Promise<never>;
  /** true once the worker has loaded its backend and model; false if it could not */
  readonly ready: Promise<boolean>;

  constructor(
    private readonly shape: PartShape,
    steps: number,
    topology: object,
    entry = partWorkerEntry(),
  ) {
    const buffers = allocatePartBuffers(shape);
    this.views = partViews(buffers, shape);
    this.worker = spawn(entry, { buffers, shape, steps, topology });
    let fail: (err: Error) => void = () => undefined;
    this.failed = new Promise<never>((_, reject) => (fail = reject));
    this.failed.catch(() => undefined); // only awaited while a request is in flight
    this.ready = new Promise<boolean>((resolve) => {
      this.worker.on('message', (m: PartWorkerMessage) => {
        if (m.type === 'ready') resolve(true);
        else {
          this.failure = m.message;
          resolve(false);
        }
      });
      this.worker.on('error', (err) => {
        this.failure = err.message;
        resolve(false);
        fail(new WorkbenchError('TRAINING_FAILED', `the training worker thread failed: ${err.message}`));
      });
      this.worker.on('exit', (code) => {
        this.exited = true;
        resolve(false);
        fail(new WorkbenchError('TRAINING_FAILED', `the training worker thread exited (code ${code})${this.failure ? `: ${this.failure}` : ''}`));
      });
    });
  }

  /** Why the worker is not usable, once `ready` said false. */
  get reason(): string | null {
    return this.failure ?? (this.exited ? 'the worker exited' : null);
  }

  /** Copies variable n's current values (model.trainableWeights order) for the next requests. */
  setWeight(n: number, values: Float32Array): void {
    variableView(this.views.weights, this.views, n).set(values);
  }

  /** Starts the worker on one part; `collect` waits for it. */
  submit(req: PartRequest): void {
    if (req.rows > this.shape.maxRows) throw new WorkbenchError('INTERNAL', `a part of ${req.rows} windows; the worker holds ${this.shape.maxRows}`);
    const { ctl } = this.views;
    this.views.x.set(req.x.subarray(0, req.rows * this.shape.windowSize));
    this.views.labels.set(req.labels.subarray(0, req.rows));
    req.masks.forEach((m, d) => maskView(this.views, d, req.rows).set(m));
    Atomics.store(ctl, CTL.ROWS, req.rows);
    Atomics.store(ctl, CTL.DENOMINATOR, req.denominator);
    this.seq++;
    Atomics.store(ctl, CTL.REQUEST, this.seq);
    Atomics.notify(ctl, CTL.REQUEST);
  }

  /**
   * Waits for the submitted part; hands each variable's gradient to `add` (a view of shared memory,
   * valid until the next submit) and returns the part's loss and hits.
   */
  async collect(add: (n: number, grad: Float32Array) => void): Promise<{ loss: number; hits: number }> {
    const { ctl } = this.views;
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    while (Atomics.load(ctl, CTL.DONE) !== this.seq) {
      const r = waitAsync(ctl, CTL.DONE, this.seq - 1);
      if (typeof r.value !== 'string') await Promise.race([r.value, this.failed]);
      else if (this.exited) await this.failed;
    }
    if (Atomics.load(ctl, CTL.STATUS) !== 0) throw new WorkbenchError('TRAINING_FAILED', `the training worker thread failed: ${readError(this.views)}`);
    for (let n = 0; n < this.shape.variableSizes.length; n++) add(n, variableView(this.views.grads, this.views, n));
    return { loss: this.views.stats[0], hits: this.views.stats[1] };
  }

  async dispose(): Promise<void> {
    Atomics.store(this.views.ctl, CTL.STOP, 1);
    Atomics.add(this.views.ctl, CTL.REQUEST, 1);
    Atomics.notify(this.views.ctl, CTL.REQUEST);
    if (!this.exited) await this.worker.terminate();
  }
}
