import type { FrameworkConversionPreview } from '@kalaja/contracts';
import { importFramework, textFor, type ImportResult } from '@kalaja/engine';
import { AppError } from '../../errors.js';
import { denyAsMissing } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { FrameworkService } from './framework-service.js';
import type { FrameworkStore } from './framework-store.js';
import type { FrameworkSummary } from './framework-types.js';

/** What an admin sends: the uploaded source and the choices the import takes. */
export interface ConversionInput {
  from: 'oscal' | 'ciso-assistant' | 'samm';
  source: string;
  fileName: string;
  scale?: 'implementation' | 'csf-tiers' | 'compliance';
  depth?: number;
  requirePart?: string;
}

/**
 * Frameworks brought from OSCAL, CISO Assistant and OWASP SAMM (issue 19). Instance admins only:
 * a new framework is instance-wide, every programme may start on it. The engine converts; the
 * frameworks service stores and audits the result exactly as an uploaded framework file.
 */
export function frameworkConversionService(deps: {
  frameworks: Pick<FrameworkService, 'importFramework'>;
  store: Pick<FrameworkStore, 'version'>;
}) {
  function convert(input: ConversionInput): Extract<ImportResult, { ok: true }> {
    const file = input.fileName || 'source';
    const r = importFramework(input.from, input.source, {
      file,
      ...(input.scale && { scale: input.scale }),
      ...(input.depth !== undefined && { depth: input.depth }),
      ...(input.requirePart && { requirePart: input.requirePart }),
    });
    if (!r.ok)
      throw new AppError(
        'invalid_request',
        'The file cannot be imported as a framework.',
        // One upload, so the line says where; the same words as an uploaded framework file's problems.
        r.problems.slice(0, 100).map((p) => ({
          where: p.line !== undefined ? `line ${p.line}${p.col !== undefined ? `:${p.col}` : ''}` : 'framework',
          message: p.message,
        })),
      );
    return r;
  }

  return {
    /** What the upload becomes: its domains, how many questions, what it leaves out. Stores nothing. */
    async preview(actor: Actor, input: ConversionInput): Promise<FrameworkConversionPreview> {
      denyAsMissing(actor.isInstanceAdmin);
      const { framework: fw, report, text } = convert(input);
      const stored = await deps.store.version(fw.id, fw.version);
      return {
        key: fw.id,
        version: fw.version,
        title: textFor(fw.title),
        language: report.language,
        ...(fw.source !== undefined && { source: fw.source }),
        ...(fw.licence !== undefined && { licence: fw.licence }),
        scale: fw.scale,
        domains: fw.domains.map((d) => ({ id: d.id, title: textFor(d.title), questions: d.questions.length })),
        questions: report.questions,
        notes: report.notes,
        existing: stored ? (stored.source === text ? 'same' : 'different') : null,
      };
    },

    /** Saves the upload as a new framework version, as an uploaded framework file is saved and audited. */
    async save(actor: Actor, input: ConversionInput): Promise<FrameworkSummary> {
      denyAsMissing(actor.isInstanceAdmin);
      const { text } = convert(input);
      return deps.frameworks.importFramework(actor, { source: text, format: 'yaml' });
    },
  };
}

export type FrameworkConversionService = ReturnType<typeof frameworkConversionService>;
