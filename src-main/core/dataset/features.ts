/**
 * The 21 features and the target for one ticker. Every feature at bar t is computed from bars and context
 * dated ≤ t; only the target looks ahead (h bars, never past `end`).
 */
import { WorkbenchError } from '../errors';
import { WARMUP_BARS, bollinger, macd, rsi, sma } from '../indicators';
import { FEATURE_COUNT, MACRO_FEATURES, type DatasetConfig, type Direction, type MacroFeature, type PriceBar, type RawData } from '../types';
import { alignMacro, alignNews, alignPolicy, lowerBound } from './align';

/** Sample days a ticker must have beyond its warm-up. */
export const MIN_SAMPLE_DAYS = 5;

/** What a macro feature is set to before anything was published (and counted as filled). */
export const NEUTRAL_MACRO: Record<MacroFeature, number> = {
  gdp_growth: 2,
  inflation: 2,
  unemployment: 4,
  interest_rate: 2,
  vix: 20,
};

/** Feature indices in FEATURE_NAMES order (kept as constants so the row loop stays a plain array write). */
const F = {
  open: 0, high: 1, low: 2, close: 3, volume: 4, sma: 5, rsi: 6, macd: 7, macdSignal: 8, bbUpper: 9, bbLower: 10,
  sentiment: 11, newsCount: 12, relevance: 13, macro: 14, policyCount: 19, policyImpact: 20,
} as const;

export interface TickerRows {
  ticker: string;
  dates: string[];
  features: number[][];
  target: (Direction | null)[];
  forwardReturn: (number | null)[];
  /** date of the bar the label looks at (t+h), null when unlabelled */
  labelEnd: (string | null)[];
  /** per feature, how many emitted rows hold a neutral fill instead of data */
  filled: number[];
  notes: string[];
}

export function direction(forwardReturn: number, threshold: number): Direction {
  return forwardReturn > threshold ? 1 : forwardReturn < -threshold ? -1 : 0;
}

/** Bars ≤ end, checked to be strictly ascending by date. */
function barsUpTo(ticker: string, bars: readonly PriceBar[], end: string): PriceBar[] {
  const out: PriceBar[] = [];
  for (const bar of bars) {
    if (bar.date > end) break;
    if (out.length > 0 && bar.date <= out[out.length - 1].date) {
      throw new WorkbenchError('BAD_INPUT', `${ticker}: price bars are not in ascending date order at ${bar.date}`);
    }
    if (!(bar.close > 0) || !Number.isFinite(bar.close)) {
      throw new WorkbenchError('BAD_INPUT', `${ticker}: close on ${bar.date} is not a positive number (${bar.close})`);
    }
    out.push(bar);
  }
  return out;
}

export function buildTickerRows(config: DatasetConfig, raw: RawData, ticker: string): TickerRows {
  const all = raw.prices[ticker];
  if (!all || all.length === 0) throw new WorkbenchError('BAD_INPUT', `no price data for ticker ${ticker}`);
  const bars = barsUpTo(ticker, all, config.end);
  const n = bars.length;
  const needed = WARMUP_BARS + MIN_SAMPLE_DAYS;
  if (n < needed) {
    throw new WorkbenchError(
      'BAD_INPUT',
      `${ticker} has only ${n} price bars up to ${config.end}; at least ${needed} are needed (${WARMUP_BARS} warm-up bars for the indicators + ${MIN_SAMPLE_DAYS} sample days)`,
    );
  }
  const dates = bars.map((b) => b.date);
  const firstInRange = lowerBound(dates, config.start);
  if (firstInRange >= n) {
    throw new WorkbenchError('BAD_INPUT', `${ticker} has no price bars between ${config.start} and ${config.end} (its data ends ${dates[n - 1]})`);
  }
  const notes: string[] = [];
  // Without enough history before `start`, the first days would lack indicators: start later instead.
  const first = Math.max(firstInRange, WARMUP_BARS);
  if (first > firstInRange) {
    notes.push(`${ticker}: only ${firstInRange} bars before ${config.start}; first sample day moved to ${dates[first]} for the indicator warm-up`);
  }

  const closes = bars.map((b) => b.close);
  const sma20 = sma(closes, 20);
  const rsi14 = rsi(closes, 14);
  const macdResult = macd(closes, 12, 26, 9);
  const bands = bollinger(closes, 20, 2);
  const news = raw.news ? alignNews(raw.news, ticker, dates) : null;
  const macro = MACRO_FEATURES.map((feature) => alignMacro(raw.macro[feature], dates, NEUTRAL_MACRO[feature]));
  const policy = raw.policy ? alignPolicy(raw.policy, dates) : null;
  if (macdResult.signal[first] === null || bands.upper[first] === null || rsi14[first] === null) {
    throw new WorkbenchError('INTERNAL', `WARMUP_BARS (${WARMUP_BARS}) is too short for the indicators`);
  }

  const h = config.horizon;
  const out: TickerRows = { ticker, dates: [], features: [], target: [], forwardReturn: [], labelEnd: [], filled: new Array<number>(FEATURE_COUNT).fill(0), notes };
  for (let i = first; i < n; i++) {
    const bar = bars[i];
    const f = new Array<number>(FEATURE_COUNT);
    f[F.open] = bar.open;
    f[F.high] = bar.high;
    f[F.low] = bar.low;
    f[F.close] = bar.close;
    f[F.volume] = bar.volume;
    f[F.sma] = sma20[i] as number; // non-null from bar WARMUP_BARS on
    f[F.rsi] = rsi14[i] as number;
    f[F.macd] = macdResult.macd[i] as number;
    f[F.macdSignal] = macdResult.signal[i] as number;
    f[F.bbUpper] = bands.upper[i] as number;
    f[F.bbLower] = bands.lower[i] as number;
    if (news && news.real[i]) {
      f[F.sentiment] = news.sentiment[i];
      f[F.newsCount] = news.count[i];
      f[F.relevance] = news.relevance[i];
    } else {
      f[F.sentiment] = f[F.newsCount] = f[F.relevance] = 0;
      out.filled[F.sentiment]++;
      out.filled[F.newsCount]++;
      out.filled[F.relevance]++;
    }
    for (let k = 0; k < macro.length; k++) {
      f[F.macro + k] = macro[k].values[i];
      if (!macro[k].real[i]) out.filled[F.macro + k]++;
    }
    if (policy) {
      f[F.policyCount] = policy.count[i];
      f[F.policyImpact] = policy.impact[i];
    } else {
      f[F.policyCount] = f[F.policyImpact] = 0;
      out.filled[F.policyCount]++;
      out.filled[F.policyImpact]++;
    }

    let target: Direction | null = null;
    let forward: number | null = null;
    let labelEnd: string | null = null;
    if (i + h < n) {
      forward = bars[i + h].close / bar.close - 1;
      target = direction(forward, config.threshold);
      labelEnd = dates[i + h];
    }
    out.dates.push(bar.date);
    out.features.push(f);
    out.target.push(target);
    out.forwardReturn.push(forward);
    out.labelEnd.push(labelEnd);
  }
  return out;
}
