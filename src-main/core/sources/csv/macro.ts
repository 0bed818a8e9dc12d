import { promises as fs } from 'node:fs';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { MACRO_FEATURES } from '../../types';
import type { MacroFeature, MacroFrequency, MacroSeries } from '../../types';
import { addDays, badInput, dedupeAndSort, findColumn, normaliseKey, parseDate, parseNumber, readCsvTable } from './table';
import type { CsvTable } from './table';

type Point = { date: string; value: number };

/** FRED series we understand, in order of preference within a feature. */
const FRED: Record<string, { feature: MacroFeature; frequency: MacroFrequency }> = {
  A191RL1Q225SBEA: { feature: 'gdp_growth', frequency: 'quarterly' },
  CPIAUCSL: { feature: 'inflation', frequency: 'monthly' },
  UNRATE: { feature: 'unemployment', frequency: 'monthly' },
  DFF: { feature: 'interest_rate', frequency: 'daily' },
  FEDFUNDS: { feature: 'interest_rate', frequency: 'monthly' },
  VIXCLS: { feature: 'vix', frequency: 'daily' },
};
const FRED_ORDER = Object.keys(FRED);

/**
 * Kept before warmupStart: enough that the value *published* by warmupStart is present even for a quarterly
 * series (period start up to ~7 months earlier), since the publication lag is applied downstream.
 */
const HISTORY_DAYS = 400;

export interface MacroLoad {
  macro: Partial<Record<MacroFeature, MacroSeries>>;
  /** The chosen interest-rate series, untrimmed: policy events may be derived from its moves. */
  rate: MacroSeries | null;
}

/** A folder of FRED-style `date,value` files, recognised by FRED id or feature name. */
export async function loadMacro(folder: string, warmupStart: string, end: string, repairs: string[]): Promise<MacroLoad> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw badInput(code === 'ENOTDIR' ? 'macro path is a file, expected a folder' : 'macro folder not found', folder);
  }
  const candidates = new Map<MacroFeature, MacroSeries[]>();
  const fileOf = new Map<MacroSeries, string>();
  for (const entry of entries.filter((e) => e.isFile() && !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const id = path.parse(entry.name).name;
    const isCsv = path.extname(entry.name).toLowerCase() === '.csv';
    const fred = isCsv ? FRED[id.toUpperCase()] : undefined;
    const featureName = isCsv ? MACRO_FEATURES.find((f) => f === id.toLowerCase()) : undefined;
    if (!fred && !featureName) {
      repairs.push(`${entry.name}: not a recognised macro series; ignored`);
      continue;
    }
    const table = await readCsvTable(path.join(folder, entry.name), repairs);
    const points = readPoints(table, id, repairs);
    const series: MacroSeries = fred
      ? { feature: fred.feature, sourceId: id.toUpperCase(), frequency: fred.frequency, points }
      : { feature: featureName as MacroFeature, sourceId: featureName as MacroFeature, frequency: inferFrequency(table, points), points };
    if (series.sourceId === 'CPIAUCSL') series.points = yearOverYear(points);
    candidates.set(series.feature, [...(candidates.get(series.feature) ?? []), series]);
    fileOf.set(series, entry.name);
  }

  const macro: Partial<Record<MacroFeature, MacroSeries>> = {};
  let rate: MacroSeries | null = null;
  const from = addDays(warmupStart, -HISTORY_DAYS);
  for (const feature of MACRO_FEATURES) {
    const list = (candidates.get(feature) ?? []).sort((a, b) => preference(a) - preference(b));
    if (list.length === 0) continue;
    // Prefer the first series (by FRED_ORDER) that reaches `end`; if none does, the first one.
    const chosen = list.find((s) => covers(s, end)) ?? list[0];
    if (list.length > 1) {
      const others = list.filter((s) => s !== chosen).map((s) => fileOf.get(s)).join(', ');
      const why = chosen !== list[0] ? ` (${fileOf.get(list[0])} ends ${lastDate(list[0])}, before ${end})` : '';
      repairs.push(`${fileOf.get(chosen)}: used for ${feature}${why}; ignored ${others}`);
    }
    if (feature === 'interest_rate') rate = chosen;
    const points = chosen.points.filter((p) => p.date >= from && p.date <= end);
    if (points.length === 0) {
      repairs.push(`${fileOf.get(chosen)}: no values between ${from} and ${end}; ${feature} will be filled`);
      continue;
    }
    macro[feature] = { ...chosen, points };
  }
  return { macro, rate };
}

function preference(s: MacroSeries): number {
  const i = FRED_ORDER.indexOf(s.sourceId);
  return i < 0 ? FRED_ORDER.length : i;
}

const lastDate = (s: MacroSeries): string => s.points[s.points.length - 1]?.date ?? '(no values)';

/** Does the series have a value for the period that contains `end`? */
function covers(s: MacroSeries, end: string): boolean {
  return lastDate(s) >= periodStart(end, s.frequency);
}

export function periodStart(date: string, frequency: MacroFrequency): string {
  if (frequency === 'daily') return date;
  const month = Number(date.slice(5, 7));
  const startMonth = frequency === 'monthly' ? month : month - ((month - 1) % 3);
  return `${date.slice(0, 4)}-${String(startMonth).padStart(2, '0')}-01`;
}

/** Date and value columns: by name (`date`/`observation_date`, `value`/<series id>), else the two columns in order. */
function readPoints(table: CsvTable, id: string, repairs: string[]): Point[] {
  const { file, name } = table;
  const two = table.keys.length === 2;
  let dateCol = findColumn(table, ['date', 'observationdate', 'period', 'day']);
  let valueCol = findColumn(table, ['value', normaliseKey(id)]);
  if (dateCol < 0 && two) dateCol = 0;
  if (valueCol < 0 && two) valueCol = 1 - dateCol;
  if (dateCol < 0 || valueCol < 0 || dateCol === valueCol) {
    throw badInput(`expected columns "date,value" or "observation_date,${id}" (header: ${table.header.join(', ')})`, file, 1);
  }
  const points: (Point & { line: number })[] = [];
  let skipped = 0;
  for (const { line, cells } of table.rows) {
    const cell = cells[valueCol] ?? '';
    // FRED leaves a value empty (older downloads: ".") on days without an observation.
    if (cell === '' || cell === '.') {
      skipped++;
      continue;
    }
    const where = { file, line };
    points.push({ date: parseDate(cells[dateCol] ?? '', where), value: parseNumber(cell, id, where).value, line });
  }
  if (skipped > 0) repairs.push(`${name}: skipped ${skipped} empty value${skipped === 1 ? '' : 's'}`);
  if (points.length === 0) throw badInput('no values (every value is empty)', file, table.rows[0].line);
  return dedupeAndSort(points, { key: (p) => p.date, dateOf: (p) => p.date, name, what: 'date' }, repairs).map(
    ({ date, value }) => ({ date, value }),
  );
}

/** For a file named by feature: daily, monthly or quarterly from the median spacing of its dates. */
function inferFrequency(table: CsvTable, points: Point[]): MacroFrequency {
  if (points.length < 2) throw badInput('needs at least two values to tell its frequency', table.file, table.rows[0].line);
  const gaps = points.slice(1).map((p, i) => (Date.parse(p.date) - Date.parse(points[i].date)) / 86_400_000);
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  if (median <= 7) return 'daily';
  if (median <= 45) return 'monthly';
  if (median <= 120) return 'quarterly';
  throw badInput(`cannot tell the frequency (dates are ${median} days apart; expected daily, monthly or quarterly)`, table.file);
}

/** CPI index → inflation as year-over-year %, (CPI(t) / CPI(t − 12 months) − 1) × 100; months without a year-earlier value are dropped. */
export function yearOverYear(points: Point[]): Point[] {
  const byMonth = new Map(points.map((p) => [p.date.slice(0, 7), p.value]));
  const out: Point[] = [];
  for (const p of points) {
    const prior = byMonth.get(`${Number(p.date.slice(0, 4)) - 1}${p.date.slice(4, 7)}`);
    if (prior !== undefined && prior !== 0) out.push({ date: p.date, value: (p.value / prior - 1) * 100 });
  }
  return out;
}
