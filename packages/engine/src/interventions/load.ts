import { indexFramework } from '../framework/lookup.js';
import { interventionLines } from '../framework/load.js';
import type { Framework } from '../framework/types.js';
import { sortProblems, type Problem, type Result } from '../problems.js';
import {
  contextFrom,
  controlCharacters,
  duplicateIds,
  positioned,
  readMappingChecked,
  schemaProblems,
  type Path,
  type SourceDocument,
  type Vocabulary,
} from '../documents/document.js';
import { catalogueSchema } from './schema.js';
import type { InterventionCatalogue } from './types.js';

const KEYS = {
  catalogue: ['kalaja', 'id', 'version', 'title', 'interventions'],
  intervention: ['id', 'title', 'kind', 'effort', 'cost', 'summary', 'steps', 'handbook'],
} as const;

const WORDS: Vocabulary = {
  context: contextFrom({ interventions: 'intervention' }),
  allowedKeys: (path: Path) =>
    path.length === 0 ? KEYS.catalogue : path.at(-2) === 'interventions' ? KEYS.intervention : [],
};

/**
 * Reads a `kalaja: interventions/1` catalogue (YAML or JSON) and validates it completely: every
 * problem at once with its line and column — syntax, unknown keys, values outside their bands,
 * duplicate ids.
 *
 * @example
 * const r = loadCatalogue(text, { file: 'cso-media.yaml' });
 */
export function loadCatalogue(
  text: string,
  options: { file: string; format?: 'yaml' | 'json' },
): Result<InterventionCatalogue> {
  const { file } = options;
  return readMappingChecked(
    text,
    { ...options, what: 'an interventions catalogue' },
    'a catalogue',
    'interventions/1',
    (src) => checkCatalogueFile(src, file),
  );
}

function checkCatalogueFile(src: SourceDocument, file: string): Result<InterventionCatalogue> {
  const rules = [
    ...controlCharacters(src.raw),
    ...duplicateIds((src.raw as { interventions?: unknown }).interventions, ['interventions'], 'intervention'),
  ];
  const problems = positioned(rules, src, file, WORDS);
  const parsed = schemaProblems(catalogueSchema, src, file, WORDS);
  problems.push(...parsed.problems);
  if (!parsed.value || problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  const p = parsed.value;
  return {
    ok: true,
    value: {
      id: p.id,
      version: p.version,
      title: p.title,
      interventions: p.interventions.map((i) => ({
        id: i.id,
        title: i.title,
        kind: i.kind,
        effort: i.effort,
        cost: i.cost,
        summary: i.summary,
        steps: i.steps,
        handbook: i.handbook,
      })),
    },
  };
}

/**
 * Checks that a catalogue has every intervention a framework's questions name. Each missing id is
 * a problem at the line of the question that names it (when the framework was read from text),
 * so the framework's author is sent to the right place.
 */
export function checkCatalogue(fw: Framework, catalogue: InterventionCatalogue, frameworkFile: string): Problem[] {
  const known = new Set(catalogue.interventions.map((i) => i.id));
  const problems: Problem[] = [];
  for (const { question } of indexFramework(fw).ordered) {
    question.interventions.forEach((id, i) => {
      if (known.has(id)) return;
      // Only a missing id asks for positions: a framework read quickly is then read in full once.
      const line = interventionLines(fw, question.id)?.[i];
      problems.push({
        file: frameworkFile,
        ...(line !== undefined && { line }),
        message: `question \`${question.id}\`: intervention \`${id}\` is not in catalogue ${catalogue.id} ${catalogue.version}`,
      });
    });
  }
  return sortProblems(problems);
}
