/**
 * Train view state: hyper-parameters per model, the run in progress and each model's live
 * status, history, batch position and ETA, fed by the train.* events.
 */
import { ApiError, type EventOf, type RunRecord, type TrainParams } from '../../src-preload/contract';
import { api } from './api';
import { app } from './app.svelte';
import { errorLine, type UserError } from './errors';
import { TRAIN_FIELD_LABEL, trainRequest, type FieldErrors } from './forms';
import { MODEL_LABEL, type ModelKind } from './compare';
import { failedModel } from './training';
import { runs } from './runs.svelte';

export type EpochRecord = RunRecord['history']['lstm'][number];
export type ModelStatus = 'idle' | 'queued' | 'training' | 'done' | 'failed' | 'cancelled';
export type RunState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
export const MODEL_KINDS: readonly ModelKind[] = ['lstm', 'dual_tower'];

export interface ModelProgress {
  status: ModelStatus;
  history: EpochRecord[];
  epochs: number;
  batch: { epoch: number; batch: number; batches: number; loss: number } | null;
  etaSeconds: number | null;
  error: string | null;
  /** work after the last epoch, e.g. { stage: 'permutation importance', fraction: 0.4 } */
  stage: { stage: string; fraction: number } | null;
}

const SEED_DEFAULTS: TrainParams = {
  epochs: 20,
  batchSize: 8,
  learningRate: 1e-3,
  decayEvery: 5,
  decayFactor: 0.5,
  clipNorm: 1,
  seqLen: 3,
  dropout: 0.3,
  towerSplit: 'group',
  selectBy: 'macro_f1',
  seed: 42,
};

function idle(epochs: number): ModelProgress {
  return { status: 'idle', history: [], epochs, batch: null, etaSeconds: null, error: null, stage: null };
}

class TrainState {
  selected = $state<Record<ModelKind, boolean>>({ lstm: true, dual_tower: true });
  params = $state<Record<ModelKind, TrainParams>>({ lstm: { ...SEED_DEFAULTS }, dual_tower: { ...SEED_DEFAULTS } });
  paramErrors = $state<Record<ModelKind, FieldErrors>>({ lstm: {}, dual_tower: {} });
  /** why Start did nothing: the settings that need fixing (paramErrors), by model */
  get formError(): string | null {
    const wrong = MODEL_KINDS.filter((k) => this.selected[k]).flatMap((k) =>
      Object.entries(this.paramErrors[k]).map(([field, msg]) => `${MODEL_LABEL[k]} ${TRAIN_FIELD_LABEL[field] ?? field}: ${msg}`),
    );
    return wrong.length ? `Check the settings: ${wrong.join('; ')}.` : null;
  }
  /** permutation importance after training (on by default; it can take longer than the training) */
  importance = $state(true);
  runId = $state<string | null>(null);
  state = $state<RunState>('idle');
  models = $state<Record<ModelKind, ModelProgress>>({ lstm: idle(20), dual_tower: idle(20) });
  error = $state<UserError | null>(null);
  starting = $state(false);
  cancelling = $state(false);
  private seeded = false;

  get running(): boolean {
    return this.state === 'running';
  }

  adoptInfo(): void {
    const info = app.info;
    if (!info || this.seeded) return;
    this.seeded = true;
    this.params = { lstm: { ...info.defaults.train }, dual_tower: { ...info.defaults.train } };
    // the page was reloaded while a run trains: follow it
    if (info.activeRunId && !this.runId) void this.follow(info.activeRunId);
  }

  resetParams(kind: ModelKind): void {
    this.params[kind] = { ...(app.info?.defaults.train ?? SEED_DEFAULTS) };
    this.paramErrors[kind] = {};
  }

  /** Events that arrived for a run whose id train.start has not answered yet. */
  private early: { runId: string; replay: () => void }[] = [];

  /** Subscribe to training events for the app's lifetime. */
  attach(): () => void {
    const client = api();
    const offs = [
      client.on('train.progress', (e) => this.gate(e.runId, () => this.onProgress(e))),
      client.on('train.done', (e) => this.gate(e.runId, () => this.onDone(e))),
      client.on('train.failed', (e) => this.gate(e.runId, () => this.onFailed(e))),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Apply an event of the current run; keep one that may belong to the run being started. */
  private gate(runId: string, apply: () => void): void {
    if (runId === this.runId) apply();
    else if (this.runId === null && this.starting) this.early.push({ runId, replay: apply });
  }

  private onProgress(e: EventOf<'train.progress'>): void {
    const m = this.models[e.kind];
    switch (e.type) {
      case 'job-ready':
        m.status = 'training';
        app.backend = e.backend;
        break;
      case 'batch':
        if (m.status === 'queued') m.status = 'training';
        m.batch = { epoch: e.epoch, batch: e.batch, batches: e.batches, loss: e.loss };
        // until an epoch has finished, the batches are all there is to estimate from
        if (m.history.length === 0 && e.etaSeconds !== undefined) m.etaSeconds = e.etaSeconds;
        break;
      case 'epoch':
        if (m.status === 'queued') m.status = 'training';
        m.history = [...m.history.filter((h) => h.epoch !== e.record.epoch), e.record].sort((a, b) => a.epoch - b.epoch);
        m.epochs = e.epochs;
        m.etaSeconds = e.etaSeconds;
        break;
      case 'stage':
        m.stage = { stage: e.stage, fraction: e.fraction };
        break;
      case 'model-done':
        m.stage = null;
        m.status = 'done';
        m.etaSeconds = 0;
        m.batch = null;
        break;
    }
    this.updateWork();
  }

  private onDone(e: EventOf<'train.done'>): void {
    this.state = 'done';
    for (const kind of MODEL_KINDS) {
      const m = this.models[kind];
      if (m.status === 'queued' || m.status === 'training') m.status = 'done';
      m.batch = null;
    }
    app.backend = e.summary.backend;
    app.compareA = e.runId;
    app.compareB = null;
    app.setWork('train', null);
    void runs.refresh();
  }

  private onFailed(e: EventOf<'train.failed'>): void {
    const cancelled = e.code === 'CANCELLED';
    this.state = cancelled ? 'cancelled' : 'failed';
    this.cancelling = false;
    const culprit = failedModel(e.message);
    for (const kind of MODEL_KINDS) {
      const m = this.models[kind];
      if (m.status === 'queued' || m.status === 'training') {
        m.status = cancelled ? 'cancelled' : 'failed';
        if (cancelled) m.error = null;
        else if (culprit && culprit !== kind) m.error = `Stopped: the ${MODEL_LABEL[culprit]} job failed.`;
        else m.error = e.message;
      }
      m.batch = null;
      m.etaSeconds = null;
    }
    if (!cancelled) this.error = app.showError(new ApiError(e.code, e.message));
    app.setWork('train', null);
    void runs.refresh();
  }

  async start(): Promise<void> {
    if (this.running || this.starting) return;
    const chosen = MODEL_KINDS.filter((k) => this.selected[k]);
    const errors: Record<ModelKind, FieldErrors> = { lstm: {}, dual_tower: {} };
    let valid = chosen.length > 0;
    for (const kind of chosen) {
      const r = trainRequest(this.params[kind]);
      if (!r.ok) {
        errors[kind] = r.errors;
        valid = false;
      }
    }
    this.paramErrors = errors;
    if (!valid) return;
    this.starting = true;
    this.error = null;
    app.clearError();
    try {
      const request = {
        models: chosen,
        lstm: $state.snapshot(this.params.lstm),
        dual_tower: $state.snapshot(this.params.dual_tower),
        importance: this.importance,
      };
      // reset before the call: events for the new run may arrive before it answers
      this.models = {
        lstm: { ...idle(this.params.lstm.epochs), status: this.selected.lstm ? 'queued' : 'idle' },
        dual_tower: { ...idle(this.params.dual_tower.epochs), status: this.selected.dual_tower ? 'queued' : 'idle' },
      };
      this.state = 'running';
      this.runId = null;
      this.early = [];
      const { runId } = await api().train.start(request);
      this.runId = runId;
      for (const e of this.early.splice(0)) if (e.runId === runId) e.replay();
      this.updateWork();
      void runs.refresh();
    } catch (err) {
      this.state = 'idle';
      this.models = { lstm: idle(this.params.lstm.epochs), dual_tower: idle(this.params.dual_tower.epochs) };
      this.error = app.showError(err);
    } finally {
      this.starting = false;
      this.early = [];
    }
  }

  async cancel(): Promise<void> {
    if (!this.runId || !this.running || this.cancelling) return;
    this.cancelling = true;
    try {
      await api().train.cancel({ runId: this.runId });
    } catch (err) {
      this.cancelling = false;
      app.showError(err);
    }
  }

  /** Pick up a run already training (after a reload), with the curves it streamed so far. */
  private async follow(runId: string): Promise<void> {
    try {
      const record: RunRecord = await api().runs.get({ runId });
      if (record.status !== 'running') return;
      this.runId = runId;
      this.state = 'running';
      for (const kind of MODEL_KINDS) {
        const trained = record.train.models.includes(kind);
        this.selected[kind] = trained;
        this.params[kind] = { ...record.train[kind] };
        this.models[kind] = {
          ...idle(record.train[kind].epochs),
          status: trained ? 'training' : 'idle',
          history: [...record.history[kind]],
        };
      }
      this.updateWork();
    } catch (err) {
      app.setWork('train', errorLine(err));
    }
  }

  private updateWork(): void {
    if (this.state !== 'running') return;
    const parts = MODEL_KINDS.filter((k) => this.models[k].status === 'training' || this.models[k].status === 'queued').map((k) => {
      const m = this.models[k];
      const epoch = m.batch?.epoch ?? m.history.length;
      return `${MODEL_LABEL[k]} ${m.status === 'queued' ? 'queued' : `epoch ${Math.max(1, epoch)}/${m.epochs}`}`;
    });
    app.setWork('train', parts.length ? `Training: ${parts.join(', ')}` : null);
  }
}

export const training = new TrainState();

