/**
 * What the Compare view lays out: one column per (run, model) and the deltas between them.
 * One run → LSTM | dual tower, delta dual tower − LSTM. Two runs → per model A | B, delta B − A.
 */
import type { ModelSummaryDto, TrainingSummaryDto } from '../../src-preload/contract';
import { bestColumn } from './metrics';

export type ModelKind = 'lstm' | 'dual_tower';
export const MODEL_LABEL: Record<ModelKind, string> = { lstm: 'LSTM', dual_tower: 'Dual tower' };

export interface CompareRun {
  id: string;
  /** short name shown in headers, e.g. "A" or "Run 3" */
  label: string;
  summary: TrainingSummaryDto;
}

export interface CompareColumn {
  key: string;
  runId: string;
  runLabel: string;
  kind: ModelKind;
  title: string;
  model: ModelSummaryDto;
}

export interface DeltaColumn {
  title: string;
  /** indexes into columns: delta = columns[b] − columns[a] */
  a: number;
  b: number;
}

export interface CompareLayout {
  columns: CompareColumn[];
  deltas: DeltaColumn[];
}

const KINDS: ModelKind[] = ['lstm', 'dual_tower'];

export function compareLayout(runs: readonly CompareRun[]): CompareLayout {
  const columns: CompareColumn[] = [];
  const deltas: DeltaColumn[] = [];
  if (runs.length === 1) {
    const run = runs[0]!;
    for (const kind of KINDS) {
      const model = run.summary.models[kind];
      if (model) columns.push({ key: `${run.id}:${kind}`, runId: run.id, runLabel: run.label, kind, title: MODEL_LABEL[kind], model });
    }
    if (columns.length === 2) deltas.push({ title: 'Δ dual tower − LSTM', a: 0, b: 1 });
    return { columns, deltas };
  }
  // two runs: group by model so A and B of one model stand next to each other
  for (const kind of KINDS) {
    const start = columns.length;
    for (const run of runs.slice(0, 2)) {
      const model = run.summary.models[kind];
      if (model)
        columns.push({
          key: `${run.id}:${kind}`,
          runId: run.id,
          runLabel: run.label,
          kind,
          title: `${MODEL_LABEL[kind]} · ${run.label}`,
          model,
        });
    }
    // short title: the table is wide with two runs; the hint under it says Δ = B − A
    if (columns.length - start === 2) deltas.push({ title: `Δ ${MODEL_LABEL[kind]}`, a: start, b: start + 1 });
  }
  return { columns, deltas };
}

export interface MetricRow {
  key: string;
  label: string;
  higherIsBetter: boolean;
  /** shown as a share (%), else as a plain number */
  share: boolean;
  get: (m: ModelSummaryDto) => number | null;
  /** the baselines only have accuracy and macro-F1 */
  baseline?: 'accuracy' | 'macro_f1';
  /** a count that describes the data, not the model (per-class support): shown as a whole number, no best, no delta */
  count?: boolean;
}

const CLASS = ['down', 'flat', 'up'] as const;

export const METRIC_ROWS: MetricRow[] = [
  { key: 'accuracy', label: 'Accuracy', higherIsBetter: true, share: true, get: (m) => m.metrics.accuracy, baseline: 'accuracy' },
  { key: 'balanced_accuracy', label: 'Balanced accuracy', higherIsBetter: true, share: true, get: (m) => m.metrics.balanced_accuracy },
  { key: 'macro_f1', label: 'Macro-F1', higherIsBetter: true, share: false, get: (m) => m.metrics.macro_f1, baseline: 'macro_f1' },
  { key: 'mcc', label: 'MCC', higherIsBetter: true, share: false, get: (m) => m.metrics.mcc },
  { key: 'log_loss', label: 'Log loss (lower is better)', higherIsBetter: false, share: false, get: (m) => m.metrics.log_loss },
];

/** Precision, recall and F1 per class, then its support (validation rows of that true class). */
export const PER_CLASS_ROWS: MetricRow[] = CLASS.flatMap((name, c) => [
  ...(['precision', 'recall', 'f1'] as const).map((stat) => ({
    key: `${name}_${stat}`,
    label: `${name} ${stat === 'f1' ? 'F1' : stat}`,
    higherIsBetter: true,
    share: false,
    get: (m: ModelSummaryDto) => m.metrics.per_class[c]?.[stat] ?? null,
  })),
  {
    key: `${name}_support`,
    label: `${name} support (true rows)`,
    higherIsBetter: true,
    share: false,
    count: true,
    get: (m: ModelSummaryDto) => m.metrics.per_class[c]?.support ?? null,
  },
]);

/** Validation samples behind a model's metrics (sum of the confusion matrix). */
export function validationSize(m: ModelSummaryDto): number {
  return m.metrics.confusion_matrix.reduce((s, row) => s + row.reduce((a, v) => a + v, 0), 0);
}

/** The three numbers the Compare headline shows per model (the rest is in the full table). */
export const HEADLINE_KEYS = ['accuracy', 'macro_f1', 'mcc'] as const;

export interface HeadlineStat {
  key: (typeof HEADLINE_KEYS)[number];
  label: string;
  /** shown as a share (%) */
  share: boolean;
  /** one value per layout column */
  values: (number | null)[];
  /** index of the single best column, -1 on a tie or with one column */
  best: number;
}

export function headlineStats(layout: CompareLayout): HeadlineStat[] {
  return HEADLINE_KEYS.map((key) => {
    const row = METRIC_ROWS.find((r) => r.key === key)!;
    const values = layout.columns.map((c) => row.get(c.model));
    return { key, label: row.label, share: row.share, values, best: bestColumn(values, row.higherIsBetter) };
  });
}

export interface BestBaseline {
  name: 'majority' | 'persistence' | 'stratified';
  value: number;
}

export interface VersusBaselines {
  accuracy: BestBaseline;
  macro_f1: BestBaseline;
  /** per layout column: does the model beat the best baseline on accuracy / on macro-F1? */
  columns: { title: string; accuracy: boolean; macro_f1: boolean }[];
}

/**
 * The strongest baseline on accuracy and on macro-F1 (often different ones: majority wins accuracy on
 * imbalanced classes, stratified or persistence wins macro-F1), and whether each model beats it.
 */
export function versusBaselines(layout: CompareLayout, baselines: TrainingSummaryDto['baselines']): VersusBaselines {
  const named = (['majority', 'persistence', 'stratified'] as const).flatMap((name) => {
    const b = baselines[name];
    return b ? [{ name, b }] : [];
  });
  const best = (key: 'accuracy' | 'macro_f1'): BestBaseline =>
    named.reduce<BestBaseline>((top, { name, b }) => (b[key] > top.value ? { name, value: b[key] } : top), { name: 'majority', value: -Infinity });
  const accuracy = best('accuracy');
  const macro_f1 = best('macro_f1');
  return {
    accuracy,
    macro_f1,
    columns: layout.columns.map((c) => ({
      title: c.title,
      accuracy: c.model.metrics.accuracy > accuracy.value,
      macro_f1: c.model.metrics.macro_f1 > macro_f1.value,
    })),
  };
}
