import { CATALOGUE_FORMAT } from '../interventions/types.js';
import { TRAINING_FORMAT } from '../training/types.js';
import { FRAMEWORK_FORMAT } from '../framework/types.js';

export type DataFileKind = typeof FRAMEWORK_FORMAT | typeof CATALOGUE_FORMAT | typeof TRAINING_FORMAT;
const KINDS: readonly DataFileKind[] = [FRAMEWORK_FORMAT, CATALOGUE_FORMAT, TRAINING_FORMAT];

/**
 * Which kind of Kalaja data file a text is, from its `kalaja:` tag (YAML or JSON), without
 * parsing the rest: `kalaja validate` picks the loader with it. Undefined when there is no
 * known tag; the framework loader then says what the first key must be.
 */
export function dataFileKind(text: string): DataFileKind | undefined {
  const m = /^\s*(?:\{\s*)?"?kalaja"?\s*:\s*"?([a-z]+\/\d+)"?/m.exec(
    text.replace(/^\uFEFF/, '').replace(/^(\s*#.*\n)+/, ''),
  );
  const tag = m?.[1];
  return KINDS.find((k) => k === tag);
}
