import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cyrillicCatalogue, hasCyrillic, latinToCyrillic } from '@kalaja/engine';
import { describe, expect, it } from 'vitest';
import { mayBeIdentical, WRITTEN } from '../../../packages/engine/test/support/languages';
import { browserLanguage } from '../src/i18n';

/**
 * The app speaks four languages: English, Albanian and Serbian Latin are written
 * (locales/<lng>/<namespace>.json), Serbian Cyrillic is derived from the Latin catalogue. Each
 * written catalogue holds every English key, with the plural forms its language has (CLDR,
 * through Intl.PluralRules), the same placeholders and tags, and no English copied over.
 */
const locales = fileURLToPath(new URL('../src/locales/', import.meta.url));
const read = (lng: string, ns: string) =>
  JSON.parse(readFileSync(join(locales, lng, `${ns}.json`), 'utf8')) as Record<string, unknown>;
const namespaces = readdirSync(join(locales, 'en')).map((f) => f.replace(/\.json$/, ''));

type Flat = Map<string, string>;
function flatten(node: unknown, prefix = '', out: Flat = new Map()): Flat {
  if (typeof node === 'string') out.set(prefix, node);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
/** The keys a language must have for one English key: its plural forms when the key is plural. */
function expected(en: Flat, lng: string): Map<string, string> {
  const forms = new Intl.PluralRules(lng).resolvedOptions().pluralCategories.filter((c) => c !== 'many');
  const out = new Map<string, string>();
  for (const [key, value] of en) {
    const m = PLURAL.exec(key);
    if (!m) out.set(key, value);
    else if (m[1] === 'zero') out.set(key, value);
    else {
      const base = key.slice(0, -m[0].length);
      for (const f of forms) out.set(`${base}_${f}`, en.get(`${base}_${f}`) ?? en.get(`${base}_other`) ?? value);
    }
  }
  return out;
}

const marks = (s: string) => [...s.matchAll(/\{\{[^}]+\}\}|<\/?\d+\/?>/g)].map((m) => m[0]).sort();

describe.each(WRITTEN)('the %s catalogues', (lng) => {
  it.each(namespaces)('hold every key of %s, with its placeholders, and nothing English', (ns) => {
    const en = flatten(read('en', ns));
    const own = flatten(read(lng, ns));
    const want = expected(en, lng);
    const missing = [...want.keys()].filter((k) => !own.has(k));
    expect(missing, `${lng}/${ns}.json lacks`).toEqual([]);
    const extra = [...own.keys()].filter((k) => !want.has(k));
    expect(extra, `${lng}/${ns}.json has keys English does not`).toEqual([]);
    const problems: string[] = [];
    for (const [key, english] of want) {
      const value = own.get(key)!;
      if (value.trim() === '') problems.push(`${key}: empty`);
      const a = marks(english).filter((m) => m !== '{{count}}');
      const b = marks(value).filter((m) => m !== '{{count}}');
      if (a.join() !== b.join()) problems.push(`${key}: placeholders ${b.join(' ')} instead of ${a.join(' ')}`);
      if (value === english && !mayBeIdentical(value, lng)) problems.push(`${key}: the English copied ("${value}")`);
      if (lng === 'sr-Latn' && hasCyrillic(value)) problems.push(`${key}: Cyrillic in the Latin catalogue`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the Serbian Cyrillic catalogues', () => {
  it.each(namespaces)('are %s in Latin, transliterated, with names and placeholders kept', (ns) => {
    const latin = read('sr-Latn', ns);
    const cyrillic = flatten(cyrillicCatalogue(latin));
    for (const [key, value] of flatten(latin)) {
      expect(cyrillic.get(key)).toBe(latinToCyrillic(value));
      expect(marks(cyrillic.get(key)!)).toEqual(marks(value));
      if (/[čćžšđ]/i.test(value)) expect(hasCyrillic(cyrillic.get(key)!), key).toBe(true);
    }
  });
});

describe('the language of a first visit', () => {
  it('follows the browser, with Serbian in the script its tag says', () => {
    expect(browserLanguage(['sq-AL', 'en'])).toBe('sq');
    expect(browserLanguage(['sr-Latn-RS'])).toBe('sr-Latn');
    expect(browserLanguage(['sr-RS', 'sr'])).toBe('sr-Cyrl');
    expect(browserLanguage(['sr'])).toBe('sr-Cyrl');
    expect(browserLanguage(['bs-BA'])).toBe('sr-Latn');
    expect(browserLanguage(['de-DE', 'sq'])).toBe('sq');
    expect(browserLanguage(['de-DE', 'fr'])).toBe('en');
    expect(browserLanguage(['en-GB', 'sq'])).toBe('en');
    expect(browserLanguage([])).toBe('en');
  });
});
