import type { HandbookContents, HandbookSectionView } from '@kalaja/contracts';
import { HANDBOOK_PHASES, type HandbookSection } from '@kalaja/engine';
import { AppError } from '../../errors.js';
import type { HandbookLibrary } from './handbook-catalogue.js';

/**
 * The handbook for readers: public by design (it is advice, not data about anyone), so there
 * is no permission to check. Everything is computed once per language at start.
 */
export function handbookService(library: HandbookLibrary) {
  const contents = new Map<string, HandbookContents>();
  const linkedFrom = new Map<string, Map<string, { id: string; title: string }[]>>();
  const entry = (s: HandbookSection) => ({
    id: s.id,
    title: s.title,
    phase: s.phase,
    domains: s.domains,
    interventions: s.interventions,
    reviewed: s.reviewed,
    summary: s.summary,
    // A section this language does not have yet is the English one, and says so.
    ...(s.lang !== undefined && { lang: s.lang as HandbookSectionView['lang'] }),
  });

  const contentsOf = (lang: string): HandbookContents => {
    const book = library.get(lang);
    let c = contents.get(book.lang);
    if (!c) {
      c = {
        lang: book.lang as HandbookContents['lang'],
        parts: HANDBOOK_PHASES.map((phase) => ({
          phase,
          sections: book.sections.filter((s) => s.phase === phase).map((s) => ({ ...entry(s), text: s.text })),
        })),
      };
      contents.set(book.lang, c);
    }
    return c;
  };

  const backLinks = (lang: string) => {
    const book = library.get(lang);
    let m = linkedFrom.get(book.lang);
    if (!m) {
      m = new Map();
      for (const s of book.sections)
        for (const id of new Set(s.links.map((l) => l.id))) {
          const list = m.get(id) ?? m.set(id, []).get(id)!;
          list.push({ id: s.id, title: s.title });
        }
      linkedFrom.set(book.lang, m);
    }
    return m;
  };

  return {
    contents: contentsOf,
    section(id: string, lang: string): HandbookSectionView {
      const book = library.get(lang);
      const s = book.byId.get(id);
      if (!s) throw new AppError('not_found', 'There is no handbook section with this id.');
      return {
        ...entry(s),
        lang: (s.lang ?? book.lang) as HandbookSectionView['lang'],
        blocks: s.blocks,
        linkedFrom: backLinks(lang).get(id) ?? [],
      };
    },
    /** The whole handbook of one language, for the PDF. */
    book: (lang: string) => library.get(lang),
  };
}

export type HandbookService = ReturnType<typeof handbookService>;
