/** Saved run folders for tests: untrained models saved as a run would save them, for a given dataset. */
import path from 'node:path';
import { buildModel, saveModel } from '../../src-main/core/models';
import { DEFAULT_TRAIN_CONFIG, FEATURE_NAMES, type Dataset, type ModelKind } from '../../src-main/core/types';

/** Saves a freshly built `kind` model into `<dir>/<kind>_best` with the meta of a run on `ds`. */
export async function saveUntrained(kind: ModelKind, dir: string, ds: Dataset): Promise<void> {
  const m = buildModel(kind, DEFAULT_TRAIN_CONFIG);
  await saveModel(m, path.join(dir, `${kind}_best`), {
    kind,
    seqLen: 3,
    features: [...FEATURE_NAMES],
    normaliser: ds.normaliser,
    config: DEFAULT_TRAIN_CONFIG,
    dataset: ds.config,
    datasetHash: ds.manifest.hash,
    params: m.countParams(),
    backend: 'wasm',
    created: 't',
  });
  m.dispose();
}
