/** Normalised feature matrix (rows × 21, row-major) from raw rows and a normaliser fitted on training rows. */
import { WorkbenchError } from '../errors';
import { FEATURE_COUNT, type Normaliser, type Row } from '../types';

/**
 * Mean/std for one ticker: its own under per-ticker normalisation, else the global ones under "*"
 * (as the dataset builder fits them); null if neither exists.
 */
export function statsFor(normaliser: Normaliser, ticker: string): { mean: number[]; std: number[] } | null {
  const own = normaliser.kind === 'per_ticker' ? normaliser.stats[ticker] : undefined;
  return own ?? normaliser.stats['*'] ?? null;
}

/** (x − mean) / std per feature; a zero std (a constant feature) divides by 1 so the column becomes 0. */
export function normaliseRows(rows: readonly Row[], normaliser: Normaliser): Float32Array {
  const out = new Float32Array(rows.length * FEATURE_COUNT);
  rows.forEach((row, i) => {
    const stats = statsFor(normaliser, row.ticker);
    if (!stats) throw new WorkbenchError('BAD_INPUT', `no normalisation statistics for ticker ${row.ticker}`);
    for (let f = 0; f < FEATURE_COUNT; f++) {
      const std = stats.std[f];
      out[i * FEATURE_COUNT + f] = (row.features[f] - stats.mean[f]) / (std > 0 && Number.isFinite(std) ? std : 1);
    }
  });
  return out;
}
