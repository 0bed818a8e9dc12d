/**
 * Entry of the part worker (a worker thread of the training process): holds a copy of the LSTM,
 * and for every request computes one part of a batch with the weights the loop wrote (see
 * layout.ts). It runs the wasm backend only: a part computed on another backend would not add up
 * to the same numbers as the loop's own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../backend';
import '../../models'; // registers the custom layers the topology names
import { CTL, maskView, partViews, variableView, writeError, type PartBuffers, type PartShape } from './layout';
import { partGradients } from './part';

export interface PartWorkerData {
  buffers: PartBuffers;
  shape: PartShape;
  steps: number;
  /** model.toJSON(null, false) of the loop's model */
  topology: object;
}

export type PartWorkerMessage = { type: 'ready' } | { type: 'failed'; message: string };

/**
 * The topology with every initializer set to zeros: the loop's weights overwrite them before the
 * first part anyway, and an orthogonal initializer of the recurrent kernels costs a start-up pause.
 */
function withZeroInitializers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withZeroInitializers);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key.endsWith('_initializer') && value !== null ? { class_name: 'Zeros', config: {} } : withZeroInitializers(value)]),
  );
}

async function main(): Promise<void> {
  const { buffers, shape, steps, topology } = workerData as PartWorkerData;
  const views = partViews(buffers, shape);
  const post = (m: PartWorkerMessage): void => parentPort?.postMessage(m);
  let model: tf.LayersModel;
  let variables: tf.Variable[];
  try {
    const backend = await initBackend('wasm');
    if (backend !== 'wasm') throw new Error(`the part worker needs the wasm backend, got ${backend}`);
    model = await tf.models.modelFromJSON({ modelTopology: withZeroInitializers(topology) as tf.io.ModelJSON['modelTopology'] });
    variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const sizes = variables.map((v) => v.size);
    if (sizes.join() !== shape.variableSizes.join()) throw new Error(`the worker's model has variables of sizes ${sizes.join()}, the loop's ${shape.variableSizes.join()}`);
  } catch (err) {
    post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  post({ type: 'ready' });

  let seen = 0;
  for (;;) {
    Atomics.wait(views.ctl, CTL.REQUEST, seen);
    if (Atomics.load(views.ctl, CTL.STOP) === 1) break;
    seen = Atomics.load(views.ctl, CTL.REQUEST);
    try {
      const rows = Atomics.load(views.ctl, CTL.ROWS);
      variables.forEach((v, n) => {
        const w = tf.tensor(variableView(views.weights, views, n), v.shape, 'float32');
        v.assign(w);
        w.dispose();
      });
      const stats = partGradients(
        model,
        variables,
        {
          x: views.x,
          rows,
          steps,
          labels: views.labels,
          masks: shape.maskWidths.map((_, d) => maskView(views, d, rows)),
          denominator: Atomics.load(views.ctl, CTL.DENOMINATOR),
        },
        (n, grad) => variableView(views.grads, views, n).set(grad),
      );
      views.stats[0] = stats.loss;
      views.stats[1] = stats.hits;
      Atomics.store(views.ctl, CTL.STATUS, 0);
    } catch (err) {
      writeError(views, err instanceof Error ? err.message : String(err));
      Atomics.store(views.ctl, CTL.STATUS, 1);
    }
    Atomics.store(views.ctl, CTL.DONE, seen);
    Atomics.notify(views.ctl, CTL.DONE);
  }
  model.dispose();
}

void main();
