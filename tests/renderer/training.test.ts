import { describe, expect, it } from 'vitest';
import { combinedEta, eta, failedModel, keptEpoch, secondsPerEpoch } from '../../src-renderer/lib/training';

describe('epoch timing', () => {
  const epochs = [
    { epoch: 1, seconds: 10 }, // includes warm-up
    { epoch: 2, seconds: 4 },
    { epoch: 3, seconds: 4 },
    { epoch: 4, seconds: 5 },
    { epoch: 5, seconds: 3 },
    { epoch: 6, seconds: 4 },
  ];

  it('averages the recent epochs', () => {
    expect(secondsPerEpoch(epochs)).toBe(4); // (4+4+5+3+4)/5
    expect(secondsPerEpoch(epochs, 2)).toBe(3.5);
    expect(secondsPerEpoch([])).toBeNull();
  });

  it('estimates the time left from the remaining epochs', () => {
    expect(eta(epochs, 20)).toBe(56); // 14 epochs × 4 s
    expect(eta(epochs, 6)).toBe(0);
    expect(eta([], 20)).toBeNull();
  });

  it('lets the slower of two parallel jobs decide', () => {
    expect(combinedEta([56, 12, null])).toBe(56);
    expect(combinedEta([null, null])).toBeNull();
  });
});

describe('failure attribution', () => {
  it('finds the model a failure message names first', () => {
    expect(failedModel('lstm: loss became NaN at epoch 3')).toBe('lstm');
    expect(failedModel('Dual tower: trainer process crashed (exit 134)')).toBe('dual_tower');
    expect(failedModel('dual_tower: out of memory')).toBe('dual_tower');
    expect(failedModel('the trainer could not start')).toBeNull();
    expect(failedModel('lstmx: no')).toBeNull();
  });
});

describe('keptEpoch', () => {
  // epoch 1 has the best accuracy (majority-like), epoch 3 the best macro-F1, epoch 2 the lowest loss
  const history = [
    { epoch: 1, val_accuracy: 0.42, val_loss: 1.08, val_macro_f1: 0.2 },
    { epoch: 2, val_accuracy: 0.4, val_loss: 1.07, val_macro_f1: 0.3 },
    { epoch: 3, val_accuracy: 0.41, val_loss: 1.2, val_macro_f1: 0.33 },
    { epoch: 4, val_accuracy: 0.39, val_loss: 1.3, val_macro_f1: 0.33 },
  ];

  it('is the epoch the trainer keeps, not the one with the best accuracy', () => {
    expect(keptEpoch(history, 'macro_f1')?.epoch).toBe(3); // the first of a tie, as the training loop keeps it
    expect(keptEpoch(history, 'accuracy')?.epoch).toBe(1);
    expect(keptEpoch(history, 'val_loss')?.epoch).toBe(2);
  });

  it('is unknown before the first epoch and for balanced accuracy (not in the epoch records)', () => {
    expect(keptEpoch([], 'macro_f1')).toBeNull();
    expect(keptEpoch(history, 'balanced_accuracy')).toBeNull();
  });
});
