import type { Level } from '../framework/types.js';
import type { LocalText } from '../text.js';

/**
 * A framework's levels as bands for display: which band a score falls in, one of five tones for
 * it (the colour scale of the web app's charts), and the bands with their bounds.
 */

/**
 * The band a score falls in: the index of the last level whose lower bound it reaches; -1 for
 * no score, or a score below every level.
 */
export function levelIndex(levels: readonly Pick<Level, 'min'>[], score: number | null | undefined): number {
  if (score === null || score === undefined) return -1;
  let found = -1;
  levels.forEach((l, i) => {
    if (score >= l.min) found = i;
  });
  return found;
}

/** The number of tones the bands are drawn in, from weakest (0) to strongest. */
export const TONE_COUNT = 5;

/**
 * The tone (0 weakest … 4 strongest) of band `index` of `count`, spread over the five so that
 * the weakest and strongest band always take the ends; -1 for no band.
 */
export function toneOf(index: number, count: number): number {
  if (index < 0) return -1;
  if (count <= 1) return TONE_COUNT - 1;
  return Math.round((index * (TONE_COUNT - 1)) / (count - 1));
}

/** One band of the scale: from its lower bound up to the next band's (the scale for the last). */
export interface Band {
  from: number;
  to: number;
  /** The level's label; null when the framework has no levels and the scale is cut in five. */
  label: LocalText | null;
  tone: number;
}

/** The bands of a scale: the framework's levels, or five equal parts of the scale when it has none. */
export function bandsOf(levels: readonly Level[], scale: number): Band[] {
  if (levels.length > 0) {
    return levels.map((l, i) => ({
      from: l.min,
      to: levels[i + 1]?.min ?? scale,
      label: l.label,
      tone: toneOf(i, levels.length),
    }));
  }
  return Array.from({ length: TONE_COUNT }, (_, i) => ({
    from: (scale * i) / TONE_COUNT,
    to: (scale * (i + 1)) / TONE_COUNT,
    label: null,
    tone: i,
  }));
}
