/** Working with a finished run's folder: re-evaluate its saved models, or ask them for predictions. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { buildDataset, resolveDatasetConfig } from '../dataset';
import { WorkbenchError } from '../errors';
import { loadModel, type LoadedModel } from '../models';
import { predictLatest, type Prediction } from '../predict';
import { normaliseRows } from '../training/features';
import { buildSamples, modelInput } from '../training/samples';
import { predictProbs } from '../training/train';
import type { Dataset, DatasetConfig, ModelKind } from '../types';
import { MODEL_KINDS } from '../types';
import { evaluateRun, RUN_CONFIG_FILE, type ModelOutcome } from './run';
import { loadSummary, SUMMARY_FILE, type TrainingSummary } from './summary';

export const modelDir = (dir: string, kind: ModelKind) => path.join(dir, `${kind}_best`);

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

/** Every model saved in the run folder; a clear error if there is none. */
export async function loadRunModels(dir: string): Promise<Partial<Record<ModelKind, LoadedModel>>> {
  const out: Partial<Record<ModelKind, LoadedModel>> = {};
  for (const kind of MODEL_KINDS) if (await exists(modelDir(dir, kind))) out[kind] = await loadModel(modelDir(dir, kind));
  if (Object.keys(out).length === 0) throw new WorkbenchError('NOT_FOUND', `no saved models (lstm_best/, dual_tower_best/) in ${dir}`);
  return out;
}

/** Rebuild the dataset the models were trained on, and refuse if the input data changed since. */
export async function rebuildRunDataset(models: Partial<Record<ModelKind, LoadedModel>>): Promise<Dataset> {
  const first = Object.values(models)[0] as LoadedModel;
  const config = first.meta.dataset as DatasetConfig | undefined;
  if (!config) throw new WorkbenchError('CORRUPT', 'the saved model does not record its dataset configuration');
  const ds = await buildDataset(resolveDatasetConfig(config));
  const expected = first.meta.datasetHash;
  if (expected && expected !== ds.manifest.hash)
    throw new WorkbenchError('BAD_INPUT', `the input data changed since these models were trained (dataset hash ${ds.manifest.hash.slice(0, 12)} ≠ ${expected.slice(0, 12)})`);
  return ds;
}

/** Recompute every metric of the saved models on their validation set. */
export async function evaluateSaved(dir: string): Promise<TrainingSummary> {
  const models = await loadRunModels(dir);
  const ds = await rebuildRunDataset(models);
  const previous = (await exists(path.join(dir, SUMMARY_FILE))) ? await loadSummary(dir).catch(() => null) : null;
  const seqLen = Math.max(...Object.values(models).map((m) => (m as LoadedModel).meta.seqLen));
  const outcomes: ModelOutcome[] = [];
  for (const [kind, loaded] of Object.entries(models) as [ModelKind, LoadedModel][]) {
    const features = normaliseRows(ds.rows, loaded.meta.normaliser);
    const samples = buildSamples(ds, features, seqLen);
    const x = modelInput(kind, features, samples.val, loaded.meta.seqLen);
    const valProbs = await predictProbs(loaded.model, x);
    x.dispose();
    const before = previous?.models[kind];
    outcomes.push({
      kind,
      params: loaded.model.countParams(),
      bestEpoch: before?.best_epoch ?? loaded.meta.bestEpoch ?? 0,
      trainSeconds: before?.train_seconds ?? 0,
      history: (before?.history ?? []).map((h) => ({ val_macro_f1: 0, seconds: 0, ...h })),
      valProbs,
      valTrue: samples.valLabels,
      valKeys: samples.valKeys,
      backend: loaded.meta.backend,
      trainSamples: samples.train.length,
    });
    loaded.model.dispose();
  }
  return evaluateRun(ds, outcomes, 5);
}

/** Both models' class probabilities for the latest day (or `date`) of the run's data. */
export async function predictSaved(dir: string, tickers?: string[], date?: string): Promise<Prediction[]> {
  const models = await loadRunModels(dir);
  if (!models.lstm || !models.dual_tower) throw new WorkbenchError('NOT_FOUND', `prediction needs both models; ${dir} has only ${Object.keys(models).join(', ')}`);
  const ds = await rebuildRunDataset(models);
  try {
    return await predictLatest({ lstm: models.lstm, dual_tower: models.dual_tower }, ds, tickers ?? ds.config.tickers, date);
  } finally {
    models.lstm.model.dispose();
    models.dual_tower.model.dispose();
  }
}

export { RUN_CONFIG_FILE };
