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

/** Values per sample: seqLen × 21 for the LSTM's windows, 21 for the dual tower's rows. */
export function sampleWidth(kind: ModelKind, seqLen: number): number {
  return kind === 'lstm' ? seqLen * FEATURE_COUNT : FEATURE_COUNT;
}

/**
 * The samples' values, row-major: for the LSTM, for each index the window of rows ending at it
 * (the caller guarantees it stays in one ticker); for the dual tower, the row itself. With `out`
 * (a buffer reused from batch to batch) the result is the view of it the samples fill.
 */
export function sampleValues(kind: ModelKind, features: Float32Array, indices: ArrayLike<number>, seqLen: number, out?: Float32Array): Float32Array {
  const span = sampleWidth(kind, seqLen);
  const steps = span / FEATURE_COUNT;
  const buf = out ? out.subarray(0, indices.length * span) : new Float32Array(indices.length * span);
  for (let j = 0; j < indices.length; j++) {
    const start = (indices[j] - steps + 1) * FEATURE_COUNT;
    buf.set(features.subarray(start, start + span), j * span);
  }
  return buf;
}

/** (n, seqLen, 21): for each index, the window of rows ending at it. */
export function lstmWindows(features: Float32Array, indices: ArrayLike<number>, seqLen: number): tf.Tensor3D {
  return tf.tensor3d(sampleValues('lstm', features, indices, seqLen), [indices.length, seqLen, FEATURE_COUNT]);
}

/** (n, 21): one row per index, for the dual tower. */
export function towerRows(features: Float32Array, indices: ArrayLike<number>): tf.Tensor2D {
  return tf.tensor2d(sampleValues('dual_tower', features, indices, 1), [indices.length, FEATURE_COUNT]);
}

export function modelInput(kind: ModelKind, features: Float32Array, indices: ArrayLike<number>, seqLen: number): tf.Tensor {
  return kind === 'lstm' ? lstmWindows(features, indices, seqLen) : towerRows(features, indices);
}
