import { z } from 'zod';
import { reportLanguage } from './api.js';

/**
 * The Digital Security Handbook (docs/contracts.md §9; issue 15): public, read without an
 * account. The contents list every section of one language with what the reader needs to pick
 * one and to search them all; a section comes as blocks (the engine's safe structure, no
 * HTML), which the web app renders with React and the PDF with pdfmake.
 */

export const handbookPhase = z.enum(['prepare', 'respond', 'recover']);
export const HANDBOOK_PART_ORDER = handbookPhase.options;
/** The languages the handbook may be asked for; one with no translation yet is served in English. */
export const handbookLanguage = reportLanguage;
export const handbookQuery = z.object({ lang: handbookLanguage.default('en') });
export const handbookSectionId = z
  .string()
  .max(80)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, { error: 'is not a handbook section id' });

export interface HandbookInlineNode {
  t: 'text' | 'strong' | 'em' | 'code' | 'link' | 'section' | 'break';
  text?: string;
  href?: string;
  id?: string;
  children?: HandbookInlineNode[];
}

export const handbookInline: z.ZodType<HandbookInlineNode> = z.lazy(() =>
  z.strictObject({
    t: z.enum(['text', 'strong', 'em', 'code', 'link', 'section', 'break']),
    text: z.string().optional(),
    href: z.string().optional(),
    id: z.string().optional(),
    children: z.array(handbookInline).optional(),
  }),
);

export interface HandbookBlockNode {
  t: 'heading' | 'paragraph' | 'list' | 'quote' | 'code' | 'table' | 'rule';
  level?: number;
  anchor?: string;
  children?: HandbookInlineNode[];
  ordered?: boolean;
  start?: number;
  items?: HandbookBlockNode[][];
  blocks?: HandbookBlockNode[];
  text?: string;
  head?: HandbookInlineNode[][];
  rows?: HandbookInlineNode[][][];
}

export const handbookBlock: z.ZodType<HandbookBlockNode> = z.lazy(() =>
  z.strictObject({
    t: z.enum(['heading', 'paragraph', 'list', 'quote', 'code', 'table', 'rule']),
    level: z.number().int().optional(),
    anchor: z.string().optional(),
    children: z.array(handbookInline).optional(),
    ordered: z.boolean().optional(),
    start: z.number().int().optional(),
    items: z.array(z.array(handbookBlock)).optional(),
    blocks: z.array(handbookBlock).optional(),
    text: z.string().optional(),
    head: z.array(z.array(handbookInline)).optional(),
    rows: z.array(z.array(z.array(handbookInline))).optional(),
  }),
);

/** What the contents show of a section, and the text that search reads. */
export const handbookEntry = z.object({
  id: z.string(),
  title: z.string(),
  phase: handbookPhase,
  domains: z.array(z.string()),
  interventions: z.array(z.string()),
  reviewed: z.string(),
  summary: z.string(),
  /** The section's whole text without structure, for the reader's search. */
  text: z.string(),
  /** Only when the section is not in the language served: the English one, until it is translated. */
  lang: handbookLanguage.optional(),
});

export const handbookContents = z.object({
  /** The language served: the one asked for, or `en` while that one has no translation. */
  lang: handbookLanguage,
  parts: z.array(z.object({ phase: handbookPhase, sections: z.array(handbookEntry) })),
});

export const handbookSectionView = handbookEntry.omit({ text: true }).extend({
  /** The language the section is written in: the one asked for, or `en` while it is not translated. */
  lang: handbookLanguage,
  blocks: z.array(handbookBlock),
  /** Sections that link here, for "see also" (id and title). */
  linkedFrom: z.array(z.object({ id: z.string(), title: z.string() })),
});

export type HandbookPhase = z.infer<typeof handbookPhase>;
export type HandbookContents = z.infer<typeof handbookContents>;
export type HandbookEntry = z.infer<typeof handbookEntry>;
export type HandbookSectionView = z.infer<typeof handbookSectionView>;
