import { describe, expect, it } from 'vitest';
import { alignToAxis, epochAxis, lossAndAccuracy, overlaidValidation } from '../../src-renderer/lib/curves';
import { runName } from '../../src-renderer/lib/format';

const history = [
  { epoch: 1, loss: 1.1, accuracy: 0.34, val_loss: 1.09, val_accuracy: 0.33 },
  { epoch: 2, loss: 1.05, accuracy: 0.4, val_loss: 1.08, val_accuracy: 0.37 },
];

describe('training curves', () => {
  it('lays live epochs on a fixed 1..N axis with the rest still empty', () => {
    const axis = epochAxis(5, history);
    expect(axis).toEqual([1, 2, 3, 4, 5]);
    expect(alignToAxis(axis, history, (h) => h.val_accuracy)).toEqual([0.33, 0.37, null, null, null]);
    expect(epochAxis(0, [])).toEqual([1]);
  });

  it('draws train solid and validation dashed in the model colour', () => {
    const { loss, accuracy } = lossAndAccuracy(history, 4, '#1d4ed8');
    expect(loss.series.map((s) => [s.label, s.dash ?? null])).toEqual([
      ['train', null],
      ['validation', [6, 4]],
    ]);
    expect(loss.series[1]!.data).toEqual([1.09, 1.08, null, null]);
    expect(accuracy.y?.percent).toBe(true);
    expect(accuracy.series.every((s) => s.color === '#1d4ed8')).toBe(true);
  });

  it('overlays validation curves of models with different lengths', () => {
    const spec = overlaidValidation(
      [
        { name: 'LSTM', colour: '#1d4ed8', history },
        { name: 'Dual tower', colour: '#c2410c', history: [...history, { ...history[1]!, epoch: 3, val_loss: 1.07 }] },
      ],
      'val_loss',
    );
    expect(spec.labels).toEqual([1, 2, 3]);
    expect(spec.series[0]!.data).toEqual([1.09, 1.08, null]);
    expect(spec.series[1]!.data).toEqual([1.09, 1.08, 1.07]);
  });
});

describe('run names', () => {
  it('names a run by its time and tickers', () => {
    expect(runName({ created: '2024-12-01T10:00:00.000Z', tickers: ['AAPL', 'MSFT'] })).toBe('2024-12-01 10:00:00 · AAPL, MSFT');
    expect(runName({ created: '2024-12-01T10:00:00.000Z', tickers: ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'TSLA'] })).toBe(
      '2024-12-01 10:00:00 · AAPL, MSFT, GOOGL +4',
    );
  });
});
