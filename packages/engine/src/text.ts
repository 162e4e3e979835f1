/**
 * Text in frameworks and content: a plain string (English), or a map from locale to string
 * that always has `en`. Locales follow BCP 47 as the product uses them: `en`, `sq`,
 * `sr-Latn`, `sr-Cyrl`.
 *
 * @example "Identity and access"
 * @example { en: "Identity and access", sq: "Identiteti dhe qasja" }
 */
import { latinToCyrillic } from './transliterate.js';

export type LocalText = string | Readonly<Record<string, string>>;

/** Locales that Kalaja ships catalogues for, English first. */
export const SUPPORTED_LOCALES = ['en', 'sq', 'sr-Latn', 'sr-Cyrl'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** A locale key as accepted in text maps: language, optional script, optional region. */
export const LOCALE_KEY = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$/;

/**
 * Picks the text for a locale, falling back through the language (`sr` for `sr-Latn`) to
 * English, so a partly translated framework still reads whole. Serbian in Cyrillic script is
 * derived from the Serbian Latin text when a map has no `sr-Cyrl` of its own.
 */
export function textFor(text: LocalText, locale = 'en'): string {
  return pickText(text, locale).text;
}

/**
 * `textFor`, also saying which language the text found is in: `lang` is the locale asked for,
 * its language (`sr`), or `en` when it fell back — a page marks such text with `lang` so that a
 * screen reader pronounces it right. A plain string is English.
 *
 * @example pickText({ en: 'Backups', sq: 'Kopjet rezervë' }, 'sr-Latn') // { text: 'Backups', lang: 'en' }
 */
export function pickText(text: LocalText | undefined, locale = 'en'): { text: string; lang: string } {
  if (text === undefined) return { text: '', lang: locale };
  if (typeof text === 'string') return { text, lang: 'en' };
  // Own keys only: a locale such as `__proto__` or `constructor` finds nothing, not Object's.
  const own = (key: string) => (Object.hasOwn(text, key) ? text[key] : undefined);
  const exact = own(locale);
  if (exact !== undefined) return { text: exact, lang: locale };
  if (locale === 'sr-Cyrl') {
    const latin = own('sr-Latn') ?? own('sr');
    if (latin !== undefined) return { text: latinToCyrillic(latin), lang: locale };
  }
  const language = locale.split('-')[0] ?? 'en';
  const ofLanguage = own(language);
  if (ofLanguage !== undefined) return { text: ofLanguage, lang: language };
  const english = own('en');
  if (english !== undefined) return { text: english, lang: 'en' };
  // A framework in another language (`language: fr`) has maps without English: its own text.
  const [first] = Object.entries(text);
  return first ? { text: first[1], lang: first[0] } : { text: '', lang: 'en' };
}

/**
 * Kalaja's language for a list of language tags in order of preference (a browser's
 * `navigator.languages`, or a request's `Accept-Language`): Albanian for `sq…`; Serbian in Latin
 * script for `sr-Latn…` and for the neighbouring languages its readers share (Bosnian, Croatian,
 * Montenegrin); Serbian in Cyrillic for `sr`, `sr-Cyrl` and `sr-RS`, as browsers in Serbia
 * report it; English for `en…` and when nothing matches.
 *
 * @example preferredLocale(['de-DE', 'sr-Latn-RS']) // 'sr-Latn'
 */
export function preferredLocale(tags: readonly string[]): Locale {
  for (const tag of tags) {
    const lower = tag.trim().toLowerCase();
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
    if (lower === 'sq' || lower.startsWith('sq-')) return 'sq';
    if (lower.startsWith('sr-latn') || /^(bs|hr|cnr|sh)(-|$)/.test(lower)) return 'sr-Latn';
    if (lower === 'sr' || lower.startsWith('sr-')) return 'sr-Cyrl';
  }
  return 'en';
}
