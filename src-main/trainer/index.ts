/**
 * Entry of a training process (child_process.fork or Electron utilityProcess). It announces its
 * backend, waits for one `start`, builds the dataset itself (deterministic from the config), trains,
 * saves the best model and reports; `cancel` stops it between batches.
 */
import path from 'node:path';
import { initBackend } from '../core/backend';
import { buildDataset } from '../core/dataset';
import { toErrorPayload, WorkbenchError } from '../core/errors';
import { IMPORTANCE_STAGE, isParentMessage, type TrainerJob, type TrainingJob, type WalkForwardJob } from '../core/jobs/protocol';
import { saveModel } from '../core/models/io';
import { permutationImportance, runWalkForward } from '../core/research';
import { resolveTrainConfig } from '../core/training/config';
import { trainModel, type BatchProgress } from '../core/training/train';
import { FEATURE_NAMES, type DatasetConfig, type TrainConfig } from '../core/types';
import { openParentChannel } from './channel';

const BATCH_INTERVAL_MS = 100; // ≤ 10 batch messages a second

const channel = openParentChannel();
const abort = new AbortController();
let running = false;

async function exit(code: number): Promise<void> {
  // Give a utility process's port a moment to flush; a fork's send callback already waited.
  if (channel.kind === 'utility') await new Promise((r) => setTimeout(r, 100));
  process.exit(code);
}

async function datasetFor(job: { dataset: DatasetConfig; expectedHash?: string }) {
  const ds = await buildDataset(job.dataset, (p) => void channel.post({ type: 'stage', stage: p.stage, fraction: p.fraction }));
  if (job.expectedHash && ds.manifest.hash !== job.expectedHash) {
    throw new WorkbenchError('BAD_INPUT', `the dataset built for training differs from the one shown (hash ${ds.manifest.hash.slice(0, 12)} ≠ ${job.expectedHash.slice(0, 12)}); did the input files change?`);
  }
  if (abort.signal.aborted) throw new WorkbenchError('CANCELLED', 'training was cancelled');
  return ds;
}

/** Batch messages (at most one per BATCH_INTERVAL_MS) with the time left in the current training. */
function batchReporter(train: TrainConfig): (p: BatchProgress) => void {
  const started = Date.now();
  let lastBatch = 0;
  return (p) => {
    const now = Date.now();
    if (now - lastBatch < BATCH_INTERVAL_MS && p.batch !== p.batches) return;
    lastBatch = now;
    const elapsedSeconds = (now - started) / 1000;
    const fraction = ((p.epoch - 1) * p.batches + p.batch) / (train.epochs * p.batches);
    void channel.post({ type: 'batch', ...p, epochs: train.epochs, elapsedSeconds, etaSeconds: (elapsedSeconds * (1 - fraction)) / fraction });
  };
}

async function runWalkForwardJob(job: WalkForwardJob): Promise<void> {
  const train = resolveTrainConfig(job.train);
  const ds = await datasetFor(job);
  let onBatch = batchReporter(train);
  const result = await runWalkForward(ds, job.k, { [job.kind]: train }, {
    signal: abort.signal,
    onFold: (p) => {
      onBatch = batchReporter(train); // the ETA restarts with each fold
      void channel.post({ type: 'fold', fold: p.fold, folds: p.folds });
    },
    onEpoch: (_p, record) => void channel.post({ type: 'epoch', record }),
    onBatch: (_p, b) => onBatch(b),
  });
  await channel.post({ type: 'walk-forward-done', result });
}

async function runJob(job: TrainingJob): Promise<void> {
  const train = resolveTrainConfig(job.train);
  const ds = await datasetFor(job);
  const result = await trainModel(job.kind, ds, train, {
    signal: abort.signal,
    onEpoch: (record) => void channel.post({ type: 'epoch', record }),
    onBatch: batchReporter(train),
  });

  const modelDir = path.join(path.resolve(job.outDir), `${job.kind}_best`);
  await saveModel(result.model, modelDir, {
    kind: job.kind,
    seqLen: train.seqLen,
    features: [...FEATURE_NAMES],
    normaliser: ds.normaliser,
    config: train,
    dataset: ds.config,
    datasetHash: ds.manifest.hash,
    params: result.params,
    bestEpoch: result.bestEpoch,
    backend: result.backend,
    created: new Date().toISOString(),
  });
  let importance;
  try {
    if (job.importance) {
      const stage = (fraction: number): void => void channel.post({ type: 'stage', stage: IMPORTANCE_STAGE, fraction });
      stage(0);
      importance = await permutationImportance(result.model, job.kind, ds, { seqLen: train.seqLen, ...job.importance, onProgress: stage, signal: abort.signal });
    }
  } finally {
    result.model.dispose();
  }
  const { model: _model, ...outcome } = result;
  await channel.post({ type: 'done', result: { ...outcome, modelDir, ...(importance ? { importance } : {}) } });
}

function run(job: TrainerJob): Promise<void> {
  return job.mode === 'walk_forward' ? runWalkForwardJob(job) : runJob(job);
}

channel.onMessage((raw) => {
  if (!isParentMessage(raw)) return;
  if (raw.type === 'cancel') {
    abort.abort();
    if (!running) void channel.post({ type: 'cancelled' }).then(() => exit(0));
    return;
  }
  if (running) return; // one job per process
  running = true;
  run(raw.job).then(
    () => exit(0),
    async (err: unknown) => {
      const payload = toErrorPayload(err);
      await channel.post(payload.code === 'CANCELLED' ? { type: 'cancelled' } : { type: 'error', ...payload });
      await exit(payload.code === 'CANCELLED' ? 0 : 1);
    },
  );
});
channel.onDisconnect(() => process.exit(0)); // the parent is gone: nobody wants the result

process.on('uncaughtException', (err) => {
  void channel.post({ type: 'error', code: 'INTERNAL', message: err.message }).then(() => exit(1));
});

initBackend().then(
  (backend) => channel.post({ type: 'ready', backend }),
  async (err: unknown) => {
    await channel.post({ type: 'error', code: 'INTERNAL', message: `no tfjs backend: ${(err as Error).message}` });
    await exit(1);
  },
);
