import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { WorkbenchError } from '../../errors';

/** One CSV file read into a header and data rows, each row knowing its 1-based line in the file. */
export interface CsvTable {
  file: string;
  name: string; // base name, used in repair notes
  header: string[];
  keys: string[]; // normalised header names, see normaliseKey
  rows: { line: number; cells: string[] }[];
}

export function badInput(message: string, file: string, line?: number): WorkbenchError {
  return new WorkbenchError('BAD_INPUT', message, { file, line });
}

/** "Adj Close", "adj_close", "AdjClose" → "adjclose": header variants differ only in case and separators. */
export function normaliseKey(name: string): string {
  return name.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Reads a CSV file. A row with more cells than the header is refused when an extra cell holds
 * something (an unquoted thousands separator such as 1,234.5 shifts every later column, which would
 * silently read volume as a price); trailing empty cells (a comma at the end of the line) are
 * dropped, and noted in `repairs`.
 */
export async function readCsvTable(file: string, repairs: string[] = []): Promise<CsvTable> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput('file not found', file);
    if (code === 'EISDIR') throw badInput('is a folder, expected a CSV file', file);
    throw badInput(`cannot read file (${code ?? String(err)})`, file);
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') throw badInput('file is empty', file, 1);

  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` csv-parse returns { record, info } pairs, which its typings do not express.
    const parsed: unknown = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true });
    records = parsed as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    if (err instanceof CsvError) {
      // csv-parse reports an unclosed quote where the file ends; the user needs the line where it opened.
      const line = err.code === 'CSV_QUOTE_NOT_CLOSED' ? openQuoteLine(text) : (err as CsvError & { lines?: number }).lines;
      throw badInput(`not a readable CSV file (${err.message.split(':')[0]})`, file, line);
    }
    throw err;
  }
  // info.lines is where a record ends; a quoted field may span lines, so step back to where it starts.
  const rows = records.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
    cells: record.map((c) => c.trim()),
  }));
  const [head, ...data] = rows;
  if (data.length === 0) throw badInput('has a header but no data rows', file, head.line);
  const width = head.cells.length;
  const trimmed: number[] = [];
  for (const row of data) {
    if (row.cells.length <= width) continue;
    const extra = row.cells.slice(width);
    if (extra.some((c) => c !== '')) {
      throw badInput(
        `has ${row.cells.length} values where the header has ${width} columns — an unquoted thousands separator (write 1234.5 or "1,234.5")? An extra column needs a header`,
        file,
        row.line,
      );
    }
    row.cells = row.cells.slice(0, width);
    trimmed.push(row.line);
  }
  if (trimmed.length > 0) repairs.push(`${path.basename(file)}: dropped empty cells after the last column (${lineList(trimmed)})`);
  return { file, name: path.basename(file), header: head.cells, keys: head.cells.map(normaliseKey), rows: data };
}

/** 1-based line on which the quote left open at the end of the text was opened. */
function openQuoteLine(text: string): number | undefined {
  let line = 1;
  let inQuote = false;
  let openedOn: number | undefined;
  for (const ch of text) {
    if (ch === '"') {
      inQuote = !inQuote;
      if (inQuote) openedOn = line;
    } else if (ch === '\n') line++;
  }
  return inQuote ? openedOn : undefined;
}

/** Index of the first header matching one of the (normalised) aliases, or -1. */
export function findColumn(table: CsvTable, aliases: readonly string[]): number {
  for (const alias of aliases) {
    const i = table.keys.indexOf(alias);
    if (i >= 0) return i;
  }
  return -1;
}

export function requireColumn(table: CsvTable, label: string, aliases: readonly string[]): number {
  const i = findColumn(table, aliases);
  if (i < 0) {
    throw badInput(`missing required column "${label}" (header: ${table.header.join(', ')})`, table.file, 1);
  }
  return i;
}

const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** A number cell, accepting quoted thousands separators ("1,234,567"). Empty cells are the caller's business. */
export function parseNumber(
  cell: string,
  column: string,
  where: { file: string; line: number },
): { value: number; thousands: boolean } {
  const thousands = THOUSANDS.test(cell);
  const text = thousands ? cell.replace(/,/g, '') : cell;
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) {
    throw badInput(`non-numeric value "${cell}" in column "${column}"`, where.file, where.line);
  }
  return { value, thousands };
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/;
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

/** `YYYY-MM-DD` (a time part such as yfinance's "2020-01-02 00:00:00-05:00" is dropped) or `YYYY/MM/DD`. */
export function parseDate(cell: string, where: { file: string; line: number }): string {
  const m = ISO.exec(cell) ?? SLASHED.exec(cell);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) {
      return t.toISOString().slice(0, 10);
    }
  }
  throw badInput(`invalid date "${cell}" (expected YYYY-MM-DD)`, where.file, where.line);
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === s;
}

/** Shift an ISO date by whole days (UTC, so no DST surprises). */
export function addDays(iso: string, days: number): string {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** "lines 4, 7, 9" — at most a handful, so a note stays one line. */
export function lineList(lines: number[], max = 5): string {
  const shown = lines.slice(0, max).join(', ');
  return `line${lines.length === 1 ? '' : 's'} ${shown}${lines.length > max ? `, … (${lines.length} in all)` : ''}`;
}

/** How a file's dates were ordered, ignoring equal neighbours (duplicates are reported separately). */
export function dateOrder(dates: string[]): 'ascending' | 'descending' | 'mixed' {
  let up = false;
  let down = false;
  for (let i = 1; i < dates.length; i++) {
    if (dates[i] > dates[i - 1]) up = true;
    else if (dates[i] < dates[i - 1]) down = true;
  }
  if (up && down) return 'mixed';
  return down ? 'descending' : 'ascending';
}

/**
 * Keep the last row per key (file order), sort by key, and note what was repaired. Shared by prices, news,
 * macro and policy so the notes read alike. `dateOf` is given for single-series files, whose date order is
 * worth a note; a multi-ticker file has no canonical order to break.
 */
export function dedupeAndSort<T extends { line: number }>(
  items: T[],
  opts: { key: (item: T) => string; dateOf?: (item: T) => string; name: string; what: string },
  repairs: string[],
): T[] {
  const { key, dateOf, name, what } = opts;
  const order = dateOf ? dateOrder(items.map(dateOf)) : 'ascending';
  const byKey = new Map<string, T>();
  const duplicateLines: number[] = [];
  for (const item of items) {
    const k = key(item);
    const earlier = byKey.get(k);
    if (earlier) duplicateLines.push(earlier.line);
    byKey.set(k, item);
  }
  if (duplicateLines.length > 0) {
    const n = duplicateLines.length;
    repairs.push(`${name}: ${n} duplicate ${what}${n === 1 ? '' : 's'}; kept the last row of each (dropped ${lineList(duplicateLines)})`);
  }
  if (order === 'descending') repairs.push(`${name}: dates were in descending order; sorted ascending`);
  if (order === 'mixed') repairs.push(`${name}: dates were out of order; sorted ascending`);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}
