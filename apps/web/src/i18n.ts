import { cyrillicCatalogue, preferredLocale, SUPPORTED_LOCALES, type Locale } from '@kalaja/engine/display';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './locales/en/common.json';

/** Each language by its own name, as its speakers look for it in the menu. */
const ENDONYMS: Record<Locale, string> = { en: 'English', sq: 'Shqip', 'sr-Latn': 'Srpski', 'sr-Cyrl': 'Српски' };

/**
 * Every string the app shows goes through react-i18next, in English, Albanian and Serbian in
 * Latin and Cyrillic script: locales/<lng>/<namespace>.json for `en`, `sq` and `sr-Latn`, and
 * Serbian Cyrillic derived from the Latin catalogue by the engine's `latinToCyrillic` (the same
 * module the reports and the content use), so the two scripts never drift. Plural forms are
 * CLDR's through Intl.PluralRules (`_one`/`_other`, and `_few` in Serbian); a key a language
 * lacks falls back to English, and a test keeps every catalogue complete. The languages are the
 * engine's (SUPPORTED_LOCALES, the same as the reports'). Numbers and dates: format.ts.
 */
export const LANGUAGES = SUPPORTED_LOCALES.map((code) => ({ code, name: ENDONYMS[code] }));

// The `common` catalogue ships with the first page; every other namespace (one per feature)
// is its own small chunk, fetched from our server when a page first needs it.
const catalogues = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');
const key = (lng: string, ns: string) => `./locales/${lng}/${ns}.json`;

const lazyCatalogues = {
  type: 'backend' as const,
  init() {},
  read(lng: string, ns: string, done: (error: unknown, data: Record<string, unknown> | null) => void) {
    const cyrillic = lng === 'sr-Cyrl';
    const load = catalogues[key(cyrillic ? 'sr-Latn' : lng, ns)];
    if (!load) return done(null, {});
    load().then(
      (m) => done(null, cyrillic ? cyrillicCatalogue(m.default) : m.default),
      (e: unknown) => done(e, null),
    );
  },
};

const isLocale = (code: string | null | undefined): code is Locale =>
  typeof code === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(code);

/** The language of a first visit, from the browser's list (see `preferredLocale`). */
export const browserLanguage = preferredLocale;

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('kalaja.language') : null;
const initial: Locale = isLocale(stored)
  ? stored
  : browserLanguage(typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : []);
if (typeof document !== 'undefined') document.documentElement.lang = initial;

void i18next
  .use(lazyCatalogues)
  .use(initReactI18next)
  .init({
    resources: { en: { common } },
    partialBundledLanguages: true,
    lng: initial,
    fallbackLng: 'en',
    defaultNS: 'common',
    ns: ['common'],
    interpolation: { escapeValue: false },
    returnNull: false,
  });

/**
 * Shows the app in a language. The browser remembers it (a display preference, not data: the
 * only thing Kalaja keeps in the browser's storage); the caller also saves it on the account of
 * a signed-in person, so it follows them to another browser.
 */
export function setLanguage(code: string): void {
  if (!isLocale(code)) return;
  void i18next.changeLanguage(code);
  localStorage.setItem('kalaja.language', code);
  document.documentElement.lang = code;
}

export default i18next;
