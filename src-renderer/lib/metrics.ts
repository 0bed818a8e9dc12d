/** Pure helpers for the Compare and Dataset views: shares, row percentages, heat colours, deltas. */

export const CLASS_LABELS = ['down', 'flat', 'up'] as const;

export interface Balance {
  down: number;
  flat: number;
  up: number;
}

export interface BalanceShare {
  name: (typeof CLASS_LABELS)[number];
  count: number;
  share: number; // 0..1, 0 when the total is 0
}

export function balanceShares(b: Balance): BalanceShare[] {
  const total = b.down + b.flat + b.up;
  return CLASS_LABELS.map((name) => ({ name, count: b[name], share: total === 0 ? 0 : b[name] / total }));
}

/** Row-normalised confusion matrix (rows = true class); an empty row stays all zero. */
export function rowShares(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total === 0 ? 0 : v / total));
  });
}

export function matrixTotal(matrix: readonly (readonly number[])[]): number {
  return matrix.reduce((s, row) => s + row.reduce((a, v) => a + v, 0), 0);
}

/**
 * Background for a heat-map cell with share 0..1: white → deep blue, and the text colour that
 * keeps WCAG contrast on it (white text once the cell is dark).
 */
export function heatColour(share: number): { background: string; text: string } {
  const t = Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0));
  const from = [247, 251, 255];
  const to = [8, 48, 107];
  const mix = from.map((f, i) => Math.round(f + (to[i]! - f) * t));
  // relative luminance (sRGB) decides the text colour
  const lum = mix
    .map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    })
    .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i]!, 0);
  return { background: `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`, text: lum < 0.22 ? '#ffffff' : '#0b1b2b' };
}

/** b − a, or null when either is missing. */
export function delta(a: number | null | undefined, b: number | null | undefined): number | null {
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  return b - a;
}

/**
 * Which of two values is better, given whether higher is better: 'a', 'b' or 'tie'
 * (within `eps`), null when either is missing.
 */
export function better(
  a: number | null | undefined,
  b: number | null | undefined,
  higherIsBetter: boolean,
  eps = 1e-9,
): 'a' | 'b' | 'tie' | null {
  const d = delta(a, b);
  if (d === null) return null;
  if (Math.abs(d) <= eps) return 'tie';
  return (d > 0) === higherIsBetter ? 'b' : 'a';
}

/**
 * Index of the single best value (highest, or lowest when lower is better); -1 on a tie for
 * best or when fewer than two values are known, so a star never marks a draw.
 */
export function bestColumn(values: readonly (number | null)[], higherIsBetter: boolean, eps = 1e-12): number {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length < 2) return -1;
  const target = higherIsBetter ? Math.max(...known) : Math.min(...known);
  const at = values.flatMap((v, i) => (v !== null && Number.isFinite(v) && Math.abs(v - target) <= eps ? [i] : []));
  return at.length === 1 ? at[0]! : -1;
}

/** Average of several probability vectors (same length); empty input gives []. */
export function averageProbabilities(vectors: readonly (readonly number[])[]): number[] {
  if (vectors.length === 0) return [];
  const n = vectors[0]!.length;
  const sum = new Array<number>(n).fill(0);
  for (const v of vectors) for (let i = 0; i < n; i++) sum[i]! += v[i] ?? 0;
  return sum.map((s) => s / vectors.length);
}

/** Index of the largest value (first one on ties), -1 for an empty vector. */
export function argmax(values: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || values[i]! > values[best]!) best = i;
  return best;
}
