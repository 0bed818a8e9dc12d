import { describe, expect, it } from 'vitest';
import { PageCache, pagesFor, visibleColumns, visibleRange, type Page } from '../../src-renderer/lib/virtual';

describe('visibleRange', () => {
  it('renders only the rows in view plus overscan at the top of 20,000 rows', () => {
    const r = visibleRange(0, 560, 28, 20_000, 6);
    // 560 / 28 = 20 rows in view, + 6 overscan below, none above
    expect(r).toEqual({ first: 0, end: 26, offsetTop: 0, totalHeight: 560_000 });
  });

  it('windows the middle of the list', () => {
    const r = visibleRange(28 * 1000 + 10, 560, 28, 20_000, 6);
    // row 1000 partly scrolled: rows 1000..1020 visible (ceil), overscan 6 each side
    expect(r.first).toBe(994);
    expect(r.end).toBe(1027);
    expect(r.offsetTop).toBe(994 * 28);
    expect(r.end - r.first).toBeLessThan(40);
  });

  it('clamps a scroll position left past the end after filtering shrank the list', () => {
    const r = visibleRange(500_000, 560, 28, 50, 6);
    // 50 rows = 1400 px; max scrollTop is 840 → row 30
    expect(r).toEqual({ first: 24, end: 50, offsetTop: 24 * 28, totalHeight: 1400 });
  });

  it('is empty for no rows', () => {
    expect(visibleRange(0, 560, 28, 0)).toEqual({ first: 0, end: 0, offsetTop: 0, totalHeight: 0 });
  });
});

describe('pagesFor', () => {
  it('lists the pages covering a half-open row range', () => {
    expect(pagesFor(0, 200, 200)).toEqual([0]);
    expect(pagesFor(199, 201, 200)).toEqual([0, 1]);
    expect(pagesFor(994, 1027, 200)).toEqual([4, 5]);
    expect(pagesFor(10, 10, 200)).toEqual([]);
  });
});

function fakeSource(total: number) {
  const calls: [number, number][] = [];
  const fetcher = async (offset: number, limit: number): Promise<Page<number>> => {
    calls.push([offset, limit]);
    const rows: number[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push(i * 10);
    return { offset, rows, total };
  };
  return { calls, fetcher };
}

describe('PageCache', () => {
  it('fetches each needed page once and serves rows by absolute index', async () => {
    const src = fakeSource(1000);
    let loaded = 0;
    const cache = new PageCache(src.fetcher, 100, 10, () => loaded++);
    await Promise.all([cache.ensure(150, 250), cache.ensure(180, 220)]);
    expect(src.calls).toEqual([
      [100, 100],
      [200, 100],
    ]);
    expect(loaded).toBe(2);
    expect(cache.total).toBe(1000);
    expect(cache.row(150)).toBe(1500);
    expect(cache.row(249)).toBe(2490);
    expect(cache.row(99)).toBeUndefined();
    await cache.ensure(150, 250);
    expect(src.calls.length).toBe(2);
  });

  it('keeps at most maxPages, dropping the least recently used', async () => {
    const src = fakeSource(1000);
    const cache = new PageCache(src.fetcher, 100, 3);
    await cache.ensure(0, 100); // page 0
    await cache.ensure(100, 200); // page 1
    await cache.ensure(200, 300); // page 2
    await cache.ensure(0, 10); // touch page 0 → page 1 is now the oldest
    await cache.ensure(300, 400); // page 3 evicts page 1
    expect(cache.cachedPages.sort()).toEqual([0, 2, 3]);
    expect(cache.row(150)).toBeUndefined();
  });

  it('drops an answer that arrives after the query changed', async () => {
    let release: (() => void) | null = null;
    const slow = (offset: number, limit: number): Promise<Page<string>> =>
      new Promise((resolve) => {
        release = () => resolve({ offset, rows: Array.from({ length: limit }, () => 'old'), total: 500 });
      });
    const cache = new PageCache<string>(slow, 50, 10);
    const pending = cache.ensure(0, 10);
    cache.reset(async (offset, limit) => ({ offset, rows: Array.from({ length: limit }, () => 'new'), total: 60 }));
    release!();
    await pending;
    expect(cache.row(0)).toBeUndefined();
    expect(cache.total).toBeNull();
    await cache.ensure(0, 10);
    expect(cache.row(0)).toBe('new');
    expect(cache.total).toBe(60);
  });
});

describe('visibleColumns', () => {
  // 358 px of fixed columns (ticker, date, part, target), then 21 feature columns of 100 px
  it('draws the feature columns in view plus one on each side', () => {
    // unscrolled, 1060 px wide: features span 358..2458; 358..1060 shows features 0..7 (7 partly)
    expect(visibleColumns(0, 1060, 358, 100, 21)).toEqual({ first: 0, end: 9 });
  });

  it('follows a horizontal scroll to the last columns', () => {
    // scrolled to the right end: 1398..2458 shows features 10..20
    expect(visibleColumns(1398, 1060, 358, 100, 21)).toEqual({ first: 9, end: 21 });
    expect(visibleColumns(700, 1060, 358, 100, 21)).toEqual({ first: 2, end: 16 });
  });

  it('draws every column of a table narrower than the viewport, and none of an empty one', () => {
    expect(visibleColumns(0, 5000, 358, 100, 21)).toEqual({ first: 0, end: 21 });
    expect(visibleColumns(0, 1060, 358, 100, 0)).toEqual({ first: 0, end: 0 });
  });
});
