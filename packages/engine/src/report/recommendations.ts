/**
 * Policy recommendations drafted from the findings by explicit rules. Each rule has an id, a
 * threshold and a sentence that documents it (shown in the report); each recommendation it
 * drafts carries the rule id and the numbers it rests on. The drafts are plain data: the
 * programme team edits, removes or adds recommendations before the report is rendered.
 *
 * The rules, on the latest round (and the change between the last two rounds):
 * - `critical-control`: for each question with a `cap`, fires when at least 30% of the
 *   organisations that answered it scored 0 (the control is missing, or nobody knew).
 * - `weakest-domain`: the domain with the lowest cohort mean, when that mean is below half
 *   the scale.
 * - `unknown-answers`: at least 5% of all answers are "Don't know", or 10% in some domain.
 * - `declined`: at least one organisation's overall score fell (by 0.005 or more).
 * - `stalled-domains`: domains whose mean change is below 0.10 while the overall mean rose.
 */
import type { Framework } from '../framework/types.js';
import { DECIMALS } from '../scoring/round.js';
import type { CohortView, QuestionTally } from '../disclosure/view.js';
import { textFor } from '../text.js';
import type { ReportText, TextKey } from './report-text.js';
import type { OpennessRuleId } from '../openness/rules.js';

export const RULES = {
  criticalControl: { id: 'critical-control', share: 0.3 },
  weakestDomain: { id: 'weakest-domain', share: 0.5 },
  unknownAnswers: { id: 'unknown-answers', overall: 0.05, domain: 0.1 },
  declined: { id: 'declined' },
  stalledDomains: { id: 'stalled-domains', change: 0.1 },
} as const;

/** The rules of the programme report, and those of an openness index's policy paper (openness/rules.ts). */
export type RuleId = (typeof RULES)[keyof typeof RULES]['id'] | OpennessRuleId;

export interface Recommendation {
  /** Unique in the report: the rule id, and its subject where a rule fires more than once. */
  id: string;
  rule: RuleId;
  priority: 'high' | 'medium' | 'low';
  title: string;
  text: string;
  /** The numbers the rule fired on, by name (count, of, share, mean, …). */
  evidence: { name: string; value: number }[];
  subject: {
    round?: string;
    from?: string;
    to?: string;
    question?: string;
    domain?: string;
    domains?: string[];
    /** An openness index's institution. */
    institution?: string;
  };
}

export interface RuleDoc {
  id: RuleId;
  text: string;
}

export interface RuleInput {
  fw: Framework;
  t: ReportText;
  /** The cohort as the report's audience sees it. */
  view: CohortView;
  rounds: readonly string[];
  /** question id → round → tally. */
  tallies: ReadonlyMap<string, ReadonlyMap<string, QuestionTally>>;
  /** Question ids of the most common gaps at the latest round, most common first. */
  commonGaps: readonly string[];
  /** For observers: drop recommendations resting on fewer organisations than this. */
  minOrganisations: number;
}

export function ruleDocs(t: ReportText): RuleDoc[] {
  const pct = (x: number) => t.percent(x);
  return [
    { id: 'critical-control', text: t.t('rule.critical-control', { threshold: pct(RULES.criticalControl.share) }) },
    { id: 'weakest-domain', text: t.t('rule.weakest-domain', { threshold: pct(RULES.weakestDomain.share) }) },
    {
      id: 'unknown-answers',
      text: t.t('rule.unknown-answers', {
        overall: pct(RULES.unknownAnswers.overall),
        domain: pct(RULES.unknownAnswers.domain),
      }),
    },
    { id: 'declined', text: t.t('rule.declined') },
    {
      id: 'stalled-domains',
      text: t.t('rule.stalled-domains', { threshold: t.number(RULES.stalledDomains.change, DECIMALS.cohort) }),
    },
  ];
}

/** Drafts the recommendations, high priority first, then in rule order. */
export function draftRecommendations(input: RuleInput): Recommendation[] {
  const { fw, t, view, rounds, tallies, minOrganisations } = input;
  const out: Recommendation[] = [];
  const latest = rounds[rounds.length - 1];
  if (latest === undefined) return out;
  const d2 = DECIMALS.cohort;
  const questionText = new Map<string, { text: string; domain: string; domainTitle: string }>();
  for (const d of fw.domains)
    for (const q of d.questions)
      questionText.set(q.id, {
        text: textFor(q.text, t.locale),
        domain: d.id,
        domainTitle: textFor(d.title, t.locale),
      });

  // critical-control
  for (const d of fw.domains) {
    for (const q of d.questions) {
      if (q.cap === undefined) continue;
      const tally = tallies.get(q.id)?.get(latest);
      if (!tally || tally.critical === null || tally.answered === 0 || tally.answered < minOrganisations) continue;
      const share = tally.critical / tally.answered;
      if (share < RULES.criticalControl.share) continue;
      const zeroOption =
        q.options.find((o) => o.score <= q.capAt && !o.unknown) ?? q.options.find((o) => o.score <= q.capAt);
      const curated = t.has(`control.${q.id}.missing`);
      const name = curated ? t.t(`control.${q.id}.name` as TextKey) : textFor(q.text, t.locale).replace(/[?.]$/, '');
      const missing = curated
        ? t.t(`control.${q.id}.missing` as TextKey)
        : t.t('rec.critical.missingGeneric', {
            option: zeroOption ? textFor(zeroOption.label, t.locale) : '0',
            question: textFor(q.text, t.locale),
          });
      const remedy = curated ? t.t(`control.${q.id}.remedy` as TextKey) : t.t('rec.critical.remedyGeneric');
      out.push({
        id: `critical-control:${q.id}`,
        rule: 'critical-control',
        priority: 'high',
        title: t.t('rec.critical.title', { control: name }),
        text: t.plural('rec.critical.text', tally.answered, {
          count: tally.critical,
          of: tally.answered,
          missing,
          round: latest,
          unknown: (tally.unknown ?? 0) > 0 ? t.t('rec.critical.unknown', { n: tally.unknown! }) : '',
          domain: textFor(d.title, t.locale),
          cap: t.number(q.cap, 0),
          scale: t.number(fw.scale, 0),
          remedy,
        }),
        evidence: [
          { name: 'count', value: tally.critical },
          { name: 'of', value: tally.answered },
          { name: 'share', value: share },
          { name: 'unknown', value: tally.unknown ?? 0 },
          { name: 'cap', value: q.cap },
        ],
        subject: { round: latest, question: q.id, domain: d.id },
      });
    }
  }

  // weakest-domain
  const cohort = view.cohort[latest];
  if (cohort && cohort.n >= minOrganisations) {
    let weakest: { id: string; mean: number; n: number } | null = null;
    for (const d of fw.domains) {
      const s = cohort.domains[d.id];
      if (!s || s.mean === null || s.n < minOrganisations) continue;
      if (weakest === null || s.mean < weakest.mean) weakest = { id: d.id, mean: s.mean, n: s.n };
    }
    if (weakest && weakest.mean < RULES.weakestDomain.share * fw.scale) {
      const domain = fw.domains.find((d) => d.id === weakest.id)!;
      const title = textFor(domain.title, t.locale);
      const gaps = input.commonGaps
        .filter((id) => questionText.get(id)?.domain === weakest.id)
        .slice(0, 3)
        .map((id) => `“${questionText.get(id)!.text}”`);
      out.push({
        id: `weakest-domain:${weakest.id}`,
        rule: 'weakest-domain',
        priority: 'high',
        title: t.t('rec.weakest.title', { domain: title }),
        text: t.t('rec.weakest.text', {
          domain: title,
          mean: t.number(weakest.mean, d2),
          scale: t.number(fw.scale, 0),
          round: latest,
          overall: t.number(cohort.overall.mean, d2),
          gaps: gaps.length > 0 ? t.list(gaps) : t.t('text.none'),
        }),
        evidence: [
          { name: 'mean', value: weakest.mean },
          { name: 'n', value: weakest.n },
          { name: 'overall', value: cohort.overall.mean ?? 0 },
        ],
        subject: { round: latest, domain: weakest.id },
      });
    }
  }

  // unknown-answers
  if (cohort && cohort.n >= minOrganisations) {
    let answers = 0;
    let unknown = 0;
    const byDomain: { id: string; title: string; answers: number; unknown: number }[] = [];
    for (const d of fw.domains) {
      let da = 0;
      let du = 0;
      for (const q of d.questions) {
        const tally = tallies.get(q.id)?.get(latest);
        if (!tally || tally.unknown === null) continue;
        da += tally.answered;
        du += tally.unknown;
      }
      answers += da;
      unknown += du;
      byDomain.push({ id: d.id, title: textFor(d.title, t.locale), answers: da, unknown: du });
    }
    const share = answers > 0 ? unknown / answers : 0;
    const hot = byDomain.filter((d) => d.answers > 0 && d.unknown / d.answers >= RULES.unknownAnswers.domain);
    if (answers > 0 && (share >= RULES.unknownAnswers.overall || hot.length > 0)) {
      out.push({
        id: 'unknown-answers',
        rule: 'unknown-answers',
        priority: 'medium',
        title: t.t('rec.unknown.title'),
        text: t.t('rec.unknown.text', {
          share: t.percent(share),
          round: latest,
          count: unknown,
          answers,
          domains: hot.length > 0 ? t.t('rec.unknown.domains', { domains: t.list(hot.map((d) => d.title)) }) : '',
        }),
        evidence: [
          { name: 'unknown', value: unknown },
          { name: 'answers', value: answers },
          { name: 'share', value: share },
          ...hot.map((d) => ({ name: `share:${d.id}`, value: d.unknown / d.answers })),
        ],
        subject: { round: latest, domains: hot.map((d) => d.id) },
      });
    }
  }

  // declined and stalled-domains, on the last change
  const last = view.change[view.change.length - 1];
  if (last && last.n >= minOrganisations) {
    if (last.overall.withheld.declined === undefined && last.overall.declined > 0) {
      out.push({
        id: 'declined',
        rule: 'declined',
        priority: 'medium',
        title: t.t('rec.declined.title'),
        text: t.plural('rec.declined.text', last.overall.n, {
          declined: last.overall.declined,
          n: last.overall.n,
          from: last.from,
          to: last.to,
        }),
        evidence: [
          { name: 'declined', value: last.overall.declined },
          { name: 'n', value: last.overall.n },
        ],
        subject: { from: last.from, to: last.to },
      });
    }
    if (last.overall.mean !== null && last.overall.mean > 0) {
      const stalled = fw.domains.filter((d) => {
        const c = last.domains[d.id];
        return c !== undefined && c.mean !== null && c.n >= minOrganisations && c.mean < RULES.stalledDomains.change;
      });
      if (stalled.length > 0) {
        out.push({
          id: 'stalled-domains',
          rule: 'stalled-domains',
          priority: 'medium',
          title: t.t('rec.stalled.title'),
          text: t.t('rec.stalled.text', {
            domains: t.list(
              stalled.map((d) => `${textFor(d.title, t.locale)} (${t.signed(last.domains[d.id]!.mean, d2)})`),
            ),
            threshold: t.number(RULES.stalledDomains.change, d2),
            from: last.from,
            to: last.to,
          }),
          evidence: stalled.map((d) => ({ name: `change:${d.id}`, value: last.domains[d.id]!.mean! })),
          subject: { from: last.from, to: last.to, domains: stalled.map((d) => d.id) },
        });
      }
    }
  }

  const rank = { high: 0, medium: 1, low: 2 } as const;
  return out
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank[a.r.priority] - rank[b.r.priority] || a.i - b.i)
    .map((x) => x.r);
}
