/** Whether the labels leave something to learn: a band too wide (or too narrow) for the horizon can leave one class. */
import type { ClassBalance, DatasetManifest } from '../types';

const CLASSES = ['down', 'flat', 'up'] as const;

function present(b: ClassBalance): string[] {
  return CLASSES.filter((c) => b[c] > 0);
}

/** Why the dataset cannot be trained on (fewer than two classes among the training rows), or null. */
export function untrainableReason(m: DatasetManifest): string | null {
  const classes = present(m.classBalance.train);
  if (classes.length >= 2) return null;
  const band = `±${(m.threshold * 100).toFixed(2).replace(/\.?0+$/, '')}% over ${m.horizon} trading day${m.horizon === 1 ? '' : 's'}`;
  return classes.length === 0
    ? 'the training part has no labelled rows; widen the date range'
    : `every training row is "${classes[0]}" (band ${band}): there is nothing to learn — narrow the band or lengthen the horizon`;
}

/** Notes for a dataset report: parts missing a class (metrics such as balanced accuracy then mislead). */
export function classWarnings(m: DatasetManifest): string[] {
  const out: string[] = [];
  for (const part of ['train', 'validation'] as const) {
    const b = m.classBalance[part];
    const missing = CLASSES.filter((c) => b[c] === 0);
    if (missing.length > 0 && missing.length < 3) out.push(`the ${part === 'train' ? 'training' : 'validation'} rows have no "${missing.join('", "')}" class`);
  }
  return out;
}
