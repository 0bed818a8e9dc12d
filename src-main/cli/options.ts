/** Turns CLI option strings into validated dataset and training configs (same validators as the app). */
import { resolveDatasetConfig } from '../core/dataset/config';
import { WorkbenchError } from '../core/errors';
import { checkFolds } from '../core/pipeline/walkForward';
import { resolveTrainConfig } from '../core/training/config';
import { DEFAULT_TICKERS, MODEL_KINDS, type DatasetConfig, type ModelKind, type TrainConfig } from '../core/types';

export interface RawOptions {
  preset?: string;
  source?: string;
  prices?: string;
  news?: string;
  macro?: string;
  policy?: string;
  tickers?: string;
  start?: string;
  end?: string;
  seed?: string;
  horizon?: string;
  threshold?: string;
  signal?: string;
  trainFraction?: string;
  normalisation?: string;
  epochs?: string;
  batchSize?: string;
  seqLen?: string;
  lr?: string;
  towerSplit?: string;
  model?: string;
  walkForward?: string;
}

/** The seed report's setup: November 2024, the seven tickers, 2:1 split, windows of 3, 20 epochs, batch 8. */
export const SEED_PRESET = {
  dataset: { tickers: [...DEFAULT_TICKERS], start: '2024-11-01', end: '2024-11-30', trainFraction: 2 / 3 } satisfies Partial<DatasetConfig>,
  train: { seqLen: 3, epochs: 20, batchSize: 8 } satisfies Partial<TrainConfig>,
};

function num(name: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) throw new WorkbenchError('BAD_INPUT', `--${name}: '${value}' is not a number`);
  if (integer && !Number.isInteger(n)) throw new WorkbenchError('BAD_INPUT', `--${name}: '${value}' is not a whole number`);
  return n;
}

/** `0.005`, `0.5%` both mean a ±0.5% band. */
function threshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  return v.endsWith('%') ? (num('threshold', v.slice(0, -1)) as number) / 100 : num('threshold', v);
}

/** Config field → the CLI option a user typed, for error messages ("learningRate must be …" → "--lr must be …"). */
const OPTION_OF: Record<string, string> = {
  learningRate: '--lr',
  batchSize: '--batch-size',
  seqLen: '--seq-len',
  epochs: '--epochs',
  towerSplit: '--tower-split',
  trainFraction: '--train-fraction',
  seed: '--seed',
  horizon: '--horizon',
  threshold: '--threshold',
  signal: '--signal',
  tickers: '--tickers',
  start: '--start',
  end: '--end',
  source: '--source',
  prices: '--prices',
  news: '--news',
  macro: '--macro',
  policy: '--policy',
  normalisation: '--normalisation',
};

/** Runs a core validator; its message names the CLI option instead of the config field. */
function inOptionTerms<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (err) {
    if (!(err instanceof WorkbenchError)) throw err;
    const message = err.message.replace(/(^|; )([a-zA-Z]+)(?=[:. ]| must)/g, (whole, sep: string, field: string) => (OPTION_OF[field] ? `${sep}${OPTION_OF[field]}` : whole));
    throw new WorkbenchError(err.code, message);
  }
}

function preset(o: RawOptions): typeof SEED_PRESET | null {
  if (o.preset === undefined) return null;
  if (o.preset !== 'seed') throw new WorkbenchError('BAD_INPUT', `--preset: unknown preset '${o.preset}' (known: seed)`);
  return SEED_PRESET;
}

export function datasetConfigFrom(o: RawOptions): DatasetConfig {
  const p = preset(o);
  const source = o.source ?? (o.prices ? 'csv' : undefined);
  if (source !== undefined && source !== 'synthetic' && source !== 'csv')
    throw new WorkbenchError('BAD_INPUT', `--source: '${source}' is not a source (synthetic or csv)`);
  return inOptionTerms(() => resolveDatasetConfig({
    ...(p?.dataset ?? {}),
    ...defined({
    source,
    prices: o.prices,
    news: o.news,
    macro: o.macro,
    policy: o.policy,
    tickers: o.tickers?.split(','),
    start: o.start,
    end: o.end,
    seed: num('seed', o.seed, true),
    horizon: num('horizon', o.horizon, true),
    threshold: threshold(o.threshold),
    signal: num('signal', o.signal),
    trainFraction: num('train-fraction', o.trainFraction),
    normalisation: o.normalisation as DatasetConfig['normalisation'] | undefined,
    }),
  }));
}

export function trainConfigFrom(o: RawOptions): TrainConfig {
  const p = preset(o);
  return inOptionTerms(() => resolveTrainConfig({
    ...(p?.train ?? {}),
    ...defined({
      epochs: num('epochs', o.epochs, true),
      batchSize: num('batch-size', o.batchSize, true),
      seqLen: num('seq-len', o.seqLen, true),
      learningRate: num('lr', o.lr),
      towerSplit: o.towerSplit as TrainConfig['towerSplit'] | undefined,
      seed: num('seed', o.seed, true),
    }),
  }));
}

export function modelsFrom(o: RawOptions): ModelKind[] {
  const m = (o.model ?? 'both').trim();
  if (m === 'both' || m === 'all') return [...MODEL_KINDS];
  const list = m.split(',').map((s) => s.trim().replace('-', '_'));
  for (const k of list) if (!(MODEL_KINDS as readonly string[]).includes(k)) throw new WorkbenchError('BAD_INPUT', `--model: '${k}' is not a model (lstm, dual_tower or both)`);
  return list as ModelKind[];
}

/** `--walk-forward K`: undefined when absent, else a checked fold count. */
export function walkForwardFrom(o: RawOptions): number | undefined {
  const k = num('walk-forward', o.walkForward, true);
  if (k !== undefined) checkFolds(k);
  return k;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
