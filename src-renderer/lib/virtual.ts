/**
 * Windowing maths for the virtualised rows table: which rows to put in the DOM for a scroll
 * position, and which fixed-size pages must be fetched to show them.
 */

export interface VisibleRange {
  /** first row index to render (inclusive) */
  first: number;
  /** last row index to render (exclusive) */
  end: number;
  /** pixel offset of row `first` from the top of the scroll content */
  offsetTop: number;
  /** height of the whole (virtual) content */
  totalHeight: number;
}

export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  rowCount: number,
  overscan = 6,
): VisibleRange {
  const totalHeight = rowCount * rowHeight;
  if (rowCount <= 0 || rowHeight <= 0) return { first: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  // a scrollTop past the end happens briefly after the row count shrinks (filtering)
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - viewportHeight));
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(rowCount, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first, end, offsetTop: first * rowHeight, totalHeight };
}

/**
 * Which of `count` equal-width columns to draw for a horizontal scroll position: those overlapping
 * the viewport right of `leading` px of always-drawn columns (ticker, date, part, target), plus
 * `overscan` on each side. Returns [first, end) column indexes.
 */
export function visibleColumns(
  scrollLeft: number,
  viewportWidth: number,
  leading: number,
  columnWidth: number,
  count: number,
  overscan = 1,
): { first: number; end: number } {
  if (count <= 0 || columnWidth <= 0) return { first: 0, end: 0 };
  const left = Math.max(0, scrollLeft) - leading;
  const right = Math.max(0, scrollLeft) + Math.max(0, viewportWidth) - leading;
  const first = Math.min(count, Math.max(0, Math.floor(left / columnWidth) - overscan));
  const end = Math.min(count, Math.max(0, Math.ceil(right / columnWidth) + overscan));
  return { first, end: Math.max(first, end) };
}

/** Page numbers covering rows [first, end). */
export function pagesFor(first: number, end: number, pageSize: number): number[] {
  if (end <= first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

export interface Page<T> {
  offset: number;
  rows: T[];
  total: number;
}

export type PageFetcher<T> = (offset: number, limit: number) => Promise<Page<T>>;

/**
 * Keeps fetched pages for one query (sort + filter). Fetches each missing page once, drops
 * the least recently used pages beyond `maxPages` so 20,000 rows never all sit in memory, and
 * ignores answers that arrive after the query changed.
 */
export class PageCache<T> {
  private pages = new Map<number, T[]>();
  private inFlight = new Map<number, Promise<void>>();
  private generation = 0;
  total: number | null = null;

  constructor(
    private fetcher: PageFetcher<T>,
    readonly pageSize = 200,
    private maxPages = 40,
    private onLoaded: () => void = () => {},
  ) {}

  /** Forget everything (the query changed); late answers for the old query are dropped. */
  reset(fetcher?: PageFetcher<T>): void {
    if (fetcher) this.fetcher = fetcher;
    this.generation++;
    this.pages.clear();
    this.inFlight.clear();
    this.total = null;
  }

  row(index: number): T | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize];
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  get cachedPages(): number[] {
    return [...this.pages.keys()];
  }

  /** Fetch whatever pages rows [first, end) need; resolves when they are loaded. */
  async ensure(first: number, end: number): Promise<void> {
    const wanted = pagesFor(first, Math.max(end, first + 1), this.pageSize);
    await Promise.all(wanted.map((p) => this.load(p)));
  }

  private load(page: number): Promise<void> {
    const cached = this.pages.get(page);
    if (cached) {
      // refresh recency
      this.pages.delete(page);
      this.pages.set(page, cached);
      return Promise.resolve();
    }
    const pending = this.inFlight.get(page);
    if (pending) return pending;
    const generation = this.generation;
    const promise = this.fetcher(page * this.pageSize, this.pageSize)
      .then((result) => {
        if (generation !== this.generation) return;
        this.total = result.total;
        this.pages.set(page, result.rows);
        while (this.pages.size > this.maxPages) {
          const oldest = this.pages.keys().next().value;
          if (oldest === undefined) break;
          this.pages.delete(oldest);
        }
        this.onLoaded();
      })
      .finally(() => {
        if (generation === this.generation) this.inFlight.delete(page);
      });
    this.inFlight.set(page, promise);
    return promise;
  }
}
