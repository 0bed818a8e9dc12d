/**
 * State of the virtualised rows table: the query (sort, ticker, part), the page cache behind
 * it, and the window of rows in view. Create it during a component's init: its effects fetch
 * the pages the scroll position needs and start over when the dataset or query changes.
 */
import { untrack } from 'svelte';
import type { DatasetRow, RequestOf } from '../../src-preload/contract';
import { api } from './api';
import { app } from './app.svelte';
import { nextSort, type SortDir } from './features';
import { PageCache, visibleRange, type Page } from './virtual';

export type SortKey = NonNullable<RequestOf<'dataset.rows'>['sortBy']>;
export type RowPartFilter = '' | DatasetRow['part'];

export const ROW_HEIGHT = 28;
export const HEADER_HEIGHT = 2 * ROW_HEIGHT;
const PAGE_SIZE = 250;

export class RowsTableState {
  sort = $state<{ by: SortKey; dir: SortDir }>({ by: 'ticker', dir: 'asc' });
  ticker = $state('');
  part = $state<RowPartFilter>('');
  scrollTop = $state(0);
  clientHeight = $state(16 * ROW_HEIGHT + HEADER_HEIGHT);
  total = $state<number | null>(null);
  /** bumped whenever a page arrives, so rows re-read the cache */
  version = $state(0);
  scroller: HTMLElement | null = null;
  /** the query being shown; null while no dataset is loaded */
  private current: { hash: string | null } | null = null;

  private cache = new PageCache<DatasetRow>(
    async () => ({ offset: 0, rows: [], total: 0 }),
    PAGE_SIZE,
    40,
    () => this.loaded(),
  );

  readonly range = $derived(
    // 4 rows of overscan: enough for a wheel tick, and a fast flick redraws fewer off-screen rows
    visibleRange(this.scrollTop, Math.max(0, this.clientHeight - HEADER_HEIGHT), ROW_HEIGHT, this.total ?? 0, 4),
  );

  constructor(hash: () => string | null) {
    $effect(() => {
      const query = { hash: hash(), by: this.sort.by, dir: this.sort.dir, ticker: this.ticker, part: this.part };
      untrack(() => this.restart(query));
    });
    $effect(() => {
      const { first, end } = this.range;
      const known = this.total !== null;
      untrack(() => {
        if (!this.current) return;
        this.cache
          .ensure(known ? first : 0, known ? end : PAGE_SIZE)
          .catch((err: unknown) => app.showError(err));
      });
    });
  }

  private restart(query: { hash: string | null; by: SortKey; dir: SortDir; ticker: string; part: RowPartFilter }): void {
    this.current = query.hash ? query : null;
    const fetcher = async (offset: number, limit: number): Promise<Page<DatasetRow>> =>
      api().dataset.rows({
        offset,
        limit,
        sortBy: query.by,
        sortDir: query.dir,
        ...(query.ticker ? { ticker: query.ticker } : {}),
        ...(query.part ? { part: query.part } : {}),
      });
    this.cache.reset(fetcher);
    this.total = null;
    this.scrollTop = 0;
    if (this.scroller) this.scroller.scrollTop = 0;
    if (!this.current) return;
    this.cache.ensure(0, PAGE_SIZE).catch((err: unknown) => app.showError(err));
  }

  private loaded(): void {
    this.total = this.cache.total;
    this.version++;
  }

  row(index: number): DatasetRow | undefined {
    void this.version;
    return this.cache.row(index);
  }

  sortBy(column: SortKey): void {
    this.sort = nextSort(this.sort, column);
  }
}
