import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cyrillicHandbook, formatProblem, loadHandbook, type Handbook } from '@kalaja/engine';

/** The handbook Kalaja ships: `content/handbook/<lang>/<section-id>.md`. */
export const SHIPPED_HANDBOOK = fileURLToPath(new URL('../../../../../content/handbook/', import.meta.url));

/** Every language folder's handbook, read once at start; English is always there. */
export interface HandbookLibrary {
  /**
   * The handbook in `lang` (a section the language lacks is the English one, marked with its
   * `lang`), or English for a language with no folder. Serbian Cyrillic is derived from sr-Latn.
   */
  get(lang: string): Handbook;
  languages: readonly string[];
}

/**
 * Loads every language folder of the shipped handbook once at start. A section that does not
 * load, or a dead link, stops the server with the file and line named: the handbook is part
 * of the release, and a reader must never meet a page that cannot be shown.
 */
export function loadShippedHandbook(dir = SHIPPED_HANDBOOK): HandbookLibrary {
  if (!existsSync(join(dir, 'en'))) throw new Error(`${dir}: the handbook has no English folder (en/)`);
  const read = (lang: string, fallback?: Handbook): Handbook => {
    const files = readdirSync(join(dir, lang))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => ({ file: join(dir, lang, f), text: readFileSync(join(dir, lang, f), 'utf8') }));
    const loaded = loadHandbook(files, { lang, ...(fallback && { fallback }) });
    if (!loaded.ok)
      throw new Error(`the shipped handbook does not load:\n${loaded.problems.map(formatProblem).join('\n')}`);
    return loaded.value;
  };
  // English first: every other language falls back to it section by section.
  const english = read('en');
  const books = new Map<string, Handbook>([['en', english]]);
  for (const lang of readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'en')
    .map((d) => d.name)
    .sort())
    books.set(lang, read(lang, english));
  // Serbian is written in Latin script; the Cyrillic handbook is derived from it.
  const latin = books.get('sr-Latn');
  if (latin && !books.has('sr-Cyrl')) books.set('sr-Cyrl', cyrillicHandbook(latin));
  return { get: (lang) => books.get(lang) ?? english, languages: [...books.keys()] };
}
