/**
 * Display rounding as the scoring contract says: half-up (half away from zero for negative
 * changes), applied to the decimal form of the number so that 1.005 → 1.01 and 8.325 → 8.33,
 * which `Math.round(x * 100) / 100` gets wrong. Figures stay at full precision inside; only
 * what a person reads is rounded — 2 decimals for cohort figures, 1 for an organisation.
 */
export function roundHalfUp(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  const [m2, e2 = '0'] = String(Math.round(shifted)).split('e');
  const rounded = Number(`${m2}e${Number(e2) - decimals}`);
  return rounded === 0 ? 0 : sign * rounded;
}

/** Decimals for display: an organisation's figures take 1, cohort figures 2. */
export const DECIMALS = { organisation: 1, cohort: 2 } as const;

/** A score as text with exactly `decimals` places, or an en dash for no value. */
export function formatScore(x: number | null | undefined, decimals: number): string {
  if (x === null || x === undefined) return '–';
  return roundHalfUp(x, decimals).toFixed(decimals);
}
