/**
 * The training impact section of the programme report, and the Trainings section of an
 * organisation's own report (docs/contracts.md, §8): sessions and attendance, knowledge before and
 * after with the paired statistics of post − pre (§5), confidence, reaction and the follow-up.
 *
 * Observers get every figure through the one disclosure rule (`discloseStats`, `discloseChange`),
 * counted in participants: nothing over fewer than k pairs, no interval (it gives away the
 * spread), no row per organisation. The programme report never names a participant.
 */
import { discloseChange, discloseStats, type Audience } from '../disclosure/disclose.js';
import type { OrganisationResult } from '../scoring/cohort.js';
import { EXACT_MAX, smallestReachableP } from '../scoring/paired.js';
import { DECIMALS } from '../scoring/round.js';
import { changeOf, stats } from '../scoring/stats.js';
import { pText } from './change-words.js';
import { changeFigures, figure, pseudonym, withheld } from './figures.js';
import type {
  Figure,
  FollowUpFigures,
  OrganisationTraining,
  OrganisationTrainingsSection,
  PairedFigures,
  ReactionFigures,
  TrainingModuleRow,
  TrainingOrganisationRow,
  TrainingRow,
  TrainingSection,
  TrainingSession,
} from './report-model.js';
import type { ReportText } from './report-text.js';

/** Below this absolute rank correlation, the report says the organisations show no clear pattern. */
export const ASSOCIATION_CLEAR = 0.3;
/** The fewest organisations with both figures over which the report looks for a pattern. */
export const ASSOCIATION_MIN = 3;

/** What the training section needs to know of the cohort besides the sessions. */
export interface TrainingCohort {
  audience: Audience;
  k: number;
  /** Organisations in the cohort. */
  size: number;
  /** Their names in order of first appearance (the annex's pseudonyms follow it); empty for observers. */
  names: readonly string[];
  /** Per organisation and round (empty for observers). */
  results: readonly OrganisationResult[];
  /** The report's last change between rounds, if any. */
  change: { from: string; to: string } | null;
  /** The framework's domains in order, with their titles in the report's language. */
  domains: readonly { id: string; title: string }[];
}

const D = DECIMALS.cohort;

/**
 * Scores before and after over participants with both, with the paired statistics of post − pre,
 * as the audience may see them (figures over fewer than k pairs withheld for observers).
 */
export function pairedFigures(
  t: ReportText,
  pairs: readonly { pre: number; post: number }[],
  kind: 'knowledge' | 'rating',
  audience: Audience,
  k: number,
): PairedFigures {
  const mean = (values: number[]): Figure => {
    const s = discloseStats(stats(values), audience, k);
    return s.withheld.mean ? withheld(t, kind, D) : figure(t, kind, s.mean, D);
  };
  const change = discloseChange(changeOf(pairs.map((p) => p.post - p.pre)), audience, k);
  return {
    pairs: pairs.length,
    pre: mean(pairs.map((p) => p.pre)),
    post: mean(pairs.map((p) => p.post)),
    change: changeFigures(t, change, D),
  };
}

function reactionFigures(
  t: ReportText,
  reaction: readonly { usefulness: number; relevance: number }[],
  audience: Audience,
  k: number,
): ReactionFigures {
  const mean = (values: number[]): Figure => {
    const s = discloseStats(stats(values), audience, k);
    return s.withheld.mean ? withheld(t, 'rating', D) : figure(t, 'rating', s.mean, D);
  };
  return {
    n: reaction.length,
    usefulness: mean(reaction.map((r) => r.usefulness)),
    relevance: mean(reaction.map((r) => r.relevance)),
  };
}

function followUpFigures(
  t: ReportText,
  f: NonNullable<TrainingSession['followUp']>,
  hide: (n: number) => boolean,
): FollowUpFigures {
  return {
    days: f.days,
    asked: f.asked,
    responded: f.responded,
    practices: f.practices.map((p) => {
      const answered = p.yes + p.partly + p.no;
      const hidden = hide(answered) || hide(f.responded);
      const share = (n: number) =>
        hidden ? withheld(t, 'share', 0) : figure(t, 'share', answered > 0 ? n / answered : null, 0);
      return { text: p.text, answered, yes: share(p.yes), partly: share(p.partly) };
    }),
  };
}

/** The programme report's training impact section. */
export function trainingSection(
  t: ReportText,
  sessions: readonly TrainingSession[],
  cohort: TrainingCohort,
): TrainingSection {
  const title = t.t('section.training');
  if (sessions.length === 0)
    return {
      title,
      state: 'none',
      paragraphs: [t.t('training.none')],
      limits: [],
      sessions: [],
      modules: [],
      totals: null,
      organisations: null,
    };
  const { audience, k } = cohort;
  const observers = audience === 'observers';
  const hide = (n: number) => observers && n > 0 && n < k;
  let anyHidden = false;
  const paired = (pairs: readonly { pre: number; post: number }[], kind: 'knowledge' | 'rating') => {
    anyHidden ||= hide(pairs.length);
    return pairedFigures(t, pairs, kind, audience, k);
  };

  const rows: TrainingRow[] = sessions.map((s) => {
    const reaction = s.reaction ?? [];
    anyHidden ||= hide(reaction.length);
    const followUp = s.followUp ? followUpFigures(t, s.followUp, hide) : null;
    anyHidden ||= followUp?.practices.some((p) => p.yes.withheld) ?? false;
    return {
      id: s.id,
      module: s.module,
      title: s.title,
      date: s.date ? t.date(s.date) : null,
      domains: s.domains ?? [],
      organisations: new Set(s.organisations).size,
      participants: s.participants,
      registered: s.registered ?? null,
      knowledge: paired(s.knowledge ?? [], 'knowledge'),
      confidence: paired(s.confidence ?? [], 'rating'),
      reaction: reactionFigures(t, reaction, audience, k),
      followUp,
    };
  });

  // Per module, over all its sessions' participants with both scores.
  const byModule = new Map<string, TrainingSession[]>();
  for (const s of sessions) {
    const list = byModule.get(s.module);
    if (list) list.push(s);
    else byModule.set(s.module, [s]);
  }
  const modules: TrainingModuleRow[] = [...byModule].map(([module, list]) => ({
    module,
    title: list[0]!.title,
    sessions: list.length,
    participants: list.reduce((a, s) => a + s.participants, 0),
    knowledge: paired(
      list.flatMap((s) => s.knowledge ?? []),
      'knowledge',
    ),
    confidence: paired(
      list.flatMap((s) => s.confidence ?? []),
      'rating',
    ),
  }));

  // Totals. The observers' view names no organisation: every organisation a session reached counts.
  const inCohort = new Set(cohort.names);
  const reached = new Set(
    sessions.flatMap((s) => s.organisations).filter((o) => cohort.names.length === 0 || inCohort.has(o)),
  ).size;
  const participants = sessions.reduce((a, s) => a + s.participants, 0);
  const withRegistered = sessions.filter((s) => s.registered !== undefined);
  const allKnowledge = sessions.flatMap((s) => s.knowledge ?? []);
  const totals = {
    sessions: sessions.length,
    participants,
    registration:
      withRegistered.length > 0
        ? {
            registered: withRegistered.reduce((a, s) => a + s.registered!, 0),
            attended: withRegistered.reduce((a, s) => a + s.participants, 0),
          }
        : null,
    organisationsReached: reached,
    cohort: cohort.size,
    knowledge: paired(allKnowledge, 'knowledge'),
    confidence: paired(
      sessions.flatMap((s) => s.confidence ?? []),
      'rating',
    ),
  };

  // In plain words: what was delivered, what participants learned, what they put into practice.
  const paragraphs: string[] = [
    t.plural('training.delivered', sessions.length, {
      sessions: t.plural('count.sessions', sessions.length, { n: sessions.length }),
      modules: t.plural('count.modules', modules.length, { n: modules.length }),
      participants: t.count('participants', participants),
      reached,
      organisations: t.count('organisations', cohort.size),
    }),
  ];
  if (totals.registration !== null) paragraphs.push(t.t('training.registered', totals.registration));
  paragraphs.push(...learnedWords(t, totals.knowledge, k));
  const confidence = totals.confidence;
  if (confidence.pairs > 0 && confidence.pre.value !== null && confidence.post.value !== null)
    paragraphs.push(
      t.plural('training.confidence', confidence.pairs, {
        pre: confidence.pre.text,
        post: confidence.post.text,
        n: confidence.pairs,
      }),
    );
  const reaction = reactionFigures(
    t,
    sessions.flatMap((s) => s.reaction ?? []),
    audience,
    k,
  );
  if (reaction.n > 0 && reaction.usefulness.value !== null)
    paragraphs.push(
      t.plural('training.reaction', reaction.n, {
        n: reaction.n,
        usefulness: reaction.usefulness.text,
        relevance: reaction.relevance.text,
      }),
    );
  const followUps = rows.filter((r) => r.followUp !== null);
  if (followUps.length === 0) paragraphs.push(t.t('training.noFollowUp'));
  for (const r of followUps) {
    const f = r.followUp!;
    const shown = f.practices.filter((p) => p.yes.value !== null);
    const base = { title: r.title, days: f.days, responded: f.responded, asked: f.asked };
    if (shown.length === 0) {
      paragraphs.push(
        t.t(f.practices.some((p) => p.yes.withheld) ? 'training.followUpWithheld' : 'training.followUpNone', base),
      );
      continue;
    }
    paragraphs.push(
      t.t('training.followUp', {
        ...base,
        // Semicolons between the practices: each item already says "yes and partly".
        items: shown
          .map((p) => t.t('training.followUpItem', { text: p.text, yes: p.yes.text, partly: p.partly.text }))
          .join('; '),
      }),
    );
  }
  if (anyHidden) paragraphs.push(t.t('training.withheld', { k }));

  // What the figures can and cannot show.
  const limits: string[] = [];
  if (allKnowledge.length > 0) {
    limits.push(t.t('training.limitSelected'), t.t('training.limitItems'), t.t('training.limitControl'));
    const moved = totals.knowledge.change.wilcoxon?.n ?? 0;
    const smallest = smallestReachableP(moved);
    if (smallest !== null && moved <= EXACT_MAX)
      limits.push(
        t.t(smallest >= 0.05 ? 'training.limitImpossible' : 'training.limitSmallest', {
          n: moved,
          p: pText(t, smallest),
        }),
      );
  }

  return {
    title,
    state: 'recorded',
    paragraphs,
    limits,
    sessions: rows,
    modules,
    totals,
    organisations: observers ? null : organisationRows(t, sessions, cohort),
  };
}

/** What participants learned, in plain words: the means, the change with its interval, the test. */
function learnedWords(t: ReportText, knowledge: PairedFigures, k: number): string[] {
  const c = knowledge.change;
  if (knowledge.pairs === 0) return [t.t('training.noChecks')];
  if (c.mean.withheld) return [t.plural('training.learnedWithheld', knowledge.pairs, { k, n: knowledge.pairs })];
  const words = [
    t.plural('training.learned', knowledge.pairs, {
      n: knowledge.pairs,
      pairs: t.count('participants', knowledge.pairs),
      pre: knowledge.pre.text,
      post: knowledge.post.text,
      mean: c.mean.text,
      interval: c.ci95 ? t.t('training.interval', { low: c.ci95[0].text, high: c.ci95[1].text }) : '',
      improved: c.improved ?? 0,
    }),
  ];
  if (c.wilcoxon)
    words.push(
      t.plural('training.wilcoxon', c.wilcoxon.n, {
        n: c.wilcoxon.n,
        p: c.wilcoxon.p < 0.001 ? `p ${pText(t, c.wilcoxon.p)}` : `p = ${pText(t, c.wilcoxon.p)}`,
        r: c.rankBiserial === null ? '–' : t.number(c.rankBiserial, 2),
      }),
    );
  return words;
}

/**
 * The team's edition: per organisation (its annex pseudonym), the participants it sent and their
 * knowledge change, beside its own mean change in the domains its people's modules serve between
 * the report's last two rounds, and whether the two go together — as association, never as effect.
 */
function organisationRows(
  t: ReportText,
  sessions: readonly TrainingSession[],
  cohort: TrainingCohort,
): NonNullable<TrainingSection['organisations']> {
  const { from = null, to = null } = cohort.change ?? {};
  const resultOf = (organisation: string, round: string | null) =>
    round === null ? undefined : cohort.results.find((r) => r.organisation === organisation && r.round === round);
  const rows: TrainingOrganisationRow[] = [];
  const both: [number, number][] = [];
  cohort.names.forEach((name, i) => {
    const sent = sessions.reduce((a, s) => a + s.organisations.filter((o) => o === name).length, 0);
    if (sent === 0) return;
    const served = new Set(sessions.filter((s) => s.organisations.includes(name)).flatMap((s) => s.domains ?? []));
    const domains = cohort.domains.filter((d) => served.has(d.id));
    const before = resultOf(name, from);
    const after = resultOf(name, to);
    const moves = domains.flatMap((d) => {
      const a = before?.domains[d.id] ?? null;
      const b = after?.domains[d.id] ?? null;
      return a === null || b === null ? [] : [b - a];
    });
    const domainChange = moves.length > 0 ? moves.reduce((a, x) => a + x, 0) / moves.length : null;
    const knowledge = pairedFigures(
      t,
      sessions.flatMap((s) => (s.knowledge ?? []).filter((p) => p.organisation === name)),
      'knowledge',
      'programme',
      cohort.k,
    );
    if (knowledge.change.mean.value !== null && domainChange !== null)
      both.push([knowledge.change.mean.value, domainChange]);
    rows.push({
      pseudonym: pseudonym(i, t.t('label.pseudonym')),
      participants: sent,
      knowledge,
      domains: domains.map((d) => d.title),
      domainChange: figure(t, 'change', domainChange, DECIMALS.organisation),
    });
  });
  const paragraphs: string[] = [];
  if (from === null || to === null) paragraphs.push(t.t('training.orgSingleRound'));
  else if (both.length < ASSOCIATION_MIN) paragraphs.push(t.t('training.associationFew', { min: ASSOCIATION_MIN }));
  else {
    const rho = spearman(both);
    const params = { n: both.length, rho: rho === null ? '–' : `ρ = ${t.number(rho, 2)}` };
    paragraphs.push(
      t.t(
        rho === null || Math.abs(rho) < ASSOCIATION_CLEAR
          ? 'training.associationWeak'
          : rho > 0
            ? 'training.associationPositive'
            : 'training.associationNegative',
        params,
      ),
    );
  }
  return {
    title: t.t('section.trainingOrganisations'),
    intro: from !== null && to !== null ? t.t('training.orgIntro', { from, to }) : t.t('training.orgIntroSingle'),
    from,
    to,
    rows,
    paragraphs,
  };
}

/** Spearman's rank correlation (average ranks for ties); null when either side does not vary. */
export function spearman(pairs: readonly (readonly [number, number])[]): number | null {
  const ranks = (values: number[]) => {
    const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
    const r = new Array<number>(values.length);
    for (let s = 0; s < order.length;) {
      let e = s;
      while (e + 1 < order.length && order[e + 1]!.v === order[s]!.v) e++;
      for (let j = s; j <= e; j++) r[order[j]!.i] = (s + e) / 2 + 1;
      s = e + 1;
    }
    return r;
  };
  const x = ranks(pairs.map((p) => p[0]));
  const y = ranks(pairs.map((p) => p[1]));
  const n = pairs.length;
  const mx = x.reduce((a, v) => a + v, 0) / n;
  const my = y.reduce((a, v) => a + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** An organisation's own report: its people's trainings by session, with names; null when there are none. */
export function organisationTrainingsSection(
  t: ReportText,
  trainings: readonly OrganisationTraining[] | undefined,
): OrganisationTrainingsSection | null {
  if (!trainings || trainings.length === 0) return null;
  const d1 = DECIMALS.organisation;
  const dated = trainings
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (a.s.date ?? '\uffff').localeCompare(b.s.date ?? '\uffff') || a.i - b.i);
  return {
    title: t.t('section.orgTrainings'),
    intro: t.t('org.trainingsIntro'),
    sessions: dated.map(({ s }) => ({
      title: s.title,
      date: s.date ? t.date(s.date) : null,
      participants: s.participants.map((p) => ({
        name: p.name,
        attended: p.attended,
        pre: figure(t, 'knowledge', p.pre, d1),
        post: figure(t, 'knowledge', p.post, d1),
        change: figure(t, 'change', p.pre !== null && p.post !== null ? p.post - p.pre : null, d1),
      })),
    })),
  };
}
