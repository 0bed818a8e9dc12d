import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-preload/contract';
import { errorLine, toUserError } from '../../src-renderer/lib/errors';

describe('error table', () => {
  it('turns a failed call into a title, the main side’s message and a hint', () => {
    const u = toUserError(new ApiError('TRAINING_FAILED', 'loss became NaN at epoch 3'));
    expect(u.title).toBe('Training failed');
    expect(u.message).toBe('loss became NaN at epoch 3');
    expect(u.hint).toMatch(/learning rate/);
  });

  it('reads the code from an error flattened by contextBridge', () => {
    const flattened = new Error("Error invoking remote method 'api': BAD_INPUT: prices/AAPL.csv:12: bad date");
    expect(toUserError(flattened).code).toBe('BAD_INPUT');
    expect(errorLine(flattened)).toBe('The input could not be used: prices/AAPL.csv:12: bad date');
  });

  it('treats anything else as internal', () => {
    expect(toUserError('boom')).toMatchObject({ code: 'INTERNAL', title: 'Something went wrong', message: 'boom' });
  });
});
