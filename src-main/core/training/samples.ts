/**
 * The shared sample rule: a sample is a labelled train/validation row with `seqLen − 1` earlier rows
 * of the same ticker, so LSTM windows never cross tickers and both models see the same samples.
 */
import * as tf from '@tensorflow/tfjs';
import { WorkbenchError } from '../errors';
import { FEATURE_COUNT, type Dataset, type ModelKind } from '../types';

export interface SampleKey {
  ticker: string;
  date: string;
}

export interface SampleSet {
  seqLen: number;
  /** row indices into ds.rows (the last day of each window) */
  train: Int32Array;
  val: Int32Array;
  trainLabels: number[]; // class index 0..2
  valLabels: number[];
  trainKeys: SampleKey[];
  valKeys: SampleKey[];
}

export function buildSamples(ds: Dataset, features: Float32Array, seqLen: number): SampleSet {
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new WorkbenchError('BAD_INPUT', `sequence length must be a positive integer, got ${seqLen}`);
  if (features.length !== ds.rows.length * FEATURE_COUNT) {
    throw new WorkbenchError('INTERNAL', `feature matrix has ${features.length} values for ${ds.rows.length} rows`);
  }
  const train: number[] = [];
  const val: number[] = [];
  const out: SampleSet = { seqLen, train: new Int32Array(), val: new Int32Array(), trainLabels: [], valLabels: [], trainKeys: [], valKeys: [] };
  ds.rows.forEach((row, i) => {
    if (row.target === null || (row.part !== 'train' && row.part !== 'validation')) return;
    const first = i - (seqLen - 1);
    if (first < 0 || ds.rows[first].ticker !== row.ticker) return;
    const key = { ticker: row.ticker, date: row.date };
    if (row.part === 'train') {
      train.push(i);
      out.trainLabels.push(row.target + 1);
      out.trainKeys.push(key);
    } else {
      val.push(i);
      out.valLabels.push(row.target + 1);
      out.valKeys.push(key);
    }
  });
  out.train = Int32Array.from(train);
  out.val = Int32Array.from(val);
  return out;
}

/** (n, seqLen, 21): for each index, the window of rows ending at it (the caller guarantees it stays in one ticker). */
export function lstmWindows(features: Float32Array, indices: ArrayLike<number>, seqLen: number): tf.Tensor3D {
  const n = indices.length;
  const span = seqLen * FEATURE_COUNT;
  const buf = new Float32Array(n * span);
  for (let j = 0; j < n; j++) {
    const start = (indices[j] - seqLen + 1) * FEATURE_COUNT;
    buf.set(features.subarray(start, start + span), j * span);
  }
  return tf.tensor3d(buf, [n, seqLen, FEATURE_COUNT]);
}

/** (n, 21): one row per index, for the dual tower. */
export function towerRows(features: Float32Array, indices: ArrayLike<number>): tf.Tensor2D {
  const n = indices.length;
  const buf = new Float32Array(n * FEATURE_COUNT);
  for (let j = 0; j < n; j++) {
    const start = indices[j] * FEATURE_COUNT;
    buf.set(features.subarray(start, start + FEATURE_COUNT), j * FEATURE_COUNT);
  }
  return tf.tensor2d(buf, [n, FEATURE_COUNT]);
}

export function modelInput(kind: ModelKind, features: Float32Array, indices: ArrayLike<number>, seqLen: number): tf.Tensor {
  return kind === 'lstm' ? lstmWindows(features, indices, seqLen) : towerRows(features, indices);
}
