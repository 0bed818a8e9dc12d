/** Feature groups as the rows table shows them: one header band per run of same-group columns. */

export type FeatureGroup = 'stock' | 'news' | 'macro' | 'policy';

export const GROUP_LABEL: Record<FeatureGroup, string> = {
  stock: 'Stock',
  news: 'News',
  macro: 'Macro',
  policy: 'Policy',
};

export interface GroupSpan {
  group: FeatureGroup;
  /** first column index (within the features) */
  start: number;
  count: number;
}

/** Consecutive runs of the same group, in column order. */
export function groupSpans(features: readonly { group: FeatureGroup }[]): GroupSpan[] {
  const spans: GroupSpan[] = [];
  features.forEach((f, i) => {
    const last = spans[spans.length - 1];
    if (last && last.group === f.group) last.count++;
    else spans.push({ group: f.group, start: i, count: 1 });
  });
  return spans;
}

export type SortDir = 'asc' | 'desc';

/** Clicking a header: a new column sorts ascending, the same column flips direction. */
export function nextSort<K extends string>(current: { by: K; dir: SortDir }, clicked: K): { by: K; dir: SortDir } {
  if (current.by !== clicked) return { by: clicked, dir: 'asc' };
  return { by: clicked, dir: current.dir === 'asc' ? 'desc' : 'asc' };
}

export function ariaSort(current: { by: string; dir: SortDir }, column: string): 'ascending' | 'descending' | 'none' {
  if (current.by !== column) return 'none';
  return current.dir === 'asc' ? 'ascending' : 'descending';
}
