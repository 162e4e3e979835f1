import { LATIN_WORDS } from '../../src/index.js';

/** The languages Kalaja writes by hand; Serbian Cyrillic is derived from `sr-Latn`. */
export const WRITTEN = ['sq', 'sr-Latn'] as const;
export type Written = (typeof WRITTEN)[number];

/** Words spelled the same in English and in the language, as its writers use them. */
const SAME_WORDS: Record<Written, ReadonlySet<string>> = {
  sq: new Set([
    ...['plan', 'email', 'program', 'incident', 'status', 'total', 'administrator', 'info', 'draft', 'p'],
    // Loanwords the glossary keeps in Albanian.
    ...['doxxing', 'phishing', 'ransomware'],
  ]),
  'sr-Latn': new Set([
    'plan',
    'program',
    'status',
    'incident',
    'administrator',
    'info',
    'format',
    'p',
    'link',
    'interval',
  ]),
};

/**
 * Whether a translation may read exactly as its English: when it is only names, acronyms,
 * numbers, signs, placeholders and words the two languages share. Anything else equal to the
 * English is English copied over.
 */
export function mayBeIdentical(value: string, lng: Written): boolean {
  const words = value.replace(/\{\{[^}]+\}\}|\{[^}]+\}|<\/?\d+\/?>|`[^`]*`/g, ' ').match(/\p{L}[\p{L}\d]*/gu) ?? [];
  return words.every(
    (w) => LATIN_WORDS.has(w.toLowerCase()) || SAME_WORDS[lng].has(w.toLowerCase()) || /^[A-Z\d]+$/.test(w),
  );
}
