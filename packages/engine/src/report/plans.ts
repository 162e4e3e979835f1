import type { AnswerSet } from '../answers/collect.js';
import { indexFramework } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import { rankInterventions } from '../interventions/rank.js';
import type { InterventionCatalogue, InterventionKind } from '../interventions/types.js';
import { DECIMALS } from '../scoring/round.js';
import type { Choices } from '../scoring/score.js';
import { textFor, type Locale } from '../text.js';
import type { ReportText, TextKey } from './report-text.js';

/** A plan item's status (docs/contracts.md, §7). */
export type PlanItemStatus = 'planned' | 'in_progress' | 'done' | 'dropped';

/** One item of an organisation's plan, as a report is given it (the server opens it). */
export interface PlanItemInput {
  /** The organisation, as the answer set names it. */
  organisation: string;
  /** The round whose gap it answers. */
  round: string;
  /** The catalogue's intervention id; null for the team's own item. */
  intervention: string | null;
  /** The team's own item's title (ignored for an intervention of the catalogue). */
  title?: string | null;
  kind: InterventionKind;
  status: PlanItemStatus;
  /** YYYY-MM-DD, or null. */
  dueOn: string | null;
  /** The day it was done (YYYY-MM-DD), or null. */
  doneOn: string | null;
  overdue: boolean;
  dropReason: string | null;
  /** How many evidence files it has. */
  evidence?: number;
}

/** The plans a report is given: the items, and the catalogue their interventions come from. */
export interface PlansInput {
  catalogue: InterventionCatalogue;
  items: readonly PlanItemInput[];
}

export interface OrganisationPlanSection {
  title: string;
  intro: string;
  /** "8 items: 5 done, …" */
  summary: string;
  items: {
    round: string;
    title: string;
    kind: string;
    status: PlanItemStatus;
    statusText: string;
    due: string | null;
    done: string | null;
    overdue: boolean;
    /** Why it was chosen: the gaps of its round it raises and by how much. */
    why: string;
    dropReason: string | null;
    evidence: number;
  }[];
}

export interface ProgrammePlansSection {
  title: string;
  intro: string;
  paragraphs: string[];
  /** Items per kind of intervention. */
  byKind: {
    kind: InterventionKind;
    label: string;
    done: number;
    inProgress: number;
    planned: number;
    dropped: number;
  }[];
  /** Items done and under way per domain they strengthen, and the organisations with one done there. */
  byDomain: { id: string; title: string; done: number; inProgress: number; organisations: number }[];
  unaddressedTitle: string;
  unaddressedIntro: string;
  /** Questions still answered below their best with no open or done item for them, most organisations first. */
  unaddressed: { question: string; text: string; domainTitle: string; organisations: number }[];
}

/** How many of the unaddressed gaps the programme report lists. */
export const UNADDRESSED_SHOWN = 10;

const STATUS_ORDER: Record<PlanItemStatus, number> = { done: 0, in_progress: 1, planned: 2, dropped: 3 };
const STATUS_KEY = {
  planned: 'label.status.planned',
  in_progress: 'label.status.in_progress',
  done: 'label.status.done',
  dropped: 'label.status.dropped',
} as const satisfies Record<PlanItemStatus, TextKey>;
const KIND_KEY = {
  policy: 'label.kind.policy',
  technical: 'label.kind.technical',
  training: 'label.kind.training',
} as const satisfies Record<InterventionKind, TextKey>;

function counts(items: readonly PlanItemInput[]) {
  const n = (s: PlanItemStatus) => items.filter((i) => i.status === s).length;
  return { done: n('done'), inProgress: n('in_progress'), planned: n('planned'), dropped: n('dropped') };
}

/**
 * An organisation's plan for its confidential report: each item with why it was chosen (the
 * questions its intervention raises at the round it answers, and the gain, from the engine's
 * ranking of that round's answers), where it stands and what shows it was done; done first,
 * then under way, planned and dropped, each by round.
 */
export function organisationPlanSection(
  fw: Framework,
  mine: ReadonlyMap<string, Choices>,
  rounds: readonly string[],
  organisation: string,
  plans: PlansInput,
  t: ReportText,
  locale: Locale,
): OrganisationPlanSection {
  const { questions } = indexFramework(fw);
  const catalogue = new Map(plans.catalogue.interventions.map((i) => [i.id, i]));
  const ranked = new Map<string, ReturnType<typeof rankInterventions>>();
  const rankingOf = (round: string) => {
    if (!ranked.has(round)) {
      const c = mine.get(round);
      ranked.set(round, c ? rankInterventions(fw, plans.catalogue, c) : []);
    }
    return ranked.get(round)!;
  };
  const roundIndex = new Map(rounds.map((r, i) => [r, i]));
  const items = plans.items
    .filter((i) => i.organisation === organisation)
    .map((i, order) => ({ i, order }))
    .sort(
      (a, b) =>
        STATUS_ORDER[a.i.status] - STATUS_ORDER[b.i.status] ||
        (roundIndex.get(a.i.round) ?? 99) - (roundIndex.get(b.i.round) ?? 99) ||
        a.order - b.order,
    )
    .map(({ i }) => {
      const intervention = i.intervention === null ? undefined : catalogue.get(i.intervention);
      const r = intervention ? rankingOf(i.round).find((x) => x.id === intervention.id) : undefined;
      const why = !intervention
        ? t.t('plan.whyOwn', { round: i.round })
        : r
          ? t.t('plan.why', {
              round: i.round,
              questions: t.list(r.questions.map((q) => `“${textFor(questions.get(q)!.question.text, locale)}”`)),
              gain: t.signed(r.gain, DECIMALS.organisation),
            })
          : t.t('plan.whyChosen', { round: i.round });
      return {
        round: i.round,
        title: intervention ? textFor(intervention.title, locale) : (i.title ?? i.intervention ?? ''),
        kind: t.t(KIND_KEY[i.kind]),
        status: i.status,
        statusText: t.t(STATUS_KEY[i.status]),
        due: i.dueOn ? t.date(i.dueOn) : null,
        done: i.doneOn ? t.date(i.doneOn) : null,
        overdue: i.overdue,
        why,
        dropReason: i.dropReason,
        evidence: i.evidence ?? 0,
      };
    });
  const c = counts(plans.items.filter((i) => i.organisation === organisation));
  const overdue = items.filter((i) => i.overdue).length;
  const summary =
    items.length === 0
      ? t.t('plan.none')
      : [
          t.plural('plan.summary', items.length, {
            n: items.length,
            done: t.int(c.done),
            inProgress: t.int(c.inProgress),
            planned: t.int(c.planned),
            dropped: t.int(c.dropped),
          }),
          ...(overdue > 0 ? [t.plural('plan.overdue', overdue, { n: overdue })] : []),
        ].join(' ');
  return { title: t.t('section.plan'), intro: t.t('plan.intro', { organisation }), summary, items };
}

/**
 * What the organisations' plans delivered across the cohort, for the programme report (the
 * team's edition, under pseudonyms): items by kind and status, items done and under way per
 * domain they strengthen (the domains of the questions naming the intervention), and the gaps
 * no plan addresses yet — questions an organisation still answers below their best at its latest
 * round, with no item of its plan (dropped ones aside) whose intervention names that question.
 */
export function programmePlansSection(
  fw: Framework,
  set: AnswerSet,
  plans: PlansInput,
  t: ReportText,
  locale: Locale,
): ProgrammePlansSection {
  const { ordered } = indexFramework(fw);
  const known = new Set(set.organisations);
  const items = plans.items.filter((i) => known.has(i.organisation));
  const namedBy = new Map<string, { question: string; domain: string }[]>();
  for (const q of ordered)
    for (const id of q.question.interventions) {
      const list = namedBy.get(id) ?? [];
      list.push({ question: q.question.id, domain: q.domain.id });
      namedBy.set(id, list);
    }
  const domainsOf = (i: PlanItemInput) =>
    i.intervention === null ? [] : [...new Set((namedBy.get(i.intervention) ?? []).map((x) => x.domain))];

  const byKind = (['policy', 'technical', 'training'] as const).map((kind) => ({
    kind,
    label: t.t(KIND_KEY[kind]),
    ...counts(items.filter((i) => i.kind === kind)),
  }));
  const byDomain = fw.domains.map((d) => {
    const touching = items.filter((i) => domainsOf(i).includes(d.id));
    return {
      id: d.id,
      title: textFor(d.title, locale),
      done: touching.filter((i) => i.status === 'done').length,
      inProgress: touching.filter((i) => i.status === 'in_progress').length,
      organisations: new Set(touching.filter((i) => i.status === 'done').map((i) => i.organisation)).size,
    };
  });

  // The gaps left: at each organisation's latest round, raised questions no live item covers.
  const left = new Map<string, number>();
  for (const organisation of set.organisations) {
    const byRound = set.assessments.get(organisation);
    const latest = set.rounds.filter((r) => byRound?.has(r)).at(-1);
    if (!latest) continue;
    const choices = byRound!.get(latest)!;
    const covered = new Set(
      items
        .filter((i) => i.organisation === organisation && i.status !== 'dropped' && i.intervention !== null)
        .flatMap((i) => (namedBy.get(i.intervention!) ?? []).map((x) => x.question)),
    );
    ordered.forEach((q, p) => {
      const c = choices[p]!;
      if (c < 0 || q.question.interventions.length === 0 || covered.has(q.question.id)) return;
      const best = Math.max(...q.question.options.map((o) => o.score));
      if (q.question.options[c]!.score < best) left.set(q.question.id, (left.get(q.question.id) ?? 0) + 1);
    });
  }
  const position = new Map(ordered.map((q, p) => [q.question.id, p]));
  const unaddressed = [...left]
    .sort((a, b) => b[1] - a[1] || position.get(a[0])! - position.get(b[0])!)
    .slice(0, UNADDRESSED_SHOWN)
    .map(([question, organisations]) => {
      const q = ordered[position.get(question)!]!;
      return {
        question,
        text: textFor(q.question.text, locale),
        domainTitle: textFor(q.domain.title, locale),
        organisations,
      };
    });

  const c = counts(items);
  const withPlan = new Set(items.map((i) => i.organisation)).size;
  const paragraphs =
    items.length === 0
      ? [t.t('plans.none')]
      : [
          t.plural('plans.lead', withPlan, {
            n: withPlan,
            items: t.int(items.length),
            done: t.int(c.done),
            share: t.percent(c.done / items.length),
            inProgress: t.int(c.inProgress),
            dropped: t.int(c.dropped),
          }),
        ];
  return {
    title: t.t('section.programmePlans'),
    intro: t.t('plans.intro'),
    paragraphs,
    byKind,
    byDomain,
    unaddressedTitle: t.t('section.unaddressed'),
    unaddressedIntro: unaddressed.length > 0 ? t.t('plans.unaddressedIntro') : t.t('plans.allAddressed'),
    unaddressed,
  };
}
