/**
 * The Compare view's research panels as plain data: McNemar's reading, the permutation-importance bars,
 * the equity curves and the walk-forward table. Views render these; tests check them without a browser.
 */
import type { PermutationImportanceDto, TradingReportDto, TrainingSummaryDto, WalkForwardDto } from '../../src-preload/contract';
import type { ChartSpec } from './chart-spec';
import { MODEL_LABEL, type ModelKind } from './compare';
import { MODEL_COLOUR } from './curves';
import { GROUP_LABEL, type FeatureGroup } from './features';
import { signed } from './format';

/** A return as a signed percentage: 0.0512 → "+5.1%", −0.2 → "−20.0%". */
export function signedPct(x: number | null | undefined, digits = 1): string {
  const s = signed(typeof x === 'number' ? x * 100 : x, digits);
  return s === '—' ? s : `${s}%`;
}

/** Bar colours per feature group (the hues of the rows table's group bands, dark enough for a bar). */
export const GROUP_COLOUR: Record<FeatureGroup, string> = {
  stock: '#2563eb',
  news: '#16a34a',
  macro: '#d97706',
  policy: '#7c3aed',
};

const KINDS: ModelKind[] = ['lstm', 'dual_tower'];

/** The summary's one-line reading, or one made from p, b and c for summaries written before it existed. */
export function mcnemarReading(summary: TrainingSummaryDto): string | null {
  const c = summary.comparison;
  if (c.mcnemar_reading) return c.mcnemar_reading;
  if (c.mcnemar_p === null) return null;
  const p = c.mcnemar_p < 0.001 ? 'p < 0.001' : `p = ${c.mcnemar_p < 0.01 ? c.mcnemar_p.toFixed(3) : c.mcnemar_p.toFixed(2)}`;
  if (c.mcnemar_p >= 0.05) return `${p}: no evidence the models differ`;
  if (c.mcnemar_b === undefined || c.mcnemar_c === undefined) return `${p}: the models differ beyond chance`;
  return `${p}: the ${c.mcnemar_b > c.mcnemar_c ? 'LSTM' : 'dual tower'} is better beyond chance`;
}

export interface ImportanceView {
  kind: ModelKind;
  spec: ChartSpec;
  /** group totals (the group shuffled jointly), largest drop first */
  groups: { name: FeatureGroup; label: string; colour: string; drop: number; features: number }[];
  /** features whose drop is within ±0.5 pp of zero: the model ignores them (or they add nothing on validation) */
  negligible: number;
  samples: number;
  repeats: number;
}

/** Bars of the drop in validation accuracy per feature, largest first, coloured by group. */
export function importanceView(imp: PermutationImportanceDto): ImportanceView {
  const features = [...imp.feature].sort((a, b) => b.drop_accuracy - a.drop_accuracy || a.name.localeCompare(b.name));
  const spec: ChartSpec = {
    labels: features.map((f) => f.name),
    series: [
      {
        label: 'Drop in validation accuracy when shuffled',
        data: features.map((f) => f.drop_accuracy),
        color: GROUP_COLOUR.stock,
        kind: 'bar',
        barColors: features.map((f) => GROUP_COLOUR[f.group]),
      },
    ],
    horizontal: true,
    legend: false,
    x: { maxTicks: features.length },
    y: { percent: true, title: 'accuracy drop (points)' },
  };
  const groups = [...imp.group]
    .sort((a, b) => b.drop_accuracy - a.drop_accuracy)
    .map((g) => ({ name: g.name, label: GROUP_LABEL[g.name], colour: GROUP_COLOUR[g.name], drop: g.drop_accuracy, features: g.features.length }));
  return { kind: imp.kind, spec, groups, negligible: features.filter((f) => Math.abs(f.drop_accuracy) < 0.005).length, samples: imp.samples, repeats: imp.repeats };
}

export function importanceViews(summary: TrainingSummaryDto): ImportanceView[] {
  return KINDS.flatMap((kind) => {
    const imp = summary.importance?.[kind];
    return imp ? [importanceView(imp)] : [];
  });
}

export interface TradingEntry {
  kind: ModelKind;
  title: string;
  report: TradingReportDto;
}

export function tradingEntries(summary: TrainingSummaryDto): TradingEntry[] {
  return KINDS.flatMap((kind) => {
    const report = summary.trading_report?.[kind];
    return report ? [{ kind, title: MODEL_LABEL[kind], report }] : [];
  });
}

/**
 * Cumulative return of the equal-weight portfolio: each model's strategy and buy-and-hold (the same for
 * every model: same days, same tickers), on the dates of the first model's curve.
 */
export function equitySpec(entries: readonly TradingEntry[]): ChartSpec | null {
  const first = entries[0];
  if (!first || first.report.portfolio.equity.length < 2) return null;
  const dates = first.report.portfolio.equity.map((p) => p.date);
  const onDates = (e: TradingEntry, pick: (p: { strategy: number; buy_and_hold: number }) => number): (number | null)[] => {
    const byDate = new Map(e.report.portfolio.equity.map((p) => [p.date, pick(p) - 1]));
    return dates.map((d) => byDate.get(d) ?? null);
  };
  return {
    labels: dates,
    series: [
      { label: 'Buy-and-hold', data: onDates(first, (p) => p.buy_and_hold), color: '#6b7280', dash: [6, 4], width: 1.5 },
      ...entries.map((e) => ({ label: `${e.title} strategy`, data: onDates(e, (p) => p.strategy), color: MODEL_COLOUR[e.kind], width: 2 })),
    ],
    y: { percent: true, title: 'cumulative return' },
    x: { maxTicks: 8 },
  };
}

export const WALK_FORWARD_ROWS = [
  { key: 'accuracy', label: 'Accuracy', share: true },
  { key: 'balanced_accuracy', label: 'Balanced accuracy', share: true },
  { key: 'macro_f1', label: 'Macro-F1', share: false },
  { key: 'mcc', label: 'MCC', share: false },
  { key: 'log_loss', label: 'Log loss (lower is better)', share: false },
] as const;

export type WalkForwardMetricKey = (typeof WALK_FORWARD_ROWS)[number]['key'];

/** Models present in a walk-forward result, in the usual order. */
export function walkForwardKinds(wf: WalkForwardDto): ModelKind[] {
  return KINDS.filter((k) => wf.models[k] !== undefined);
}

/** Folds in which a model beat the majority baseline's accuracy (a quick "how often" next to the mean). */
export function foldsBeatingMajority(wf: WalkForwardDto, kind: ModelKind): number {
  return wf.folds.filter((f) => {
    const m = f.models[kind];
    return m !== undefined && m.accuracy > f.baselines.majority.accuracy;
  }).length;
}
