/**
 * @kalaja/engine/display — how the engine's figures and a framework's texts are shown to a
 * person, the same in the web app and in the reports: rounding half up, numbers, changes and
 * shares in the reader's language, the text of a framework in that language, levels as bands
 * and tones, decimals, and chart labels.
 *
 * Side-effect free and small, with no zod and no YAML behind it: the browser imports it
 * without paying for the loader (`@kalaja/engine` as a whole is for the server and the command
 * line). Reports go through `ReportText`, which prints with the same functions.
 */
export { DECIMALS, roundHalfUp } from './scoring/round.js';
export { CHANGE_THRESHOLD, smallestReachableP } from './scoring/paired.js';
export { pickText, preferredLocale, SUPPORTED_LOCALES, textFor, type Locale, type LocalText } from './text.js';
export { cyrillicCatalogue, hasCyrillic, latinToCyrillic } from './transliterate.js';
export { formatInteger, formatNumber, formatPercent, formatSigned } from './display/numbers.js';
export { bandsOf, levelIndex, TONE_COUNT, toneOf, type Band } from './display/levels.js';
export { shortLabel, wrapLabel } from './display/labels.js';
export type { Domain, Framework, Level, Option, Question } from './framework/types.js';
