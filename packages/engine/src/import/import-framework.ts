import { importCisoAssistant } from './ciso-assistant.js';
import type { ImportFormat, ImportResult } from './import-fns.js';
import { importOscal } from './oscal.js';
import { importSamm, type SammFile } from './samm.js';
import type { ImportScale } from './scales.js';

/** The choices an admin makes for an import; each format reads those that apply to it. */
export interface ImportFrameworkOptions {
  /** Name shown in problems, usually the path or the uploaded file's name. */
  file: string;
  /** OSCAL and CISO Assistant without `scores_definition`: the answer scale. */
  scale?: ImportScale;
  /** CISO Assistant: the depth of the requirement tree whose nodes become domains. */
  depth?: number;
  /** OSCAL: keep only controls with a part of this name. */
  requirePart?: string;
  /** The framework id, instead of the one made from the source. */
  id?: string;
}

/**
 * One entry for the command line and the app: the source in `format` as a framework file, with
 * the report of what was left out.
 *
 * @example importFramework('samm', bundleText, { file: 'samm.yaml' })
 */
export function importFramework(
  format: ImportFormat,
  source: string | SammFile[],
  options: ImportFrameworkOptions,
): ImportResult {
  const { file, id } = options;
  const text = typeof source === 'string' ? source : source.map((f) => f.text).join('\n---\n');
  switch (format) {
    case 'oscal':
      return importOscal(text, {
        file,
        ...(options.scale && { scale: options.scale }),
        ...(options.requirePart && { requirePart: options.requirePart }),
        ...(id && { id }),
      });
    case 'ciso-assistant':
      return importCisoAssistant(text, {
        file,
        ...(options.scale && { scale: options.scale }),
        ...(options.depth !== undefined && { depth: options.depth }),
        ...(id && { id }),
      });
    case 'samm':
      return importSamm(source, { file, ...(id && { id }) });
  }
}
