/**
 * The gradients of one part of an LSTM batch, on the fast path: the same function runs in the
 * training loop (first part) and in the part worker (second part), so both compute alike.
 */
import * as tf from '@tensorflow/tfjs';
import { fastLstmLogits, softmaxCrossEntropyLoss, type LossStats } from '../../models/fast-lstm';
import { valuesOf } from '../../models/fast-lstm/read';
import { FEATURE_COUNT } from '../../types';

export interface PartInput {
  /** rows × steps × 21 values, row-major */
  x: Float32Array;
  rows: number;
  steps: number;
  labels: Int32Array;
  /** this part's rows of each head dropout mask (drawLstmHeadMasks) */
  masks: readonly Float32Array[];
  /** the whole batch's size (the loss is divided by it) */
  denominator: number;
}

/**
 * Runs forward and backward for the part and hands each variable's gradient to `into` (a view of
 * the wasm heap, valid only during the call: copy it). Returns the part's loss (already divided by
 * the whole batch's size) and hits.
 */
export function partGradients(model: tf.LayersModel, variables: tf.Variable[], part: PartInput, into: (n: number, grad: Float32Array) => void): LossStats {
  const stats: LossStats = { loss: NaN, hits: 0 };
  tf.tidy(() => {
    const x = tf.tensor3d(part.x.subarray(0, part.rows * part.steps * FEATURE_COUNT), [part.rows, part.steps, FEATURE_COUNT]);
    const { grads } = tf.variableGrads(
      () => softmaxCrossEntropyLoss(fastLstmLogits(model, x, true, { masks: part.masks }), part.labels.subarray(0, part.rows), stats, part.denominator),
      variables,
    );
    // No tensor is created between these reads, so each heap view stays valid while it is copied.
    variables.forEach((v, n) => into(n, valuesOf(grads[v.name])));
  });
  return stats;
}
