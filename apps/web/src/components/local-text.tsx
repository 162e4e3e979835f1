import { pickText, type LocalText } from '@kalaja/engine/display';
import { useTranslation } from 'react-i18next';

/**
 * A framework's text in the reader's language, through the engine's lookup (`pickText`): the
 * language asked for, its base language (`sr` for `sr-Latn`), else English.
 */

/** `lang` for an element holding text found in another language than the page's, so a screen reader says it right. */
function otherLanguage(found: string, page: string): string | undefined {
  return found === page || page.startsWith(`${found}-`) ? undefined : found;
}

/** Framework text in the current language, marked with its language when it fell back to another. */
export function Text({ value, as = 'span' }: { value: LocalText | undefined; as?: 'span' | 'p' }) {
  const { i18n } = useTranslation();
  const { text, lang } = pickText(value, i18n.language);
  const Tag = as;
  return <Tag lang={otherLanguage(lang, i18n.language)}>{text}</Tag>;
}

/** The text alone, for attributes and chart labels: `const text = useLocalText(); text(domain.title)`. */
export function useLocalText(): (value: LocalText | undefined) => string {
  const { i18n } = useTranslation();
  return (value) => pickText(value, i18n.language).text;
}
