import { sampleCorrelation } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDataset, buildDatasetFromRaw, normalisedFeatures, resolveDatasetConfig, sampleRowIndices, warmupStartFor,
} from '../../src-main/core/dataset';
import { tradingDays } from '../../src-main/core/dataset/calendar';
import { WorkbenchError } from '../../src-main/core/errors';
import { generateSynthetic, SYNTHETIC_SIGNAL_FEATURES } from '../../src-main/core/sources/synthetic';
import { FEATURE_COUNT, FEATURE_NAMES, type Dataset, type Row } from '../../src-main/core/types';
import { handBars, handConfig, handRaw } from './raw';

const config = resolveDatasetConfig({ start: '2022-01-03', end: '2024-06-28' });
let ds: Dataset;
beforeAll(async () => {
  ds = await buildDataset(config);
});

const byTicker = (rows: readonly Row[], ticker: string): Row[] => rows.filter((r) => r.ticker === ticker);

describe('dataset from the synthetic source', () => {
  it('has one row per ticker and trading day in the range, sorted by ticker then date', () => {
    const days = tradingDays(config.start, config.end);
    expect(days).toHaveLength(625);
    expect(ds.rows).toHaveLength(7 * 625);
    expect([...new Set(ds.rows.map((r) => r.ticker))]).toEqual(['AAPL', 'AMZN', 'GOOGL', 'META', 'MSFT', 'NVDA', 'TSLA']);
    for (const ticker of config.tickers) expect(byTicker(ds.rows, ticker).map((r) => r.date)).toEqual(days);
    expect(ds.rows.every((r) => r.features.length === FEATURE_COUNT && r.features.every(Number.isFinite))).toBe(true);
  });

  it('reports progress in stages up to 1', async () => {
    const seen: { stage: string; fraction: number }[] = [];
    await buildDataset({ ...config, start: '2024-01-02' }, (p) => seen.push(p));
    expect(seen[0]).toEqual({ stage: 'source', fraction: 0 });
    expect(seen.at(-1)).toEqual({ stage: 'done', fraction: 1 });
    expect(seen.map((p) => p.fraction)).toEqual([...seen.map((p) => p.fraction)].sort((a, b) => a - b));
    expect(seen.filter((p) => p.stage === 'features')).toHaveLength(7);
  });

  it('lists the 21 features in the seed order', () => {
    expect(ds.manifest.features).toEqual([
      'open', 'high', 'low', 'close', 'volume', 'sma_20', 'rsi_14', 'macd', 'macd_signal', 'bb_upper', 'bb_lower',
      'news_sentiment', 'news_count', 'news_relevance',
      'gdp_growth', 'inflation', 'unemployment', 'interest_rate', 'vix',
      'policy_event_count', 'policy_impact_score',
    ]);
    expect(ds.manifest.features).toEqual([...FEATURE_NAMES]);
  });

  it('gives the same hash for the same seed and another for another seed', async () => {
    const again = await buildDataset(config);
    expect(again.manifest.hash).toBe(ds.manifest.hash);
    expect(again.manifest.hash).toMatch(/^[0-9a-f]{64}$/);
    const other = await buildDataset({ ...config, seed: 7 });
    expect(other.manifest.hash).not.toBe(ds.manifest.hash);
  });

  it('fills the manifest: provenance, class balance, split, counts', () => {
    const m = ds.manifest;
    expect(m).toMatchObject({ source: 'synthetic', seed: 42, signal: 0.3, start: config.start, end: config.end, horizon: 1, threshold: 0.005, rows: 7 * 625 });
    expect(m.provenance.close).toBe('real');
    expect(m.provenance.news_sentiment).toBe('partial'); // some days have no news
    expect(m.provenance.vix).toBe('real');
    expect(m.provenance.policy_event_count).toBe('real');
    const total = (b: { down: number; flat: number; up: number }): number => b.down + b.flat + b.up;
    expect(total(m.classBalance.train)).toBe(m.trainSamples);
    expect(total(m.classBalance.validation)).toBe(m.valSamples);
    expect(m.trainSamples).toBe(ds.rows.filter((r) => r.part === 'train').length);
    expect(m.valSamples).toBe(ds.rows.filter((r) => r.part === 'validation').length);
    expect(total(m.classBalance.all)).toBe(7 * 624); // the last day of each ticker is unlabelled
    // 624 labelled dates (2022: 251, 2023: 250, 2024 H1: 124, minus the last): 416 train, 1 embargo, 207 validation
    expect(m.trainSamples).toBe(7 * 416);
    expect(m.valSamples).toBe(7 * 207);
    expect(m.split).toEqual({ trainFraction: 2 / 3, trainEnd: tradingDays(config.start, config.end)[415], validationStart: tradingDays(config.start, config.end)[417], embargoDays: 1 });
    // all three classes are common
    for (const n of Object.values(m.classBalance.train)) expect(n / m.trainSamples).toBeGreaterThan(0.15);
  });
});

describe('no look-ahead', () => {
  const t = '2023-09-15';

  it('truncating the future does not change any feature up to t', async () => {
    const cut = await buildDataset({ ...config, end: t });
    const full = new Map(ds.rows.map((r) => [`${r.ticker} ${r.date}`, r]));
    expect(cut.rows.length).toBe(7 * tradingDays(config.start, t).length);
    for (const row of cut.rows) {
      const same = full.get(`${row.ticker} ${row.date}`)!;
      expect(row.features).toEqual(same.features);
      if (row.target !== null) expect(row.target).toBe(same.target);
    }
    // the last day before the cut has no label any more: its future is gone
    expect(cut.rows.filter((r) => r.date === t).every((r) => r.target === null)).toBe(true);
  });

  it('changing every raw value that becomes known after t does not change any feature up to t', () => {
    const raw = generateSynthetic(config, warmupStartFor(config.start));
    const base = buildDatasetFromRaw(config, raw);
    const after = (date: string): boolean => date > t;
    for (const bars of Object.values(raw.prices)) {
      for (const b of bars) if (after(b.date)) Object.assign(b, { open: b.open * 3, high: b.high * 3, low: b.low * 3, close: b.close * 3, volume: b.volume * 5 });
    }
    for (const n of raw.news!) if (after(n.date)) Object.assign(n, { sentiment: -n.sentiment, count: n.count + 10, relevance: 1 - n.relevance });
    for (const p of raw.policy!) if (after(p.date)) p.impact = 100;
    // published after 2023-09-15: monthly periods from 2023-08-01 (usable 2023-10-01), quarterly from 2023-07-01
    // (usable 2023-11-01), daily values after t
    const changedFrom = { monthly: '2023-08-01', quarterly: '2023-07-01', daily: '2023-09-16' } as const;
    for (const series of Object.values(raw.macro)) {
      for (const p of series!.points) if (p.date >= changedFrom[series!.frequency]) p.value += 50;
    }
    const tampered = buildDatasetFromRaw(config, raw);
    let compared = 0;
    tampered.rows.forEach((row, i) => {
      const orig = base.rows[i];
      expect(row.date).toBe(orig.date);
      if (row.date <= t) {
        expect(row.features).toEqual(orig.features);
        compared++;
      } else {
        expect(row.features).not.toEqual(orig.features);
      }
    });
    expect(compared).toBe(7 * tradingDays(config.start, t).length);
  });
});

describe('chronological split', () => {
  function checkSplit(d: Dataset): void {
    const h = d.config.horizon;
    const train = d.rows.filter((r) => r.part === 'train');
    const validation = d.rows.filter((r) => r.part === 'validation');
    const days = tradingDays(d.config.start, d.config.end);
    const lastTrain = train.reduce((m, r) => (r.date > m ? r.date : m), '');
    const firstValidation = validation.reduce((m, r) => (r.date < m ? r.date : m), '9999');
    expect(lastTrain).toBe(d.manifest.split.trainEnd);
    expect(firstValidation).toBe(d.manifest.split.validationStart);
    // every validation date lies more than h trading days after the last train date
    expect(days.indexOf(firstValidation) - days.indexOf(lastTrain)).toBe(h + 1);
    // the label window of every train row (t … t+h) ends before the first validation date
    for (const ticker of d.config.tickers) {
      const rows = byTicker(d.rows, ticker);
      rows.forEach((row, i) => {
        if (row.part === 'train') expect(rows[i + h].date < firstValidation).toBe(true);
      });
    }
    // parts come in order train → embargo → validation → unlabelled on every ticker
    const order = { train: 0, embargo: 1, validation: 2, unlabelled: 3 };
    for (const ticker of d.config.tickers) {
      const parts = byTicker(d.rows, ticker).map((r) => order[r.part]);
      expect(parts).toEqual([...parts].sort((a, b) => a - b));
      expect(parts.filter((p) => p === 1)).toHaveLength(h);
      expect(parts.filter((p) => p === 3)).toHaveLength(h);
    }
  }

  it('keeps train labels out of the validation period (h = 1)', () => checkSplit(ds));

  it('keeps train labels out of the validation period (h = 5)', async () => {
    checkSplit(await buildDataset({ ...config, start: '2023-01-03', horizon: 5 }));
  });

  it('gives the LSTM and the dual tower the same samples that never cross tickers', () => {
    const indices = sampleRowIndices(ds, 'validation', 3);
    expect(indices).toHaveLength(ds.manifest.valSamples); // validation rows always have 2 rows before them
    const train = sampleRowIndices(ds, 'train', 3);
    expect(train).toHaveLength(ds.manifest.trainSamples - 7 * 2); // the first 2 rows of each ticker have no window
    for (const i of train) expect(ds.rows[i - 2].ticker).toBe(ds.rows[i].ticker);
  });
});

describe('normalisation', () => {
  const handStats = (values: number[]): { mean: number; std: number } => {
    let sum = 0;
    for (const v of values) sum += v;
    const mean = sum / values.length;
    let sq = 0;
    for (const v of values) sq += (v - mean) ** 2;
    return { mean, std: Math.sqrt(sq / values.length) };
  };

  it('is fitted per ticker on train rows only', () => {
    const k = FEATURE_NAMES.indexOf('close');
    const train = ds.rows.filter((r) => r.ticker === 'NVDA' && r.part === 'train').map((r) => r.features[k]);
    const all = ds.rows.filter((r) => r.ticker === 'NVDA').map((r) => r.features[k]);
    const expected = handStats(train);
    const stats = ds.normaliser.stats.NVDA;
    expect(ds.normaliser.kind).toBe('per_ticker');
    expect(stats.mean[k]).toBeCloseTo(expected.mean, 9);
    expect(stats.std[k]).toBeCloseTo(expected.std, 9);
    expect(Math.abs(stats.mean[k] - handStats(all).mean)).toBeGreaterThan(1e-6); // validation rows left out
    const pooled = handStats(ds.rows.filter((r) => r.part === 'train').map((r) => r.features[k]));
    expect(ds.normaliser.stats['*'].mean[k]).toBeCloseTo(pooled.mean, 9);
  });

  it('gives constant features std 1 and normalised train rows mean 0, std 1', () => {
    const x = normalisedFeatures(ds);
    expect(x).toBeInstanceOf(Float32Array);
    expect(x.length).toBe(ds.rows.length * FEATURE_COUNT);
    const k = FEATURE_NAMES.indexOf('rsi_14');
    const z = ds.rows.flatMap((r, i) => (r.ticker === 'AAPL' && r.part === 'train' ? [x[i * FEATURE_COUNT + k]] : []));
    const s = handStats(z);
    expect(s.mean).toBeCloseTo(0, 5);
    expect(s.std).toBeCloseTo(1, 5);
    const row = ds.rows[5];
    const { mean, std } = ds.normaliser.stats[row.ticker];
    expect(x[5 * FEATURE_COUNT + 3]).toBeCloseTo((row.features[3] - mean[3]) / std[3], 4);
  });

  it('has a global variant under "*"', async () => {
    const global = await buildDataset({ ...config, start: '2023-06-01', normalisation: 'global' });
    expect(Object.keys(global.normaliser.stats)).toEqual(['*']);
    const k = FEATURE_NAMES.indexOf('volume');
    const expected = handStats(global.rows.filter((r) => r.part === 'train').map((r) => r.features[k]));
    expect(global.normaliser.stats['*'].mean[k]).toBeCloseTo(expected.mean, 6);
  });
});

describe('planted signal', () => {
  const correlation = (d: Dataset, feature: string): number => {
    const k = FEATURE_NAMES.indexOf(feature as (typeof FEATURE_NAMES)[number]);
    const labelled = d.rows.filter((r) => r.forwardReturn !== null);
    return sampleCorrelation(labelled.map((r) => r.features[k]), labelled.map((r) => r.forwardReturn as number));
  };

  it('ties the next return to the signal features at signal 1 and to nothing at signal 0', async () => {
    expect(SYNTHETIC_SIGNAL_FEATURES).toEqual(['news_sentiment', 'policy_impact_score']);
    const strong = await buildDataset({ ...config, signal: 1 });
    const none = await buildDataset({ ...config, signal: 0 });
    expect(correlation(strong, 'news_sentiment')).toBeGreaterThan(0.3);
    expect(correlation(strong, 'policy_impact_score')).toBeGreaterThan(0.1);
    for (const feature of FEATURE_NAMES) expect(Math.abs(correlation(none, feature))).toBeLessThan(0.05);
    const weak = correlation(ds, 'news_sentiment'); // the default 0.3
    expect(weak).toBeGreaterThan(0.05);
    expect(weak).toBeLessThan(correlation(strong, 'news_sentiment'));
  });
});

describe('errors', () => {
  function badInput(fn: () => unknown): string {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(WorkbenchError);
      expect((err as WorkbenchError).code).toBe('BAD_INPUT');
      return (err as Error).message;
    }
    throw new Error('expected a BAD_INPUT error');
  }

  it('names a ticker with too little history and its bar count', () => {
    const bars = handBars('2024-11-01', '2024-11-29').slice(-30);
    expect(bars).toHaveLength(30);
    expect(badInput(() => buildDatasetFromRaw(handConfig('2024-11-01', '2024-11-29'), handRaw(bars)))).toBe(
      'TEST has only 30 price bars up to 2024-11-29; at least 65 are needed (60 warm-up bars for the indicators + 5 sample days)',
    );
  });

  it('names a ticker without prices', () => {
    const config2 = handConfig('2024-10-01', '2024-11-29', { tickers: ['TEST', 'NOPE'] });
    expect(badInput(() => buildDatasetFromRaw(config2, handRaw(handBars('2024-10-01', '2024-11-29'))))).toBe('no price data for ticker NOPE');
  });

  it('rejects a range without trading days and a range too short to split', async () => {
    await expect(buildDataset({ ...config, start: '2024-11-30', end: '2024-12-01' })).rejects.toThrow('no trading days between 2024-11-30 and 2024-12-01');
    await expect(buildDataset({ ...config, start: '2024-11-25', end: '2024-11-26' })).rejects.toThrow(/too few to split/);
  });

  it('starts late, with a note, when the history is shorter than the warm-up', () => {
    const bars = handBars('2024-10-01', '2024-12-31', 20);
    const d = buildDatasetFromRaw(handConfig('2024-10-01', '2024-12-31'), handRaw(bars));
    expect(d.rows[0].date).toBe(bars[60].date);
    expect(d.manifest.repairs).toEqual([`TEST: only 20 bars before 2024-10-01; first sample day moved to ${bars[60].date} for the indicator warm-up`]);
  });
});
