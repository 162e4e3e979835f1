import { LOCALE_KEY, pickText, type LocalText } from '../text.js';

/**
 * A value with every localised text reduced to its English: a map whose keys are all locales
 * and which has `en` becomes that English string. Two frameworks that are equal this way differ
 * only in their translations: the same questions, options, points, caps and English words.
 */
export function englishOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(englishOnly);
  if (value !== null && typeof value === 'object') {
    if (isTextMap(value)) return (value as { en: string }).en;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, englishOnly(v)]));
  }
  return value;
}

/** Whether two parsed frameworks (or any content) differ in nothing but their translations. */
export function differOnlyInTranslations(a: unknown, b: unknown): boolean {
  return JSON.stringify(englishOnly(a)) === JSON.stringify(englishOnly(b));
}

const TEXT_KEYS = new Set(['title', 'description', 'label', 'text', 'guidance', 'summary', 'explanation', 'unit']);

/**
 * How many texts of a framework (or other content) have no translation in `locale` and read in
 * English there: a plain string, or a map whose pick falls back to `en`. Serbian Cyrillic counts
 * as translated wherever Serbian Latin is.
 */
export function untranslatedTexts(content: unknown, locale: string): number {
  if (locale === 'en') return 0;
  let n = 0;
  const visit = (value: unknown, key?: string) => {
    if (key !== undefined && TEXT_KEYS.has(key) && (typeof value === 'string' || isTextMap(value))) {
      if (pickText(value as LocalText, locale).lang === 'en') n++;
      return;
    }
    if (Array.isArray(value)) value.forEach((v) => visit(v));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(content);
  return n;
}

function isTextMap(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { en?: unknown }).en === 'string' &&
    Object.entries(value).every(([k, v]) => LOCALE_KEY.test(k) && typeof v === 'string')
  );
}

/**
 * A value with every localised text reduced to the one a reader of `locale` sees, as a map of
 * that text's language alone (`{ sq: "…" }`, or `{ "sr-Cyrl": "…" }` derived from Serbian
 * Latin), or a plain string where that text is English. What the questionnaire downloads: a quarter
 * of the framework with all four languages, and `pickText` still says which language a text is
 * in. Plain strings (English) stay as they are.
 */
export function inLanguage<T>(value: T, locale: string): T {
  if (Array.isArray(value)) return value.map((v: unknown) => inLanguage(v, locale)) as T;
  if (value !== null && typeof value === 'object') {
    if (isTextMap(value)) {
      const picked = pickText(value as LocalText, locale);
      // A plain string is English by the contract (§1): the shortest way to say it.
      return (picked.lang === 'en' ? picked.text : { [picked.lang]: picked.text }) as T;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inLanguage(v, locale)])) as T;
  }
  return value;
}
