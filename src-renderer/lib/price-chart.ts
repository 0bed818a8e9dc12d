/** Chart specs for one ticker's price, RSI and MACD panels (pure: series in, specs out). */
import type { RegionSpec } from './chart-regions';
import type { ChartSpec } from './chart-spec';

export type RowPart = 'train' | 'embargo' | 'validation' | 'unlabelled';

export interface PriceSeries {
  ticker: string;
  dates: string[];
  close: number[];
  sma_20: number[];
  bb_upper: number[];
  bb_lower: number[];
  rsi_14: number[];
  macd: number[];
  macd_signal: number[];
  /** each day's part of the split; without it no regions are shaded */
  part?: RowPart[];
}

export const CHART_COLOURS = {
  close: '#1b2330',
  sma: '#1d4ed8',
  band: '#7c8aa5',
  rsi: '#7c3aed',
  macd: '#1d4ed8',
  signal: '#c2410c',
  histUp: '#15803d',
  histDown: '#b91c1c',
} as const;

export const REGION_LOOK: Record<Exclude<RowPart, 'train'>, { fill: string; edge?: string; label?: string; name: string }> = {
  embargo: { fill: 'rgba(217, 119, 6, 0.30)', name: 'embargo' },
  validation: { fill: 'rgba(29, 78, 216, 0.07)', edge: '#1d4ed8', label: 'validation →', name: 'validation' },
  unlabelled: { fill: 'rgba(75, 85, 99, 0.14)', name: 'no label yet' },
};

/** Consecutive runs of one part, as inclusive index ranges (train runs included). */
export function partRuns(parts: readonly RowPart[]): { part: RowPart; from: number; to: number }[] {
  const runs: { part: RowPart; from: number; to: number }[] = [];
  parts.forEach((part, i) => {
    const last = runs.at(-1);
    if (last && last.part === part && last.to === i - 1) last.to = i;
    else runs.push({ part, from: i, to: i });
  });
  return runs;
}

/** Shaded spans for the panels: embargo, validation (labelled on the price panel) and the unlabelled tail. */
export function splitRegions(parts: readonly RowPart[] | undefined, withLabels: boolean): RegionSpec[] {
  if (!parts) return [];
  return partRuns(parts).flatMap(({ part, from, to }) => {
    if (part === 'train') return [];
    const look = REGION_LOOK[part];
    return [{ from, to, fill: look.fill, ...(look.edge ? { edge: look.edge } : {}), ...(withLabels && look.label ? { label: look.label } : {}) }];
  });
}

/** Same y-axis width and x range on every panel, so a date sits at one x across price, RSI and MACD. */
const PANEL_AXIS_WIDTH = 64;

export function indicatorSpecs(s: PriceSeries): { price: ChartSpec; rsi: ChartSpec; macd: ChartSpec } {
  const n = s.dates.length;
  const x = { maxTicks: 12, offset: false };
  const shaded = splitRegions(s.part, false);
  const constant = (v: number) => new Array<number>(n).fill(v);
  const histogram = s.macd.map((m, i) => m - (s.macd_signal[i] ?? 0));
  return {
    price: {
      labels: s.dates,
      series: [
        { label: 'Bollinger upper (20, 2σ)', data: s.bb_upper, color: CHART_COLOURS.band, width: 1, dash: [4, 3] },
        // filled down to the upper band (index 0) so the band reads as one shaded area
        { label: 'Bollinger lower (20, 2σ)', data: s.bb_lower, color: CHART_COLOURS.band, width: 1, dash: [4, 3], fillTo: 0 },
        { label: 'SMA 20', data: s.sma_20, color: CHART_COLOURS.sma, width: 1.5 },
        { label: 'Close', data: s.close, color: CHART_COLOURS.close, width: 1.5 },
      ],
      y: { title: 'price', width: PANEL_AXIS_WIDTH },
      x,
      regions: splitRegions(s.part, true),
    },
    rsi: {
      labels: s.dates,
      series: [
        { label: 'RSI 14', data: s.rsi_14, color: CHART_COLOURS.rsi, width: 1.2 },
        { label: '70', data: constant(70), color: '#9aa3b2', width: 1, dash: [2, 3] },
        { label: '30', data: constant(30), color: '#9aa3b2', width: 1, dash: [2, 3] },
      ],
      y: { min: 0, max: 100, title: 'RSI', width: PANEL_AXIS_WIDTH },
      x,
      legend: false,
      regions: shaded,
    },
    macd: {
      labels: s.dates,
      series: [
        { label: 'MACD 12/26', data: s.macd, color: CHART_COLOURS.macd, width: 1.2 },
        { label: 'Signal 9', data: s.macd_signal, color: CHART_COLOURS.signal, width: 1.2, dash: [5, 3] },
        {
          label: 'Histogram',
          data: histogram,
          color: CHART_COLOURS.histUp,
          kind: 'bar',
          barColors: histogram.map((h) => (h >= 0 ? CHART_COLOURS.histUp : CHART_COLOURS.histDown)),
        },
      ],
      y: { title: 'MACD', width: PANEL_AXIS_WIDTH },
      x,
      regions: shaded,
    },
  };
}
