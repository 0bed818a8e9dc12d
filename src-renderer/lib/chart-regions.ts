/**
 * Shaded spans of the x-axis (the embargo and validation days on the price panels), drawn under
 * the data by a tiny chart.js plugin — no annotation plugin needed for a few rectangles.
 */
import type { Chart, Plugin } from 'chart.js';

export interface RegionSpec {
  /** first and last category index covered (inclusive) */
  from: number;
  to: number;
  fill: string;
  /** a dashed line on the region's left edge (where validation starts) */
  edge?: string;
  /** text at the region's top-left, e.g. "validation →" */
  label?: string;
}

/**
 * Left and right pixel of a region over category points: half a step beyond its first and last
 * point, so a one-day region (the embargo at h = 1) is one day wide. Clipped to the plot area;
 * null when nothing of it is visible.
 */
export function regionPixels(
  region: Pick<RegionSpec, 'from' | 'to'>,
  pixelAt: (index: number) => number,
  count: number,
  area: { left: number; right: number },
): { x0: number; x1: number } | null {
  if (count <= 0 || region.to < region.from) return null;
  const from = Math.max(0, region.from);
  const to = Math.min(count - 1, region.to);
  if (to < from) return null;
  const step = count > 1 ? (pixelAt(count - 1) - pixelAt(0)) / (count - 1) : area.right - area.left;
  const x0 = Math.max(area.left, pixelAt(from) - step / 2);
  const x1 = Math.min(area.right, pixelAt(to) + step / 2);
  return x1 > x0 ? { x0, x1 } : null;
}

/** The plugin for one chart; `regions()` is read at every draw so updates need no re-creation. */
export function regionsPlugin(regions: () => readonly RegionSpec[]): Plugin<'line' | 'bar'> {
  return {
    id: 'stwRegions',
    beforeDatasetsDraw(chart: Chart) {
      const list = regions();
      const x = chart.scales.x;
      const area = chart.chartArea;
      const count = chart.data.labels?.length ?? 0;
      if (!list.length || !x || !area) return;
      const ctx = chart.ctx;
      ctx.save();
      for (const r of list) {
        const px = regionPixels(r, (i) => x.getPixelForValue(i), count, area);
        if (!px) continue;
        ctx.fillStyle = r.fill;
        // at least 2 px: a one-day embargo among 1,000+ days must still show
        ctx.fillRect(px.x0, area.top, Math.max(2, px.x1 - px.x0), area.bottom - area.top);
        if (r.edge) {
          ctx.strokeStyle = r.edge;
          ctx.lineWidth = 1;
          ctx.setLineDash([4, 3]);
          ctx.beginPath();
          ctx.moveTo(Math.round(px.x0) + 0.5, area.top);
          ctx.lineTo(Math.round(px.x0) + 0.5, area.bottom);
          ctx.stroke();
          ctx.setLineDash([]);
        }
        if (r.label) {
          ctx.fillStyle = r.edge ?? '#3b4556';
          ctx.font = '600 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
          ctx.textBaseline = 'top';
          ctx.fillText(r.label, px.x0 + 4, area.top + 3);
        }
      }
      ctx.restore();
    },
  };
}
