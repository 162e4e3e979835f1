/**
 * The rules that draft the recommendations of an openness index's policy paper. Each rule is
 * explicit: a condition on the wave's results, a threshold, and a sentence that documents it
 * (shown in the paper). Each recommendation it drafts carries the rule id, its subject (the
 * institution, principle or indicator) and the numbers it rests on; the research team reviews
 * them with the recommendation edits of every report (recommendation-edits.ts).
 *
 * - `indicator-missing`: an institution measured on an indicator (answered, applicable) earned
 *   0 points on it → publish or do what earns the points, in the indicator's guidance (medium).
 * - `principle-priority`: an institution's principle score is below half the scale → that
 *   principle is a priority (high).
 * - `decline`: an institution's overall score fell by 1 point or more (on a 100-point scale:
 *   1% of the scale) since the previous wave → a warning naming the principles that fell (medium).
 * - `government-wide`: more than half of the institutions measured on an indicator, and at least
 *   2, earned nothing on it → a recommendation to the government as a whole (high).
 */
import type { Framework, Question } from '../framework/types.js';
import type { Recommendation } from '../report/recommendations.js';
import type { ReportText } from '../report/report-text.js';
import { DECIMALS } from '../scoring/round.js';
import { textFor } from '../text.js';

export const OPENNESS_RULES = {
  indicatorMissing: { id: 'indicator-missing' },
  principlePriority: { id: 'principle-priority', share: 0.5 },
  decline: { id: 'decline', share: 0.01 },
  governmentWide: { id: 'government-wide', share: 0.5, min: 2 },
} as const;

export type OpennessRuleId = (typeof OPENNESS_RULES)[keyof typeof OPENNESS_RULES]['id'];

/** One institution's results the rules read: per indicator its share of the points, per principle its score. */
export interface InstitutionResult {
  name: string;
  /** Question id → option score in [0, 1] for each indicator answered and applicable. */
  indicators: ReadonlyMap<string, number>;
  overall: number | null;
  principles: Readonly<Record<string, number | null>>;
  /** In the previous wave; null when it was not measured then. */
  before: { overall: number | null; principles: Readonly<Record<string, number | null>> } | null;
}

export interface OpennessRuleInput {
  fw: Framework;
  t: ReportText;
  wave: string;
  previous: string | null;
  results: readonly InstitutionResult[];
}

export function opennessRuleDocs(t: ReportText, fw: Framework): { id: OpennessRuleId; text: string }[] {
  const d = DECIMALS.organisation;
  return [
    { id: 'indicator-missing', text: t.t('oi.rule.indicator-missing') },
    {
      id: 'principle-priority',
      text: t.t('oi.rule.principle-priority', {
        threshold: t.number(OPENNESS_RULES.principlePriority.share * fw.scale, d),
      }),
    },
    {
      id: 'decline',
      text: t.t('oi.rule.decline', { threshold: t.number(OPENNESS_RULES.decline.share * fw.scale, d) }),
    },
    {
      id: 'government-wide',
      text: t.t('oi.rule.government-wide', {
        share: t.percent(OPENNESS_RULES.governmentWide.share),
        min: OPENNESS_RULES.governmentWide.min,
      }),
    },
  ];
}

/** What earns an indicator's points, in the report's language: its guidance, or its best option. */
export function whatEarns(t: ReportText, q: Question): string {
  if (q.guidance !== undefined) return textFor(q.guidance, t.locale).trim();
  const best = [...q.options].filter((o) => !o.unknown).sort((a, b) => b.score - a.score)[0];
  return t.t('oi.rec.missing.best', { option: best ? textFor(best.label, t.locale) : '' });
}

/** An indicator's tally over the institutions measured on it: how many earned nothing, of how many. */
export function missedTally(results: readonly InstitutionResult[], question: string): { count: number; of: number } {
  let count = 0;
  let of = 0;
  for (const r of results) {
    const s = r.indicators.get(question);
    if (s === undefined) continue;
    of++;
    if (s === 0) count++;
  }
  return { count, of };
}

/** Whether most institutions miss an indicator, as the `government-wide` rule and the findings read it. */
export function mostMiss(x: { count: number; of: number }): boolean {
  return x.of >= OPENNESS_RULES.governmentWide.min && x.count / x.of > OPENNESS_RULES.governmentWide.share;
}

/** Drafts the recommendations: high priority first, then in rule order, institutions in input order. */
export function draftOpennessRecommendations(input: OpennessRuleInput): Recommendation[] {
  const { fw, t, wave, previous, results } = input;
  const d = DECIMALS.organisation;
  const out: Recommendation[] = [];
  const scale = fw.scale;

  // government-wide
  for (const domain of fw.domains)
    for (const q of domain.questions) {
      const tally = missedTally(results, q.id);
      if (!mostMiss(tally)) continue;
      const indicator = textFor(q.text, t.locale);
      out.push({
        id: `government-wide:${q.id}`,
        rule: 'government-wide',
        priority: 'high',
        title: t.t('oi.rec.government.title', { indicator }),
        text: t.plural('oi.rec.government.text', tally.of, {
          count: tally.count,
          of: tally.of,
          wave,
          guidance: whatEarns(t, q),
        }),
        evidence: [
          { name: 'count', value: tally.count },
          { name: 'of', value: tally.of },
          { name: 'share', value: tally.count / tally.of },
        ],
        subject: { round: wave, question: q.id, domain: domain.id },
      });
    }

  for (const r of results) {
    // principle-priority
    for (const domain of fw.domains) {
      const score = r.principles[domain.id];
      if (score === null || score === undefined || score >= OPENNESS_RULES.principlePriority.share * scale) continue;
      const principle = textFor(domain.title, t.locale);
      const zero = domain.questions
        .filter((q) => r.indicators.get(q.id) === 0)
        .map((q) => `“${textFor(q.text, t.locale)}”`);
      out.push({
        id: `principle-priority:${r.name}:${domain.id}`,
        rule: 'principle-priority',
        priority: 'high',
        title: t.t('oi.rec.priority.title', { principle }),
        text: t.t('oi.rec.priority.text', {
          institution: r.name,
          principle,
          score: t.number(score, d),
          threshold: t.number(OPENNESS_RULES.principlePriority.share * scale, d),
          indicators: t.list(zero.slice(0, 3)),
        }),
        evidence: [
          { name: 'score', value: score },
          { name: 'threshold', value: OPENNESS_RULES.principlePriority.share * scale },
        ],
        subject: { round: wave, institution: r.name, domain: domain.id },
      });
    }
    // decline
    const b = r.before;
    if (previous !== null && b && b.overall !== null && r.overall !== null) {
      const delta = r.overall - b.overall;
      const threshold = OPENNESS_RULES.decline.share * scale;
      if (delta <= -threshold) {
        const fell = fw.domains.filter((dm) => {
          const x = r.principles[dm.id];
          const y = b.principles[dm.id];
          return x !== null && x !== undefined && y !== null && y !== undefined && x - y <= -threshold;
        });
        out.push({
          id: `decline:${r.name}`,
          rule: 'decline',
          priority: 'medium',
          title: t.t('oi.rec.decline.title', { previous }),
          text: t.t('oi.rec.decline.text', {
            institution: r.name,
            before: t.number(b.overall, d),
            after: t.number(r.overall, d),
            change: t.signed(delta, d),
            previous,
            wave,
            principles: t.list(
              fell.map(
                (dm) => `${textFor(dm.title, t.locale)} (${t.signed(r.principles[dm.id]! - b.principles[dm.id]!, d)})`,
              ),
            ),
          }),
          evidence: [
            { name: 'before', value: b.overall },
            { name: 'after', value: r.overall },
            { name: 'change', value: delta },
          ],
          subject: { from: previous, to: wave, institution: r.name, domains: fell.map((dm) => dm.id) },
        });
      }
    }
    // indicator-missing
    for (const domain of fw.domains)
      for (const q of domain.questions) {
        if (r.indicators.get(q.id) !== 0) continue;
        out.push({
          id: `indicator-missing:${r.name}:${q.id}`,
          rule: 'indicator-missing',
          priority: 'medium',
          title: t.t('oi.rec.missing.title', { indicator: textFor(q.text, t.locale) }),
          text: t.t('oi.rec.missing.text', { institution: r.name, wave, guidance: whatEarns(t, q) }),
          evidence: [
            { name: 'points', value: 0 },
            { name: 'possible', value: q.weight },
          ],
          subject: { round: wave, institution: r.name, question: q.id, domain: domain.id },
        });
      }
  }

  const rank = { high: 0, medium: 1, low: 2 } as const;
  return out
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank[a.r.priority] - rank[b.r.priority] || a.i - b.i)
    .map((x) => x.r);
}
