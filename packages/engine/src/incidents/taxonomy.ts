import { z } from 'zod';
import { localText } from '../framework/schema.js';
import { sortProblems, type Result } from '../problems.js';
import type { LocalText } from '../text.js';
import {
  contextFrom,
  controlCharacters,
  duplicateIds,
  positioned,
  readMapping,
  schemaProblems,
  type Path,
  type Vocabulary,
} from '../documents/document.js';

/**
 * The incident taxonomy (`content/taxonomies/incidents.yaml`, `kalaja: taxonomy/1`): the lists
 * an incident record and a secure report choose from — category, actor, targeting, certainty,
 * effects on people and on work, response received — each entry a stable id with localised
 * words. The incident log, the reporting channel and the threat landscape all check ids against
 * it, so a category the taxonomy does not have is refused at the boundary.
 */
export const TAXONOMY_FORMAT = 'taxonomy/1';

export interface TaxonomyEntry {
  id: string;
  title: LocalText;
  description?: LocalText;
}

export interface IncidentCategory extends TaxonomyEntry {
  /** The class of the Reference Security Incident Taxonomy it falls under, or `other`. */
  rsit: string;
  /** Handbook sections that help with it. */
  handbook: string[];
}

export interface IncidentTaxonomy {
  id: string;
  version: string;
  title: LocalText;
  categories: IncidentCategory[];
  actors: TaxonomyEntry[];
  targeting: TaxonomyEntry[];
  certainty: TaxonomyEntry[];
  effects: { people: TaxonomyEntry[]; work: TaxonomyEntry[] };
  responses: TaxonomyEntry[];
}

/** The lists of a taxonomy that an incident picks from, by name. */
export const TAXONOMY_LISTS = ['categories', 'actors', 'targeting', 'certainty', 'responses'] as const;
export type TaxonomyList = (typeof TAXONOMY_LISTS)[number];

const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const slug = (what: string, example: string) =>
  z
    .string({ error: `${what} must be a text` })
    .regex(SLUG, { error: `${what} must be lower-case letters, digits and - or _ (e.g. \`${example}\`)` });
const RSIT = [
  'abusive-content',
  'malicious-code',
  'information-gathering',
  'intrusion-attempts',
  'intrusions',
  'availability',
  'information-content-security',
  'fraud',
  'vulnerable',
  'other',
] as const;

const entry = z.strictObject({ id: slug('id', 'state'), title: localText, description: localText.optional() });
const list = (what: string) =>
  z.array(entry, { error: `${what} must be a list` }).min(1, { error: `${what} needs at least 1 entry` });

const taxonomySchema = z.strictObject({
  kalaja: z.literal(TAXONOMY_FORMAT, { error: `the first key must be \`kalaja: ${TAXONOMY_FORMAT}\`` }),
  id: slug('taxonomy id', 'incidents'),
  version: z
    .string({ error: 'version must be a text; quote it, e.g. version: "1.0.0"' })
    .trim()
    .min(1, { error: 'version must not be empty' }),
  title: localText,
  categories: z
    .array(
      z.strictObject({
        id: slug('category id', 'account-takeover'),
        rsit: z.enum(RSIT, { error: `rsit must be one of: ${RSIT.join(', ')}` }),
        title: localText,
        description: localText.optional(),
        handbook: z.array(slug('handbook section id', 'lost-account-access')).default([]),
      }),
      { error: 'categories must be a list' },
    )
    .min(1, { error: 'categories needs at least 1 entry' }),
  actors: list('actors'),
  targeting: list('targeting'),
  certainty: list('certainty'),
  effects: z.strictObject({ people: list('effects.people'), work: list('effects.work') }),
  responses: list('responses'),
});

const KEYS = {
  top: ['kalaja', 'id', 'version', 'title', 'categories', 'actors', 'targeting', 'certainty', 'effects', 'responses'],
  category: ['id', 'rsit', 'title', 'description', 'handbook'],
  entry: ['id', 'title', 'description'],
  effects: ['people', 'work'],
} as const;

const WORDS: Vocabulary = {
  context: contextFrom({ categories: 'category', actors: 'actor', responses: 'response' }),
  allowedKeys: (path: Path) => {
    if (path.length === 0) return KEYS.top;
    if (path.length === 1 && path[0] === 'effects') return KEYS.effects;
    if (path.at(-2) === 'categories') return KEYS.category;
    return KEYS.entry;
  },
};

/**
 * Reads a `kalaja: taxonomy/1` file (YAML or JSON) and validates it completely: every problem at
 * once with its line and column, ids unique within each list.
 */
export function loadIncidentTaxonomy(
  text: string,
  options: { file: string; format?: 'yaml' | 'json' },
): Result<IncidentTaxonomy> {
  const { file } = options;
  const read = readMapping(text, { ...options, what: 'an incident taxonomy' }, 'a taxonomy', 'taxonomy/1');
  if (!read.ok) return read;
  const src = read.value;
  const raw = src.raw as Record<string, unknown>;
  const effects = (raw.effects ?? {}) as Record<string, unknown>;
  const rules = [
    ...controlCharacters(raw),
    ...(['categories', 'actors', 'targeting', 'certainty', 'responses'] as const).flatMap((k) =>
      duplicateIds(raw[k], [k], k === 'categories' ? 'category' : 'entry'),
    ),
    ...(['people', 'work'] as const).flatMap((k) => duplicateIds(effects[k], ['effects', k], 'effect')),
  ];
  const problems = positioned(rules, src, file, WORDS);
  const parsed = schemaProblems(taxonomySchema, src, file, WORDS);
  problems.push(...parsed.problems);
  if (!parsed.value || problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  const p = parsed.value;
  const clean = (e: { id: string; title: LocalText; description?: LocalText | undefined }): TaxonomyEntry => ({
    id: e.id,
    title: e.title as LocalText,
    ...(e.description !== undefined && { description: e.description as LocalText }),
  });
  return {
    ok: true,
    value: {
      id: p.id,
      version: p.version,
      title: p.title as LocalText,
      categories: p.categories.map((c) => ({ ...clean(c), rsit: c.rsit, handbook: c.handbook })),
      actors: p.actors.map(clean),
      targeting: p.targeting.map(clean),
      certainty: p.certainty.map(clean),
      effects: { people: p.effects.people.map(clean), work: p.effects.work.map(clean) },
      responses: p.responses.map(clean),
    },
  };
}

/** Whether `id` is an entry of one of the taxonomy's lists (`effects.people`, `effects.work` too). */
export function inTaxonomy(
  taxonomy: IncidentTaxonomy,
  list: TaxonomyList | 'effects.people' | 'effects.work',
  id: string,
): boolean {
  const entries =
    list === 'effects.people'
      ? taxonomy.effects.people
      : list === 'effects.work'
        ? taxonomy.effects.work
        : (taxonomy[list] as readonly TaxonomyEntry[]);
  return entries.some((e) => e.id === id);
}
