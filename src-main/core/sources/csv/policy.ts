import type { MacroSeries, PolicyEvent } from '../../types';
import { badInput, dedupeAndSort, parseDate, parseNumber, readCsvTable, requireColumn } from './table';

/** A move of the fed funds rate this large (percentage points) counts as a policy event. */
export const POLICY_MOVE_THRESHOLD = 0.2;

/** `date,count,impact` (with common name variants), events in [warmupStart, end]. */
export async function loadPolicyFile(file: string, warmupStart: string, end: string, repairs: string[]): Promise<PolicyEvent[]> {
  const table = await readCsvTable(file, repairs);
  const col = {
    date: requireColumn(table, 'date', ['date', 'day']),
    count: requireColumn(table, 'count', ['count', 'eventcount', 'events', 'policyeventcount', 'nevents', 'numevents']),
    impact: requireColumn(table, 'impact', ['impact', 'impactscore', 'policyimpact', 'policyimpactscore']),
  };
  const events: (PolicyEvent & { line: number })[] = [];
  for (const { line, cells } of table.rows) {
    const where = { file, line };
    const date = parseDate(cells[col.date] ?? '', where);
    const countCell = cells[col.count] ?? '';
    const impactCell = cells[col.impact] ?? '';
    if (countCell === '') throw badInput('missing value in column "count"', file, line);
    if (impactCell === '') throw badInput('missing value in column "impact"', file, line);
    const count = parseNumber(countCell, 'count', where).value;
    if (count < 0) throw badInput(`count must be zero or more, got ${countCell}`, file, line);
    const impact = parseNumber(impactCell, 'impact', where).value;
    if (date >= warmupStart && date <= end) events.push({ date, count, impact, line });
  }
  const sorted = dedupeAndSort(events, { key: (e) => e.date, dateOf: (e) => e.date, name: table.name, what: 'date' }, repairs);
  return sorted.map(({ date, count, impact }) => ({ date, count, impact }));
}

/**
 * Without a policy file: one event wherever the fed funds rate moved by ≥ 0.20 points against the previous
 * observation, impact = the signed move. A daily series' event is dated on the move; a monthly (or quarterly)
 * average is only known once its period is over, so its event is dated at the start of the next period —
 * dating it at the period start would let a feature see a move before it was known.
 */
export function derivePolicyEvents(rate: MacroSeries, warmupStart: string, end: string): PolicyEvent[] {
  const events: PolicyEvent[] = [];
  const { points, frequency } = rate;
  for (let i = 1; i < points.length; i++) {
    const move = points[i].value - points[i - 1].value;
    // A tiny tolerance: 4.83 − 4.63 is 0.1999999… in binary floating point.
    if (Math.abs(move) < POLICY_MOVE_THRESHOLD - 1e-9) continue;
    const date = frequency === 'daily' ? points[i].date : nextPeriodStart(points[i].date, frequency === 'monthly' ? 1 : 3);
    if (date >= warmupStart && date <= end) events.push({ date, count: 1, impact: Math.round(move * 1e10) / 1e10 });
  }
  return events;
}

function nextPeriodStart(date: string, months: number): string {
  const t = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1 + months, 1));
  return t.toISOString().slice(0, 10);
}
