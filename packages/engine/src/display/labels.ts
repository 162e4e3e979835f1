/**
 * Labels for charts, drawn the same in the browser and in the reports: long titles broken into
 * lines at spaces by character count (ECharts' own measuring does not know the font the PDF
 * draws with), and a short form for a cramped chart.
 */

/**
 * Breaks a label into lines of at most `width` characters at spaces; a word longer than the
 * width stands alone on its line.
 *
 * @example wrapLabel('Identity and access management', 14) // "Identity and\naccess\nmanagement"
 */
export function wrapLabel(text: string, width = 24): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (!word) continue;
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/**
 * A title shortened to its first word (without trailing punctuation), with an ellipsis when
 * something was cut.
 *
 * @example shortLabel('Devices and software') // "Devices…"
 */
export function shortLabel(title: string): string {
  const words = title.trim().split(/\s+/);
  const first = words[0]?.replace(/[,;:]$/, '') ?? '';
  return words.length > 1 || first.length < (words[0]?.length ?? 0) ? `${first}…` : first;
}
