/**
 * What the handbook pages read (packages/contracts/src/handbook.ts): the contents of one
 * language, and one section as blocks. Both are public. They run whatever the browser thinks of
 * the network (`networkMode: 'always'`): offline, the service worker answers from its cache,
 * and a query that waited for "online" would never ask it.
 */
import type { HandbookContents, HandbookEntry, HandbookSectionView } from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, retryTransient, type ApiError } from '../../api';

export const handbookKeys = {
  contents: (lang: string) => ['handbook', lang] as const,
  section: (id: string, lang: string) => ['handbook', lang, id] as const,
};

export function useHandbookContents() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useQuery<HandbookContents, ApiError>({
    queryKey: handbookKeys.contents(lang),
    queryFn: () => api('GET', `/handbook?lang=${encodeURIComponent(lang)}`),
    networkMode: 'always',
    staleTime: 60 * 60 * 1000,
    retry: retryTransient,
  });
}

export function useHandbookSection(id: string) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useQuery<HandbookSectionView, ApiError>({
    queryKey: handbookKeys.section(id, lang),
    queryFn: () => api('GET', `/handbook/${encodeURIComponent(id)}?lang=${encodeURIComponent(lang)}`),
    networkMode: 'always',
    staleTime: 60 * 60 * 1000,
    retry: retryTransient,
  });
}

/** Every section of the contents, in reading order. */
export const allSections = (c: HandbookContents | undefined): HandbookEntry[] =>
  c ? c.parts.flatMap((p) => p.sections) : [];

/** Text folded for search: lower case, without accents (ë → e, č → c), spaces collapsed. */
export const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');

/**
 * The sections whose title or text hold every word of the query, best first: the words as a
 * phrase in the title, then every word in the title, then the phrase in the text, then the rest
 * in reading order; each with a short extract around the first place found in the text.
 */
export function searchHandbook(
  sections: readonly HandbookEntry[],
  query: string,
): { section: HandbookEntry; extract: string }[] {
  const phrase = fold(query).trim();
  const words = phrase.split(' ').filter(Boolean);
  if (words.length === 0) return [];
  const hits: { section: HandbookEntry; extract: string; rank: number }[] = [];
  for (const s of sections) {
    const title = fold(s.title);
    const text = fold(s.text);
    if (!words.every((w) => title.includes(w) || text.includes(w))) continue;
    const inTitle = words.every((w) => title.includes(w));
    const rank = title.includes(phrase) ? 3 : inTitle ? 2 : text.includes(phrase) ? 1 : 0;
    // Folding keeps length for the letters we use, so the offset maps back to the original text.
    const flat = s.text.replace(/\s+/g, ' ');
    const folded = fold(flat);
    const at = folded.includes(phrase) ? folded.indexOf(phrase) : folded.indexOf(words[0]!);
    const extract =
      inTitle || at < 0
        ? s.summary
        : `${at > 60 ? '…' : ''}${flat.slice(Math.max(0, at - 60), at + 140).trim()}${at + 140 < flat.length ? '…' : ''}`;
    hits.push({ section: s, extract, rank });
  }
  // The sort is stable: within a rank, the handbook's order.
  return hits.sort((a, b) => b.rank - a.rank).map(({ section, extract }) => ({ section, extract }));
}
