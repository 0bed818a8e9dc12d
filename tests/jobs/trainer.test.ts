import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDataset, resolveDatasetConfig } from '../../src-main/core/dataset';
import { WorkbenchError } from '../../src-main/core/errors';
import type { ChildMessage, TrainerPort } from '../../src-main/core/jobs/protocol';
import { startTrainingJob } from '../../src-main/core/jobs/trainerClient';
import { loadModel } from '../../src-main/core/models/io';
import { DEFAULT_TRAIN_CONFIG, type DatasetConfig } from '../../src-main/core/types';

// Two tickers over half a year of synthetic data: ~160 training and ~80 validation samples.
const dataset: DatasetConfig = resolveDatasetConfig({ tickers: ['AAPL', 'MSFT'], start: '2024-01-02', end: '2024-06-28', seed: 1 });
let tmp: string;
let hash: string;

beforeAll(async () => {
  await initBackend(); // for loadModel in this process
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'stw-jobs-'));
  hash = (await buildDataset(dataset)).manifest.hash;
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

describe('trainer process', () => {
  it('trains in a forked process, streams progress and saves the best model', async () => {
    const events: ChildMessage[] = [];
    const outDir = path.join(tmp, 'run');
    const job = startTrainingJob(
      { kind: 'dual_tower', dataset, train: { ...DEFAULT_TRAIN_CONFIG, epochs: 3 }, outDir, expectedHash: hash },
      { onEvent: (e) => events.push(e) },
    );
    const { result } = await job.done;
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('ready');
    expect(types).toContain('stage');
    expect(types).toContain('batch');
    expect(types.filter((t) => t === 'epoch')).toHaveLength(3);
    expect(types[types.length - 1]).toBe('done');

    expect(result.kind).toBe('dual_tower');
    expect(result.params).toBe(2371);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(result.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(result.valProbs).toHaveLength(result.valTrue.length);
    expect(result.valKeys).toHaveLength(result.valSamples);
    expect(result.modelDir).toBe(path.join(outDir, 'dual_tower_best'));
    const ready = events[0] as Extract<ChildMessage, { type: 'ready' }>;
    expect(result.backend).toBe(ready.backend);

    const loaded = await loadModel(result.modelDir);
    expect(loaded.meta.kind).toBe('dual_tower');
    expect(loaded.meta.datasetHash).toBe(hash);
    expect(loaded.meta.bestEpoch).toBe(result.bestEpoch);
    loaded.model.dispose();
    expect(await waitUntil(() => !alive(job.pid), 3000)).toBe(true);
  });

  it('cancel stops the job and the process is gone within 1.5 s', async () => {
    let cancelledAt = 0;
    const job = startTrainingJob(
      { kind: 'lstm', dataset, train: { ...DEFAULT_TRAIN_CONFIG, epochs: 200 }, outDir: path.join(tmp, 'cancel') },
      {
        onEvent: (e) => {
          if (e.type === 'batch' && !cancelledAt) {
            cancelledAt = Date.now();
            job.cancel();
          }
        },
      },
    );
    const err = await job.done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect((err as WorkbenchError).code).toBe('CANCELLED');
    expect(await waitUntil(() => !alive(job.pid), 1500 - (Date.now() - cancelledAt))).toBe(true);
    expect(Date.now() - cancelledAt).toBeLessThan(1500);
    await expect(fs.access(path.join(tmp, 'cancel', 'lstm_best'))).rejects.toThrow();
  });

  it('refuses to train when the dataset hash differs', async () => {
    const job = startTrainingJob({ kind: 'dual_tower', dataset, train: DEFAULT_TRAIN_CONFIG, outDir: tmp, expectedHash: 'not-the-hash' });
    const err = (await job.done.catch((e: unknown) => e)) as WorkbenchError;
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/differs/);
  });

  it('reports a crashed trainer as TRAINING_FAILED with its exit code', async () => {
    const entry = path.resolve(__dirname, '../fixtures/jobs/crash-trainer.mjs');
    const job = startTrainingJob({ kind: 'dual_tower', dataset, train: DEFAULT_TRAIN_CONFIG, outDir: tmp }, { entry });
    const err = (await job.done.catch((e: unknown) => e)) as WorkbenchError;
    expect(err.code).toBe('TRAINING_FAILED');
    expect(err.message).toMatch(/exited with code 3/);
    expect(err.message).toMatch(/simulated crash/);
  });

  it('gives up on a trainer that never becomes ready, and kills it', async () => {
    let killed = false;
    const port: TrainerPort = {
      send: () => {},
      onMessage: () => {},
      onExit: () => {},
      kill: () => {
        killed = true;
      },
    };
    const job = startTrainingJob({ kind: 'lstm', dataset, train: DEFAULT_TRAIN_CONFIG, outDir: tmp }, { spawn: () => port, readyTimeoutMs: 50 });
    const err = (await job.done.catch((e: unknown) => e)) as WorkbenchError;
    expect(err.code).toBe('TRAINING_FAILED');
    expect(err.message).toMatch(/did not start/);
    expect(killed).toBe(true);
  });
});
