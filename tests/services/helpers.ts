import type { RunRecord } from '../../src-preload/contract';

/** A complete, valid run record for store tests. */
export function sampleRun(id: string, status: RunRecord['status'] = 'done'): RunRecord {
  const train = {
    epochs: 3,
    batchSize: 8,
    learningRate: 0.001,
    decayEvery: 5,
    decayFactor: 0.5,
    clipNorm: 1,
    seqLen: 3,
    dropout: 0.3,
    towerSplit: 'group' as const,
    selectBy: 'macro_f1' as const,
    seed: 42,
  };
  return {
    id,
    created: '2024-12-01T09:00:00.000Z',
    finished: status === 'running' ? null : '2024-12-01T09:05:00.000Z',
    status,
    dataset: {
      source: 'synthetic',
      tickers: ['AAPL', 'MSFT'],
      start: '2023-01-03',
      end: '2023-12-29',
      horizon: 1,
      threshold: 0.005,
      seed: 42,
      signal: 0.3,
      trainFraction: 2 / 3,
      normalisation: 'per_ticker',
    },
    datasetHash: 'abc123',
    train: { models: ['lstm', 'dual_tower'], lstm: train, dual_tower: train },
    backend: 'wasm',
    modelsFolder: `/tmp/runs/${id}`,
    history: { lstm: [], dual_tower: [] },
    summary: null,
    error: null,
  };
}
