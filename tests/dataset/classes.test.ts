/** A band that leaves one class is refused before training (CLI, pipeline, service) and warned about in the dataset report. */
import { describe, expect, it } from 'vitest';
import { buildDataset, resolveDatasetConfig } from '../../src-main/core/dataset';
import { classWarnings, untrainableReason } from '../../src-main/core/dataset/classes';
import { trainModel } from '../../src-main/core/training';
import { DEFAULT_TRAIN_CONFIG } from '../../src-main/core/types';
import { formatDatasetReport } from '../../src-main/cli/report';

const config = { tickers: ['AAPL'], start: '2024-01-02', end: '2024-06-28', seed: 2 };

describe('a dataset with one class', () => {
  it('(band ±20% over a day) is untrainable, says why, and trainModel refuses it', async () => {
    const ds = await buildDataset(resolveDatasetConfig({ ...config, threshold: 0.2 }));
    expect(ds.manifest.classBalance.train).toEqual({ down: 0, flat: ds.manifest.trainSamples, up: 0 });
    expect(untrainableReason(ds.manifest)).toBe('every training row is "flat" (band ±20% over 1 trading day): there is nothing to learn — narrow the band or lengthen the horizon');
    expect(classWarnings(ds.manifest)).toEqual(['the training rows have no "down", "up" class', 'the validation rows have no "down", "up" class']);
    expect(formatDatasetReport(ds.manifest, [])).toContain('warning: the training rows have no "down", "up" class');
    await expect(trainModel('dual_tower', ds, { ...DEFAULT_TRAIN_CONFIG, epochs: 1 })).rejects.toThrow(/every training sample has the same class \(flat\)/);
  });

  it('the default band leaves all three classes: nothing to say', async () => {
    const ds = await buildDataset(resolveDatasetConfig(config));
    expect(untrainableReason(ds.manifest)).toBeNull();
    expect(classWarnings(ds.manifest)).toEqual([]);
  });
});
