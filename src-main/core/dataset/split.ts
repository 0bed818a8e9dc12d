/** Chronological train | embargo | validation split, and normalisation statistics fitted on train rows only. */
import { mean, standardDeviation } from 'simple-statistics';
import { WorkbenchError } from '../errors';
import { FEATURE_COUNT, type ClassBalance, type Normalisation, type Normaliser, type Row, type RowPart } from '../types';

export interface Split {
  trainEnd: string;
  validationStart: string;
  parts: RowPart[];
}

/**
 * By unique labelled date: the first ⌊U·trainFraction⌋ dates train, the next h dates are the embargo, the
 * rest validate. A train row whose label still reaches into validation (a ticker with a gap in its bars)
 * is moved to the embargo, so no label ever straddles the cut.
 */
export function splitRows(rows: readonly Row[], labelEnd: readonly (string | null)[], trainFraction: number, horizon: number): Split {
  const labelled = [...new Set(rows.filter((r) => r.target !== null).map((r) => r.date))].sort();
  const u = labelled.length;
  const nTrain = Math.floor(u * trainFraction + 1e-9);
  if (nTrain < 1 || nTrain + horizon >= u) {
    throw new WorkbenchError(
      'BAD_INPUT',
      `the range has ${u} labelled trading days: too few to split into train, a ${horizon}-day embargo and validation; choose a longer range`,
    );
  }
  const trainEnd = labelled[nTrain - 1];
  const validationStart = labelled[nTrain + horizon];
  const parts = rows.map((row, i): RowPart => {
    if (row.target === null) return 'unlabelled';
    if (row.date <= trainEnd) return (labelEnd[i] as string) < validationStart ? 'train' : 'embargo';
    return row.date < validationStart ? 'embargo' : 'validation';
  });
  return { trainEnd, validationStart, parts };
}

/** Mean and population standard deviation per feature; a constant feature gets std 1 (it normalises to 0). */
function fit(rows: readonly Row[]): { mean: number[]; std: number[] } {
  const means: number[] = [];
  const stds: number[] = [];
  for (let k = 0; k < FEATURE_COUNT; k++) {
    const column = rows.map((r) => r.features[k]);
    const sd = standardDeviation(column);
    means.push(mean(column));
    stds.push(sd > 1e-12 ? sd : 1);
  }
  return { mean: means, std: stds };
}

/**
 * Statistics from train rows only. "*" always holds the statistics of all train rows: the global
 * normaliser, and the fallback for a ticker without train rows.
 */
export function fitNormaliser(rows: readonly Row[], kind: Normalisation): Normaliser {
  const train = rows.filter((r) => r.part === 'train');
  if (train.length === 0) throw new WorkbenchError('BAD_INPUT', 'no training rows to fit the normalisation on');
  const stats: Normaliser['stats'] = { '*': fit(train) };
  if (kind === 'per_ticker') {
    const byTicker = new Map<string, Row[]>();
    for (const row of train) {
      const list = byTicker.get(row.ticker);
      if (list) list.push(row);
      else byTicker.set(row.ticker, [row]);
    }
    for (const [ticker, list] of byTicker) stats[ticker] = fit(list);
  }
  return { kind, stats };
}

export function classBalance(rows: readonly Row[], part?: RowPart): ClassBalance {
  const balance: ClassBalance = { down: 0, flat: 0, up: 0 };
  for (const row of rows) {
    if (row.target === null || (part !== undefined && row.part !== part)) continue;
    if (row.target === -1) balance.down++;
    else if (row.target === 0) balance.flat++;
    else balance.up++;
  }
  return balance;
}
