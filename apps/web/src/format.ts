import {
  formatNumber,
  formatPercent as percentIn,
  formatSigned as signedIn,
  type DECIMALS,
} from '@kalaja/engine/display';
import i18next from 'i18next';

/**
 * Figures, dates and sizes in the reader's language. Scores, changes and shares print through
 * the engine's display helpers (`@kalaja/engine/display`), so a page shows exactly what the
 * reports print for the same figure: rounded half up, 2 decimals for cohort figures and 1 for
 * an organisation (DECIMALS), "0.00" and never "-0.00". Dates and sizes are the app's own.
 */

type Decimals = (typeof DECIMALS)[keyof typeof DECIMALS] | 0;

/** A score with exactly `decimals` places; an en dash for none. */
export const formatScore = (x: number | null | undefined, decimals: Decimals): string =>
  formatNumber(x, decimals, i18next.language);

/** A change with its sign (+0.61, -0.20, 0.00). */
export const formatSigned = (x: number | null | undefined, decimals: Decimals): string =>
  signedIn(x, decimals, i18next.language);

/** A p-value as the reports print it: three decimals, and "< 0.001" below that. */
export const formatP = (p: number): string =>
  p < 0.001 ? `< ${formatNumber(0.001, 3, i18next.language)}` : formatNumber(p, 3, i18next.language);

/** A share in [0, 1] as a whole percentage. */
export const formatPercent = (x: number | null | undefined): string => percentIn(x, i18next.language);

/** A calendar day (`2025-03-01`): the same day in every time zone, in UTC where it was parsed. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '–';
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(i18next.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A moment (an upload, an expiry) with its time, in the reader's time zone. */
export function formatMoment(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(i18next.language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A moment, as `formatMoment`, but only the time when it is today. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (new Date().toDateString() !== date.toDateString()) return formatMoment(iso);
  return new Intl.DateTimeFormat(i18next.language, { timeStyle: 'short' }).format(date);
}

/** A file's size: 12 kB, 3.4 MB. */
export function formatSize(bytes: number): string {
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : [Math.max(bytes / 1024, 0.1), 'kilobyte'];
  return new Intl.NumberFormat(i18next.language, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

/** A language or country code as its name in the reader's language (`sq` → "Albanian"), or the code. */
export function displayName(type: 'language' | 'region', code: string): string {
  try {
    return new Intl.DisplayNames([i18next.language], { type, fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}
