import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './locales/en/common.json';

/**
 * Every string the app shows goes through react-i18next. English is complete; Albanian and
 * Serbian (Latin and Cyrillic) catalogues slot in beside it under locales/<lng>/ and fall
 * back to English key by key until they are complete. Numbers and dates use Intl with the
 * chosen language.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'sq', name: 'Shqip' },
  { code: 'sr-Latn', name: 'Srpski' },
  { code: 'sr-Cyrl', name: 'Српски' },
] as const;

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

/** A score as text in the current language, rounded half-up as the scoring contract says. */
export function formatScore(x: number | null | undefined, decimals: number): string {
  if (x === null || x === undefined) return '–';
  const [m, e = '0'] = String(Math.abs(x)).split('e');
  const rounded = Math.sign(x) * Number(`${Math.round(Number(`${m}e${Number(e) + decimals}`))}e-${decimals}`);
  return new Intl.NumberFormat(i18next.language, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(rounded);
}

export function formatPercent(x: number): string {
  return new Intl.NumberFormat(i18next.language, { style: 'percent', maximumFractionDigits: 0 }).format(x);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  // A calendar day (2026-03-01) is the same day everywhere: format it in UTC, where it was parsed.
  const day = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return new Intl.DateTimeFormat(i18next.language, { dateStyle: 'medium', ...(day && { timeZone: 'UTC' }) }).format(
    new Date(iso),
  );
}

export default i18next;
