/**
 * The Digital Security Handbook as data: sections in three parts (prepare, respond, recover),
 * each a Markdown file with front matter, read into a safe structure that every renderer (the
 * web reader, the PDF) maps to its own format. No raw HTML survives the reading: the structure
 * has no node that could carry it.
 */

/** The three parts of the handbook, in reading order. */
export const HANDBOOK_PHASES = ['prepare', 'respond', 'recover'] as const;
export type HandbookPhase = (typeof HANDBOOK_PHASES)[number];

/** Text inside a block. Links go to another section (`section`) or to a web page or address (`link`). */
export type HandbookInline =
  | { t: 'text'; text: string }
  | { t: 'strong'; children: HandbookInline[] }
  | { t: 'em'; children: HandbookInline[] }
  | { t: 'code'; text: string }
  | { t: 'link'; href: string; children: HandbookInline[] }
  | { t: 'section'; id: string; children: HandbookInline[] }
  | { t: 'break' };

export type HandbookBlock =
  | { t: 'heading'; level: 2 | 3 | 4; anchor: string; children: HandbookInline[] }
  | { t: 'paragraph'; children: HandbookInline[] }
  | { t: 'list'; ordered: boolean; start?: number; items: HandbookBlock[][] }
  | { t: 'quote'; blocks: HandbookBlock[] }
  | { t: 'code'; text: string }
  | { t: 'table'; head: HandbookInline[][]; rows: HandbookInline[][][] }
  | { t: 'rule' };

/** A link to another section, with the line of the file it is written on. */
export interface HandbookLink {
  id: string;
  line: number;
}

export interface HandbookSection {
  /** The section id, the same as the file name without `.md` and the same in every language. */
  id: string;
  title: string;
  phase: HandbookPhase;
  /** Framework domain ids the section serves. */
  domains: string[];
  /** Catalogue intervention ids it supports. */
  interventions: string[];
  /** The date the text was last checked, YYYY-MM-DD. */
  reviewed: string;
  /** The first paragraph as plain text, cut to about 200 characters: what the contents show. */
  summary: string;
  /** The whole body as plain text, for search. */
  text: string;
  blocks: HandbookBlock[];
  /** Every link to another section, in order. */
  links: HandbookLink[];
  /**
   * The language the section is written in when it is not the book's: a language whose folder
   * lacks a section shows the English one, marked `en`, so the reader's page can say so.
   */
  lang?: string;
}

/** One language's handbook, its sections in reading order: by part, then by title. */
export interface Handbook {
  lang: string;
  sections: HandbookSection[];
  byId: ReadonlyMap<string, HandbookSection>;
}
