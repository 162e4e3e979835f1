import { z } from 'zod';
import { LIMITS } from './limits.js';

/**
 * Importing a framework published elsewhere (issue 19): an instance admin uploads an OSCAL
 * catalog, a CISO Assistant library or the OWASP SAMM model, sees what it becomes, and saves it
 * as a new framework version. The conversion is deterministic, so the preview and the save run
 * it on the same upload and get the same file; nothing is kept between the two.
 */

export const frameworkImportFormat = z.enum(['oscal', 'ciso-assistant', 'samm']);
export const frameworkImportScale = z.enum(['implementation', 'csf-tiers', 'compliance']);

/* eslint-disable no-control-regex -- NUL is what the source is checked for */
export const frameworkConversionRequest = z.strictObject({
  from: frameworkImportFormat,
  source: z
    .string()
    .min(1)
    .max(LIMITS.framework)
    .refine((s) => !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s), {
      error: 'must not contain NUL characters or broken Unicode',
    }),
  /** The uploaded file's name, to say where a problem is. */
  fileName: z
    .string()
    .trim()
    .max(LIMITS.short)
    .regex(/^[^/\\\u0000-\u001f]*$/, { error: 'must be a file name without folders' })
    .default(''),
  /** The answers of questions whose source has none (OSCAL; CISO Assistant without a scale). */
  scale: frameworkImportScale.optional(),
  /** CISO Assistant: the depth of the requirement tree whose nodes become domains. */
  depth: z.number().int().min(1).max(20).optional(),
  /** OSCAL: keep only controls that have a part of this name. */
  requirePart: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]{0,59}$/, { error: 'must be an OSCAL part name such as example' })
    .optional(),
});
/* eslint-enable no-control-regex */

/** One thing the source had that the framework does not carry; the app words each `code`. */
export const frameworkImportNote = z.object({
  code: z.string(),
  count: z.number().int(),
  examples: z.array(z.string()),
});

export const frameworkConversionPreview = z.object({
  key: z.string(),
  version: z.string(),
  title: z.string(),
  /** The framework's own language: `en`, or the source's (a French library stays French). */
  language: z.string(),
  source: z.string().optional(),
  licence: z.string().optional(),
  scale: z.number(),
  domains: z.array(z.object({ id: z.string(), title: z.string(), questions: z.number().int() })),
  questions: z.number().int(),
  notes: z.array(frameworkImportNote),
  /**
   * The stored framework version with the same id and version, if any: `same` when saving would
   * change nothing, `different` when it would be refused (give the import a new version).
   */
  existing: z.enum(['same', 'different']).nullable(),
});

export type FrameworkConversionRequest = z.input<typeof frameworkConversionRequest>;
export type FrameworkConversionPreview = z.infer<typeof frameworkConversionPreview>;
export type FrameworkImportNote = z.infer<typeof frameworkImportNote>;
