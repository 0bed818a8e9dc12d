import { WorkbenchError } from '../errors';
import { TRAIN_LIMITS as L } from '../limits';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../types';

/** Defaults filled in, then every field checked against TRAIN_LIMITS; BAD_INPUT names the first bad option. */
export function resolveTrainConfig(partial: Partial<TrainConfig> = {}): TrainConfig {
  const cfg: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...partial };
  const check = (name: keyof typeof L, integer: boolean, exclusiveMin = false): void => {
    const v = cfg[name];
    const [min, max] = L[name];
    const ok = typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v)) && (exclusiveMin ? v > min : v >= min) && v <= max;
    if (!ok) {
      const what = integer ? 'a whole number' : 'a number';
      const range = exclusiveMin ? `above ${min} and at most ${max}` : `from ${min} to ${max}`;
      throw new WorkbenchError('BAD_INPUT', `${name} must be ${what} ${range}, got ${String(v)}`);
    }
  };
  check('epochs', true);
  check('batchSize', true);
  check('decayEvery', true);
  check('seqLen', true);
  check('seed', true);
  check('learningRate', false, true);
  check('decayFactor', false, true);
  check('clipNorm', false, true);
  check('dropout', false);
  if (cfg.towerSplit !== 'group' && cfg.towerSplit !== 'seed_index') throw new WorkbenchError('BAD_INPUT', `towerSplit must be group or seed_index`);
  if (!['macro_f1', 'accuracy', 'balanced_accuracy', 'val_loss'].includes(cfg.selectBy)) {
    throw new WorkbenchError('BAD_INPUT', `selectBy must be macro_f1, accuracy, balanced_accuracy or val_loss`);
  }
  return cfg;
}
