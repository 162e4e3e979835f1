import { programmeFindingsSection } from './findings-report.js';
import { threatsSection } from './threats-report.js';
import type { AnswerSet } from '../answers/collect.js';
import { indexFramework } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import { DECIMALS } from '../scoring/round.js';
import { textFor } from '../text.js';
import { changeFigures, figure, frameworkInfo, levelLabel, pseudonym, statsFigures, withheld } from './figures.js';
import { programmePlansSection } from './plans.js';
import { reviewRecommendations } from './recommendation-edits.js';
import { draftRecommendations, ruleDocs } from './recommendations.js';
import { viewFor, type CohortView } from '../disclosure/view.js';
import { discloseChange } from '../disclosure/disclose.js';
import { roundChanges } from '../scoring/cohort.js';
import { scoreChoices } from '../scoring/score.js';
import { changeWords } from './change-words.js';
import {
  type AnnexRow,
  type ChangeSection,
  type DomainChange,
  type Figure,
  type GapFinding,
  type ProgrammeReport,
  type ReportOptions,
} from './report-model.js';
import { DEFAULT_MIN_CELL } from '../disclosure/disclose.js';
import { reportText } from './report-text.js';
import { trainingSection } from './training-report.js';

/** How many of the most common gaps the findings list. */
export const COMMON_GAPS = 10;

/**
 * Builds the programme report from a framework and the cohort's answers. Pure: the same
 * inputs give the same report. For `audience: 'observers'` the figures are the published
 * versions the disclosure rule allows (docs/contracts.md, the disclosure rule), and there are no
 * per-organisation rows.
 */
export function buildProgrammeReport(fw: Framework, set: AnswerSet, options: ReportOptions = {}): ProgrammeReport {
  const k = options.minCell ?? DEFAULT_MIN_CELL;
  const audience = options.audience ?? 'programme';
  const view = viewFor(fw, set, audience, k);
  let report: ProgrammeReport;
  if (!options.final || audience !== 'programme') report = buildProgrammeReportFromView(fw, view, options);
  else {
    // The change rests on the assessments final (validated) in both rounds; the rest are counted.
    const scored = new Map(
      [...set.assessments].map(([org, byRound]) => [
        org,
        new Map([...byRound].map(([round, choices]) => [round, scoreChoices(fw, choices)])),
      ]),
    );
    const finals = roundChanges(fw, set.rounds, scored, options.final);
    const change = finals.map((c) => ({
      from: c.from,
      to: c.to,
      n: c.n,
      overall: discloseChange(c.overall, 'programme'),
      domains: Object.fromEntries(Object.entries(c.domains).map(([d, x]) => [d, discloseChange(x, 'programme')])),
    }));
    report = buildProgrammeReportFromView(
      fw,
      { ...view, change },
      options,
      finals.map((c) => c.provisional),
    );
  }
  if (!options.plans || audience === 'observers') return report;
  const locale = options.locale ?? 'en';
  return { ...report, plans: programmePlansSection(fw, set, options.plans, reportText(locale), locale) };
}

/** The programme report from a cohort view: the live one for the programme, published versions for observers. */
export function buildProgrammeReportFromView(
  fw: Framework,
  view: CohortView,
  options: ReportOptions = {},
  /** Per change, the organisations left out as provisional (when the change rests on final assessments only). */
  provisional?: readonly number[],
): ProgrammeReport {
  const locale = options.locale ?? 'en';
  const t = reportText(locale);
  const audience = view.audience;
  const k = view.minCell;
  const observers = audience === 'observers';
  const d2 = DECIMALS.cohort;
  const info = frameworkInfo(fw, locale);
  const rounds = [...view.rounds];
  const latest = rounds[rounds.length - 1] ?? '';
  const first = rounds[0] ?? '';
  const organisations = view.organisations;
  const notes: string[] = [];
  const { ordered } = indexFramework(fw);
  const tallies = view.tallies;
  const report = view;

  // Summary
  const summaryRounds = rounds.map((round) => {
    const c = report.cohort[round]!;
    return { round, n: c.n, overall: statsFigures(t, c.overall, d2) };
  });
  const summaryChanges = report.change.map((c) => ({
    from: c.from,
    to: c.to,
    n: c.n,
    overall: changeFigures(t, c.overall, d2),
  }));
  const orgs = (n: number) => t.count('organisations', n);
  const summary: string[] = [
    t.plural('summary.lead', organisations, {
      organisations: orgs(organisations),
      framework: info.title,
      questions: t.count('questions', info.questions),
      domains: t.count('domains', info.domains.length),
      scale: info.scale,
    }),
  ];
  for (const r of summaryRounds) {
    if (r.overall.mean.withheld) summary.push(t.plural('summary.roundWithheld', r.n, { round: r.round, n: orgs(r.n) }));
    else if (r.overall.mean.value !== null)
      summary.push(
        t.t('summary.round', {
          round: r.round,
          mean: r.overall.mean.text,
          median: r.overall.median.text,
          min: r.overall.min.text,
          max: r.overall.max.text,
          n: orgs(r.overall.n),
        }),
      );
  }
  for (const c of summaryChanges) {
    if (c.overall.mean.withheld)
      summary.push(t.plural('summary.changeWithheld', c.overall.n, { from: c.from, to: c.to, n: orgs(c.overall.n) }));
    else if (c.overall.mean.value !== null)
      summary.push(
        t.t('summary.change', {
          from: c.from,
          to: c.to,
          n: orgs(c.overall.n),
          mean: c.overall.mean.text,
          improved: c.overall.improved ?? 0,
          declined: c.overall.declined ?? 0,
          unchanged: c.overall.unchanged ?? 0,
        }),
      );
  }

  // Findings by domain
  const domainFindings = fw.domains.map((d, i) => ({
    id: d.id,
    title: info.domains[i]!.title,
    rounds: rounds.map((round) => {
      const s = report.cohort[round]!.domains[d.id]!;
      return { round, stats: statsFigures(t, s, d2) };
    }),
  }));
  const ranked = domainFindings
    .map((d) => ({
      id: d.id,
      title: d.title,
      mean: d.rounds[d.rounds.length - 1]?.stats.mean ?? figure(t, 'score', null, d2),
    }))
    .filter((d) => d.mean.value !== null)
    .sort((a, b) => b.mean.value! - a.mean.value!);
  const few = Math.min(3, Math.floor(ranked.length / 2));
  const strongest = ranked.slice(0, few);
  const weakest = ranked.slice(ranked.length - few).reverse();
  const findingsText: string[] = [t.t('findings.intro')];
  if (few > 0) {
    const name = (d: { title: string; mean: Figure }) => `${d.title} (${d.mean.text})`;
    findingsText.push(
      t.t('findings.extremes', { round: latest, strong: t.list(strongest.map(name)), weak: t.list(weakest.map(name)) }),
    );
    summary.push(
      t.t('summary.extremes', {
        round: latest,
        strong: strongest[0]!.title,
        strongMean: strongest[0]!.mean.text,
        weak: weakest[0]!.title,
        weakMean: weakest[0]!.mean.text,
      }),
    );
  }

  // The most common gaps at the latest round
  const gapCandidates = ordered
    .map((q, p) => ({ q, p, tally: tallies.get(q.question.id)!.get(latest) }))
    .filter((x) => x.tally !== undefined && (x.tally.low ?? 0) > 0)
    .sort(
      (a, b) =>
        b.tally!.low! - a.tally!.low! ||
        Number(b.q.question.cap !== undefined) - Number(a.q.question.cap !== undefined) ||
        a.p - b.p,
    );
  const commonGapIds = gapCandidates.map((x) => x.q.question.id);
  const gaps: GapFinding[] = gapCandidates.slice(0, COMMON_GAPS).map(({ q }) => {
    const perR = rounds.map((round) => {
      const x = tallies.get(q.question.id)!.get(round) ?? { answered: 0, low: null, unknown: null };
      return { round, count: x.low, of: x.answered, unknown: x.unknown };
    });
    const last = perR[perR.length - 1]!;
    return {
      question: q.question.id,
      text: textFor(q.question.text, locale),
      domain: q.domain.id,
      domainTitle: textFor(q.domain.title, locale),
      critical: q.question.cap !== undefined,
      rounds: perR,
      latestText:
        last.count === null ? t.t('label.withheld') : t.t('findings.gapCount', { count: last.count, of: last.of }),
    };
  });
  const top = gaps.find((g) => g.rounds[g.rounds.length - 1]!.count !== null);
  if (top) {
    const last = top.rounds[top.rounds.length - 1]!;
    summary.push(
      t.plural('summary.topGap', last.of, { round: latest, count: last.count!, of: last.of, question: top.text }),
    );
  }

  // Change
  const changeSections: ChangeSection[] = report.change.map((c, ci) => {
    const domainChange = (id: string | null, title: string): DomainChange => {
      const before = id === null ? report.cohort[c.from]!.overall : report.cohort[c.from]!.domains[id]!;
      const after = id === null ? report.cohort[c.to]!.overall : report.cohort[c.to]!.domains[id]!;
      const ch = id === null ? c.overall : c.domains[id]!;
      return {
        id: id ?? 'overall',
        title,
        before: before.withheld.mean ? withheld(t, 'score', d2) : figure(t, 'score', before.mean, d2),
        after: after.withheld.mean ? withheld(t, 'score', d2) : figure(t, 'score', after.mean, d2),
        change: changeFigures(t, ch, d2),
      };
    };
    const overall = domainChange(null, t.t('label.overall'));
    const left = provisional?.[ci] ?? null;
    const words = changeWords(t, overall.change, { decimals: d2, provisional: left });
    return {
      from: c.from,
      to: c.to,
      n: c.n,
      overall,
      domains: fw.domains.map((d, i) => domainChange(d.id, info.domains[i]!.title)),
      provisional: left,
      paragraphs: words.paragraphs,
      limits: words.limits,
    };
  });
  const changeText =
    changeSections.length === 0
      ? [t.t('change.single')]
      : changeSections.map((c) => t.t('change.intro', { from: c.from, to: c.to, n: orgs(c.n) }));

  // Training
  const lastChange = report.change[report.change.length - 1];
  const training = trainingSection(t, options.trainings ?? [], {
    audience,
    k,
    size: view.organisations,
    names: observers ? [] : view.names,
    results: observers ? [] : view.results,
    change: lastChange ? { from: lastChange.from, to: lastChange.to } : null,
    domains: info.domains,
  });

  // Recommendations
  const drafts = draftRecommendations({
    fw,
    t,
    view,
    rounds,
    tallies,
    commonGaps: commonGapIds,
    minOrganisations: observers ? k : 1,
  });
  const review = reviewRecommendations(drafts, options.recommendationEdits ?? [], locale);
  const items = review.items;
  if (items.length > 0) summary.push(t.plural('summary.recommendations', items.length, { n: items.length }));

  // Annex
  const annexRows: AnnexRow[] = [];
  if (!observers) {
    const byOrg = new Map<string, Map<string, (typeof report.results)[number]>>();
    for (const r of report.results) {
      let m = byOrg.get(r.organisation);
      if (!m) byOrg.set(r.organisation, (m = new Map()));
      m.set(r.round, r);
    }
    view.names.forEach((name, i) => {
      const mine = byOrg.get(name) ?? new Map();
      const withResult = rounds.filter((r) => mine.get(r)?.overall != null);
      const a = withResult[0] ? mine.get(withResult[0])!.overall : null;
      const b = withResult.length > 1 ? mine.get(withResult[withResult.length - 1]!)!.overall : null;
      const latestResult = mine.get(latest);
      annexRows.push({
        pseudonym: pseudonym(i, t.t('label.pseudonym')),
        rounds: rounds.map((round) => {
          const r = mine.get(round);
          if (!r) return null;
          return {
            overall: figure(t, 'score', r.overall, DECIMALS.organisation),
            level: levelLabel(fw, r.overall, locale),
            completeness: figure(t, 'share', r.completeness, 0),
          };
        }),
        change: figure(t, 'change', a !== null && b !== null ? b - a : null, DECIMALS.organisation),
        domains: fw.domains.map((d) =>
          figure(t, 'score', latestResult ? (latestResult.domains[d.id] ?? null) : null, DECIMALS.organisation),
        ),
      });
    });
  } else {
    notes.push(t.t('report.observersNote', { k }));
  }

  const title = options.title ?? t.t('report.defaultTitle');
  const generatedAt = options.generatedAt ?? null;
  const date = generatedAt ? t.date(generatedAt) : null;
  const levelsText = info.levels.map(
    (l) => `${l.label} (${t.number(l.min, 0)}–${l.max === null ? t.number(info.scale, 0) : t.number(l.max, 0)})`,
  );
  const critical = fw.domains.flatMap((d) =>
    d.questions
      .filter((q) => q.cap !== undefined)
      .map((q) => {
        const key = `control.${q.id}.name`;
        return {
          question: q.id,
          text: textFor(q.text, locale),
          name: t.has(key) ? t.t(key) : textFor(q.text, locale),
          domain: d.id,
          cap: q.cap!,
        };
      }),
  );
  const methodology = [
    t.t('method.framework', {
      framework: info.title,
      version: info.version,
      questions: t.count('questions', info.questions),
      domains: t.count('domains', info.domains.length),
    }),
    t.t('method.domain', { scale: info.scale }),
    t.t('method.cohort'),
    t.t('method.gaps'),
    t.t('method.rounds', {
      rounds: t.list(rounds.map((r) => `${r} (${orgs(report.cohort[r]!.n)})`)),
    }),
    ...(levelsText.length > 0 ? [t.t('method.levels', { levels: t.list(levelsText) })] : []),
    t.t('method.recommendations'),
    review.edited + review.dropped + review.added === 0
      ? t.t('method.recUnchanged')
      : t.t('method.recReviewed', {
          edited: t.number(review.edited, 0),
          dropped: t.number(review.dropped, 0),
          added: t.number(review.added, 0),
        }),
    ...(observers ? [t.t('method.observers', { k })] : []),
    ...(observers && options.publishedVersions && options.publishedVersions.length > 0
      ? [
          t.t('method.published', {
            versions: t.list(
              options.publishedVersions.map((p) =>
                t.t('method.publishedItem', {
                  round: p.round,
                  version: t.number(p.version, 0),
                  date: t.date(p.publishedAt),
                }),
              ),
            ),
          }),
        ]
      : []),
  ];

  return {
    kind: 'programme',
    focus: options.threats && options.focus === 'threats' ? 'threats' : null,
    locale,
    audience,
    minCell: k,
    title,
    generatedAt,
    framework: info,
    rounds,
    organisations,
    cover: {
      title,
      subtitle: t.t('report.programme'),
      facts: [
        { label: t.t('cover.framework'), value: `${info.title} (${info.id} ${info.version})` },
        { label: t.t('cover.rounds'), value: t.list(rounds) },
        { label: t.t('cover.organisations'), value: t.int(organisations) },
        { label: t.t('cover.scale'), value: t.t('cover.scaleValue', { scale: info.scale }) },
        ...(date ? [{ label: t.t('cover.date'), value: date }] : []),
      ],
      note: observers ? t.t('report.observersEdition') : t.t('report.programmeNote'),
      date,
    },
    summary: { title: t.t('section.summary'), paragraphs: summary, rounds: summaryRounds, changes: summaryChanges },
    methodology: {
      title: t.t('section.methodology'),
      paragraphs: methodology,
      rounds: rounds.map((round) => ({ round, n: report.cohort[round]!.n })),
      critical,
    },
    findings: {
      title: t.t('section.findings'),
      paragraphs: findingsText,
      round: latest,
      domains: domainFindings,
      strongest,
      weakest,
      gapsTitle: t.t('section.gaps'),
      gapsIntro: gaps.length > 0 ? t.t('findings.gapsIntro', { round: latest, first }) : t.t('findings.noGaps'),
      gaps,
    },
    change: { title: t.t('section.change'), paragraphs: changeText, sections: changeSections },
    training,
    recommendations: {
      title: t.t('section.recommendations'),
      intro: items.length > 0 ? t.t('rec.intro') : t.t('rec.none'),
      items,
      rulesTitle: t.t('section.rules'),
      rules: ruleDocs(t),
    },
    annex: {
      title: t.t('section.annex'),
      paragraphs: observers ? [t.t('annex.observers')] : [t.t('annex.intro')],
      rows: annexRows,
      domainsIntro: t.t('annex.domainsIntro', { round: latest }),
    },
    notes,
    // Plans are live data: only the team's edition, built from the answer set, shows them.
    plans: null,
    technicalFindings: programmeFindingsSection(t, options.findings),
    threats: threatsSection(t, options.threats),
  };
}
