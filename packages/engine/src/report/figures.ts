/**
 * Figures: exact value, rounded value and display text together, and the suppression of
 * figures computed over fewer than k organisations for observers.
 */
import { indexFramework, levelFor } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import { roundHalfUp } from '../scoring/round.js';
import type { DisclosedChange, DisclosedStats } from '../disclosure/disclose.js';
import { textFor } from '../text.js';
import type { ChangeFigures, Figure, FigureKind, FrameworkInfo, StatsFigures } from './report-model.js';
import type { ReportText } from './report-text.js';

export function figure(t: ReportText, kind: FigureKind, value: number | null | undefined, decimals: number): Figure {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return { kind, value: null, rounded: null, decimals, text: '–' };
  }
  if (kind === 'share') {
    return { kind, value, rounded: roundHalfUp(value, 2), decimals: 0, text: t.percent(value) };
  }
  return {
    kind,
    value,
    rounded: roundHalfUp(value, decimals),
    decimals,
    text: kind === 'change' ? t.signed(value, decimals) : t.number(value, decimals),
  };
}

/** A figure that existed but may not be shown: null, marked withheld. */
export function withheld(t: ReportText, kind: FigureKind, decimals: number): Figure {
  return { kind, value: null, rounded: null, decimals, text: t.t('label.withheld'), withheld: true };
}

/** A round's statistics as figures: each value withheld where the disclosure rule withheld it. */
export function statsFigures(t: ReportText, s: DisclosedStats, decimals: number): StatsFigures {
  const f = (key: 'mean' | 'median' | 'min' | 'max' | 'sd') =>
    s.withheld[key] ? withheld(t, 'score', decimals) : figure(t, 'score', s[key], decimals);
  return { n: s.n, mean: f('mean'), median: f('median'), min: f('min'), max: f('max'), sd: f('sd') };
}

/** A change as figures, with its paired statistics; withheld where the disclosure rule withheld it. */
export function changeFigures(t: ReportText, c: DisclosedChange, decimals: number): ChangeFigures {
  const counts = c.withheld.improved !== undefined;
  return {
    n: c.n,
    mean: c.withheld.mean ? withheld(t, 'change', decimals) : figure(t, 'change', c.mean, decimals),
    improved: counts ? null : c.improved,
    declined: counts ? null : c.declined,
    unchanged: counts ? null : c.unchanged,
    ci95: c.ci95 === null ? null : [figure(t, 'change', c.ci95[0], decimals), figure(t, 'change', c.ci95[1], decimals)],
    dz: c.dz,
    wilcoxon: c.wilcoxon,
    rankBiserial: c.rankBiserial,
  };
}

/** "Organisation A", … "Organisation Z", "Organisation AA", … in order of first appearance. */
export function pseudonym(index: number, word = 'Organisation'): string {
  let n = index;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `${word} ${letters}`;
}

export function frameworkInfo(fw: Framework, locale: string): FrameworkInfo {
  const levels = fw.levels.map((l, i) => ({
    label: textFor(l.label, locale),
    min: l.min,
    max: fw.levels[i + 1]?.min ?? null,
  }));
  return {
    id: fw.id,
    version: fw.version,
    title: textFor(fw.title, locale),
    scale: fw.scale,
    domains: fw.domains.map((d) => ({
      id: d.id,
      title: textFor(d.title, locale),
      questions: d.questions.length,
      weight: d.weight,
    })),
    levels,
    questions: indexFramework(fw).questionCount,
  };
}

export function levelLabel(fw: Framework, score: number | null, locale: string): string | null {
  const level = levelFor(fw, score);
  return level ? textFor(level.label, locale) : null;
}

/** Capitalises the first letter, for round names used as headings ("baseline" → "Baseline"). */
export function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toLocaleUpperCase() + s.slice(1);
}
