import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatProblem, loadIncidentTaxonomy, type IncidentTaxonomy } from '@kalaja/engine';

/** The incident taxonomy Kalaja ships. */
export const SHIPPED_TAXONOMY = fileURLToPath(
  new URL('../../../../../content/taxonomies/incidents.yaml', import.meta.url),
);

/**
 * Reads the shipped incident taxonomy once at start. A taxonomy that does not load stops the
 * server with its file and line: every incident is checked against it.
 */
export function loadShippedTaxonomy(file = SHIPPED_TAXONOMY): IncidentTaxonomy {
  const loaded = loadIncidentTaxonomy(readFileSync(file, 'utf8'), { file });
  if (!loaded.ok)
    throw new Error(`the shipped incident taxonomy does not load:\n${loaded.problems.map(formatProblem).join('\n')}`);
  return loaded.value;
}
