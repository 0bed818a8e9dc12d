/**
 * The seed's LSTM: (batch, seqLen, 21) → LSTM 64 (sequences) → LSTM 64 → dropout → dense 32 ReLU →
 * dropout → dense 3 → softmax. 57,219 parameters in Keras/tfjs counting. Gates use the logistic
 * sigmoid as PyTorch and current Keras do (tfjs still defaults to hardSigmoid).
 */
import * as tf from '@tensorflow/tfjs';
import { FEATURE_COUNT } from '../types';
import { SeededDropout, quietOrthogonalSync } from './layers';
import { seedStream } from './seeds';

export interface LstmOptions {
  seqLen: number;
  dropout: number;
  seed: number;
  hidden?: number;
}

export function buildLstm(opts: LstmOptions): tf.LayersModel {
  const hidden = opts.hidden ?? 64;
  const next = seedStream(opts.seed, 'lstm');
  const glorot = (): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: next() });
  return quietOrthogonalSync(() => {
    const input = tf.input({ shape: [opts.seqLen, FEATURE_COUNT], name: 'window' });
    let x = tf.layers
      .lstm({
        units: hidden,
        returnSequences: true,
        recurrentActivation: 'sigmoid',
        kernelInitializer: glorot(),
        recurrentInitializer: tf.initializers.orthogonal({ seed: next() }),
        name: 'lstm_1',
      })
      .apply(input) as tf.SymbolicTensor;
    x = tf.layers
      .lstm({
        units: hidden,
        recurrentActivation: 'sigmoid',
        kernelInitializer: glorot(),
        recurrentInitializer: tf.initializers.orthogonal({ seed: next() }),
        name: 'lstm_2',
      })
      .apply(x) as tf.SymbolicTensor;
    x = new SeededDropout({ rate: opts.dropout, seed: next(), name: 'dropout_1' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: glorot(), name: 'dense_1' }).apply(x) as tf.SymbolicTensor;
    x = new SeededDropout({ rate: opts.dropout, seed: next(), name: 'dropout_2' }).apply(x) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: 3, kernelInitializer: glorot(), name: 'logits' }).apply(x) as tf.SymbolicTensor;
    const probs = tf.layers.activation({ activation: 'softmax', name: 'probs' }).apply(logits) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: probs, name: 'lstm' });
  });
}
