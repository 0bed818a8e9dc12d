import { describe, expect, it } from 'vitest';
import { percentTick, toChartConfig, toDataset, withAlpha } from '../../src-renderer/lib/chart-spec';
import { regionPixels } from '../../src-renderer/lib/chart-regions';
import { CHART_COLOURS, indicatorSpecs, partRuns } from '../../src-renderer/lib/price-chart';

const series = {
  ticker: 'AAPL',
  dates: ['2024-11-25', '2024-11-26', '2024-11-27'],
  close: [232.87, 235.06, 234.93],
  sma_20: [228.1, 228.6, 229.2],
  bb_upper: [236.0, 236.5, 237.1],
  bb_lower: [220.2, 220.7, 221.3],
  rsi_14: [61.2, 64.0, 63.5],
  macd: [1.5, 1.9, 1.7],
  macd_signal: [1.6, 1.7, 1.75],
};

describe('indicator chart specs', () => {
  const specs = indicatorSpecs(series);

  it('draws the close over SMA 20 inside the Bollinger band', () => {
    expect(specs.price.labels).toEqual(series.dates);
    expect(specs.price.series.map((s) => s.label)).toEqual([
      'Bollinger upper (20, 2σ)',
      'Bollinger lower (20, 2σ)',
      'SMA 20',
      'Close',
    ]);
    expect(specs.price.series[1]!.fillTo).toBe(0);
    expect(specs.price.series[3]!.data).toEqual(series.close);
  });

  it('puts RSI on 0..100 with the 30 and 70 guides', () => {
    expect(specs.rsi.y).toMatchObject({ min: 0, max: 100 });
    expect(specs.rsi.series[1]!.data).toEqual([70, 70, 70]);
    expect(specs.rsi.series[2]!.data).toEqual([30, 30, 30]);
  });

  it('computes the MACD histogram as MACD − signal, coloured by sign', () => {
    const hist = specs.macd.series[2]!;
    expect(hist.kind).toBe('bar');
    expect(hist.data.map((v) => Number(v!.toFixed(4)))).toEqual([-0.1, 0.2, -0.05]);
    expect(hist.barColors).toEqual([CHART_COLOURS.histDown, CHART_COLOURS.histUp, CHART_COLOURS.histDown]);
  });
});

describe('chart.js translation', () => {
  it('turns a band series into a filled, dashed, point-free line', () => {
    const ds = toDataset({ label: 'lower', data: [1, 2], color: '#7c8aa5', dash: [4, 3], fillTo: 0 });
    expect(ds).toMatchObject({ type: 'line', fill: 0, borderDash: [4, 3], pointRadius: 0, backgroundColor: 'rgba(124, 138, 165, 0.12)' });
  });

  it('builds a static (no animation) line chart config with shares as percent ticks', () => {
    const cfg = toChartConfig({ labels: [1, 2], series: [{ label: 'acc', data: [0.3, 0.4], color: '#000000', points: true }], y: { percent: true, min: 0, max: 1 } });
    expect(cfg.type).toBe('line');
    expect(cfg.options?.animation).toBe(false);
    const y = cfg.options?.scales?.y as { min?: number; max?: number; ticks: { callback: (v: number, i: number, t: { value: number }[]) => string } };
    expect([y.min, y.max]).toEqual([0, 1]);
    expect(y.ticks.callback(0.35, 0, [{ value: 0.3 }, { value: 0.35 }])).toBe('35%');
  });

  it('keeps close percent ticks apart with a decimal', () => {
    expect(percentTick(0.335, 0.005)).toBe('33.5%');
    expect(percentTick(0.34, 0.02)).toBe('34%');
    expect(percentTick(0.5, 0)).toBe('50%');
  });

  it('adds alpha to hex colours only', () => {
    expect(withAlpha('#1d4ed8', 0.5)).toBe('rgba(29, 78, 216, 0.5)');
    expect(withAlpha('red', 0.5)).toBe('red');
  });
});

describe('stacked price panels', () => {
  // 8 days: 4 train, 1 embargo, 2 validation, 1 without a label (h = 1)
  const parts = ['train', 'train', 'train', 'train', 'embargo', 'validation', 'validation', 'unlabelled'] as const;
  const eight = {
    ...series,
    dates: Array.from({ length: 8 }, (_, i) => `2024-11-${String(18 + i).padStart(2, '0')}`),
    close: new Array<number>(8).fill(1),
    sma_20: new Array<number>(8).fill(1),
    bb_upper: new Array<number>(8).fill(1),
    bb_lower: new Array<number>(8).fill(1),
    rsi_14: new Array<number>(8).fill(50),
    macd: new Array<number>(8).fill(0),
    macd_signal: new Array<number>(8).fill(0),
    part: [...parts],
  };

  it('groups consecutive days of one part into inclusive index runs', () => {
    expect(partRuns(parts)).toEqual([
      { part: 'train', from: 0, to: 3 },
      { part: 'embargo', from: 4, to: 4 },
      { part: 'validation', from: 5, to: 6 },
      { part: 'unlabelled', from: 7, to: 7 },
    ]);
    expect(partRuns([])).toEqual([]);
  });

  it('shades embargo, validation and the unlabelled tail on every panel, labelled on the price panel only', () => {
    const specs = indicatorSpecs(eight);
    expect(specs.price.regions!.map((r) => [r.from, r.to, r.label ?? null])).toEqual([
      [4, 4, null],
      [5, 6, 'validation →'],
      [7, 7, null],
    ]);
    expect(specs.price.regions![1]!.edge).toBe('#1d4ed8');
    for (const panel of [specs.rsi, specs.macd]) {
      expect(panel.regions!.map((r) => [r.from, r.to])).toEqual([[4, 4], [5, 6], [7, 7]]);
      expect(panel.regions!.every((r) => r.label === undefined)).toBe(true);
    }
    expect(indicatorSpecs(series).price.regions).toEqual([]);
  });

  it('gives the three panels the same y-axis width and no x offset, so dates line up', () => {
    const specs = indicatorSpecs(eight);
    const widths = [specs.price, specs.rsi, specs.macd].map((s) => s.y?.width);
    expect(new Set(widths).size).toBe(1);
    expect(widths[0]).toBeGreaterThan(0);
    for (const spec of [specs.price, specs.rsi, specs.macd]) {
      const cfg = toChartConfig(spec);
      const x = cfg.options?.scales?.x as { offset?: boolean };
      expect(x.offset).toBe(false);
      // the axis is fitted, then forced to the shared width
      const y = cfg.options?.scales?.y as { afterFit?: (scale: { width: number }) => void };
      const scale = { width: 31 };
      y.afterFit!(scale);
      expect(scale.width).toBe(widths[0]);
    }
  });

  it('places a region half a step beyond its first and last day, clipped to the plot area', () => {
    // 8 points 100 px apart starting at x = 50, plot area 0..800
    const at = (i: number) => 50 + 100 * i;
    const area = { left: 0, right: 800 };
    expect(regionPixels({ from: 4, to: 4 }, at, 8, area)).toEqual({ x0: 400, x1: 500 });
    expect(regionPixels({ from: 5, to: 7 }, at, 8, area)).toEqual({ x0: 500, x1: 800 });
    expect(regionPixels({ from: 0, to: 0 }, at, 8, { left: 20, right: 800 })).toEqual({ x0: 20, x1: 100 });
    expect(regionPixels({ from: 9, to: 12 }, at, 8, area)).toBeNull();
    expect(regionPixels({ from: 3, to: 2 }, at, 8, area)).toBeNull();
  });
});
