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

/** The reading without its leading "p = …:" (the view shows p on its own, at full precision, just before it). */
export function withoutP(reading: string): string {
  const rest = reading.replace(/^p\s*(?:=|<)\s*[\d.]+\s*:\s*/, '');
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

export interface ImportanceView {
  kind: ModelKind;
  spec: ChartSpec;
  /** group totals (the group shuffled jointly), largest drop first */
  groups: { name: FeatureGroup; label: string; colour: string; drop: number; features: number }[];
  /** the value range the group bars are drawn on (shared by the models: the largest group drop either way, and 0) */
  groupRange: { min: number; max: number };
  /** features whose drop is within ±0.5 pp of zero: the model ignores them (or they add nothing on validation) */
  negligible: number;
  samples: number;
  repeats: number;
}

/** Bars of the drop in validation accuracy per feature, largest first, coloured by group. `range`: a value axis shared with other charts. */
export function importanceView(imp: PermutationImportanceDto, range?: { min: number; max: number }): ImportanceView {
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
    y: { percent: true, title: 'drop in validation accuracy (percentage points)', ...(range ?? {}) },
  };
  const groups = [...imp.group]
    .sort((a, b) => b.drop_accuracy - a.drop_accuracy)
    .map((g) => ({ name: g.name, label: GROUP_LABEL[g.name], colour: GROUP_COLOUR[g.name], drop: g.drop_accuracy, features: g.features.length }));
  const groupDrops = groups.map((g) => g.drop);
  const groupRange = { min: Math.min(0, ...groupDrops), max: Math.max(0, ...groupDrops) };
  return { kind: imp.kind, spec, groups, groupRange, negligible: features.filter((f) => Math.abs(f.drop_accuracy) < 0.005).length, samples: imp.samples, repeats: imp.repeats };
}

/**
 * One view per model, on one value axis (0 always inside it, ends rounded out to half a point) so that
 * bars of equal length mean the same drop in both charts.
 */
export function importanceViews(summary: TrainingSummaryDto): ImportanceView[] {
  const imps = KINDS.flatMap((kind) => {
    const imp = summary.importance?.[kind];
    return imp ? [imp] : [];
  });
  const drops = imps.flatMap((imp) => imp.feature.map((f) => f.drop_accuracy));
  let range: { min: number; max: number } | undefined;
  if (drops.length) {
    const lo = Math.min(0, ...drops);
    const hi = Math.max(0, ...drops);
    // ends on the step chart.js will tick at, so no odd last tick (half a point up to 3 points wide, then 1, then 2)
    const span = hi - lo;
    const step = span <= 0.03 ? 0.005 : span <= 0.08 ? 0.01 : 0.02;
    const round = (x: number) => Math.round(x * 1e6) / 1e6;
    range = { min: round(Math.floor(lo / step - 1e-9) * step), max: round(Math.max(step, Math.ceil(hi / step + 1e-9) * step)) };
    if (lo === 0) range.min = 0;
  }
  const views = imps.map((imp) => importanceView(imp, range));
  const groupRange = {
    min: Math.min(0, ...views.map((v) => v.groupRange.min)),
    max: Math.max(0, ...views.map((v) => v.groupRange.max)),
  };
  return views.map((v) => ({ ...v, groupRange }));
}

/** A group bar's left edge and width as % of its track, on `range` (0 inside it). */
export function barGeometry(value: number, range: { min: number; max: number }): { left: number; width: number; zero: number } {
  const span = range.max - range.min || 1;
  const zero = ((0 - range.min) / span) * 100;
  const at = ((value - range.min) / span) * 100;
  return { left: Math.min(zero, at), width: Math.abs(at - zero), zero };
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
