/** The stored runs (Runs, Compare and Predict views share this list) and a cache of full records. */
import type { RunListItem, RunRecord } from '../../src-preload/contract';
import { api } from './api';
import { app } from './app.svelte';

class RunsState {
  list = $state<RunListItem[]>([]);
  loaded = $state(false);
  loading = $state(false);
  private records = new Map<string, Promise<RunRecord>>();

  /** newest first */
  get sorted(): RunListItem[] {
    return [...this.list].sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  }

  get done(): RunListItem[] {
    return this.sorted.filter((r) => r.status === 'done');
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const { runs } = await api().runs.list();
      this.list = runs;
      this.loaded = true;
      // a record may have changed status (running → done): drop cached ones that are not final
      for (const r of runs) if (r.status === 'running') this.records.delete(r.id);
    } catch (err) {
      app.showError(err);
    } finally {
      this.loading = false;
    }
  }

  /** Full record, fetched once per finished run. */
  get(runId: string): Promise<RunRecord> {
    let p = this.records.get(runId);
    if (!p) {
      p = api().runs.get({ runId });
      this.records.set(runId, p);
      p.then(
        (r) => {
          if (r.status === 'running') this.records.delete(runId);
        },
        () => this.records.delete(runId),
      );
    }
    return p;
  }

  /** Drop a cached record whose run changed on the main side (e.g. a walk-forward was added to its summary). */
  forget(runId: string): void {
    this.records.delete(runId);
  }

  async remove(runId: string): Promise<boolean> {
    try {
      const { deleted } = await api().runs.delete({ runId });
      this.records.delete(runId);
      this.list = this.list.filter((r) => r.id !== runId);
      if (app.compareA === runId) app.compareA = null;
      if (app.compareB === runId) app.compareB = null;
      return deleted;
    } catch (err) {
      app.showError(err);
      return false;
    }
  }
}

export const runs = new RunsState();
