import { EXACT_MAX, smallestReachableP } from '../scoring/paired.js';
import type { ChangeFigures } from './report-model.js';
import type { ReportText } from './report-text.js';

/** How a p-value is printed: three decimals, and "< 0.001" below that. */
export function pText(t: ReportText, p: number): string {
  return p < 0.001 ? t.t('change.pBelow') : t.number(p, 3);
}

/**
 * A cohort's change in plain words, as the reports print it beside the figures (docs/contracts.md,
 * §5): how many improved and the mean change with its 95% interval, the signed-rank test, which
 * assessments the figures rest on and how many were left out as provisional, and the limits —
 * no control group, a selected cohort, the smallest p reachable with this many changed pairs.
 * Nothing is said of a figure that is withheld (null).
 */
export function changeWords(
  t: ReportText,
  c: ChangeFigures,
  options: { decimals: number; provisional?: number | null } = { decimals: 2 },
): { paragraphs: string[]; limits: string[] } {
  const paragraphs: string[] = [];
  if (c.n > 0 && c.mean.value !== null && c.improved !== null) {
    const interval = c.ci95 ? t.t('change.interval', { low: c.ci95[0].text, high: c.ci95[1].text }) : '';
    paragraphs.push(t.plural('change.plain', c.n, { improved: c.improved, n: c.n, mean: c.mean.text, interval }));
  }
  if (c.wilcoxon)
    paragraphs.push(
      t.plural('change.wilcoxon', c.wilcoxon.n, {
        n: c.wilcoxon.n,
        p: pText(t, c.wilcoxon.p),
        r: c.rankBiserial === null ? '–' : t.number(c.rankBiserial, 2),
      }),
      t.t(c.wilcoxon.n <= EXACT_MAX ? 'change.exact' : 'change.approximate', { n: EXACT_MAX }),
    );
  else if (c.n > 0 && c.improved !== null) paragraphs.push(t.t('change.noTest'));
  if (options.provisional !== undefined && options.provisional !== null) {
    paragraphs.push(t.t('change.validatedOnly', { n: c.n }));
    if (options.provisional > 0)
      paragraphs.push(t.plural('change.provisional', options.provisional, { count: options.provisional }));
  }
  const limits: string[] = [];
  if (c.n > 0) {
    limits.push(t.t('change.limitControl'), t.t('change.limitSelected'));
    const moved = c.wilcoxon?.n ?? 0;
    const smallest = smallestReachableP(moved);
    if (smallest !== null && moved <= EXACT_MAX)
      limits.push(
        t.t(smallest >= 0.05 ? 'change.limitImpossible' : 'change.limitSmallest', {
          n: moved,
          p: pText(t, smallest),
        }),
      );
  }
  return { paragraphs, limits };
}
