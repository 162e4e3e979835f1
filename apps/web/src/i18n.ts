import { SUPPORTED_LOCALES, type Locale } from '@kalaja/engine/display';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './locales/en/common.json';

/** Each language by its own name, as its speakers look for it in the menu. */
const ENDONYMS: Record<Locale, string> = { en: 'English', sq: 'Shqip', 'sr-Latn': 'Srpski', 'sr-Cyrl': 'Српски' };

/**
 * Every string the app shows goes through react-i18next. English is complete; Albanian and
 * Serbian (Latin and Cyrillic) catalogues slot in beside it under locales/<lng>/ and fall
 * back to English key by key until they are complete. The languages are the engine's
 * (SUPPORTED_LOCALES, the same as the reports'). Numbers and dates: format.ts.
 */
export const LANGUAGES = SUPPORTED_LOCALES.map((code) => ({ code, name: ENDONYMS[code] }));

// The `common` catalogue ships with the first page; every other namespace (one per feature)
// is its own small chunk, fetched from our server when a page first needs it.
const catalogues = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');
const key = (lng: string, ns: string) => `./locales/${lng}/${ns}.json`;

/** Languages with a catalogue of their own (the others fall back to English). */
export const translated = new Set(Object.keys(catalogues).map((path) => path.split('/')[2]!));

const lazyCatalogues = {
  type: 'backend' as const,
  init() {},
  read(lng: string, ns: string, done: (error: unknown, data: Record<string, unknown> | null) => void) {
    const load = catalogues[key(lng, ns)];
    if (!load) return done(null, {});
    load().then(
      (m) => done(null, m.default),
      (e: unknown) => done(e, null),
    );
  },
};

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('kalaja.language') : null;

void i18next
  .use(lazyCatalogues)
  .use(initReactI18next)
  .init({
    resources: { en: { common } },
    partialBundledLanguages: true,
    lng: stored && LANGUAGES.some((l) => l.code === stored) ? stored : 'en',
    fallbackLng: 'en',
    defaultNS: 'common',
    ns: ['common'],
    interpolation: { escapeValue: false },
    returnNull: false,
  });

export function setLanguage(code: string): void {
  void i18next.changeLanguage(code);
  // A display preference, not data: the only thing Kalaja keeps in the browser's storage.
  localStorage.setItem('kalaja.language', code);
  document.documentElement.lang = code;
}

export default i18next;
