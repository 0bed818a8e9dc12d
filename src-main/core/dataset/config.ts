/** Dataset configuration: the defaults (the seed's setting at real scale) and validation of user input. */
import { z } from 'zod';
import { WorkbenchError } from '../errors';
import { DATASET_LIMITS as L, MAX_TICKERS, TICKER_PATTERN, TICKER_RULE } from '../limits';
import { DEFAULT_TICKERS, type DatasetConfig } from '../types';
import { parseIsoDate } from './calendar';

export const DEFAULT_DATASET_CONFIG: DatasetConfig = {
  source: 'synthetic',
  tickers: [...DEFAULT_TICKERS],
  start: '2020-01-02',
  end: '2024-11-29',
  horizon: 1,
  threshold: 0.005,
  seed: 42,
  signal: 0.3,
  trainFraction: 2 / 3,
  normalisation: 'per_ticker',
};


const isoDate = z.string().refine((s) => parseIsoDate(s) !== null, { error: 'must be a date as YYYY-MM-DD' });
const path = z.string().min(1, { error: 'must not be empty' }).optional();

const schema = z.object({
  source: z.enum(['synthetic', 'csv'], { error: "must be 'synthetic' or 'csv'" }),
  tickers: z.array(z.string(), { error: 'must be a list of tickers' }),
  start: isoDate,
  end: isoDate,
  horizon: z
    .number()
    .int({ error: 'must be a whole number of trading days' })
    .min(L.horizon[0], { error: `must be at least ${L.horizon[0]} trading day` })
    .max(L.horizon[1], { error: `must be at most ${L.horizon[1]} trading days` }),
  threshold: z
    .number()
    .min(L.threshold[0], { error: 'must not be negative' })
    .max(L.threshold[1], { error: `must be at most ${L.threshold[1]} (±${L.threshold[1] * 100}%); 0.005 = 0.5%` }),
  seed: z
    .number()
    .int({ error: 'must be an integer' })
    .min(L.seed[0], { error: `must be from ${L.seed[0]} to ${L.seed[1]}` })
    .max(L.seed[1], { error: `must be from ${L.seed[0]} to ${L.seed[1]}` }),
  signal: z.number().min(L.signal[0], { error: 'must be between 0 and 1' }).max(L.signal[1], { error: 'must be between 0 and 1' }),
  prices: path,
  news: path,
  macro: path,
  policy: path,
  trainFraction: z
    .number()
    .min(L.trainFraction[0], { error: `must be from ${L.trainFraction[0]} to ${L.trainFraction[1]}` })
    .max(L.trainFraction[1], { error: `must be from ${L.trainFraction[0]} to ${L.trainFraction[1]}` }),
  normalisation: z.enum(['per_ticker', 'global'], { error: "must be 'per_ticker' or 'global'" }),
});

function bad(message: string): never {
  throw new WorkbenchError('BAD_INPUT', message);
}

/** Tickers trimmed, upper-cased and de-duplicated in the order given. */
export function normaliseTickers(tickers: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tickers) {
    const ticker = raw.trim().toUpperCase();
    if (ticker === '') bad('tickers: an empty ticker was given');
    if (!TICKER_PATTERN.test(ticker)) bad(`tickers: '${raw}' is not a ticker symbol (${TICKER_RULE})`);
    if (!out.includes(ticker)) out.push(ticker);
  }
  if (out.length === 0) bad('tickers: no tickers given');
  if (out.length > MAX_TICKERS) bad(`tickers: ${out.length} given, at most ${MAX_TICKERS}`);
  return out;
}

/** Fills defaults and validates; every problem is a WorkbenchError('BAD_INPUT') naming the option. */
export function resolveDatasetConfig(partial: Partial<DatasetConfig>): DatasetConfig {
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse({ ...DEFAULT_DATASET_CONFIG, ...given });
  if (!parsed.success) {
    bad(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`).join('; '));
  }
  const config: DatasetConfig = { ...parsed.data, tickers: normaliseTickers(parsed.data.tickers) };
  if (config.start > config.end) bad(`start (${config.start}) is after end (${config.end})`);
  if (config.source === 'csv' && !config.prices) bad('prices: the csv source needs a folder of price files');
  return config;
}
