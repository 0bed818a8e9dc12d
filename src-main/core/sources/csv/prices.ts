import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tradingDays } from '../../dataset/calendar';
import type { PriceBar } from '../../types';
import { badInput, dedupeAndSort, findColumn, lineList, parseDate, parseNumber, readCsvTable, requireColumn } from './table';
import type { CsvTable } from './table';

const DATE = ['date', 'datetime', 'timestamp', 'time', 'day'];
const ADJ_CLOSE = ['adjclose', 'adjustedclose', 'adjclosing', 'closeadj', 'closeadjusted'];

interface ParsedBar extends PriceBar {
  line: number;
  adj: number | null;
}

/** Folder of `<TICKER>.csv` files (file names matched case-insensitively) → ascending adjusted bars per ticker. */
export async function loadPrices(
  folder: string,
  tickers: string[],
  warmupStart: string,
  end: string,
  repairs: string[],
): Promise<Record<string, PriceBar[]>> {
  let entries: string[];
  try {
    entries = await fs.readdir(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw badInput(code === 'ENOTDIR' ? 'prices path is a file, expected a folder' : 'prices folder not found', folder);
  }
  const byLowerName = new Map(entries.map((e) => [e.toLowerCase(), e]));
  const prices: Record<string, PriceBar[]> = {};
  for (const ticker of tickers) {
    const entry = byLowerName.get(`${ticker.toLowerCase()}.csv`);
    if (!entry) throw badInput(`no price file for ticker ${ticker} (expected ${ticker}.csv)`, path.join(folder, `${ticker}.csv`));
    const table = await readCsvTable(path.join(folder, entry), repairs);
    const bars = parsePriceTable(table, repairs);
    const inRange = bars.filter((b) => b.date >= warmupStart && b.date <= end);
    if (inRange.length === 0) {
      throw badInput(
        `no bars between ${warmupStart} and ${end} (the file covers ${bars[0].date} … ${bars[bars.length - 1].date})`,
        table.file,
      );
    }
    noteMissingTradingDays(table.name, inRange, repairs);
    prices[ticker] = inRange;
  }
  return prices;
}

/** NYSE closures the regular-holiday calendar does not know (storms, national days of mourning). */
const ONE_OFF_CLOSURES = new Set([
  '2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', // September 11
  '2004-06-11', // President Reagan
  '2007-01-02', // President Ford
  '2012-10-29', '2012-10-30', // Hurricane Sandy
  '2018-12-05', // President G. H. W. Bush
  '2025-01-09', // President Carter
]);
const LISTED_GAPS = 5;

/**
 * Trading days the exchange was open but the file has no row for. The rows are kept as given (nothing
 * is invented): indicators and h-day targets then span the gap, which the note says.
 */
export function missingTradingDays(bars: readonly PriceBar[]): string[] {
  if (bars.length < 2) return [];
  const have = new Set(bars.map((b) => b.date));
  return tradingDays(bars[0].date, bars[bars.length - 1].date).filter((d) => !have.has(d) && !ONE_OFF_CLOSURES.has(d));
}

function noteMissingTradingDays(name: string, bars: readonly PriceBar[], repairs: string[]): void {
  const missing = missingTradingDays(bars);
  if (missing.length === 0) return;
  const listed = missing.slice(0, LISTED_GAPS).join(', ') + (missing.length > LISTED_GAPS ? `, … ${missing.length - LISTED_GAPS} more` : '');
  repairs.push(
    `${name}: ${missing.length} trading day${missing.length === 1 ? '' : 's'} missing (${listed}); rows kept as given, so indicators and targets span the gap`,
  );
}

const isNullToken = (cell: string): boolean => cell.toLowerCase() === 'null';

/** Every bar of one price file, validated, deduplicated, ascending, with Adj Close applied. */
export function parsePriceTable(table: CsvTable, repairs: string[]): PriceBar[] {
  const { file, name } = table;
  const dateCol = requireColumn(table, 'date', DATE);
  const col = {
    open: requireColumn(table, 'open', ['open']),
    high: requireColumn(table, 'high', ['high']),
    low: requireColumn(table, 'low', ['low']),
    close: requireColumn(table, 'close', ['close']),
    volume: requireColumn(table, 'volume', ['volume', 'vol']),
  };
  let adjCol = findColumn(table, ADJ_CLOSE);
  const numericCols = [...Object.values(col), ...(adjCol >= 0 ? [adjCol] : [])];

  // Yahoo writes whole rows of `null` on some days; such rows carry no price and are dropped (and noted).
  const nullLines: number[] = [];
  const kept = table.rows.filter(({ line, cells }) => {
    const values = numericCols.map((i) => cells[i] ?? '');
    const isNullRow = values.some(isNullToken) || values.every((v) => v === '');
    if (isNullRow) nullLines.push(line);
    return !isNullRow;
  });
  if (nullLines.length > 0) repairs.push(`${name}: dropped ${nullLines.length} row${nullLines.length === 1 ? '' : 's'} with null values (${lineList(nullLines)})`);
  if (kept.length === 0) throw badInput('no rows with prices (every row is null)', file, table.rows[0].line);

  // An Adj Close column left empty on every row (as some exports do) is the same as no column.
  if (adjCol >= 0 && kept.every(({ cells }) => (cells[adjCol] ?? '') === '')) {
    repairs.push(`${name}: Adj Close column is empty; using Close (prices not adjusted for dividends)`);
    adjCol = -1;
  } else if (adjCol < 0) {
    repairs.push(`${name}: no Adj Close column; using Close (prices not adjusted for dividends)`);
  }

  let thousandsLine: number | null = null;
  const parsed: ParsedBar[] = kept.map(({ line, cells }) => {
    const where = { file, line };
    const date = parseDate(cells[dateCol] ?? '', where);
    const number = (label: string, col: number): number => {
      const cell = cells[col] ?? '';
      if (cell === '') throw badInput(`missing value in column "${label}"`, file, line);
      const { value, thousands } = parseNumber(cell, label, where);
      if (thousands && thousandsLine === null) thousandsLine = line;
      const positive = label !== 'volume';
      if (positive ? value <= 0 : value < 0) {
        throw badInput(`${label} must be ${positive ? 'positive' : 'zero or more'}, got ${cell}`, file, line);
      }
      return value;
    };
    const bar = {
      date,
      line,
      open: number('open', col.open),
      high: number('high', col.high),
      low: number('low', col.low),
      close: number('close', col.close),
      volume: number('volume', col.volume),
      adj: adjCol >= 0 ? number('adj close', adjCol) : null,
    };
    // Relative tolerance: vendors round each field on its own (float32-looking values).
    const slack = 1e-6 * bar.high;
    if (bar.low > bar.high + slack || bar.open > bar.high + slack || bar.close > bar.high + slack || bar.open < bar.low - slack || bar.close < bar.low - slack) {
      throw badInput(
        `inconsistent bar: high ${cells[col.high]}, low ${cells[col.low]}, open ${cells[col.open]}, close ${cells[col.close]} (high must be the largest and low the smallest; columns swapped?)`,
        file,
        line,
      );
    }
    return bar;
  });
  if (thousandsLine !== null) repairs.push(`${name}: removed thousands separators from numbers (first on line ${thousandsLine})`);

  const bars = dedupeAndSort(parsed, { key: (b) => b.date, dateOf: (b) => b.date, name, what: 'date' }, repairs);
  return bars.map(({ date, open, high, low, close, volume, adj }) => {
    if (adj === null) return { date, open, high, low, close, volume };
    // Adj Close folds splits and dividends into one factor; apply it to the whole bar so candles stay consistent.
    const f = adj / close;
    return { date, open: open * f, high: high * f, low: low * f, close: adj, volume };
  });
}
