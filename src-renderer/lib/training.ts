/** Seconds per epoch and ETA from the epochs finished so far. */

export interface EpochTiming {
  epoch: number; // 1-based
  seconds: number; // wall time of that epoch
}

/**
 * Mean seconds of the last `window` epochs (recent epochs predict the next better than the
 * first one, which includes warm-up), or null before the first epoch ends.
 */
export function secondsPerEpoch(epochs: readonly EpochTiming[], window = 5): number | null {
  if (epochs.length === 0) return null;
  const recent = epochs.slice(-window);
  return recent.reduce((s, e) => s + e.seconds, 0) / recent.length;
}

/** Remaining seconds for a job of `totalEpochs`, or null when unknown; 0 when done. */
export function eta(epochs: readonly EpochTiming[], totalEpochs: number, window = 5): number | null {
  const per = secondsPerEpoch(epochs, window);
  if (per === null) return null;
  const done = epochs.length === 0 ? 0 : Math.max(...epochs.map((e) => e.epoch));
  return Math.max(0, totalEpochs - done) * per;
}

/** Combined ETA when both models train at once: the slower one decides. */
export function combinedEta(etas: readonly (number | null)[]): number | null {
  const known = etas.filter((e): e is number => e !== null);
  return known.length === 0 ? null : Math.max(...known);
}

/** The model a run's failure message names first ("lstm: loss became NaN …"), if any. */
export function failedModel(message: string): 'lstm' | 'dual_tower' | null {
  const m = /^\s*(lstm|dual[ _]tower)\b/i.exec(message);
  if (!m) return null;
  return m[1]!.toLowerCase().startsWith('lstm') ? 'lstm' : 'dual_tower';
}

export type SelectBy = 'macro_f1' | 'accuracy' | 'balanced_accuracy' | 'val_loss';

export interface EpochScores {
  epoch: number;
  val_accuracy: number;
  val_loss: number;
  val_macro_f1: number;
}

/**
 * The epoch the trainer keeps so far: the first with the best validation score by `selectBy`, as the
 * training loop picks it. Null before the first epoch, and for balanced accuracy (not in the epoch records).
 */
export function keptEpoch<T extends EpochScores>(history: readonly T[], selectBy: SelectBy): T | null {
  if (selectBy === 'balanced_accuracy') return null;
  const score = (h: T): number => (selectBy === 'accuracy' ? h.val_accuracy : selectBy === 'val_loss' ? -h.val_loss : h.val_macro_f1);
  let best: T | null = null;
  for (const h of history) if (best === null || score(h) > score(best)) best = h;
  return best;
}
