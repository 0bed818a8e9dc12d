/** Working with a finished run's folder: re-evaluate its saved models, or ask them for predictions. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { buildDataset, resolveDatasetConfig } from '../dataset';
import { WorkbenchError } from '../errors';
import { recoverDir, writeJsonAtomic } from '../files';
import { loadModel, type LoadedModel } from '../models';
import { predictLatest, type Prediction } from '../predict';
import { permutationImportance, type PermutationImportance, type WalkForwardSummary } from '../research';
import { normaliseRows } from '../training/features';
import { buildSamples, modelInput } from '../training/samples';
import { predictProbs } from '../training/train';
import type { Dataset, DatasetConfig, ModelKind, TrainConfig } from '../types';
import { MODEL_KINDS } from '../types';
import { evaluateRun, IMPORTANCE_REPEATS, RUN_CONFIG_FILE, type ModelOutcome } from './run';
import { loadSummary, SUMMARY_FILE, type TrainingSummary } from './summary';
import { checkFolds, runWalkForwardJobs, type WalkForwardOptions } from './walkForward';

export const modelDir = (dir: string, kind: ModelKind) => path.join(dir, `${kind}_best`);

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

/** Every model saved in the run folder; a clear error if there is none. */
export async function loadRunModels(dir: string): Promise<Partial<Record<ModelKind, LoadedModel>>> {
  const out: Partial<Record<ModelKind, LoadedModel>> = {};
  try {
    for (const kind of MODEL_KINDS) {
      await recoverDir(modelDir(dir, kind)); // a save killed mid-replace leaves the previous model aside
      if (await exists(modelDir(dir, kind))) out[kind] = await loadModel(modelDir(dir, kind));
    }
  } catch (err) {
    disposeAll(out); // one corrupt model: free the ones already loaded before reporting it
    throw err;
  }
  if (Object.keys(out).length === 0) throw new WorkbenchError('NOT_FOUND', `no saved models (lstm_best/, dual_tower_best/) in ${dir}`);
  return out;
}

/**
 * Rebuild the dataset the models were trained on, and refuse if the input data changed since, or if
 * the folder's models were trained on different data (a later `run --model lstm` into a folder
 * whose dual tower came from another dataset): their predictions must not be averaged or compared.
 */
export async function rebuildRunDataset(models: Partial<Record<ModelKind, LoadedModel>>): Promise<Dataset> {
  const entries = Object.entries(models) as [ModelKind, LoadedModel][];
  const hashes = new Set(entries.map(([, m]) => m.meta.datasetHash ?? ''));
  if (hashes.size > 1) {
    const list = entries.map(([kind, m]) => `${kind}_best/ on ${m.meta.datasetHash ? `dataset ${m.meta.datasetHash.slice(0, 12)}` : 'an unrecorded dataset'}`).join(', ');
    throw new WorkbenchError(
      'BAD_INPUT',
      `the models in this folder were trained on different data (${list}); train both in one run, or keep each run in its own folder`,
    );
  }
  const first = entries[0][1];
  const config = first.meta.dataset as DatasetConfig | undefined;
  if (!config) throw new WorkbenchError('CORRUPT', 'the saved model does not record its dataset configuration');
  const ds = await buildDataset(resolveDatasetConfig(config));
  const expected = first.meta.datasetHash;
  if (expected && expected !== ds.manifest.hash)
    throw new WorkbenchError('BAD_INPUT', `the input data changed since these models were trained (dataset hash ${ds.manifest.hash.slice(0, 12)} ≠ ${expected.slice(0, 12)})`);
  return ds;
}

function disposeAll(models: Partial<Record<ModelKind, LoadedModel>>): void {
  for (const loaded of Object.values(models)) loaded?.model.dispose();
}

/** Recompute every metric of the saved models on their validation set. */
export async function evaluateSaved(dir: string, opts: { importance?: boolean } = {}): Promise<TrainingSummary> {
  const models = await loadRunModels(dir);
  try {
    const ds = await rebuildRunDataset(models);
    const previous = (await exists(path.join(dir, SUMMARY_FILE))) ? await loadSummary(dir).catch(() => null) : null;
    const seqLen = Math.max(...Object.values(models).map((m) => (m as LoadedModel).meta.seqLen));
    const outcomes: ModelOutcome[] = [];
    for (const [kind, loaded] of Object.entries(models) as [ModelKind, LoadedModel][]) {
      const features = normaliseRows(ds.rows, loaded.meta.normaliser);
      const samples = buildSamples(ds, features, seqLen);
      const x = modelInput(kind, features, samples.val, loaded.meta.seqLen);
      const valProbs = await predictProbs(loaded.model, x).finally(() => x.dispose());
      // the LSTM's windows must be the samples' windows; an old run whose dual tower picked other samples gets none
      const before = previous?.models[kind];
      let importance: PermutationImportance | undefined;
      if (opts.importance === false) importance = previous?.importance?.[kind]; // not recomputed: the earlier figures stay
      else if (kind === 'dual_tower' || loaded.meta.seqLen === seqLen) {
        importance = await permutationImportance(loaded.model, kind, ds, { seqLen, normaliser: loaded.meta.normaliser, repeats: IMPORTANCE_REPEATS, seed: loaded.meta.config.seed });
      }
      outcomes.push({
        kind,
        params: loaded.model.countParams(),
        bestEpoch: before?.best_epoch ?? loaded.meta.bestEpoch ?? 0,
        trainSeconds: before?.train_seconds ?? 0,
        // how it was trained is a fact of the earlier run, not of this re-evaluation
        ...(before?.threads ? { execution: before.threads > 1 ? 'parts-parallel' : 'whole' } : {}),
        history: (before?.history ?? []).map((h) => ({ val_macro_f1: 0, seconds: 0, ...h })),
        valProbs,
        valTrue: samples.valLabels,
        valKeys: samples.valKeys,
        backend: loaded.meta.backend,
        trainSamples: samples.train.length,
        ...(importance ? { importance } : {}),
      });
    }
    // a walk-forward depends on the run's configuration, not on the saved weights: it stays valid
    return evaluateRun(ds, outcomes, 5, { walkForward: previous?.walk_forward });
  } finally {
    // also when the data changed or a model fails: no tensors are left behind
    disposeAll(models);
  }
}

/** Both models' class probabilities for the latest day (or `date`) of the run's data. */
export async function predictSaved(dir: string, tickers?: string[], date?: string): Promise<Prediction[]> {
  const models = await loadRunModels(dir);
  try {
    const ds = await rebuildRunDataset(models);
    return await predictLatest(models, ds, tickers ?? ds.config.tickers, date);
  } finally {
    disposeAll(models);
  }
}

const runConfigSchema = z.looseObject({
  dataset: z.looseObject({ source: z.string(), tickers: z.array(z.string()) }),
  models: z.array(z.enum(['lstm', 'dual_tower'])).min(1),
  train: z.looseObject({}),
});
const metaConfigSchema = z.looseObject({ dataset: z.looseObject({ source: z.string() }), config: z.looseObject({ seqLen: z.number() }) });

export interface RunConfig {
  dataset: DatasetConfig;
  models: ModelKind[];
  train: Partial<Record<ModelKind, TrainConfig>>;
}

/** What a run was trained with: run_config.json, or (older folders) the saved models' meta.json. */
export async function runConfigOf(dir: string): Promise<RunConfig> {
  const file = path.join(dir, RUN_CONFIG_FILE);
  if (await exists(file)) {
    const parsed = runConfigSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8').catch(() => 'null')));
    if (!parsed.success) throw new WorkbenchError('CORRUPT', `unexpected content in ${RUN_CONFIG_FILE}`, { file });
    return parsed.data as unknown as RunConfig;
  }
  const config: RunConfig = { dataset: undefined as unknown as DatasetConfig, models: [], train: {} };
  for (const kind of MODEL_KINDS) {
    const metaFile = path.join(modelDir(dir, kind), 'meta.json');
    if (!(await exists(metaFile))) continue;
    const meta = metaConfigSchema.safeParse(JSON.parse(await fs.readFile(metaFile, 'utf8').catch(() => 'null')));
    if (!meta.success) throw new WorkbenchError('CORRUPT', 'the saved model does not record its dataset and training configuration', { file: metaFile });
    config.dataset ??= meta.data.dataset as unknown as DatasetConfig;
    config.models.push(kind);
    config.train[kind] = meta.data.config as unknown as TrainConfig;
  }
  if (config.models.length === 0) throw new WorkbenchError('NOT_FOUND', `no ${RUN_CONFIG_FILE} and no saved models in ${dir}`);
  return config;
}

/** Walk-forward (k folds, every model of the run, trainer processes) with the configuration the run was trained with. */
export async function walkForwardOfRun(dir: string, k: number, datasetHash: string | undefined, opts: WalkForwardOptions = {}): Promise<WalkForwardSummary> {
  checkFolds(k);
  const config = await runConfigOf(dir);
  return runWalkForwardJobs({ ...config, dataset: resolveDatasetConfig(config.dataset), k, expectedHash: datasetHash }, opts);
}

/** Runs a walk-forward for a finished run and stores it in the run's training_summary.json (atomically). */
export async function addWalkForward(dir: string, k: number, opts: WalkForwardOptions = {}): Promise<TrainingSummary> {
  checkFolds(k);
  const summary = await loadSummary(dir);
  const walkForward = await walkForwardOfRun(dir, k, summary.dataset.hash, opts);
  const next: TrainingSummary = { ...summary, walk_forward: walkForward };
  await writeJsonAtomic(path.join(dir, SUMMARY_FILE), next);
  return next;
}

export { RUN_CONFIG_FILE };
