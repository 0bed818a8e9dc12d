/** Times building the dataset of 10 years × 7 tickers from the synthetic source (median of a few builds). */
import { buildDataset, DEFAULT_DATASET_CONFIG } from '../src-main/core/dataset';

export const DATASET_CASE = {
  tickers: ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META', 'NVDA', 'TSLA'],
  start: '2014-01-02',
  end: '2023-12-29',
};

export interface DatasetTiming {
  tickers: string[];
  start: string;
  end: string;
  rows: number;
  /** median seconds per build; the first build (module warm-up) is not counted */
  seconds: number;
  build_seconds: number[];
}

export async function timeDatasetBuild(builds = 3): Promise<DatasetTiming> {
  const config = { ...DEFAULT_DATASET_CONFIG, source: 'synthetic' as const, ...DATASET_CASE };
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i <= builds; i++) {
    const started = performance.now();
    const ds = await buildDataset(config);
    if (i > 0) times.push((performance.now() - started) / 1000);
    rows = ds.rows.length;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { ...DATASET_CASE, rows, seconds: sorted[Math.floor(sorted.length / 2)], build_seconds: times };
}
