import { CHANGE_THRESHOLD, pairedStats, type PairedStats } from './paired.js';

/** Summary statistics over the non-null values of a cohort (the contract's `Stats`). */
export interface Stats {
  n: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  /** Sample standard deviation (n − 1); null when n < 2. */
  sd: number | null;
}

/**
 * Change between two rounds over paired values (the contract's `Change`), with the paired
 * statistics of the differences: confidence interval, effect size, Wilcoxon signed-rank test.
 */
export interface Change extends PairedStats {
  n: number;
  /** Mean of (later − earlier); null when n = 0. */
  mean: number | null;
  improved: number;
  declined: number;
  unchanged: number;
}

export function stats(values: readonly number[]): Stats {
  const n = values.length;
  if (n === 0) return { n: 0, mean: null, median: null, min: null, max: null, sd: null };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  let sd: number | null = null;
  if (n >= 2) {
    let squares = 0;
    for (const v of values) squares += (v - mean) ** 2;
    sd = Math.sqrt(squares / (n - 1));
  }
  return { n, mean, median, min: sorted[0]!, max: sorted[n - 1]!, sd };
}

/** Change over pairs of (earlier, later) values. */
export function change(pairs: readonly (readonly [number, number])[]): Change {
  return changeOf(pairs.map(([earlier, later]) => later - earlier));
}

/** Change over differences already taken (later − earlier), e.g. a knowledge check's post − pre. */
export function changeOf(differences: readonly number[]): Change {
  let sum = 0;
  let improved = 0;
  let declined = 0;
  for (const delta of differences) {
    sum += delta;
    if (delta >= CHANGE_THRESHOLD) improved++;
    else if (delta <= -CHANGE_THRESHOLD) declined++;
  }
  const n = differences.length;
  return {
    n,
    mean: n > 0 ? sum / n : null,
    improved,
    declined,
    unchanged: n - improved - declined,
    ...pairedStats(differences),
  };
}
