import { roundHalfUp } from '../scoring/round.js';

/**
 * Numbers as a person reads them, in their language: rounded half up first (the scoring
 * contract's rounding, on the decimal form: 1.005 → 1.01), and only then formatted by `Intl`,
 * so `Intl` never rounds on its own and a value that rounds to zero never prints as "-0.00".
 * The web app and the reports both print through these; see
 * docs/decisions/0001-engine-is-the-only-scorer.md.
 */

const formats = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, decimals: number, percent: boolean): Intl.NumberFormat {
  const key = `${locale}/${decimals}/${percent}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      // Scores are short ("7.25"); counts group from five digits on ("12 345"), never "1,234".
      useGrouping: decimals === 0 && !percent ? 'min2' : false,
      ...(percent ? { style: 'percent' } : {}),
    } as Intl.NumberFormatOptions);
    formats.set(key, f);
  }
  return f;
}

const missing = (x: number | null | undefined): x is null | undefined =>
  x === null || x === undefined || !Number.isFinite(x);

/**
 * A number with exactly `decimals` places, rounded half up, in the locale; an en dash for no value.
 *
 * @example formatNumber(8.325, 2, 'en') // "8.33"
 * @example formatNumber(3.44, 2, 'sq') // "3,44"
 */
export function formatNumber(x: number | null | undefined, decimals: number, locale = 'en'): string {
  if (missing(x)) return '–';
  return formatter(locale, decimals, false).format(roundHalfUp(x, decimals));
}

/**
 * A change with its sign: "+0.61", "-0.36", and "0.00" for anything that rounds to zero. The
 * minus is the ASCII hyphen-minus: it survives copying into a spreadsheet, and Noto Sans (the
 * reports' font) has no U+2212.
 */
export function formatSigned(x: number | null | undefined, decimals: number, locale = 'en'): string {
  if (missing(x)) return '–';
  const r = roundHalfUp(x, decimals);
  const text = formatter(locale, decimals, false).format(Math.abs(r));
  return r > 0 ? `+${text}` : r < 0 ? `-${text}` : text;
}

/**
 * A share in [0, 1] as a whole percentage, rounded half up on the share's decimal form: 0.285
 * is "29%" (multiplying first gives 28.499999999999996, and 28%).
 */
export function formatPercent(x: number | null | undefined, locale = 'en'): string {
  if (missing(x)) return '–';
  return formatter(locale, 0, true).format(roundHalfUp(x, 2));
}

/** A whole number, such as a count, in the locale. */
export function formatInteger(n: number, locale = 'en'): string {
  return formatter(locale, 0, false).format(n);
}
