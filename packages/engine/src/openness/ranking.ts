/**
 * The ranking of an openness index: institutions by their overall percentage at full precision,
 * highest first. Ties share a rank and the next rank skips ("1, 2, 2, 4": standard competition
 * ranking); an institution with no score (nothing applicable answered) is listed last, unranked.
 * Two scores are tied when they differ by no more than `TIE_TOLERANCE` (1e-9), so that the same
 * points reached by a different sum of floating-point terms do not split a tie.
 */
import { TIE_TOLERANCE } from '../scoring/paired.js';

export interface Ranked<T> {
  item: T;
  /** 1-based competition rank; null for no score. */
  rank: number | null;
  /** Whether another institution shares the rank. */
  tied: boolean;
}

/**
 * Ranks items by `score` (higher is better). Items with the same score keep their input order,
 * and so do the unranked ones, after every ranked item.
 */
export function rankByScore<T>(items: readonly T[], score: (item: T) => number | null): Ranked<T>[] {
  const scored = items
    .map((item, i) => ({ item, i, s: score(item) }))
    .filter((x): x is { item: T; i: number; s: number } => x.s !== null && Number.isFinite(x.s));
  const unscored = items.filter((item) => {
    const s = score(item);
    return s === null || !Number.isFinite(s);
  });
  scored.sort((a, b) => (Math.abs(b.s - a.s) <= TIE_TOLERANCE ? a.i - b.i : b.s - a.s));
  const out: Ranked<T>[] = [];
  let rank = 0;
  let leader: number | null = null;
  scored.forEach((x, position) => {
    if (leader === null || Math.abs(leader - x.s) > TIE_TOLERANCE) {
      rank = position + 1;
      leader = x.s;
    }
    out.push({ item: x.item, rank, tied: false });
  });
  for (let i = 0; i < out.length; i++) {
    const same = (j: number) => j >= 0 && j < out.length && out[j]!.rank === out[i]!.rank;
    out[i]!.tied = same(i - 1) || same(i + 1);
  }
  for (const item of unscored) out.push({ item, rank: null, tied: false });
  return out;
}
