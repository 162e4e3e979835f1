import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalogue, type InterventionCatalogue } from '@kalaja/engine';

/** The interventions catalogue Kalaja ships (docs/contracts.md, §6). */
export const SHIPPED_CATALOGUE = fileURLToPath(
  new URL('../../../../../content/interventions/cso-media.yaml', import.meta.url),
);

/**
 * The catalogue every programme's plans are ranked against, loaded once at start. A programme
 * does not pin a catalogue version: an intervention its framework names and the catalogue lacks
 * (framework 1.0.0 names some) is simply never ranked.
 */
export function loadShippedCatalogue(file = SHIPPED_CATALOGUE): InterventionCatalogue {
  const loaded = loadCatalogue(readFileSync(file, 'utf8'), { format: 'yaml', file });
  if (!loaded.ok)
    throw new Error(
      `${file}: the shipped interventions catalogue does not load: ${loaded.problems.map((p) => `${p.line}: ${p.message}`).join('; ')}`,
    );
  return loaded.value;
}
