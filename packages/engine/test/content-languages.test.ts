import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the translators' tool is plain JavaScript
import { texts } from '../../../scripts/content-i18n.mjs';
import { hasCyrillic, latinToCyrillic, loadHandbook, type Handbook, type HandbookSection } from '../src/index.js';
import { mayBeIdentical, WRITTEN } from './support/languages.js';

/**
 * Every text Kalaja ships in content/ reads in each of its languages: the framework, the
 * interventions and the training modules carry `sq` and `sr-Latn` beside `en` for every text
 * (Serbian Cyrillic is derived), and each handbook section exists in every language folder with
 * the same structure. A text that is English copied over, Serbian Latin with Cyrillic in it, or a
 * written `sr-Cyrl` that is not the transliterated Latin fails here, naming the file and text.
 */
const content = new URL('../../../content/', import.meta.url).pathname;
const YAML_FILES = [
  'frameworks/cso-media.yaml',
  'frameworks/openness-index.yaml',
  'interventions/cso-media.yaml',
  'taxonomies/incidents.yaml',
  ...readdirSync(join(content, 'trainings')).map((f) => `trainings/${f}`),
];

interface Entry {
  address: string;
  pair?: { value: unknown };
  item?: unknown;
}

/** Each text of a content file as a map from locale to string. */
function localised(file: string): { address: string; text: Record<string, string> }[] {
  const doc = parseDocument(readFileSync(join(content, file), 'utf8'));
  return ([...texts(doc.contents)] as Entry[]).map((e) => {
    const node = e.pair ? e.pair.value : e.item;
    const value = (node as { toJSON(): unknown }).toJSON();
    return { address: e.address, text: typeof value === 'string' ? { en: value } : (value as Record<string, string>) };
  });
}

const code = (s: string) => [...s.matchAll(/`[^`]+`|\]\(([^)]+)\)/g)].map((m) => m[0]).sort();

describe.each(YAML_FILES)('%s', (file) => {
  const all = localised(file);

  it('has every text in Albanian and Serbian, none of it English copied, code and links kept', () => {
    expect(all.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const { address, text } of all) {
      for (const lng of WRITTEN) {
        const value = text[lng];
        if (value === undefined || value.trim() === '') problems.push(`${address}: no ${lng}`);
        else if (value === text.en && !mayBeIdentical(value, lng)) problems.push(`${address}: ${lng} is the English`);
        else if (code(value).join() !== code(text.en!).join())
          problems.push(`${address}: ${lng} changes code or link targets ${code(text.en!).join(' ')}`);
      }
      if (text['sr-Latn'] !== undefined && hasCyrillic(text['sr-Latn']))
        problems.push(`${address}: Cyrillic in sr-Latn`);
      if (text['sr-Cyrl'] !== undefined && text['sr-Cyrl'] !== latinToCyrillic(text['sr-Latn'] ?? ''))
        problems.push(`${address}: sr-Cyrl is not the transliterated sr-Latn`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the handbook in every language', () => {
  const folder = (lang: string) => {
    const dir = join(content, 'handbook', lang);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
    return loadHandbook(files, { lang });
  };
  const english = folder('en');
  if (!english.ok) throw new Error('the English handbook does not load');
  const shape = (s: HandbookSection) => ({
    phase: s.phase,
    domains: s.domains,
    interventions: s.interventions,
    reviewed: s.reviewed,
    steps: s.blocks.filter((b) => b.t === 'heading' && b.level === 2).map((b) => (b.t === 'heading' ? b.anchor : '')),
    links: [...new Set(s.links.map((l) => l.id))].sort(),
  });

  it.each(WRITTEN)('has every section in %s, with the English one\u2019s parts, steps and links', (lng) => {
    const book = folder(lng);
    expect(book.ok, JSON.stringify(!book.ok && book.problems.slice(0, 5))).toBe(true);
    const own = (book as { value: Handbook }).value;
    expect(own.sections.map((s) => s.id).sort()).toEqual(english.value.sections.map((s) => s.id).sort());
    for (const section of english.value.sections) {
      const translated = own.byId.get(section.id)!;
      expect(shape(translated), `${lng}/${section.id}.md`).toEqual(shape(section));
      expect(translated.title, `${lng}/${section.id}.md`).not.toBe(section.title);
      if (lng === 'sr-Latn') expect(hasCyrillic(translated.text), `${lng}/${section.id}.md`).toBe(false);
    }
  });
});
