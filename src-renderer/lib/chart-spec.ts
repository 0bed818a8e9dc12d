/**
 * A small, plain description of a chart (labels + series) that the one Chart component turns
 * into a chart.js configuration. Views build specs; only Chart.svelte touches chart.js.
 */
import type { ChartConfiguration, ChartDataset, ScaleOptions } from 'chart.js';
import type { RegionSpec } from './chart-regions';

export interface SeriesSpec {
  label: string;
  data: (number | null)[];
  color: string;
  /** dashed line: validation curves and reference lines, so colour is not the only cue */
  dash?: number[];
  width?: number;
  /** fill the area between this series and the series at that index (Bollinger band) */
  fillTo?: number;
  kind?: 'line' | 'bar';
  /** per-bar colours (MACD histogram: green above zero, red below) */
  barColors?: string[];
  /** show point markers (for short histories such as 20 epochs) */
  points?: boolean;
  /** hollow markers (white inside): tells a validation curve from the train curve of the same colour where the dash is short */
  hollowPoints?: boolean;
  /** marker size in px (default 2.5) */
  pointRadius?: number;
}

export interface AxisSpec {
  min?: number;
  max?: number;
  title?: string;
  /** values are shares 0..1 shown as % */
  percent?: boolean;
  /** fixed axis width in px, so stacked panels share one x range (price, RSI, MACD) */
  width?: number;
}

export interface ChartSpec {
  labels: (string | number)[];
  series: SeriesSpec[];
  y?: AxisSpec;
  /** offset: false puts the first and last point on the plot edges even with bars (stacked panels line up) */
  x?: { title?: string; maxTicks?: number; offset?: boolean };
  legend?: boolean;
  /** shaded x ranges drawn under the data (embargo, validation) */
  regions?: RegionSpec[];
  /** bars along the y axis (labels down the side, values across; `y` then describes the value axis) */
  horizontal?: boolean;
}

type LineConfig = ChartConfiguration<'line' | 'bar', (number | null)[], string | number>;
type AnyDataset = ChartDataset<'line' | 'bar', (number | null)[]>;

export function toDataset(s: SeriesSpec): AnyDataset {
  if (s.kind === 'bar') {
    return { type: 'bar', label: s.label, data: s.data, backgroundColor: s.barColors ?? s.color, borderWidth: 0 };
  }
  return {
    type: 'line',
    label: s.label,
    data: s.data,
    borderColor: s.color,
    backgroundColor: s.fillTo === undefined ? s.color : withAlpha(s.color, 0.12),
    borderWidth: s.width ?? 1.5,
    borderDash: s.dash ?? [],
    pointRadius: s.points ? (s.pointRadius ?? 2.5) : 0,
    pointHoverRadius: 3,
    ...(s.hollowPoints ? { pointBackgroundColor: '#ffffff', pointBorderColor: s.color, pointBorderWidth: 1.5 } : {}),
    fill: s.fillTo === undefined ? false : s.fillTo,
    spanGaps: true,
    tension: 0,
  };
}

function yScale(y: AxisSpec | undefined): ScaleOptions<'linear'> {
  return {
    type: 'linear',
    min: y?.min,
    max: y?.max,
    title: { display: Boolean(y?.title), text: y?.title ?? '' },
    ticks: y?.percent
      ? {
          callback: (v: number | string, _i: number, ticks: { value: number }[]) =>
            percentTick(Number(v), ticks.length > 1 ? Math.abs(ticks[1]!.value - ticks[0]!.value) : 1),
        }
      : {},
    grid: { color: '#e6e9ef' },
    ...(y?.width ? { afterFit: (scale: { width: number }) => void (scale.width = y.width!) } : {}),
  } as ScaleOptions<'linear'>;
}

export function toChartConfig(spec: ChartSpec): LineConfig {
  const category = {
    type: 'category',
    title: { display: Boolean(spec.x?.title), text: spec.x?.title ?? '' },
    // a horizontal bar chart names every bar
    ticks: { maxTicksLimit: spec.x?.maxTicks ?? 10, autoSkip: !spec.horizontal, maxRotation: 0 },
    grid: { display: false },
    ...(spec.x?.offset === undefined ? {} : { offset: spec.x.offset }),
  };
  return {
    type: 'line',
    data: { labels: spec.labels, datasets: spec.series.map(toDataset) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      normalized: true,
      ...(spec.horizontal ? { indexAxis: 'y' } : {}),
      interaction: { mode: 'index', intersect: false, ...(spec.horizontal ? { axis: 'y' } : {}) },
      plugins: {
        legend: { display: spec.legend ?? true, position: 'bottom', labels: { boxWidth: 18, boxHeight: 2 } },
        tooltip: { enabled: true },
      },
      scales: spec.horizontal ? { x: yScale(spec.y), y: category } : { x: category, y: yScale(spec.y) },
    },
  } as LineConfig;
}

/** A share as a % tick label, with a decimal when the ticks are closer than one point apart. */
export function percentTick(value: number, step: number): string {
  const digits = step > 0 && step < 0.01 ? 1 : 0;
  return `${(value * 100).toFixed(digits)}%`;
}

/** "#1f77b4" → "rgba(31, 119, 180, 0.12)"; other colour strings are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1]!, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
