import type { AnswerSet } from '../answers/collect.js';
import { indexFramework } from '../framework/lookup.js';
import type { Framework, Option } from '../framework/types.js';
import { scoreAnswerSet } from '../scoring/cohort.js';
import { explainChoices } from '../scoring/explain.js';
import { DECIMALS } from '../scoring/round.js';
import { criticalGaps, scoreChoices, type Choices } from '../scoring/score.js';
import { organisationChanges, withCompletedPlanItems, type QuestionMove } from '../scoring/organisation-change.js';
import { textFor } from '../text.js';
import { figure, frameworkInfo, levelLabel, withheld } from './figures.js';
import {
  type OrganisationChangeSection,
  type OrganisationDomain,
  type OrganisationGap,
  type OrganisationReport,
  type OrganisationReportOptions,
} from './report-model.js';
import { DEFAULT_MIN_CELL } from '../disclosure/disclose.js';
import { organisationPlanSection } from './plans.js';
import { reportText } from './report-text.js';
import { organisationTrainingsSection } from './training-report.js';
import { organisationFindingsSection } from './findings-report.js';

/** How many answers "pulled each domain down" the explanation names. */
export const PULLED_DOWN = 3;

/**
 * Builds one organisation's confidential report: its scores and band per round, its domains
 * with the engine's explanations (what cost the most points, caps applied), its gaps ranked,
 * and the notes written with its answers.
 *
 * Gaps are ranked by `gain`: how much the overall score would rise if the answer were at the
 * question's best option, everything else unchanged (computed by scoring that changed
 * assessment, so caps count exactly). A gap is a quick win when one step up — to the next
 * better option — already gains at least half of that.
 */
export function buildOrganisationReport(
  fw: Framework,
  set: AnswerSet,
  organisation: string,
  options: OrganisationReportOptions = {},
): OrganisationReport {
  const mine = set.assessments.get(organisation);
  if (!mine || mine.size === 0) throw new Error(`organisation "${organisation}" has no answers`);
  const locale = options.locale ?? 'en';
  const t = reportText(locale);
  const k = options.minCell ?? DEFAULT_MIN_CELL;
  const d1 = DECIMALS.organisation;
  const info = frameworkInfo(fw, locale);
  const rounds = set.rounds.filter((r) => mine.has(r));
  const latest = rounds[rounds.length - 1]!;
  const first = rounds[0]!;
  const { ordered, questions } = indexFramework(fw);
  const cohort = scoreAnswerSet(fw, set).cohort[latest]!;

  const explained = rounds.map((r) => explainChoices(fw, mine.get(r)!));
  const now = explained[explained.length - 1]!;
  const firstScore = explained[0]!.score.overall;
  const lastScore = now.score.overall;
  const overallChange = figure(
    t,
    'change',
    rounds.length > 1 && firstScore !== null && lastScore !== null ? lastScore - firstScore : null,
    d1,
  );

  const summaryRounds = rounds.map((round, i) => {
    const s = explained[i]!.score;
    return {
      round,
      overall: figure(t, 'score', s.overall, d1),
      level: levelLabel(fw, s.overall, locale),
      completeness: figure(t, 'share', s.completeness, 0),
    };
  });
  const paragraphs = [
    t.t('org.lead', {
      organisation,
      framework: info.title,
      questions: t.count('questions', info.questions),
      domains: t.count('domains', info.domains.length),
      scale: info.scale,
    }),
    ...summaryRounds.map((r) =>
      t.t('org.round', {
        round: r.round,
        overall: r.overall.text,
        scale: info.scale,
        level: r.level ?? '–',
        completeness: r.completeness.text,
      }),
    ),
    ...(rounds.length > 1 ? [t.t('org.change', { from: first, to: latest, change: overallChange.text })] : []),
  ];

  const label = (o: Option | undefined) => (o ? textFor(o.label, locale) : '');
  const questionText = (id: string) => textFor(questions.get(id)!.question.text, locale);
  const answerOf = (id: string, choices: Choices) => {
    const q = questions.get(id)!;
    const c = choices[q.position]!;
    return c >= 0 ? label(q.question.options[c]) : '';
  };
  const latestChoices = mine.get(latest)!;

  const domains: OrganisationDomain[] = fw.domains.map((d, di) => {
    const e = now.domains[di]!;
    const scores = explained.map((x) => figure(t, 'score', x.score.domains[d.id] ?? null, d1));
    const firstD = explained[0]!.score.domains[d.id] ?? null;
    const lastD = now.score.domains[d.id] ?? null;
    const cs = cohort.domains[d.id]!;
    const pulled = e.questions
      .filter((q) => q.status === 'answered' && q.loss > 0)
      .sort((a, b) => b.loss - a.loss)
      .slice(0, PULLED_DOWN)
      .map((q) => ({
        question: q.question,
        text: questionText(q.question),
        answer: answerOf(q.question, latestChoices),
        loss: figure(t, 'score', q.loss, d1),
        unknown: q.unknown === true,
      }));
    const cap = e.cap
      ? {
          value: e.cap.value,
          questions: e.cap.questions.map((id) => ({
            id,
            text: questionText(id),
            answer: answerOf(id, latestChoices),
          })),
        }
      : null;
    const parts: string[] = [];
    if (e.score === null) parts.push(t.t('org.noAnswers'));
    else {
      if (cap)
        parts.push(
          t.t('org.capApplied', {
            cap: t.number(cap.value, d1),
            questions: t.list(cap.questions.map((q) => `“${q.text}” (${q.answer})`)),
            uncapped: t.number(e.uncapped, d1),
          }),
        );
      parts.push(
        pulled.length > 0
          ? t.t('org.pulledDown', {
              items: t.list(
                pulled.map((p) =>
                  t.t('org.lossItem', { question: `“${p.text}”`, answer: p.answer, loss: p.loss.text }),
                ),
              ),
            })
          : t.t('org.noLoss'),
      );
    }
    return {
      id: d.id,
      title: info.domains[di]!.title,
      scores,
      level: levelLabel(fw, lastD, locale),
      cohortMean: cs.n >= k ? figure(t, 'score', cs.mean, DECIMALS.cohort) : withheld(t, 'score', DECIMALS.cohort),
      change: figure(t, 'change', rounds.length > 1 && firstD !== null && lastD !== null ? lastD - firstD : null, d1),
      explanation: {
        score: figure(t, 'score', e.score, d1),
        uncapped: figure(t, 'score', e.uncapped, d1),
        cap,
        pulledDownBy: pulled,
        answered: e.answered,
        notApplicable: e.notApplicable,
        unanswered: e.unanswered,
        text: parts.join(' '),
      },
    };
  });

  // Gaps at the latest round, ranked by what the best option would gain overall.
  const base = now.score.overall ?? 0;
  const capping = new Set(now.domains.flatMap((d) => d.cap?.questions ?? []));
  const gaps: OrganisationGap[] = [];
  const trial = new Int16Array(latestChoices);
  for (let p = 0; p < ordered.length; p++) {
    const c = latestChoices[p]!;
    if (c < 0) continue;
    const { question, domain } = ordered[p]!;
    const current = question.options[c]!;
    let best = -1;
    let next = -1;
    question.options.forEach((o, i) => {
      if (o.unknown) return;
      if (best < 0 || o.score > question.options[best]!.score) best = i;
      if (o.score > current.score && (next < 0 || o.score < question.options[next]!.score)) next = i;
    });
    if (best < 0 || question.options[best]!.score <= current.score) continue;
    const gainOf = (option: number) => {
      trial[p] = option;
      const s = scoreChoices(fw, trial).overall;
      trial[p] = c;
      return s === null ? 0 : s - base;
    };
    const gain = gainOf(best);
    const stepGain = next >= 0 ? gainOf(next) : gain;
    const explanation = now.domains.find((d) => d.domain === domain.id)!;
    const loss = explanation.questions.find((q) => q.question === question.id)!.loss;
    gaps.push({
      question: question.id,
      text: textFor(question.text, locale),
      domain: domain.id,
      domainTitle: textFor(domain.title, locale),
      answer: label(current),
      unknown: current.unknown,
      capping: capping.has(question.id),
      loss: figure(t, 'score', loss, d1),
      gain: figure(t, 'score', Math.max(0, gain), d1),
      stepGain: figure(t, 'score', Math.max(0, stepGain), d1),
      nextStep: next >= 0 ? label(question.options[next]) : null,
      quickWin: gain > 0 && stepGain >= gain / 2,
      interventions: [...question.interventions],
    });
  }
  const critical = criticalGaps(fw, latestChoices).map((g) => {
    const { question, domain } = questions.get(g.question)!;
    return {
      question: g.question,
      text: textFor(question.text, locale),
      domain: g.domain,
      domainTitle: textFor(domain.title, locale),
      answer: label(question.options.find((o) => o.id === g.option)),
      cap: g.cap,
    };
  });
  const position = (id: string) => questions.get(id)!.position;
  gaps.sort((a, b) => (b.gain.value ?? 0) - (a.gain.value ?? 0) || position(a.question) - position(b.question));

  const roundIndex = new Map(rounds.map((r, i) => [r, i]));
  const notes = (options.notes ?? [])
    .filter((n) => roundIndex.has(n.round) && questions.has(n.question) && n.note.trim() !== '')
    .sort((a, b) => roundIndex.get(a.round)! - roundIndex.get(b.round)! || position(a.question) - position(b.question))
    .map((n) => ({
      round: n.round,
      question: n.question,
      text: questionText(n.question),
      note: n.note,
      by: n.by ?? null,
    }));
  const domainTitle = new Map(fw.domains.map((d, i) => [d.id, info.domains[i]!.title]));
  const evidence = (options.evidence ?? [])
    .filter((e) => roundIndex.has(e.round) && (e.question === null || questions.has(e.question)))
    .map((e, i) => ({ e, i }))
    .sort(
      (a, b) => roundIndex.get(a.e.round)! - roundIndex.get(b.e.round)! || a.e.at.localeCompare(b.e.at) || a.i - b.i,
    )
    .map(({ e }) => {
      const domain = e.question !== null ? questions.get(e.question)!.domain.id : e.domain;
      const title = domain !== null ? domainTitle.get(domain) : undefined;
      return {
        round: e.round,
        name: e.name,
        question: e.question,
        domain: title !== undefined ? domain : null,
        supports:
          e.question !== null
            ? questionText(e.question)
            : title !== undefined
              ? t.t('org.evidenceDomain', { domain: title })
              : t.t('org.evidenceWhole'),
        date: t.date(e.at),
      };
    });

  // What moved between each round and the next, with what was done and said in between.
  const optionLabel = (question: string, option: string) =>
    label(questions.get(question)!.question.options.find((o) => o.id === option));
  const moveView = (m: QuestionMove) => ({
    question: m.question,
    text: questionText(m.question),
    from: optionLabel(m.question, m.from),
    to: optionLabel(m.question, m.to),
  });
  const changeSections: OrganisationChangeSection[] = organisationChanges(
    fw,
    rounds.map((round) => ({ round, choices: mine.get(round)! })),
  ).map((raw) => {
    const context = options.changeContext?.find((x) => x.from === raw.from && x.to === raw.to);
    const c = withCompletedPlanItems(raw, context?.planItems ?? []);
    const overall = {
      before: figure(t, 'score', c.overall.before, d1),
      after: figure(t, 'score', c.overall.after, d1),
      change: figure(t, 'change', c.overall.change, d1),
    };
    return {
      from: c.from,
      to: c.to,
      overall,
      paragraphs: [
        t.t('org.changeIntro', { from: c.from, to: c.to }),
        t.t('org.changeOverall', {
          before: overall.before.text,
          after: overall.after.text,
          change: overall.change.text,
        }),
      ],
      domains: c.domains.map((d, di) => ({
        id: d.domain,
        title: info.domains[di]!.title,
        before: figure(t, 'score', d.before, d1),
        after: figure(t, 'score', d.after, d1),
        change: figure(t, 'change', d.change, d1),
        up: d.up.map(moveView),
        down: d.down.map(moveView),
        planItems: d.planItems.map((x) => ({ title: x.title, date: t.date(x.doneAt) })),
        accounts: (context?.accounts ?? [])
          .filter((a) => a.domain === d.domain && a.text.trim() !== '')
          .sort((a, b) => (a.by === b.by ? 0 : a.by === 'assessor' ? -1 : 1))
          .map((a) => ({ by: a.by, text: a.text })),
      })),
    };
  });

  const title = options.title ?? organisation;
  const generatedAt = options.generatedAt ?? null;
  const date = generatedAt ? t.date(generatedAt) : null;
  return {
    kind: 'organisation',
    locale,
    minCell: k,
    title,
    organisation,
    generatedAt,
    framework: info,
    rounds,
    cover: {
      title,
      subtitle: t.t('report.organisation'),
      facts: [
        ...(title !== organisation ? [{ label: t.t('cover.organisation'), value: organisation }] : []),
        { label: t.t('cover.framework'), value: `${info.title} (${info.id} ${info.version})` },
        { label: t.t('cover.rounds'), value: t.list(rounds) },
        { label: t.t('cover.scale'), value: t.t('cover.scaleValue', { scale: info.scale }) },
        ...(date ? [{ label: t.t('cover.date'), value: date }] : []),
      ],
      note: `${t.t('report.confidential')}. ${t.t('report.confidentialNote', { organisation })}`,
      date,
    },
    summary: { title: t.t('section.summary'), paragraphs, rounds: summaryRounds, change: overallChange },
    domains: { title: t.t('section.domains'), intro: t.t('org.domainsIntro', { round: latest, k }), items: domains },
    explanations: {
      title: t.t('section.explanations'),
      intro: t.t('org.explainIntro', { round: latest }),
      round: latest,
    },
    criticalGaps: {
      title: t.t('section.criticalGaps'),
      intro:
        critical.length > 0 ? t.t('org.criticalIntro', { round: latest }) : t.t('org.noCritical', { round: latest }),
      round: latest,
      items: critical,
    },
    gaps: {
      title: t.t('section.orgGaps'),
      intro: gaps.length > 0 ? t.t('org.gapsIntro', { round: latest }) : t.t('org.noGaps'),
      round: latest,
      items: gaps,
    },
    notes: {
      title: t.t('section.notes'),
      intro: notes.length > 0 ? t.t('org.notesIntro') : t.t('org.noNotes'),
      items: notes,
    },
    evidence:
      options.evidence === undefined
        ? null
        : {
            title: t.t('section.evidence'),
            intro: evidence.length > 0 ? t.t('org.evidenceIntro') : t.t('org.noEvidence'),
            items: evidence,
          },
    plan: options.plan ? organisationPlanSection(fw, mine, rounds, organisation, options.plan, t, locale) : null,
    change: changeSections.length > 0 ? { title: t.t('section.orgChange'), sections: changeSections } : null,
    trainings: organisationTrainingsSection(t, options.organisationTrainings),
    findings: organisationFindingsSection(t, options.findings),
  };
}
