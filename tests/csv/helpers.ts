import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkbenchError } from '../../src-main/core/errors';
import type { DatasetConfig } from '../../src-main/core/types';

export const FIXTURES = fileURLToPath(new URL('../fixtures/csv', import.meta.url));
export const fixture = (...parts: string[]): string => path.join(FIXTURES, ...parts);

export function csvConfig(overrides: Partial<DatasetConfig>): DatasetConfig {
  return {
    source: 'csv',
    tickers: ['AAPL'],
    start: '2024-09-03',
    end: '2024-11-29',
    horizon: 1,
    threshold: 0.005,
    seed: 42,
    signal: 0,
    trainFraction: 2 / 3,
    normalisation: 'per_ticker',
    ...overrides,
  };
}

/** The WorkbenchError a promise is rejected with (fails the test if it resolves or throws something else). */
export async function refusal(promise: Promise<unknown>): Promise<WorkbenchError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WorkbenchError) return err;
    throw err;
  }
  throw new Error('expected the loader to refuse the input');
}
