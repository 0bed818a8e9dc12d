import { describe, expect, it } from 'vitest';
import { cell, duration, fixed, int, pct, pValue, signed, signedPoints, when } from '../../src-renderer/lib/format';

describe('format', () => {
  it('formats shares as percentages with a dash for missing values', () => {
    expect(pct(0.4567)).toBe('45.7%');
    expect(pct(1 / 3, 0)).toBe('33%');
    expect(pct(null)).toBe('—');
    expect(pct(Number.NaN)).toBe('—');
  });

  it('signs deltas with a true minus and marks ties', () => {
    expect(signed(0.0123)).toBe('+0.012');
    expect(signed(-0.0345)).toBe('−0.035');
    expect(signed(0.0001)).toBe('±0.000');
    expect(signedPoints(0.0123)).toBe('+1.2 pp');
    expect(signedPoints(-0.25)).toBe('−25.0 pp');
  });

  it('groups integers the way parameter counts are written', () => {
    expect(int(57219)).toBe('57,219');
    expect(int(2371)).toBe('2,371');
    expect(int(57731)).toBe('57,731');
    expect(int(-1234567)).toBe('-1,234,567');
    expect(int(12)).toBe('12');
  });

  it('keeps table cells short', () => {
    expect(cell(237.3300018310547)).toBe('237.33');
    expect(cell(123456789)).toBe('123,456,789');
    expect(cell(0.12345)).toBe('0.1235');
    expect(cell(-1.5)).toBe('-1.500');
    expect(cell(0)).toBe('0');
    expect(cell(0.00001234)).toBe('1.23e-5');
    expect(fixed(2 / 3)).toBe('0.667');
  });

  it('writes durations and p-values for people', () => {
    expect(duration(3.25)).toBe('3.3 s');
    expect(duration(42)).toBe('42 s');
    expect(duration(245)).toBe('4 min 05 s');
    expect(duration(3720)).toBe('1 h 02 min');
    expect(duration(null)).toBe('—');
    expect(pValue(0.0004)).toBe('< 0.001');
    expect(pValue(0.04567)).toBe('0.046');
  });

  it('shows timestamps in UTC minutes', () => {
    expect(when('2024-11-29T14:03:59.123Z')).toBe('2024-11-29 14:03');
    expect(when('not a date')).toBe('not a date');
  });
});
