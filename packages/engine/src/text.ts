/**
 * Text in frameworks and content: a plain string (English), or a map from locale to string
 * that always has `en`. Locales follow BCP 47 as the product uses them: `en`, `sq`,
 * `sr-Latn`, `sr-Cyrl`.
 *
 * @example "Identity and access"
 * @example { en: "Identity and access", sq: "Identiteti dhe qasja" }
 */
export type LocalText = string | Readonly<Record<string, string>>;

/** Locales that Kalaja ships catalogues for, English first. */
export const SUPPORTED_LOCALES = ['en', 'sq', 'sr-Latn', 'sr-Cyrl'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** A locale key as accepted in text maps: language, optional script, optional region. */
export const LOCALE_KEY = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$/;

/**
 * Picks the text for a locale, falling back through the language (`sr` for `sr-Latn`) to
 * English, so a partly translated framework still reads whole.
 */
export function textFor(text: LocalText, locale = 'en'): string {
  if (typeof text === 'string') return text;
  const exact = text[locale];
  if (exact !== undefined) return exact;
  const language = locale.split('-')[0] ?? 'en';
  return text[language] ?? text.en ?? '';
}
