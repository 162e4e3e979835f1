import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, loadHandbook, type Handbook } from '@kalaja/engine';

/** The handbook Kalaja ships: `content/handbook/<lang>/<section-id>.md`. */
export const SHIPPED_HANDBOOK = fileURLToPath(new URL('../../../../../content/handbook/', import.meta.url));

/** Every language folder's handbook, read once at start; English is always there. */
export interface HandbookLibrary {
  /** The handbook in `lang`, or English while `lang` has no folder yet. */
  get(lang: string): Handbook;
  languages: readonly string[];
}

/**
 * Loads every language folder of the shipped handbook once at start. A section that does not
 * load, or a dead link, stops the server with the file and line named: the handbook is part
 * of the release, and a reader must never meet a page that cannot be shown.
 */
export function loadShippedHandbook(dir = SHIPPED_HANDBOOK): HandbookLibrary {
  const books = new Map<string, Handbook>();
  for (const lang of readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const files = readdirSync(join(dir, lang))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => ({ file: join(dir, lang, f), text: readFileSync(join(dir, lang, f), 'utf8') }));
    const loaded = loadHandbook(files, { lang });
    if (!loaded.ok)
      throw new Error(`the shipped handbook does not load:\n${loaded.problems.map(formatProblem).join('\n')}`);
    books.set(lang, loaded.value);
  }
  const english = books.get('en');
  if (!english || !existsSync(join(dir, 'en'))) throw new Error(`${dir}: the handbook has no English folder (en/)`);
  return { get: (lang) => books.get(lang) ?? english, languages: [...books.keys()] };
}
