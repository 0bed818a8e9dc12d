/**
 * The core functions the workbench service drives, behind one interface so the service can be
 * tested with a fake engine and the real one is loaded lazily (the pipeline pulls in tfjs).
 * The shapes are the agreed core API (src-main/core/dataset, src-main/core/pipeline/{run,saved}).
 */
import type { RunOptions, RunRequest } from '../core/pipeline/run';
import type { WalkForwardOptions } from '../core/pipeline/walkForward';
import type { Dataset, DatasetConfig } from '../core/types';

export type { TrainerPort } from '../core/jobs/trainerClient';
export type { RunEvent, RunOptions, RunRequest } from '../core/pipeline/run';
export type { WalkForwardEvent, WalkForwardOptions } from '../core/pipeline/walkForward';

export interface EnginePrediction {
  ticker: string;
  date: string;
  lstm?: number[] | null;
  dual_tower?: number[] | null;
  average: number[];
}

export interface Engine {
  defaultDataset: DatasetConfig;
  resolveDatasetConfig(partial: Partial<DatasetConfig>): DatasetConfig;
  buildDataset(config: DatasetConfig, onProgress?: (p: { stage: string; fraction: number }) => void): Promise<Dataset>;
  exportDataset(ds: Dataset, outDir: string): Promise<string[]>;
  /** resolves to the training summary (validated by the service against the contract) */
  runTraining(req: RunRequest, opts?: RunOptions): Promise<unknown>;
  predictFromRun(dir: string, tickers: string[], date?: string): Promise<EnginePrediction[]>;
  /** walk-forward of a finished run's folder (trainer processes); stores it in the folder's summary and resolves to that summary */
  walkForward(dir: string, k: number, opts?: WalkForwardOptions): Promise<unknown>;
}

let loaded: Promise<Engine> | null = null;

/** The real engine, imported once on first use. */
export function loadEngine(): Promise<Engine> {
  loaded ??= (async () => {
    const [dataset, pipeline, saved] = await Promise.all([
      import('../core/dataset'),
      import('../core/pipeline/run'),
      import('../core/pipeline/saved'),
    ]);
    const engine: Engine = {
      defaultDataset: dataset.DEFAULT_DATASET_CONFIG,
      resolveDatasetConfig: dataset.resolveDatasetConfig,
      buildDataset: dataset.buildDataset,
      exportDataset: dataset.exportDataset,
      runTraining: pipeline.runTraining,
      // agreed as predictFromRun; the pipeline implements it as predictSaved
      predictFromRun: saved.predictSaved,
      walkForward: saved.addWalkForward,
    };
    return engine;
  })();
  return loaded;
}
