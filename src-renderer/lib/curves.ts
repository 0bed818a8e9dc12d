/** Chart specs for training curves: train solid, validation dashed, one colour per model. */
import type { ChartSpec, SeriesSpec } from './chart-spec';

export interface CurvePoint {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
}

export const MODEL_COLOUR = { lstm: '#1d4ed8', dual_tower: '#c2410c' } as const;

/** Epoch labels 1..n so a live curve grows across a fixed axis instead of rescaling. */
export function epochAxis(totalEpochs: number, history: readonly CurvePoint[]): number[] {
  const last = history.reduce((m, h) => Math.max(m, h.epoch), 0);
  const n = Math.max(totalEpochs, last, 1);
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Values placed at their epoch (1-based) on the axis; epochs not reached yet are null. */
export function alignToAxis(axis: readonly number[], history: readonly CurvePoint[], pick: (h: CurvePoint) => number): (number | null)[] {
  const byEpoch = new Map(history.map((h) => [h.epoch, pick(h)]));
  return axis.map((e) => byEpoch.get(e) ?? null);
}

export function lossAndAccuracy(
  history: readonly CurvePoint[],
  totalEpochs: number,
  colour: string,
): { loss: ChartSpec; accuracy: ChartSpec } {
  const axis = epochAxis(totalEpochs, history);
  // many epochs: smaller markers, so the validation curve's dash stays visible between them
  const radius = axis.length > 12 ? 1.8 : 2.5;
  const line = (label: string, pick: (h: CurvePoint) => number, validation: boolean): SeriesSpec => ({
    label,
    data: alignToAxis(axis, history, pick),
    color: colour,
    dash: validation ? [6, 4] : undefined,
    width: validation ? 2 : 1.5,
    points: true,
    pointRadius: validation ? radius + 0.7 : radius,
    hollowPoints: validation,
  });
  return {
    loss: {
      labels: axis,
      // short legend labels: the panel's heading names the metric, and two short items never wrap
      // (a wrapped legend would make the loss and accuracy plots different heights)
      series: [line('train', (h) => h.loss, false), line('validation', (h) => h.val_loss, true)],
      y: { title: 'cross-entropy' },
      x: { title: 'epoch', maxTicks: 7 }, // a 180 px wide chart: more labels crowd
    },
    accuracy: {
      labels: axis,
      series: [line('train', (h) => h.accuracy, false), line('validation', (h) => h.val_accuracy, true)],
      y: { title: 'accuracy', percent: true },
      x: { title: 'epoch', maxTicks: 7 }, // a 180 px wide chart: more labels crowd
    },
  };
}

export interface NamedHistory {
  name: string;
  colour: string;
  /** dashed when two runs share a model colour */
  dash?: number[];
  history: readonly CurvePoint[];
}

/** Validation curves of several models overlaid (Compare). */
export function overlaidValidation(models: readonly NamedHistory[], metric: 'val_accuracy' | 'val_loss'): ChartSpec {
  const longest = models.reduce((m, h) => Math.max(m, ...h.history.map((p) => p.epoch), 0), 0);
  const axis = Array.from({ length: Math.max(longest, 1) }, (_, i) => i + 1);
  return {
    labels: axis,
    series: models.map((m) => ({
      label: m.name,
      data: alignToAxis(axis, m.history, (h) => h[metric]),
      color: m.colour,
      dash: m.dash,
      width: 2,
      points: true,
    })),
    y: metric === 'val_accuracy' ? { title: 'validation accuracy', percent: true } : { title: 'validation loss' },
    x: { title: 'epoch', maxTicks: 12 },
  };
}
