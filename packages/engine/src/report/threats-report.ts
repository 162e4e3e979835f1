import type { Landscape, LandscapeRow } from '../incidents/landscape.js';
import type { ReportText } from './report-text.js';

/**
 * The threat landscape as a report is given it (the server opens the incidents and counts them
 * with `threatLandscape`): the counts, with the taxonomy's and the framework's names in the
 * report's language. Null counts are withheld.
 */
export interface ThreatsInput {
  landscape: Landscape;
  /** Names of the taxonomy's ids and of the framework's domains. */
  names: Readonly<Record<string, string>>;
  /** The survey's words in the report's language, when the landscape holds its answers. */
  survey?: {
    title: string;
    questions: Readonly<
      Record<string, { text: string; unit: string | null; options: Readonly<Record<string, string>> }>
    >;
  };
}

/** One survey question as the report shows it. */
export interface ThreatsSurveyQuestion {
  text: string;
  /** "10 organisations answered", or that too few did for this edition. */
  answered: string;
  /** Single and multiple choice: each option with its count and share of those who answered. */
  rows: { label: string; count: string; share: string }[];
  /** Numbers: "Median 8, from 3 to 20 (people)". */
  summary: string | null;
  /** Short texts, sorted, never with the organisation that wrote them (the team's edition only). */
  texts: string[];
}

export interface ThreatsSection {
  title: string;
  intro: string;
  /** "From … to …: n incidents at a of b organisations." */
  summary: string;
  /** One table per breakdown: its heading and its rows (label, incidents, organisations, share). */
  groups: {
    label: string;
    share: boolean;
    rows: { label: string; incidents: string; organisations: string; share: string }[];
  }[];
  baselineIntro: string;
  baseline: { label: string; score: string; n: string }[];
  /** The threat survey's answers aggregated; null when the programme runs none or nobody answered. */
  survey: { title: string; intro: string; questions: ThreatsSurveyQuestion[] } | null;
}

/**
 * The programme report's threat landscape, the "baseline analysis of digital threats and
 * capacity needs": the period's incidents per category (with the share of organisations each
 * touched), per actor, targeted or opportunistic, confirmed, suspected or a near miss, and the
 * cohort's baseline capacity per domain beside them. Null when none was given.
 */
export function threatsSection(t: ReportText, input: ThreatsInput | undefined): ThreatsSection | null {
  if (input === undefined) return null;
  const l = input.landscape;
  const name = (id: string) => input.names[id] ?? id;
  const count = (n: number | null) => (n === null ? t.t('label.withheld') : t.int(n));
  const rows = (list: readonly LandscapeRow[]) =>
    list.map((r) => ({
      label: name(r.id),
      incidents: count(r.incidents),
      organisations: count(r.organisations),
      share: r.share === null ? t.t('label.withheld') : t.percent(r.share),
    }));
  return {
    title: t.t('section.threats'),
    intro: t.t('threats.intro'),
    summary:
      l.incidents === null
        ? t.t('threats.summaryWithheld', { from: t.date(l.period.from), to: t.date(l.period.to) })
        : t.plural('threats.summary', l.incidents, {
            n: t.int(l.incidents),
            from: t.date(l.period.from),
            to: t.date(l.period.to),
            affected: count(l.affected),
            organisations: t.int(l.organisations),
          }),
    groups: [
      { label: t.t('label.incidentCategory'), share: true, rows: rows(l.categories) },
      { label: t.t('label.incidentActor'), share: false, rows: rows(l.actors) },
      { label: t.t('label.incidentTargeting'), share: false, rows: rows(l.targeting) },
      { label: t.t('label.incidentCertainty'), share: false, rows: rows(l.certainty) },
    ],
    baselineIntro: l.baseline.length > 0 ? t.t('threats.baselineIntro') : t.t('threats.noBaseline'),
    baseline: l.baseline.map((d) => ({
      label: name(d.id),
      score: d.score === null ? t.t('label.withheld') : t.number(d.score, 2),
      n: t.int(d.n),
    })),
    survey: surveyPart(t, input),
  };
}

function surveyPart(t: ReportText, input: ThreatsInput): ThreatsSection['survey'] {
  const tally = input.landscape.survey;
  if (!tally || tally.organisations === 0) return null;
  const words = input.survey;
  const withheld = t.t('label.withheld');
  // Whole numbers as they are (3 people, not 3.0), the rest to one decimal.
  const num = (x: number) => (Number.isInteger(x) ? t.int(x) : t.number(x, 1));
  return {
    title: t.t('threats.surveyTitle', { title: words?.title ?? tally.framework.id }),
    intro: t.t(tally.audience === 'observers' ? 'threats.surveyIntroObservers' : 'threats.surveyIntro'),
    questions: tally.questions.map((q) => {
      const w = words?.questions[q.id];
      const number = q.number;
      return {
        text: w?.text ?? q.id,
        answered:
          q.respondents === null
            ? t.t('threats.surveyWithheld')
            : t.plural('threats.answered', q.respondents, { n: t.int(q.respondents) }),
        rows: q.options.map((o) => ({
          label: w?.options[o.id] ?? o.id,
          count: o.count === null ? withheld : t.int(o.count),
          share: o.share === null ? withheld : t.percent(o.share),
        })),
        summary:
          number === null
            ? null
            : t.t(w?.unit ? 'threats.numberSummaryUnit' : 'threats.numberSummary', {
                median: num(number.median),
                min: num(number.min),
                max: num(number.max),
                unit: w?.unit ?? '',
              }),
        texts: [...q.texts],
      };
    }),
  };
}
