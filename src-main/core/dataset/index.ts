/**
 * The dataset: one row per (ticker, trading day) with the 21 features, the target, and its part of the
 * chronological split; plus the train-fitted normaliser and a manifest.
 */
import path from 'node:path';
import { WorkbenchError } from '../errors';
import { WARMUP_BARS } from '../indicators';
import { loadCsvSource } from '../sources/csv';
import { generateSynthetic } from '../sources/synthetic';
import { FEATURE_COUNT, type Dataset, type DatasetConfig, type RawData, type Row } from '../types';
import { tradingDaysBefore } from './calendar';
import { resolveDatasetConfig } from './config';
import { buildTickerRows, MIN_SAMPLE_DAYS, type TickerRows } from './features';
import { buildManifest } from './manifest';
import { classBalance, fitNormaliser, splitRows } from './split';

export { DEFAULT_DATASET_CONFIG, resolveDatasetConfig, normaliseTickers } from './config';
export { normalisedFeatures, normaliseFeatures, sampleRowIndices } from './normalise';
export { exportDataset, exportFileNames, EXPORT_COLUMNS, type ExportFiles, type ExportedRow } from './export';
export { hashRows } from './manifest';
export { classBalance, MIN_SAMPLE_DAYS };
export { NEUTRAL_MACRO, direction } from './features';
export { isTradingDay, tradingDays } from './calendar';

export interface DatasetProgress {
  stage: string;
  fraction: number;
}
export type ProgressListener = (p: DatasetProgress) => void;

/** Extra trading days of warm-up beyond WARMUP_BARS, for one-off market closures the calendar does not know. */
const WARMUP_SLACK = 5;

/** First calendar day of the history read or generated before `start` for the indicators. */
export function warmupStartFor(start: string): string {
  return tradingDaysBefore(start, WARMUP_BARS + WARMUP_SLACK);
}

/** Builds the dataset from already loaded raw data (the tests use it to tamper with the raw series). */
export function buildDatasetFromRaw(config: DatasetConfig, raw: RawData, onProgress?: ProgressListener): Dataset {
  const tickers = [...config.tickers].sort(); // rows are sorted by ticker, then date
  const inRange = (ticker: string): boolean =>
    (raw.prices[ticker] ?? []).some((bar) => bar.date >= config.start && bar.date <= config.end);
  if (tickers.every((ticker) => raw.prices[ticker]?.length) && !tickers.some(inRange)) {
    throw new WorkbenchError('BAD_INPUT', `no trading days between ${config.start} and ${config.end}`);
  }
  const perTicker: TickerRows[] = [];
  tickers.forEach((ticker, k) => {
    perTicker.push(buildTickerRows(config, raw, ticker));
    onProgress?.({ stage: 'features', fraction: 0.2 + (0.6 * (k + 1)) / tickers.length });
  });

  const rows: Row[] = [];
  const labelEnd: (string | null)[] = [];
  const filled = new Array<number>(FEATURE_COUNT).fill(0);
  const repairs = [...raw.repairs];
  for (const t of perTicker) {
    for (let i = 0; i < t.dates.length; i++) {
      rows.push({ date: t.dates[i], ticker: t.ticker, features: t.features[i], target: t.target[i], forwardReturn: t.forwardReturn[i], part: 'unlabelled' });
      labelEnd.push(t.labelEnd[i]);
    }
    t.filled.forEach((count, k) => (filled[k] += count));
    repairs.push(...t.notes);
  }

  const split = splitRows(rows, labelEnd, config.trainFraction, config.horizon);
  rows.forEach((row, i) => (row.part = split.parts[i]));
  onProgress?.({ stage: 'split', fraction: 0.85 });
  const normaliser = fitNormaliser(rows, config.normalisation);
  const manifest = buildManifest(config, rows, split, filled, repairs);
  onProgress?.({ stage: 'done', fraction: 1 });
  return { config, rows, manifest, normaliser };
}

/**
 * A user's price file too short for the indicator warm-up is refused naming the file (the rule is
 * buildTickerRows's; a file that is long enough but starts late moves the first sample day instead).
 */
function checkCsvHistory(config: DatasetConfig, raw: RawData): void {
  const needed = WARMUP_BARS + MIN_SAMPLE_DAYS;
  for (const ticker of config.tickers) {
    const bars = (raw.prices[ticker] ?? []).filter((bar) => bar.date <= config.end);
    if (bars.length === 0 || bars.length >= needed) continue;
    throw new WorkbenchError(
      'BAD_INPUT',
      `only ${bars.length} price rows from ${bars[0].date} to ${bars[bars.length - 1].date}; at least ${needed} are needed up to ${config.end} (${WARMUP_BARS} warm-up bars for the indicators + ${MIN_SAMPLE_DAYS} sample days) — add earlier history or choose a later end date`,
      { file: path.join(config.prices ?? '', `${ticker}.csv`) },
    );
  }
}

/** Reads (csv) or generates (synthetic) the raw series with warm-up history, then builds the dataset. */
export async function buildDataset(given: DatasetConfig, onProgress?: ProgressListener): Promise<Dataset> {
  const config = resolveDatasetConfig(given);
  onProgress?.({ stage: 'source', fraction: 0 });
  const warmupStart = warmupStartFor(config.start);
  const raw = config.source === 'csv' ? await loadCsvSource(config, warmupStart) : generateSynthetic(config, warmupStart);
  if (config.source === 'csv') checkCsvHistory(config, raw);
  onProgress?.({ stage: 'source', fraction: 0.2 });
  return buildDatasetFromRaw(config, raw, onProgress);
}
