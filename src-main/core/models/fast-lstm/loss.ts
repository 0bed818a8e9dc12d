/**
 * Mean softmax cross-entropy on logits against integer labels as one op, its gradient in JS.
 *
 * Why: `tf.losses.softmaxCrossEntropy(tf.oneHot(y), z)` plus the training-accuracy count
 * (argMax, equal, cast, sum) is ~15 tfjs ops per batch forward and backward, about as much time as
 * the dual tower's whole forward pass. Same value as tf.losses.softmaxCrossEntropy (mean over the
 * batch, no label smoothing), computed in float64.
 */
import * as tf from '@tensorflow/tfjs';
import { WorkbenchError } from '../../errors';
import { valuesOf } from './read';

export interface LossStats {
  /** the mean loss, as the returned scalar holds it */
  loss: number;
  /** rows whose largest logit is the label's (the first largest on ties, as tf.argMax) */
  hits: number;
}

/**
 * `denominator` (default: the rows here) divides the summed loss: a batch computed in parts passes
 * the whole batch's size, so the parts' losses and gradients add up to the whole batch's.
 */
export function softmaxCrossEntropyLoss(logits: tf.Tensor2D, labels: Int32Array, stats?: LossStats, denominator?: number): tf.Scalar {
  const [batch, classes] = logits.shape;
  const divide = denominator ?? batch;
  if (labels.length !== batch) throw new WorkbenchError('INTERNAL', `${labels.length} labels for ${batch} rows of logits`);
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const z = valuesOf(args[0] as tf.Tensor);
    const probs = new Float64Array(batch * classes);
    let sum = 0;
    let hits = 0;
    for (let r = 0; r < batch; r++) {
      const o = r * classes;
      let best = 0;
      for (let k = 1; k < classes; k++) if (z[o + k] > z[o + best]) best = k;
      if (best === labels[r]) hits++;
      const max = z[o + best];
      let total = 0;
      for (let k = 0; k < classes; k++) total += probs[o + k] = Math.exp(z[o + k] - max);
      for (let k = 0; k < classes; k++) probs[o + k] /= total;
      sum -= z[o + labels[r]] - max - Math.log(total);
    }
    const loss = sum / divide;
    if (stats) {
      stats.loss = loss;
      stats.hits = hits;
    }
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const scale = valuesOf(dy)[0] / divide;
      const g = new Float32Array(batch * classes);
      for (let r = 0; r < batch; r++) {
        const o = r * classes;
        for (let k = 0; k < classes; k++) g[o + k] = scale * (probs[o + k] - (k === labels[r] ? 1 : 0));
      }
      return [tf.tensor2d(g, [batch, classes])];
    };
    return { value: tf.scalar(loss), gradFunc };
  });
  return run(logits) as tf.Scalar;
}
