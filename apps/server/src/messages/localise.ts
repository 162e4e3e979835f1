import { latinToCyrillic, preferredLocale, type Locale } from '@kalaja/engine';
import en from './en.json' with { type: 'json' };
import sq from './sq.json' with { type: 'json' };
import srLatn from './sr-Latn.json' with { type: 'json' };

/**
 * The messages people read in the API's answers (errors, field problems, the positioned problems
 * of an import) in the reader's language. The English sentence is the key, as in gettext:
 * `en.json` lists every message the code writes (`scripts/messages-extract.mjs` collects them,
 * and a test keeps the list current), and `sq.json` and `sr-Latn.json` map each to its
 * translation. A message built with values (`line {1}: …`) matches its template, and the values
 * go into the translation where its placeholders stand. Serbian Cyrillic is the Latin
 * translation transliterated. A message with no translation stays English.
 */
type Catalogue = Readonly<Record<string, string>>;
const CATALOGUES: Partial<Record<Locale, Catalogue>> = { sq, 'sr-Latn': srLatn };

interface Template {
  pattern: RegExp;
  english: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Templates with values, most specific (longest fixed text) first.
const TEMPLATES: readonly Template[] = (en as string[])
  .filter((m) => /\{\d+\}/.test(m))
  .map((english) => ({
    english,
    fixed: english.replace(/\{\d+\}/g, '').length,
    pattern: new RegExp(
      `^${english
        .split(/\{\d+\}/)
        .map(escape)
        .join('([\\s\\S]*?)')}$`,
    ),
  }))
  .sort((a, b) => b.fixed - a.fixed)
  .map(({ english, pattern }) => ({ english, pattern }));

/** Which template a message is, and the values it was built with. */
function match(message: string): { english: string; values: string[] } | undefined {
  for (const t of TEMPLATES) {
    const m = t.pattern.exec(message);
    if (m) {
      // The numbers in the template say which value is which, in the order they appear.
      const order = [...t.english.matchAll(/\{(\d+)\}/g)].map((x) => Number(x[1]));
      const values: string[] = [];
      order.forEach((n, i) => (values[n] = m[i + 1]!));
      return { english: t.english, values };
    }
  }
  return undefined;
}

function translate(message: string, catalogue: Catalogue, depth = 0): string | undefined {
  const exact = catalogue[message];
  if (exact !== undefined) return exact;
  if (depth > 2) return undefined;
  const found = match(message);
  if (!found) return undefined;
  const template = catalogue[found.english];
  if (template === undefined) return undefined;
  // Values that are themselves messages ("line 4", a problem inside a line's message) are
  // translated too, a few levels deep.
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => {
    const value = found.values[Number(n)];
    if (value === undefined) return whole;
    return value.trim() === '' ? value : (translate(value, catalogue, depth + 1) ?? value);
  });
}

/** A message in a language; English when the language has no translation for it. */
export function localise(message: string, locale: Locale): string {
  if (locale === 'en') return message;
  if (locale === 'sr-Cyrl') {
    const latin = translate(message, CATALOGUES['sr-Latn']!);
    return latin === undefined ? message : latinToCyrillic(latin);
  }
  const catalogue = CATALOGUES[locale];
  return (catalogue && translate(message, catalogue)) ?? message;
}

/** Problems (`{ where, message }`) in a language: "line 12" and the message both. */
export function localiseProblems<T extends { where: string; message: string }>(
  problems: readonly T[],
  locale: Locale,
): T[] {
  return problems.map((p) => ({ ...p, where: localise(p.where, locale), message: localise(p.message, locale) }));
}

/**
 * The reader's language from the request's `Accept-Language` (the web app sends the language it
 * shows), read as the web app reads a browser's list (`preferredLocale`).
 */
export function requestLocale(header: string | string[] | undefined): Locale {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return preferredLocale(value.split(',').map((part) => part.split(';')[0]!));
}

/** The English messages of the catalogue, for the checks that keep translations complete. */
export const MESSAGES: readonly string[] = en as string[];
