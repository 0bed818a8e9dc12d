/**
 * The CLI (core validators) and the app (IPC contract) accept the same dataset and training values:
 * both read src-main/core/limits.ts. Checked at each edge, on both sides of it.
 */
import { describe, expect, it } from 'vitest';
import { resolveDatasetConfig } from '../../src-main/core/dataset/config';
import { WorkbenchError } from '../../src-main/core/errors';
import { resolveTrainConfig } from '../../src-main/core/training/config';
import { DatasetParams, TrainParams } from '../../src-preload/contract';

const base = { tickers: ['AAPL'], start: '2024-01-02', end: '2024-06-28' };

function coreAcceptsDataset(patch: Record<string, unknown>): boolean {
  try {
    resolveDatasetConfig({ ...base, ...patch });
    return true;
  } catch (err) {
    if (err instanceof WorkbenchError && err.code === 'BAD_INPUT') return false;
    throw err;
  }
}

function coreAcceptsTrain(patch: Record<string, unknown>): boolean {
  try {
    resolveTrainConfig(patch);
    return true;
  } catch (err) {
    if (err instanceof WorkbenchError && err.code === 'BAD_INPUT') return false;
    throw err;
  }
}

describe('one set of limits for the CLI and the app', () => {
  const datasetCases: [string, Record<string, unknown>, boolean][] = [
    ['horizon 60', { horizon: 60 }, true],
    ['horizon 61', { horizon: 61 }, false],
    ['horizon 0', { horizon: 0 }, false],
    ['threshold 0.2', { threshold: 0.2 }, true],
    ['threshold 0.5 (50%)', { threshold: 0.5 }, false],
    ['threshold −0.01', { threshold: -0.01 }, false],
    ['seed 0', { seed: 0 }, true],
    ['seed −1', { seed: -1 }, false],
    ['seed 2^31', { seed: 2 ** 31 }, false],
    ['train fraction 0.95', { trainFraction: 0.95 }, true],
    ['train fraction 0.99', { trainFraction: 0.99 }, false],
    ['signal 1.5', { signal: 1.5 }, false],
    ['ticker BRK.B', { tickers: ['BRK.B'] }, true],
    ['ticker ^VIX', { tickers: ['^VIX'] }, false],
    ['ticker 1ABC', { tickers: ['1ABC'] }, false],
    ['51 tickers', { tickers: Array.from({ length: 51 }, (_, i) => `T${i}`) }, false],
  ];
  for (const [name, patch, ok] of datasetCases) {
    it(`dataset: ${name} is ${ok ? 'accepted' : 'refused'} by both`, () => {
      expect(coreAcceptsDataset(patch)).toBe(ok);
      expect(DatasetParams.safeParse({ ...base, ...patch }).success).toBe(ok);
    });
  }

  const trainCases: [string, Record<string, unknown>, boolean][] = [
    ['epochs 500', { epochs: 500 }, true],
    ['epochs 501', { epochs: 501 }, false],
    ['epochs 0', { epochs: 0 }, false],
    ['batch size 4096', { batchSize: 4096 }, true],
    ['batch size 4097', { batchSize: 4097 }, false],
    ['learning rate 1', { learningRate: 1 }, true],
    ['learning rate 1e6', { learningRate: 1e6 }, false],
    ['learning rate 0', { learningRate: 0 }, false],
    ['sequence length 120', { seqLen: 120 }, true],
    ['sequence length 121', { seqLen: 121 }, false],
    ['dropout 0.9', { dropout: 0.9 }, true],
    ['dropout 0.95', { dropout: 0.95 }, false],
    ['clip norm 0', { clipNorm: 0 }, false],
    ['seed −3', { seed: -3 }, false],
  ];
  for (const [name, patch, ok] of trainCases) {
    it(`training: ${name} is ${ok ? 'accepted' : 'refused'} by both`, () => {
      expect(coreAcceptsTrain(patch)).toBe(ok);
      expect(TrainParams.safeParse(patch).success).toBe(ok);
    });
  }

  it('says what the range is', () => {
    expect(() => resolveDatasetConfig({ ...base, threshold: 0.5 })).toThrow('threshold: must be at most 0.2 (±20%); 0.005 = 0.5%');
    expect(() => resolveTrainConfig({ learningRate: 1e6 })).toThrow('learningRate must be a number above 0 and at most 1, got 1000000');
  });
});
