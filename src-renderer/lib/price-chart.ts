/** Chart specs for one ticker's price, RSI and MACD panels (pure: series in, specs out). */
import type { ChartSpec } from './chart-spec';

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

export function indicatorSpecs(s: PriceSeries): { price: ChartSpec; rsi: ChartSpec; macd: ChartSpec } {
  const n = s.dates.length;
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
      y: { title: 'price' },
      x: { maxTicks: 12 },
    },
    rsi: {
      labels: s.dates,
      series: [
        { label: 'RSI 14', data: s.rsi_14, color: CHART_COLOURS.rsi, width: 1.2 },
        { label: '70', data: constant(70), color: '#9aa3b2', width: 1, dash: [2, 3] },
        { label: '30', data: constant(30), color: '#9aa3b2', width: 1, dash: [2, 3] },
      ],
      y: { min: 0, max: 100, title: 'RSI' },
      x: { maxTicks: 12 },
      legend: false,
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
      y: { title: 'MACD' },
      x: { maxTicks: 12 },
    },
  };
}
