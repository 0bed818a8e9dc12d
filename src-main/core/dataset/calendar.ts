/**
 * ISO dates (`YYYY-MM-DD`) as UTC day numbers, and the US equity market calendar (weekends and the NYSE's
 * regular holidays; one-off closures such as national days of mourning are not modelled).
 */

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a valid ISO date, or null for anything else (incl. 2024-02-30). */
export function parseIsoDate(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = Date.UTC(y, mo - 1, d) / MS_PER_DAY;
  return fromDayNumber(day) === iso ? day : null;
}

export function toDayNumber(iso: string): number {
  const day = parseIsoDate(iso);
  if (day === null) throw new RangeError(`not an ISO date: ${iso}`);
  return day;
}

export function fromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return fromDayNumber(toDayNumber(iso) + days);
}

/** Add calendar months; the day of month is clamped (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromDayNumber(Date.UTC(year, month, Math.min(d, lastDay)) / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const holidayCache = new Map<number, Set<number>>();

function nthWeekday(year: number, month: number, dow: number, n: number): number {
  const first = Date.UTC(year, month, 1) / MS_PER_DAY;
  return first + ((dow - weekday(first) + 7) % 7) + (n - 1) * 7;
}

function lastWeekday(year: number, month: number, dow: number): number {
  const last = Date.UTC(year, month + 1, 0) / MS_PER_DAY;
  return last - ((weekday(last) - dow + 7) % 7);
}

/** Easter Sunday (anonymous Gregorian algorithm), for Good Friday. */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY;
}

/** A fixed-date holiday on Saturday is observed on Friday, on Sunday on Monday. */
function observed(day: number): number {
  const dow = weekday(day);
  return dow === 6 ? day - 1 : dow === 0 ? day + 1 : day;
}

/** NYSE regular holidays of one year as day numbers. */
export function marketHolidays(year: number): Set<number> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const days = new Set<number>();
  // New Year's Day on a Saturday is not observed on the Friday before (NYSE rule: year-end stays open).
  const newYear = Date.UTC(year, 0, 1) / MS_PER_DAY;
  if (weekday(newYear) !== 6) days.add(observed(newYear));
  days.add(nthWeekday(year, 0, 1, 3)); // Martin Luther King Jr. Day
  days.add(nthWeekday(year, 1, 1, 3)); // Washington's Birthday
  days.add(easter(year) - 2); // Good Friday
  days.add(lastWeekday(year, 4, 1)); // Memorial Day
  if (year >= 2022) days.add(observed(Date.UTC(year, 5, 19) / MS_PER_DAY)); // Juneteenth
  days.add(observed(Date.UTC(year, 6, 4) / MS_PER_DAY));
  days.add(nthWeekday(year, 8, 1, 1)); // Labor Day
  days.add(nthWeekday(year, 10, 4, 4)); // Thanksgiving
  days.add(observed(Date.UTC(year, 11, 25) / MS_PER_DAY));
  holidayCache.set(year, days);
  return days;
}

export function isTradingDayNumber(day: number): boolean {
  const dow = weekday(day);
  if (dow === 0 || dow === 6) return false;
  return !marketHolidays(new Date(day * MS_PER_DAY).getUTCFullYear()).has(day);
}

export function isTradingDay(iso: string): boolean {
  return isTradingDayNumber(toDayNumber(iso));
}

/** Trading days in [from, to], ascending. */
export function tradingDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = toDayNumber(from), last = toDayNumber(to); day <= last; day++) {
    if (isTradingDayNumber(day)) out.push(fromDayNumber(day));
  }
  return out;
}

/** The calendar date `bars` trading days before `start` (the first bar of the warm-up history). */
export function tradingDaysBefore(start: string, bars: number): string {
  let day = toDayNumber(start);
  for (let found = 0; found < bars; ) {
    day--;
    if (isTradingDayNumber(day)) found++;
  }
  return fromDayNumber(day);
}
