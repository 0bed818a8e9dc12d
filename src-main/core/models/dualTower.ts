/**
 * The seed's dual-tower MLP on one day's 21 features: a stock tower and a context tower
 * (each dense 32 ReLU → dropout → dense 16 ReLU → dropout), concatenated (32) → dense 16 ReLU →
 * dropout → dense 3 → softmax. 2,371 parameters for either split.
 */
import * as tf from '@tensorflow/tfjs';
import { FEATURE_COUNT, STOCK_FEATURES, type TowerSplit } from '../types';
import { FeatureSlice, SeededDropout } from './layers';
import { seedStream } from './seeds';

export interface DualTowerOptions {
  towerSplit: TowerSplit;
  dropout: number;
  seed: number;
}

/** Width of the stock tower's input: the 11 stock features, or the seed's first 8 columns. */
export function stockTowerWidth(split: TowerSplit): number {
  return split === 'group' ? STOCK_FEATURES.length : 8;
}

export function buildDualTower(opts: DualTowerOptions): tf.LayersModel {
  const next = seedStream(opts.seed, 'dual_tower');
  const glorot = (): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: next() });
  const dense = (units: number, name: string, activation?: 'relu'): tf.layers.Layer =>
    tf.layers.dense({ units, activation, kernelInitializer: glorot(), name });
  const drop = (name: string): tf.layers.Layer => new SeededDropout({ rate: opts.dropout, seed: next(), name });

  const stockWidth = stockTowerWidth(opts.towerSplit);
  const input = tf.input({ shape: [FEATURE_COUNT], name: 'features' });
  const tower = (x: tf.SymbolicTensor, name: string): tf.SymbolicTensor => {
    let h = dense(32, `${name}_dense_1`, 'relu').apply(x) as tf.SymbolicTensor;
    h = drop(`${name}_dropout_1`).apply(h) as tf.SymbolicTensor;
    h = dense(16, `${name}_dense_2`, 'relu').apply(h) as tf.SymbolicTensor;
    return drop(`${name}_dropout_2`).apply(h) as tf.SymbolicTensor;
  };
  const stockIn = new FeatureSlice({ begin: 0, size: stockWidth, name: 'stock_features' }).apply(input) as tf.SymbolicTensor;
  const contextIn = new FeatureSlice({ begin: stockWidth, size: FEATURE_COUNT - stockWidth, name: 'context_features' }).apply(
    input,
  ) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({ name: 'concat' }).apply([tower(stockIn, 'stock'), tower(contextIn, 'context')]) as tf.SymbolicTensor;
  let h = dense(16, 'head_dense', 'relu').apply(joined) as tf.SymbolicTensor;
  h = drop('head_dropout').apply(h) as tf.SymbolicTensor;
  const logits = dense(3, 'logits').apply(h) as tf.SymbolicTensor;
  const probs = tf.layers.activation({ activation: 'softmax', name: 'probs' }).apply(logits) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: probs, name: 'dual_tower' });
}
