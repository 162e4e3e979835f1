/**
 * Builds the policy paper of one wave of an openness index (docs/contracts.md, §11) from an
 * institution framework and the answers of its waves (rounds). Pure: the same inputs give the
 * same paper. The scores are the engine's (§4): with each indicator's weight its maximum points
 * and each option's score points / maximum, a principle (domain) scores 100 × points earned /
 * points possible over the indicators answered and applicable, and the overall score is the
 * weighted mean of the principle scores. Figures show one decimal, rounded half up; the ranking
 * uses the unrounded values (ranking.ts).
 */
import type { AnswerSet } from '../answers/collect.js';
import { discloseChange } from '../disclosure/disclose.js';
import type { Framework, IndicatorSource, Question } from '../framework/types.js';
import { changeFigures, figure, frameworkInfo, statsFigures } from '../report/figures.js';
import { reviewRecommendations, type ReviewedRecommendation } from '../report/recommendation-edits.js';
import type { ChangeFigures, StatsFigures } from '../report/report-model.js';
import { reportText, type ReportText } from '../report/report-text.js';
import { DECIMALS } from '../scoring/round.js';
import { NOT_APPLICABLE, NO_ANSWER, scoreChoices, type AssessmentScore } from '../scoring/score.js';
import { change, stats } from '../scoring/stats.js';
import { textFor } from '../text.js';
import type {
  InstitutionInfo,
  InstitutionSection,
  MissedIndicator,
  OpennessPaper,
  OpennessPaperOptions,
  PrincipleFindings,
  RankingRow,
} from './model.js';
import { rankByScore } from './ranking.js';
import {
  draftOpennessRecommendations,
  missedTally,
  mostMiss,
  opennessRuleDocs,
  whatEarns,
  type InstitutionResult,
} from './rules.js';

const D = DECIMALS.organisation;

interface Measured extends InstitutionResult {
  info: InstitutionInfo;
  score: AssessmentScore;
  /** Principle id → points earned and possible. */
  points: Record<string, { earned: number; possible: number }>;
  notApplicable: number;
  answered: number;
}

function measure(
  fw: Framework,
  name: string,
  choices: Int16Array | undefined,
): Omit<Measured, 'info' | 'before'> | null {
  if (!choices) return null;
  const score = scoreChoices(fw, choices);
  const indicators = new Map<string, number>();
  const points: Measured['points'] = {};
  let p = 0;
  let notApplicable = 0;
  let answered = 0;
  for (const d of fw.domains) {
    let earned = 0;
    let possible = 0;
    for (const q of d.questions) {
      const c = choices[p++]!;
      if (c === NOT_APPLICABLE) notApplicable++;
      if (c === NO_ANSWER || c === NOT_APPLICABLE) continue;
      answered++;
      const s = q.options[c]!.score;
      indicators.set(q.id, s);
      earned += q.weight * s;
      possible += q.weight;
    }
    points[d.id] = { earned, possible };
  }
  return {
    name,
    score,
    indicators,
    points,
    overall: score.overall,
    principles: score.domains,
    notApplicable,
    answered,
  };
}

export function sourceText(t: ReportText, source: IndicatorSource | undefined): string {
  return t.t(source ? `oi.source.${source}` : 'oi.source.none');
}

/** Points as a person reads them: whole where they are whole, one decimal otherwise. */
function pointsText(t: ReportText, x: number): string {
  return Number.isInteger(x) ? t.number(x, 0) : t.number(x, D);
}

export function buildOpennessPaper(fw: Framework, set: AnswerSet, options: OpennessPaperOptions = {}): OpennessPaper {
  const locale = options.locale ?? 'en';
  const t = reportText(locale);
  const info = frameworkInfo(fw, locale);
  const waveIndex = options.wave !== undefined ? set.rounds.indexOf(options.wave) : set.rounds.length - 1;
  if (waveIndex < 0) throw new Error(`wave "${options.wave}" is not in the answers`);
  const wave = set.rounds[waveIndex] ?? '';
  const previous = waveIndex > 0 ? set.rounds[waveIndex - 1]! : null;
  const meta = new Map((options.institutions ?? []).map((i) => [i.name, i]));
  const questions = fw.domains.flatMap((d) => d.questions.map((q) => ({ q, d })));
  const byId = new Map(questions.map((x) => [x.q.id, x]));
  const evidence = new Map(
    (options.evidence ?? [])
      .filter((e) => e.round === wave)
      .map((e) => [`${e.institution}\u0000${e.question}`, e] as const),
  );

  // Institutions measured in the wave, in the answers' order.
  const results: Measured[] = [];
  for (const name of set.organisations) {
    const rounds = set.assessments.get(name);
    const now = measure(fw, name, rounds?.get(wave));
    if (!now) continue;
    const then = previous !== null ? measure(fw, name, rounds?.get(previous)) : null;
    results.push({
      ...now,
      info: meta.get(name) ?? { name },
      before: then ? { overall: then.overall, principles: then.principles } : null,
    });
  }
  const n = results.length;
  const institutions = (k: number) => t.plural('oi.count.institutions', k, { n: k });

  // Recommendations, drafted and reviewed
  const drafts = draftOpennessRecommendations({ fw, t, wave, previous, results });
  const review = reviewRecommendations(drafts, options.recommendationEdits ?? [], locale);
  const reviewed = new Map(review.items.map((r) => [r.id, r]));

  // Ranking
  const ranked = rankByScore(results, (r) => r.overall);
  const overallChange = (r: Measured) =>
    r.before && r.before.overall !== null && r.overall !== null ? r.overall - r.before.overall : null;
  const rows: RankingRow[] = ranked.map(({ item: r, rank, tied }) => ({
    institution: r.name,
    type: r.info.type ?? null,
    level: r.info.level ?? null,
    country: r.info.country ?? null,
    rank,
    rankText: rank === null ? t.t('oi.label.unranked') : tied ? `${t.int(rank)} =` : t.int(rank),
    overall: figure(t, 'score', r.overall, D),
    change: figure(t, 'change', overallChange(r), D),
    principles: fw.domains.map((d) => figure(t, 'score', r.principles[d.id], D)),
  }));
  const scoredCount = ranked.filter((x) => x.rank !== null).length;

  // Findings per principle
  const principleChange = (id: string | null): ChangeFigures | null => {
    if (previous === null) return null;
    const pairs: [number, number][] = [];
    for (const r of results) {
      const a = id === null ? r.before?.overall : r.before?.principles[id];
      const b = id === null ? r.overall : r.principles[id];
      if (a !== null && a !== undefined && b !== null && b !== undefined) pairs.push([a, b]);
    }
    return changeFigures(t, discloseChange(change(pairs), 'programme'), D);
  };
  const spread = (values: (number | null | undefined)[]): StatsFigures =>
    statsFigures(t, { ...stats(values.filter((v): v is number => v !== null && v !== undefined)), withheld: {} }, D);
  const changeSentence = (c: ChangeFigures | null, none: string): string | null => {
    if (c === null || previous === null) return null;
    if (c.n === 0) return t.t(none as 'oi.principle.changeNone', { previous, wave });
    const base = {
      previous,
      n: institutions(c.n),
      mean: c.mean.text,
      improved: c.improved ?? 0,
      declined: c.declined ?? 0,
      unchanged: c.unchanged ?? 0,
    };
    if (c.ci95 && c.wilcoxon)
      return t.t('oi.principle.change', {
        ...base,
        low: c.ci95[0].text,
        high: c.ci95[1].text,
        p: t.number(c.wilcoxon.p, 3),
      });
    return t.t('oi.principle.changeShort', base);
  };
  const principles: PrincipleFindings[] = fw.domains.map((d, i) => {
    const s = spread(results.map((r) => r.principles[d.id]));
    const missed: MissedIndicator[] = d.questions
      .map((q, qi) => ({ q, qi, tally: missedTally(results, q.id) }))
      .filter((x) => mostMiss(x.tally))
      .sort((a, b) => b.tally.count / b.tally.of - a.tally.count / a.tally.of || a.qi - b.qi)
      .map(({ q, tally }) => ({
        question: q.id,
        text: textFor(q.text, locale),
        source: q.source ?? null,
        count: tally.count,
        of: tally.of,
        countText: t.t('oi.principle.missedCount', { count: tally.count, of: tally.of }),
      }));
    const c = principleChange(d.id);
    const paragraphs: string[] = [];
    if (s.n > 0)
      paragraphs.push(
        t.t('oi.principle.spread', {
          wave,
          n: institutions(s.n),
          mean: s.mean.text,
          median: s.median.text,
          min: s.min.text,
          max: s.max.text,
        }),
      );
    const cs = changeSentence(c, 'oi.principle.changeNone');
    if (cs) paragraphs.push(cs);
    // Last: the table of the indicators most institutions miss follows it.
    paragraphs.push(
      missed.length > 0
        ? t.plural('oi.principle.missed', missed.length, { n: missed.length })
        : t.t('oi.principle.noneMissed'),
    );
    return { id: d.id, title: info.domains[i]!.title, stats: s, paragraphs, missed, change: c };
  });

  // Per institution
  const rankOf = new Map(rows.map((r) => [r.institution, r]));
  const items: InstitutionSection[] = results.map((r) => {
    const row = rankOf.get(r.name)!;
    const facts = [r.info.type, r.info.level, r.info.country].filter((x): x is string => !!x).join(' · ');
    const paragraphs: string[] = [
      row.rank === null
        ? t.t('oi.inst.leadUnranked')
        : t.t('oi.inst.lead', { score: row.overall.text, rank: row.rankText, of: scoredCount }),
    ];
    if (previous !== null)
      paragraphs.push(
        r.before === null || row.change.value === null
          ? t.t('oi.inst.new', { previous })
          : t.t('oi.inst.change', { previous, change: row.change.text, before: t.number(r.before.overall, D) }),
      );
    const zero = questions
      .filter(({ q }) => r.indicators.get(q.id) === 0)
      .map(({ q, d }) => {
        const e = evidence.get(`${r.name}\u0000${q.id}`);
        return {
          question: q.id,
          text: textFor(q.text, locale),
          principle: textFor(d.title, locale),
          source: q.source ?? null,
          sourceText: sourceText(t, q.source),
          evidence: e ? { url: e.url, checked: e.checked ?? null } : null,
          guidance: whatEarns(t, q),
          recommendation: reviewed.get(`indicator-missing:${r.name}:${q.id}`) ?? null,
        };
      });
    paragraphs.push(
      zero.length > 0 ? t.plural('oi.inst.zero', zero.length, { n: zero.length }) : t.t('oi.inst.zeroNone'),
    );
    return {
      name: r.name,
      facts,
      paragraphs,
      principles: fw.domains.map((d, i) => {
        const p = r.points[d.id]!;
        const score = r.principles[d.id];
        const before = r.before?.principles[d.id];
        return {
          id: d.id,
          title: info.domains[i]!.title,
          score: figure(t, 'score', score, D),
          before: figure(t, 'score', before, D),
          change: figure(
            t,
            'change',
            score !== null && score !== undefined && before !== null && before !== undefined ? score - before : null,
            D,
          ),
          earned: p.earned,
          possible: p.possible,
          pointsText: p.possible > 0 ? `${pointsText(t, p.earned)} / ${pointsText(t, p.possible)}` : '–',
        };
      }),
      zero,
      recommendations: review.items.filter((x) => x.subject.institution === r.name && x.rule !== 'indicator-missing'),
    };
  });

  // Regional comparison
  const countries = [...new Set(results.map((r) => r.info.country).filter((c): c is string => !!c))];
  const regional =
    countries.length > 1
      ? {
          title: t.t('oi.section.regional'),
          intro: t.t('oi.regional.intro', { countries: t.list(countries), wave }),
          rows: countries.map((country) => {
            const mine = results.filter((r) => r.info.country === country);
            return {
              country,
              institutions: mine.length,
              overall: spread(mine.map((r) => r.overall)),
              principles: fw.domains.map((d) => spread(mine.map((r) => r.principles[d.id])).mean),
            };
          }),
        }
      : null;

  // Summary
  const overall = spread(results.map((r) => r.overall));
  const summary: string[] = [
    t.plural('oi.summary.lead', n, {
      institutions: institutions(n),
      wave,
      indicators: t.plural('oi.count.indicators', info.questions, { n: info.questions }),
      principles: t.plural('oi.count.principles', info.domains.length, { n: info.domains.length }),
      framework: info.title,
    }),
  ];
  const top = rows.filter((r) => r.rank === 1);
  const lastRank = rows.filter((r) => r.rank !== null).at(-1)?.rank ?? null;
  const bottom = rows.filter((r) => r.rank !== null && r.rank === lastRank);
  if (top.length > 0 && scoredCount > 1)
    summary.push(
      t.t('oi.summary.top', {
        top: t.list(top.map((r) => r.institution)),
        score: top[0]!.overall.text,
        bottom: t.list(bottom.map((r) => r.institution)),
        lowScore: bottom[0]!.overall.text,
        mean: overall.mean.text,
        median: overall.median.text,
      }),
    );
  if (scoredCount < n) summary.push(t.plural('oi.summary.unranked', n - scoredCount, { n: n - scoredCount }));
  const oc = principleChange(null);
  if (oc && oc.n > 0 && previous !== null)
    summary.push(
      t.t('oi.summary.change', {
        n: institutions(oc.n),
        previous,
        wave,
        mean: oc.mean.text,
        improved: oc.improved ?? 0,
        declined: oc.declined ?? 0,
        unchanged: oc.unchanged ?? 0,
      }),
    );
  const weakest = principles
    .filter((p) => p.stats.mean.value !== null)
    .sort((a, b) => a.stats.mean.value! - b.stats.mean.value!)[0];
  if (weakest && principles.length > 1)
    summary.push(t.t('oi.summary.weakest', { principle: weakest.title, mean: weakest.stats.mean.text }));
  const government = review.items.filter((x) => x.subject.institution === undefined);
  if (review.items.length > 0)
    summary.push(
      t.plural('oi.summary.recommendations', review.items.length, {
        n: review.items.length,
        government: government.length,
      }),
    );

  // Methodology
  const weights = questions.map(({ q }) => q.weight);
  const minW = Math.min(...weights);
  const maxW = Math.max(...weights);
  let answers = 0;
  let notApplicable = 0;
  for (const r of results) {
    answers += r.answered;
    notApplicable += r.notApplicable;
  }
  const waveEvidence = [...evidence.values()].filter((e) => {
    const x = byId.get(e.question);
    return x !== undefined && results.some((r) => r.name === e.institution);
  });
  const dates = waveEvidence
    .map((e) => e.checked)
    .filter((x): x is string => !!x)
    .sort();
  const methodology: string[] = [
    t.t('oi.method.framework', {
      framework: info.title,
      version: info.version,
      indicators: t.plural('oi.count.indicators', info.questions, { n: info.questions }),
      principles: t.plural('oi.count.principles', info.domains.length, { n: info.domains.length }),
    }),
    t.t('oi.method.sources'),
    t.t(minW === maxW ? 'oi.method.pointsSame' : 'oi.method.points', {
      min: pointsText(t, minW),
      max: pointsText(t, maxW),
      scale: t.number(fw.scale, 0),
    }),
    t.t('oi.method.overall', {
      weights: t.list(fw.domains.map((d, i) => `${info.domains[i]!.title} ${pointsText(t, d.weight)}`)),
    }),
    t.t('oi.method.percentages'),
    t.t('oi.method.reduced', { n: t.int(notApplicable) }),
    previous === null ? t.t('oi.method.waves', { wave }) : t.t('oi.method.wavesCompared', { wave, previous }),
    options.evidence === undefined
      ? t.t('oi.method.evidenceNone')
      : t.t(
          dates.length === 0
            ? 'oi.method.evidenceUndated'
            : dates[0] === dates[dates.length - 1]
              ? 'oi.method.evidenceOneDay'
              : 'oi.method.evidence',
          {
            answers: t.int(answers),
            withUrl: t.int(waveEvidence.length),
            from: dates.length > 0 ? t.date(dates[0]!) : '',
            to: dates.length > 0 ? t.date(dates[dates.length - 1]!) : '',
          },
        ),
    t.t('oi.method.recommendations'),
    review.edited + review.dropped + review.added === 0
      ? t.t('method.recUnchanged')
      : t.t('method.recReviewed', {
          edited: t.number(review.edited, 0),
          dropped: t.number(review.dropped, 0),
          added: t.number(review.added, 0),
        }),
  ];
  const limits = [
    t.t('oi.limit.snapshot'),
    t.t('oi.limit.ownAccount'),
    ...(previous !== null ? [t.t('oi.limit.change')] : []),
  ];

  const title = options.title ?? t.t('oi.defaultTitle');
  const generatedAt = options.generatedAt ?? null;
  const source = (q: Question) => sourceText(t, q.source);
  return {
    kind: 'openness',
    locale,
    title,
    generatedAt,
    framework: info,
    wave,
    previous,
    institutions: n,
    cover: {
      title,
      subtitle: t.t('oi.report'),
      facts: [
        { label: t.t('cover.framework'), value: `${info.title} (${info.id} ${info.version})` },
        { label: t.t('oi.cover.wave'), value: wave },
        ...(previous !== null ? [{ label: t.t('oi.cover.previous'), value: previous }] : []),
        { label: t.t('oi.cover.institutions'), value: t.int(n) },
        { label: t.t('oi.cover.indicators'), value: t.int(info.questions) },
        ...(generatedAt ? [{ label: t.t('cover.date'), value: t.date(generatedAt) }] : []),
      ],
      note: t.t('oi.publicNote'),
      date: generatedAt ? t.date(generatedAt) : null,
    },
    summary: { title: t.t('section.summary'), paragraphs: summary },
    methodology: {
      title: t.t('section.methodology'),
      paragraphs: methodology,
      principles: fw.domains.map((d, i) => {
        const bySource = { 'desk-research': 0, questionnaire: 0, interview: 0, none: 0 };
        for (const q of d.questions) bySource[q.source ?? 'none']++;
        return {
          id: d.id,
          title: info.domains[i]!.title,
          indicators: d.questions.length,
          bySource,
          points: d.questions.reduce((a, q) => a + q.weight, 0),
          weight: d.weight,
        };
      }),
      limitsTitle: t.t('oi.section.limits'),
      limits,
    },
    ranking: {
      title: t.t('oi.section.ranking'),
      intro: previous === null ? t.t('oi.ranking.introSingle', { wave }) : t.t('oi.ranking.intro', { wave, previous }),
      rows,
    },
    principles: { title: t.t('oi.section.principles'), items: principles },
    institutionsSection: { title: t.t('oi.section.institutions'), intro: t.t('oi.inst.intro'), items },
    regional,
    recommendations: {
      title: t.t('oi.section.recommendations'),
      intro: government.length > 0 ? t.t('oi.recommendations.intro') : t.t('oi.recommendations.none'),
      items: government,
      all: review.items as ReviewedRecommendation[],
      rulesTitle: t.t('section.rules'),
      rules: opennessRuleDocs(t, fw),
      stale: review.stale,
    },
    annex: {
      title: t.t('oi.section.annex'),
      intro: t.t('oi.annex.intro'),
      rows: questions.map(({ q, d }) => ({
        question: q.id,
        principle: textFor(d.title, locale),
        text: textFor(q.text, locale),
        source: q.source ?? null,
        sourceText: source(q),
        points: figure(t, 'score', q.weight, Number.isInteger(q.weight) ? 0 : D),
      })),
    },
  };
}
