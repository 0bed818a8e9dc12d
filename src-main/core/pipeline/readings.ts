/** One-line readings of test results, for the summary, the CLI and the Compare view. */

const LABEL = { lstm: 'LSTM', dual_tower: 'dual tower' } as const;

/** p as people read it: two decimals, three below 0.01, "< 0.001" below that. */
export function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return `= ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/**
 * McNemar's test between the LSTM (A) and the dual tower (B): b = samples only the LSTM got right,
 * c = samples only the dual tower got right. At the 5% level, says which model is better; otherwise that
 * there is no evidence either way (not that they are equal).
 */
export function mcnemarReading(p: number, b: number, c: number): string {
  if (b + c === 0) return `p ${formatP(p)}: the models made the same call on every validation sample`;
  const counts = `${LABEL.lstm} alone right on ${b}, ${LABEL.dual_tower} alone on ${c}`;
  if (p < 0.05) {
    const better = b > c ? LABEL.lstm : LABEL.dual_tower;
    return `p ${formatP(p)}: the ${better} is better beyond chance (${counts})`;
  }
  return `p ${formatP(p)}: no evidence the models differ (${counts})`;
}
