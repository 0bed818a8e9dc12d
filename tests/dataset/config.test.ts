import { describe, expect, it } from 'vitest';
import { buildDataset, DEFAULT_DATASET_CONFIG, resolveDatasetConfig } from '../../src-main/core/dataset';
import { WorkbenchError } from '../../src-main/core/errors';

function badInput(fn: () => unknown): WorkbenchError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    expect((err as WorkbenchError).code).toBe('BAD_INPUT');
    return err as WorkbenchError;
  }
  throw new Error('expected a BAD_INPUT error');
}

describe('dataset config', () => {
  it('has the agreed defaults', () => {
    expect(DEFAULT_DATASET_CONFIG).toEqual({
      source: 'synthetic',
      tickers: ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'TSLA'],
      start: '2020-01-02',
      end: '2024-11-29',
      horizon: 1,
      threshold: 0.005,
      seed: 42,
      signal: 0.3,
      trainFraction: 2 / 3,
      normalisation: 'per_ticker',
    });
    expect(resolveDatasetConfig({})).toEqual(DEFAULT_DATASET_CONFIG);
  });

  it('fills defaults around what is given and tidies tickers', () => {
    const config = resolveDatasetConfig({ tickers: [' aapl', 'MSFT', 'AAPL', 'brk.b'], horizon: 5, seed: undefined });
    expect(config.tickers).toEqual(['AAPL', 'MSFT', 'BRK.B']);
    expect(config.horizon).toBe(5);
    expect(config.seed).toBe(42);
  });

  it('rejects a start after the end with both dates in the message', () => {
    const err = badInput(() => resolveDatasetConfig({ start: '2024-12-01', end: '2024-11-01' }));
    expect(err.message).toBe('start (2024-12-01) is after end (2024-11-01)');
  });

  it('rejects bad options, naming the option', () => {
    expect(badInput(() => resolveDatasetConfig({ tickers: [] })).message).toMatch(/^tickers: no tickers/);
    expect(badInput(() => resolveDatasetConfig({ tickers: ['AAPL', ' '] })).message).toMatch(/^tickers: an empty ticker/);
    expect(badInput(() => resolveDatasetConfig({ tickers: ['AA PL'] })).message).toMatch(/'AA PL' is not a ticker/);
    expect(badInput(() => resolveDatasetConfig({ horizon: 0 })).message).toMatch(/^horizon: must be at least 1/);
    expect(badInput(() => resolveDatasetConfig({ horizon: 1.5 })).message).toMatch(/^horizon: must be a whole number/);
    expect(badInput(() => resolveDatasetConfig({ threshold: -0.01 })).message).toMatch(/^threshold: must not be negative/);
    expect(badInput(() => resolveDatasetConfig({ start: '2024-02-30' })).message).toMatch(/^start: must be a date/);
    expect(badInput(() => resolveDatasetConfig({ trainFraction: 1 })).message).toMatch(/^trainFraction/);
    expect(badInput(() => resolveDatasetConfig({ source: 'csv' })).message).toMatch(/^prices: the csv source needs/);
  });

  it('buildDataset validates too', async () => {
    await expect(buildDataset({ ...DEFAULT_DATASET_CONFIG, start: '2024-12-01', end: '2024-11-01' })).rejects.toThrow(
      'start (2024-12-01) is after end (2024-11-01)',
    );
  });
});
