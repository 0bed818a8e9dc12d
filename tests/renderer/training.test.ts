import { describe, expect, it } from 'vitest';
import { combinedEta, eta, failedModel, secondsPerEpoch } from '../../src-renderer/lib/training';

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
