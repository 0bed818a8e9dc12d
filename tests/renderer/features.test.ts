import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src-preload/contract';
import { ariaSort, groupSpans, nextSort, type FeatureGroup } from '../../src-renderer/lib/features';

describe('feature group bands', () => {
  it('splits the 21 features into stock 11 | news 3 | macro 5 | policy 2', () => {
    const groups: FeatureGroup[] = [
      ...Array<FeatureGroup>(11).fill('stock'),
      ...Array<FeatureGroup>(3).fill('news'),
      ...Array<FeatureGroup>(5).fill('macro'),
      ...Array<FeatureGroup>(2).fill('policy'),
    ];
    const features = FEATURE_NAMES.map((name, i) => ({ name, group: groups[i]! }));
    expect(groupSpans(features)).toEqual([
      { group: 'stock', start: 0, count: 11 },
      { group: 'news', start: 11, count: 3 },
      { group: 'macro', start: 14, count: 5 },
      { group: 'policy', start: 19, count: 2 },
    ]);
    expect(groupSpans([])).toEqual([]);
  });
});

describe('header sorting', () => {
  it('sorts a new column ascending and flips the current one', () => {
    expect(nextSort({ by: 'ticker', dir: 'asc' }, 'close')).toEqual({ by: 'close', dir: 'asc' });
    expect(nextSort({ by: 'close', dir: 'asc' }, 'close')).toEqual({ by: 'close', dir: 'desc' });
    expect(nextSort({ by: 'close', dir: 'desc' }, 'close')).toEqual({ by: 'close', dir: 'asc' });
  });

  it('announces the sort state on the header', () => {
    expect(ariaSort({ by: 'date', dir: 'desc' }, 'date')).toBe('descending');
    expect(ariaSort({ by: 'date', dir: 'asc' }, 'date')).toBe('ascending');
    expect(ariaSort({ by: 'date', dir: 'asc' }, 'close')).toBe('none');
  });
});
