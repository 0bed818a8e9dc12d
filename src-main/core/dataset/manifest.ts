/** The dataset's manifest: provenance of every feature, class balance, split and a content hash. */
import { createHash } from 'node:crypto';
import { FEATURE_COUNT, FEATURE_NAMES, type DatasetConfig, type FeatureName, type FeatureProvenance, type DatasetManifest, type Row } from '../types';
import { classBalance, type Split } from './split';

/**
 * sha256 over a canonical byte form of the rows: per row `date<TAB>ticker<TAB>target<LF>` (target empty when
 * unlabelled) followed by the 21 features as little-endian float64. Binary features keep it exact and fast
 * (formatting 400k numbers as text costs more than building the dataset).
 */
export function hashRows(rows: readonly Row[]): string {
  const heads = rows.map((row) => `${row.date}\t${row.ticker}\t${row.target ?? ''}\n`);
  let size = 0;
  for (const head of heads) size += Buffer.byteLength(head, 'utf8') + 8 * FEATURE_COUNT;
  const buffer = Buffer.alloc(size);
  let offset = 0;
  rows.forEach((row, i) => {
    offset += buffer.write(heads[i], offset, 'utf8');
    for (let k = 0; k < FEATURE_COUNT; k++) offset = buffer.writeDoubleLE(row.features[k], offset);
  });
  return createHash('sha256').update(buffer).digest('hex');
}

export function buildManifest(config: DatasetConfig, rows: readonly Row[], split: Split, filled: readonly number[], repairs: string[]): DatasetManifest {
  const provenance = {} as Record<FeatureName, FeatureProvenance>;
  const filledCounts = {} as Record<FeatureName, number>;
  FEATURE_NAMES.forEach((name, k) => {
    filledCounts[name] = filled[k];
    provenance[name] = filled[k] === 0 ? 'real' : filled[k] >= rows.length ? 'filled' : 'partial';
  });
  const train = classBalance(rows, 'train');
  const validation = classBalance(rows, 'validation');
  const inputs: DatasetManifest['inputs'] = {};
  for (const key of ['prices', 'news', 'macro', 'policy'] as const) {
    const value = config[key];
    if (config.source === 'csv' && value) inputs[key] = value;
  }
  return {
    source: config.source,
    seed: config.seed,
    signal: config.signal,
    tickers: [...config.tickers],
    start: config.start,
    end: config.end,
    horizon: config.horizon,
    threshold: config.threshold,
    features: [...FEATURE_NAMES],
    provenance,
    filledCounts,
    classBalance: { train, validation, all: classBalance(rows) },
    split: { trainFraction: config.trainFraction, trainEnd: split.trainEnd, validationStart: split.validationStart, embargoDays: config.horizon },
    trainSamples: train.down + train.flat + train.up,
    valSamples: validation.down + validation.flat + validation.up,
    rows: rows.length,
    repairs,
    inputs,
    hash: hashRows(rows),
  };
}
