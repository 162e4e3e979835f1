import { stringify } from 'yaml';
import { loadFramework } from '../framework/load.js';
import type { Framework } from '../framework/types.js';
import type { Problem } from '../problems.js';

/**
 * What the importers share: the shape of their answer, the text clean-up every source needs,
 * ids made to fit the framework format, and the one way a framework is written out.
 */

/** The formats Kalaja imports frameworks from. */
export const IMPORT_FORMATS = ['oscal', 'ciso-assistant', 'samm'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * One thing the source had that the framework does not carry, or a reading worth knowing. A
 * stable `code` (the app words it in every language) with a count and a few examples from the
 * source, so the admin can find them.
 */
export interface ImportNote {
  code:
    | 'withdrawn-controls'
    | 'superseded-controls'
    | 'empty-groups'
    | 'nodes-above-depth'
    | 'empty-domains'
    | 'embedded-questions'
    | 'free-text-questions'
    | 'depends-on'
    | 'implementation-groups'
    | 'ids-normalised'
    | 'refs-normalised'
    | 'translations-dropped'
    | 'unanswered-counts-as-no';
  count: number;
  /** Up to five ids or names from the source. */
  examples: string[];
}

export interface ImportReport {
  format: ImportFormat;
  domains: number;
  questions: number;
  /** The language every text of the framework has (`en` unless the source is in another). */
  language: string;
  notes: ImportNote[];
}

export type ImportResult =
  { ok: true; text: string; framework: Framework; report: ImportReport } | { ok: false; problems: Problem[] };

/** Texts of the notes in English, for the command line (the app has them in its catalogues). */
export function noteText(n: ImportNote): string {
  const ex = n.examples.length > 0 ? ` (${n.examples.join(', ')}${n.count > n.examples.length ? ', …' : ''})` : '';
  const say: Record<ImportNote['code'], string> = {
    'withdrawn-controls': `${n.count} withdrawn control(s) left out`,
    'superseded-controls': `${n.count} control(s) of an earlier version of the catalog left out`,
    'empty-groups': `${n.count} group(s) with no control left out`,
    'nodes-above-depth': `${n.count} assessable requirement(s) above the chosen depth left out`,
    'empty-domains': `${n.count} section(s) with no assessable requirement left out`,
    'embedded-questions': `${n.count} question(s) inside requirements kept as guidance, not asked separately`,
    'free-text-questions': `${n.count} text, number or date question(s) not carried`,
    'depends-on': `${n.count} condition(s) (depends_on) not carried: every question is asked`,
    'implementation-groups': `${n.count} implementation group(s) not carried`,
    'ids-normalised': `${n.count} id(s) changed to fit the framework format`,
    'refs-normalised': `${n.count} reference id(s) changed to fit the framework format`,
    'translations-dropped': `${n.count} translation(s) under a key that is not a locale left out`,
    'unanswered-counts-as-no':
      'SAMM counts an unanswered question as "No"; Kalaja leaves it out of the score, so answer every question to compare',
  };
  return say[n.code] + ex;
}

/** A note collector that keeps counts and the first five examples, in the order first seen. */
export function notes() {
  const byCode = new Map<ImportNote['code'], ImportNote>();
  return {
    add(code: ImportNote['code'], example?: string) {
      const n = byCode.get(code) ?? { code, count: 0, examples: [] };
      n.count++;
      if (example !== undefined && n.examples.length < 5) n.examples.push(example);
      byCode.set(code, n);
    },
    list: (): ImportNote[] => [...byCode.values()],
  };
}

// eslint-disable-next-line no-control-regex -- control characters are what this removes
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A source text as a framework text: control characters and lone surrogates gone, spaces and
 * line breaks inside a paragraph folded to one space, paragraphs (a blank line) kept apart by
 * one blank line, no space at either end. Idempotent; `''` when nothing readable is left.
 */
export function cleanText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, ' ')
    .replace(LONE_SURROGATE, '')
    .split(/\n[ \t\u00A0]*\n\s*/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .join('\n\n');
}

/**
 * An id that fits the framework's id rules: lower case, letters and digits joined by single
 * `-` (and `.` where `dots` allows, as question ids do). Letters with accents lose them;
 * anything else becomes a separator. `''` when no letter or digit is left.
 */
export function toId(value: string, dots = false): string {
  const ascii = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  let id = ascii.replace(dots ? /[^a-z0-9.]+/g : /[^a-z0-9]+/g, '-');
  if (dots) id = id.replace(/[-.]*\.[-.]*/g, '.');
  return id.replace(/-+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
}

/** Ids made unique in the order asked: the second `x` is `x-2`, the third `x-3`. */
export function uniqueIds() {
  const used = new Set<string>();
  return (wanted: string): string => {
    let id = wanted;
    for (let n = 2; used.has(id); n++) id = `${wanted}-${n}`;
    used.add(id);
    return id;
  };
}

const REF_ID = /^[A-Za-z0-9][A-Za-z0-9.:() -]*$/;

/** A source's reference id as the format allows one (letters, digits and . - : ( ) and space). */
export function toRefId(value: string): string {
  if (REF_ID.test(value)) return value;
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9.:() -]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '');
}

/** Whether a reference id is valid as it stands. */
export const isRefId = (value: string) => REF_ID.test(value);

/**
 * Writes a framework as YAML, the same bytes for the same framework: keys in the format's
 * order, long texts folded at 100 columns, a header comment that says where it came from.
 * The text is then read back through the loader, so an importer can never hand out a file
 * that Kalaja would refuse.
 */
export function writeFramework(
  doc: Record<string, unknown>,
  header: string[],
  file: string,
  report: Omit<ImportReport, 'domains' | 'questions'>,
): ImportResult {
  const body = stringify(doc, { lineWidth: 100, minContentWidth: 40, aliasDuplicateObjects: false });
  // A comment ends at a line break: each line of the header (a source's title may hold one) its own.
  const comment = header.flatMap((l) => l.split(/\r\n?|\n/)).map((l) => `# ${l}`.trimEnd());
  const text = `${comment.join('\n')}\n${body}`;
  const loaded = loadFramework(text, { file });
  if (!loaded.ok) return loaded;
  const fw = loaded.value;
  return {
    ok: true,
    text,
    framework: fw,
    report: {
      ...report,
      domains: fw.domains.length,
      questions: fw.domains.reduce((n, d) => n + d.questions.length, 0),
    },
  };
}

/** A map `{ [language]: text, ...translations }` or, for English alone, the plain string. */
export function textIn(language: string, text: string, translations: Record<string, string> = {}) {
  const entries = Object.entries(translations).filter(([k, v]) => k !== language && v !== '');
  if (language === 'en' && entries.length === 0) return text;
  return Object.fromEntries([[language, text], ...entries.sort(([a], [b]) => a.localeCompare(b, 'en'))]);
}
