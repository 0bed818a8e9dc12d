/** Model inputs: the dataset's rows normalised with its train-fitted statistics. */
import { WorkbenchError } from '../errors';
import { FEATURE_COUNT, type Dataset, type Normaliser, type RowPart } from '../types';

function statsFor(normaliser: Normaliser, ticker: string): { mean: number[]; std: number[] } {
  const stats = normaliser.kind === 'per_ticker' ? normaliser.stats[ticker] ?? normaliser.stats['*'] : normaliser.stats['*'];
  if (!stats) throw new WorkbenchError('INTERNAL', `normaliser has no statistics for ${ticker}`);
  return stats;
}

/** Normalise one raw feature vector (e.g. for prediction on a new day). */
export function normaliseFeatures(normaliser: Normaliser, ticker: string, features: readonly number[]): Float32Array {
  const { mean, std } = statsFor(normaliser, ticker);
  const out = new Float32Array(FEATURE_COUNT);
  for (let k = 0; k < FEATURE_COUNT; k++) out[k] = (features[k] - mean[k]) / std[k];
  return out;
}

/** rows.length × 21, row-major, in ds.rows order. */
export function normalisedFeatures(ds: Dataset): Float32Array {
  const out = new Float32Array(ds.rows.length * FEATURE_COUNT);
  ds.rows.forEach((row, i) => {
    const { mean, std } = statsFor(ds.normaliser, row.ticker);
    const base = i * FEATURE_COUNT;
    for (let k = 0; k < FEATURE_COUNT; k++) out[base + k] = (row.features[k] - mean[k]) / std[k];
  });
  return out;
}

/**
 * Indices (into ds.rows) of the samples of one part: labelled rows of that part with `seqLen − 1` earlier rows
 * of the same ticker, so LSTM windows never cross tickers and both models see the same samples.
 */
export function sampleRowIndices(ds: Dataset, part: Extract<RowPart, 'train' | 'validation'>, seqLen: number): number[] {
  const out: number[] = [];
  const back = Math.max(0, seqLen - 1);
  ds.rows.forEach((row, i) => {
    if (row.part !== part || row.target === null || i < back) return;
    if (ds.rows[i - back].ticker === row.ticker) out.push(i);
  });
  return out;
}
