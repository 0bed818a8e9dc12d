/**
 * Dataset view state: the form, generation with progress, the loaded dataset's manifest and
 * feature summary, export. Lives at module level so switching views keeps it.
 */
import type { DatasetManifestDto, FeatureSummary } from '../../src-preload/contract';
import { api } from './api';
import { app } from './app.svelte';
import { datasetFormFrom, datasetFormFromManifest, datasetRequest, type DatasetForm, type FieldErrors } from './forms';
import { pct } from './format';

const FALLBACK: DatasetForm = datasetFormFrom({
  source: 'synthetic',
  tickers: ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'TSLA'],
  start: '2020-01-02',
  end: '2024-11-29',
});

class DatasetState {
  form = $state<DatasetForm>({ ...FALLBACK });
  formErrors = $state<FieldErrors>({});
  /** the form was filled from app.info defaults (done once) */
  private seeded = false;
  generating = $state(false);
  progress = $state<{ stage: string; fraction: number } | null>(null);
  manifest = $state<DatasetManifestDto | null>(null);
  features = $state<FeatureSummary[] | null>(null);
  exporting = $state(false);
  exported = $state<{ folder: string; files: string[] } | null>(null);

  /** Fill the form from the main side's defaults and pick up a dataset it already holds. */
  adoptInfo(): void {
    const info = app.info;
    if (!info || this.seeded) return;
    this.seeded = true;
    this.form = info.dataset ? datasetFormFromManifest(info.dataset) : datasetFormFrom(info.defaults.dataset);
    if (info.dataset && !this.manifest) {
      this.manifest = info.dataset;
      void this.loadFeatures();
    }
  }

  attach(): () => void {
    return api().on('dataset.progress', (p) => {
      if (!this.generating) return;
      this.progress = p;
      app.setWork('dataset', `Generating dataset: ${p.stage} ${pct(p.fraction, 0)}`);
    });
  }

  async generate(): Promise<void> {
    if (this.generating) return;
    const checked = datasetRequest(this.form);
    if (!checked.ok) {
      this.formErrors = checked.errors;
      return;
    }
    this.formErrors = {};
    this.generating = true;
    this.progress = { stage: 'starting', fraction: 0 };
    this.exported = null;
    app.clearError();
    app.setWork('dataset', 'Generating dataset…');
    try {
      const manifest = await api().dataset.generate(checked.value);
      this.manifest = manifest;
      this.features = null;
      await this.loadFeatures();
    } catch (err) {
      app.showError(err);
    } finally {
      this.generating = false;
      this.progress = null;
      app.setWork('dataset', null);
    }
  }

  async loadFeatures(): Promise<void> {
    try {
      const { features } = await api().dataset.featureSummary();
      this.features = features;
    } catch (err) {
      app.showError(err);
    }
  }

  async export(folder?: string): Promise<void> {
    if (this.exporting) return;
    this.exporting = true;
    app.setWork('export', 'Exporting dataset…');
    try {
      this.exported = await api().dataset.export(folder ? { folder } : {});
    } catch (err) {
      app.showError(err);
    } finally {
      this.exporting = false;
      app.setWork('export', null);
    }
  }
}

export const dataset = new DatasetState();
