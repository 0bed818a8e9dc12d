import { WorkbenchError } from '../errors';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../types';

/** Defaults filled in, then every field checked; BAD_INPUT names the first bad option. */
export function resolveTrainConfig(partial: Partial<TrainConfig> = {}): TrainConfig {
  const cfg: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...partial };
  const positiveInt = (name: keyof TrainConfig): void => {
    const v = cfg[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new WorkbenchError('BAD_INPUT', `${name} must be a positive integer, got ${String(v)}`);
  };
  const positive = (name: keyof TrainConfig): void => {
    const v = cfg[name];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new WorkbenchError('BAD_INPUT', `${name} must be a positive number, got ${String(v)}`);
  };
  positiveInt('epochs');
  positiveInt('batchSize');
  positiveInt('decayEvery');
  positiveInt('seqLen');
  positive('learningRate');
  positive('decayFactor');
  positive('clipNorm');
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new WorkbenchError('BAD_INPUT', `dropout must be in [0, 1), got ${cfg.dropout}`);
  if (cfg.towerSplit !== 'group' && cfg.towerSplit !== 'seed_index') throw new WorkbenchError('BAD_INPUT', `towerSplit must be group or seed_index`);
  if (!['macro_f1', 'accuracy', 'balanced_accuracy', 'val_loss'].includes(cfg.selectBy)) {
    throw new WorkbenchError('BAD_INPUT', `selectBy must be macro_f1, accuracy, balanced_accuracy or val_loss`);
  }
  if (!Number.isInteger(cfg.seed)) throw new WorkbenchError('BAD_INPUT', `seed must be an integer, got ${cfg.seed}`);
  return cfg;
}
