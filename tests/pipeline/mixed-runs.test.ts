/**
 * A run folder whose two models were trained on different data (a later `run --model lstm` into the
 * folder of an older run) is refused by predict and evaluate, naming both datasets, instead of
 * averaging or comparing models that never saw the same rows.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDataset, resolveDatasetConfig } from '../../src-main/core/dataset';
import { evaluateSaved, predictSaved } from '../../src-main/core/pipeline/saved';
import type { Dataset, ModelKind } from '../../src-main/core/types';
import { saveUntrained } from '../models/helpers';

let dir: string;
const hashes: Partial<Record<ModelKind, string>> = {};

async function save(kind: ModelKind, ds: Dataset): Promise<void> {
  await saveUntrained(kind, dir, ds);
  hashes[kind] = ds.manifest.hash;
}

beforeAll(async () => {
  await initBackend();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stw-mixed-'));
  await save('dual_tower', await buildDataset(resolveDatasetConfig({ tickers: ['AAPL', 'MSFT'], start: '2024-01-02', end: '2024-06-28', seed: 3 })));
  await save('lstm', await buildDataset(resolveDatasetConfig({ tickers: ['NVDA'], start: '2023-01-03', end: '2023-12-29', seed: 3 })));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('a folder with models from two runs', () => {
  it('is refused by predict and evaluate, naming both datasets, and leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const expected = `the models in this folder were trained on different data (lstm_best/ on dataset ${hashes.lstm?.slice(0, 12)}, dual_tower_best/ on dataset ${hashes.dual_tower?.slice(0, 12)}); train both in one run, or keep each run in its own folder`;
    expect(hashes.lstm).not.toBe(hashes.dual_tower);
    await expect(predictSaved(dir, ['NVDA'])).rejects.toThrow(expected);
    await expect(evaluateSaved(dir)).rejects.toThrow(expected);
    expect(tf.memory().numTensors).toBe(before);
  });
});
