/** Number and time formatting shared by the views (plain text, locale-independent). */

const DASH = '—';

function finite(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** 0.4567 → "45.7%" */
export function pct(x: number | null | undefined, digits = 1): string {
  return finite(x) ? `${(x * 100).toFixed(digits)}%` : DASH;
}

/** Fixed decimals with a dash for missing values. */
export function fixed(x: number | null | undefined, digits = 3): string {
  return finite(x) ? x.toFixed(digits) : DASH;
}

/** Signed difference, "+0.012" / "−0.034" (true minus sign), "±0.000" for a tie at that precision. */
export function signed(x: number | null | undefined, digits = 3): string {
  if (!finite(x)) return DASH;
  const s = Math.abs(x).toFixed(digits);
  if (Number(s) === 0) return `±${s}`;
  return x > 0 ? `+${s}` : `−${s}`;
}

/** Signed difference in percentage points: 0.0123 → "+1.2 pp". */
export function signedPoints(x: number | null | undefined, digits = 1): string {
  if (!finite(x)) return DASH;
  return `${signed(x * 100, digits)} pp`;
}

/** 57219 → "57,219" */
export function int(x: number | null | undefined): string {
  if (!finite(x)) return DASH;
  const sign = x < 0 ? '-' : '';
  return sign + Math.round(Math.abs(x)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Compact value for table cells: big numbers grouped, small ones with 4 significant digits. */
export function cell(x: number | null | undefined): string {
  if (!finite(x)) return DASH;
  const a = Math.abs(x);
  if (a >= 1e5) return int(x);
  if (a >= 100) return x.toFixed(2);
  if (a === 0) return '0';
  if (a < 1e-3) return x.toExponential(2);
  return x.toPrecision(4);
}

/** Seconds as "12.3 s", "4 min 05 s", "1 h 02 min". */
export function duration(seconds: number | null | undefined): string {
  if (!finite(seconds) || seconds < 0) return DASH;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const total = Math.round(seconds);
  if (total < 3600) {
    const m = Math.floor(total / 60);
    const s = total % 60;
    return `${m} min ${String(s).padStart(2, '0')} s`;
  }
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return `${h} h ${String(m).padStart(2, '0')} min`;
}

/** p-values: "< 0.001" below a thousandth, otherwise 3 decimals. */
export function pValue(p: number | null | undefined): string {
  if (!finite(p)) return DASH;
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** ISO timestamp → "2024-11-29 14:03" (UTC, so tests and screenshots are stable). */
export function when(iso: string | null | undefined, seconds = false): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, seconds ? 19 : 16).replace('T', ' ');
}

/** "AAPL, MSFT, GOOGL +4": the first three tickers and how many more (the same wherever runs are named). */
export function tickerList(tickers: readonly string[], shown = 3): string {
  return tickers.length <= shown ? tickers.join(', ') : `${tickers.slice(0, shown).join(', ')} +${tickers.length - shown}`;
}

/** "2024-11-29 14:03:07 · AAPL, MSFT, GOOGL +4" — a compact name for a run (seconds: runs minutes apart happen). */
export function runName(r: { created: string; tickers: readonly string[] }): string {
  const tickers = tickerList(r.tickers);
  return `${when(r.created, true)} · ${tickers}`;
}
