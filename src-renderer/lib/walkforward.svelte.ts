/**
 * A walk-forward evaluation started from Compare: which run, its progress per model (fed by the
 * walkForward.* events), and the error if it failed. One at a time, like the main side allows.
 */
import { ApiError, type EventOf } from '../../src-preload/contract';
import { api } from './api';
import { app } from './app.svelte';
import { MODEL_LABEL, type ModelKind } from './compare';
import { toUserError, type UserError } from './errors';
import { runs } from './runs.svelte';

export interface FoldProgress {
  fold: number;
  folds: number;
  epoch: number;
  epochs: number;
  /** of this model's whole job */
  fraction: number;
  done: boolean;
}

class WalkForwardState {
  runId = $state<string | null>(null);
  k = $state(3);
  running = $state(false);
  cancelling = $state(false);
  progress = $state<Partial<Record<ModelKind, FoldProgress>>>({});
  error = $state<UserError | null>(null);
  /** bumped when a result was stored, so views showing that run load it again */
  stored = $state(0);
  private attached = false;

  /** Subscribe once, for the app's lifetime. */
  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    const client = api();
    client.on('walkForward.progress', (e) => {
      if (e.runId === this.runId) this.onProgress(e);
    });
    client.on('walkForward.done', (e) => {
      if (e.runId !== this.runId) return;
      this.finish();
      runs.forget(e.runId);
      this.stored++;
    });
    client.on('walkForward.failed', (e) => {
      if (e.runId !== this.runId) return;
      this.finish();
      if (e.code !== 'CANCELLED') this.error = app.showError(new ApiError(e.code, e.message));
    });
  }

  private onProgress(e: EventOf<'walkForward.progress'>): void {
    const current = this.progress[e.kind];
    if (e.type === 'progress') {
      this.progress[e.kind] = { fold: e.fold, folds: e.folds, epoch: e.epoch, epochs: e.epochs, fraction: e.fraction, done: false };
    } else if (e.type === 'model-done' && current) {
      this.progress[e.kind] = { ...current, fraction: 1, done: true };
    } else if (e.type === 'job-ready') {
      app.backend = e.backend;
    }
    this.updateWork();
  }

  private finish(): void {
    this.running = false;
    this.cancelling = false;
    app.setWork('walk-forward', null);
  }

  private updateWork(): void {
    if (!this.running) return;
    const parts = (Object.entries(this.progress) as [ModelKind, FoldProgress][])
      .filter(([, p]) => !p.done)
      .map(([kind, p]) => `${MODEL_LABEL[kind]} fold ${p.fold}/${p.folds}`);
    app.setWork('walk-forward', `Walk-forward: ${parts.length ? parts.join(', ') : 'finishing'}`);
  }

  async start(runId: string, k: number): Promise<void> {
    if (this.running) return;
    this.attach();
    this.runId = runId;
    this.k = k;
    this.progress = {};
    this.error = null;
    this.running = true;
    app.setWork('walk-forward', 'Walk-forward: starting');
    try {
      const answer = await api().runs.walkForward({ runId, k });
      this.k = answer.k;
    } catch (err) {
      this.finish();
      this.error = toUserError(err);
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
}

export const walkForward = new WalkForwardState();
