/**
 * NaN or exploding loss stops training with a clear message and saves nothing — in the training loop,
 * in a trainer process, and from the CLI. (A huge learning rate with Adam keeps the loss finite but
 * astronomically large; NaN input features make it NaN — tests/training/train.test.ts has that case.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { resolveDatasetConfig } from '../../src-main/core/dataset';
import { WorkbenchError } from '../../src-main/core/errors';
import { startTrainingJob } from '../../src-main/core/jobs/trainerClient';
import { trainModel } from '../../src-main/core/training';
import { DEFAULT_TRAIN_CONFIG } from '../../src-main/core/types';
import { makeTinyDataset } from '../training/helpers';

const root = path.resolve(__dirname, '../..');
const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-explode-')));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  await initBackend();
});

async function failure(p: Promise<unknown>): Promise<WorkbenchError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkbenchError);
  return err as WorkbenchError;
}

describe('the training loop', () => {
  const ds = makeTinyDataset({ days: 60 });

  for (const kind of ['dual_tower', 'lstm'] as const) {
    it(`${kind}: a learning rate of 1 (the largest allowed) stops in epoch 1 with "loss exploded", leaving no tensors`, async () => {
      const before = tf.memory().numTensors;
      const err = await failure(trainModel(kind, ds, { ...DEFAULT_TRAIN_CONFIG, epochs: 5, learningRate: 1 }));
      expect(err.code).toBe('TRAINING_FAILED');
      expect(err.message).toMatch(/^loss exploded to \d+(\.\d+)?(e\+\d+)? at epoch 1, batch \d+ \(it starts near 1\.1\) — try a lower learning rate; no model was saved$/);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('the default learning rate trains without tripping the guard', async () => {
    const r = await trainModel('dual_tower', ds, { ...DEFAULT_TRAIN_CONFIG, epochs: 2 });
    expect(r.history).toHaveLength(2);
    r.model.dispose();
  });
});

describe('a trainer process and the CLI', () => {
  const dataset = resolveDatasetConfig({ tickers: ['AAPL'], start: '2024-01-02', end: '2024-06-28', seed: 1 });

  it('the job fails with TRAINING_FAILED and no model folder is written', async () => {
    const outDir = path.join(work, 'job');
    const job = startTrainingJob({ kind: 'dual_tower', dataset, train: { ...DEFAULT_TRAIN_CONFIG, epochs: 3, learningRate: 1 }, outDir });
    const err = await failure(job.done);
    expect(err.code).toBe('TRAINING_FAILED');
    expect(err.message).toMatch(/^loss exploded to .* at epoch 1/);
    expect(existsSync(path.join(outDir, 'dual_tower_best'))).toBe(false);
  });

  it('`stock-trend train --lr 1` exits 1 with one error line and writes no model or summary', () => {
    const out = path.join(work, 'cli');
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const r = spawnSync(
      process.execPath,
      ['--import', tsx, path.join(root, 'src-main/cli/index.ts'), 'train', '--model', 'dual_tower', '--lr', '1', '--epochs', '3',
        '--tickers', 'AAPL', '--start', '2024-01-02', '--end', '2024-06-28', '--seed', '1', '--out', out],
      { cwd: work, encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: loss exploded to \S+ at epoch 1, batch \d+ \(it starts near 1\.1\) — try a lower learning rate; no model was saved\n$/);
    expect(readdirSync(out)).toEqual([]); // a failed run leaves its folder as it was
  });
});
