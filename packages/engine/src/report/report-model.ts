/**
 * The report model: what a programme report and an organisation report say, as plain data —
 * sections, figures and sentences — built from a framework and an answer set by the same
 * scoring the command line and the server use. Renderers (PDF, DOCX, HTML) only lay it out.
 *
 * Every figure keeps its exact value beside the rounded value and the text a person reads
 * (half up; 2 decimals for cohort figures, 1 for an organisation). The model is plain data:
 * a caller may edit any sentence or recommendation before rendering it.
 */
import type {
  FindingInput,
  OrganisationFindingsSection,
  ProgrammeFindingsInput,
  ProgrammeFindingsSection,
} from './findings-report.js';
import type { ThreatsInput, ThreatsSection } from './threats-report.js';
import type { Audience } from '../disclosure/disclose.js';
import type { CompletedPlanItem } from '../scoring/organisation-change.js';
import type { Wilcoxon } from '../scoring/paired.js';
import type { Locale } from '../text.js';
import type { RecommendationEdit, ReviewedRecommendation } from './recommendation-edits.js';
import type { OrganisationPlanSection, PlansInput, ProgrammePlansSection } from './plans.js';
import type { RuleDoc } from './recommendations.js';
import type { OpennessPaper } from '../openness/model.js';

/**
 * What a figure measures, which fixes its range: a `score` is on [0, scale]; a `change` on
 * [−scale, scale] (a change in `knowledge` on [−100, 100], in a `rating` on [−4, 4]); a `share`
 * (completeness, proportion of answers) on [0, 1]; `knowledge` is a knowledge-check score on
 * [0, 100] (docs/contracts.md, §8); a `rating` a participant's 1–5 self-rating or reaction.
 */
export type FigureKind = 'score' | 'change' | 'share' | 'knowledge' | 'rating';

export interface Figure {
  kind: FigureKind;
  /** The exact value; null when there is none or it is withheld. */
  value: number | null;
  /** The value rounded half up to `decimals` (shares: to whole percent, as a fraction). */
  rounded: number | null;
  decimals: number;
  /** What a person reads: the rounded value formatted for the locale, or an en dash. */
  text: string;
  /** True when a value existed but was withheld (computed over fewer than k organisations). */
  withheld?: true;
}

export interface StatsFigures {
  n: number;
  mean: Figure;
  median: Figure;
  min: Figure;
  max: Figure;
  sd: Figure;
}

export interface ChangeFigures {
  n: number;
  mean: Figure;
  /** Counts; null when withheld. */
  improved: number | null;
  declined: number | null;
  unchanged: number | null;
  /** The 95% interval of the mean change; null for a single pair or where withheld (observers). */
  ci95: [Figure, Figure] | null;
  dz: number | null;
  wilcoxon: Wilcoxon | null;
  rankBiserial: number | null;
}

/**
 * A training session as a programme records it, for the programme report: counts and scores,
 * never a participant's name. `organisations` has one entry per participant who attended (the
 * organisation's name as in the answers), so repeats count people.
 */
export interface TrainingSession {
  id: string;
  /** The module's title in the report's language. */
  title: string;
  /** The module's id: sessions of one module are summed up together. */
  module: string;
  /** ISO date (YYYY-MM-DD) of the session. */
  date?: string;
  /** Ids of the framework domains the module serves. */
  domains?: string[];
  organisations: string[];
  /** Participants who attended. */
  participants: number;
  /** Participants registered. */
  registered?: number;
  /** Knowledge-check scores (0–100) of the participants who took both, with their organisation. */
  knowledge?: { pre: number; post: number; organisation: string }[];
  /** Confidence self-ratings (1–5) of the participants who gave both. */
  confidence?: { pre: number; post: number }[];
  /** The reaction survey: one per respondent, each rating 1–5. */
  reaction?: { usefulness: number; relevance: number }[];
  /** The follow-up check N days after (did you put it into practice?), when the programme ran one. */
  followUp?: {
    days: number;
    asked: number;
    responded: number;
    practices: { text: string; yes: number; partly: number; no: number }[];
  };
}

/** One session of an organisation's own people, for its own report: names (or pseudonyms) and scores. */
export interface OrganisationTraining {
  title: string;
  /** ISO date (YYYY-MM-DD). */
  date?: string;
  /** Knowledge-check scores on 0–100, null for a check not taken. */
  participants: { name: string; attended: boolean; pre: number | null; post: number | null }[];
}

/** A note written with an answer (the `note` column), for an organisation's own report. */
export interface AnswerNote {
  round: string;
  question: string;
  note: string;
  /**
   * Who wrote it: the organisation with its own answer, or the assessor with the validated
   * one. Both are kept, each once; left out when not known (a notes column in a file).
   */
  by?: 'organisation' | 'assessor';
}

/** A file attached to an organisation's assessment as evidence, for its own report. */
export interface EvidenceItem {
  round: string;
  /** The file's name as it was uploaded. */
  name: string;
  /** The question it supports, or the domain, or neither (the assessment as a whole). */
  question: string | null;
  domain: string | null;
  /** When it was attached (ISO date-time). */
  at: string;
}

export interface ReportOptions {
  /** The report's title; a default for the kind of report otherwise. */
  title?: string;
  locale?: Locale;
  audience?: Audience;
  /** When the report was generated (ISO date-time). Left out of the report when not given. */
  generatedAt?: string;
  trainings?: TrainingSession[];
  /**
   * The organisation's own trainings, with its people's names: read by the organisation's report
   * (`OrganisationReportOptions`), never by the programme report, which names nobody.
   */
  organisationTrainings?: OrganisationTraining[];
  /** The smallest number of organisations (or participants) a figure for observers may be computed over. */
  minCell?: number;
  /** The programme team's review of the drafted recommendations (recommendation-edits.ts). */
  recommendationEdits?: readonly RecommendationEdit[];
  /** The observers' edition in the app: the published version behind each round (ISO date). */
  publishedVersions?: readonly { round: string; version: number; publishedAt: string }[];
  /**
   * The organisations' plans (named as the answer set names them), for the team's edition; the
   * observers' edition never shows them (they are live data, never published).
   */
  plans?: PlansInput;
  /**
   * The cohort's approved technical findings, counted by the server: every count for the team's
   * edition; for the observers', any count over fewer than k organisations withheld (null).
   */
  findings?: ProgrammeFindingsInput;
  /**
   * The programme's threat landscape (issue 17), counted by the server from the opened incident
   * logs: the team's edition only until the landscape is published (the observers' has none).
   */
  threats?: ThreatsInput;
  /** `threats`: the report is the threat landscape alone (its cover and that section). */
  focus?: 'threats';
  /**
   * Which assessments are final (in the app: validated). Given, the change between rounds rests
   * on the organisations final in both, and the others are left out and counted as provisional.
   */
  final?: (organisation: string, round: string) => boolean;
}

/** An account of what changed in a domain between two rounds, and why: the assessor's or the organisation's own. */
export interface DomainAccount {
  domain: string;
  by: 'assessor' | 'organisation';
  text: string;
}

/** What the reports say beside an organisation's change between two rounds, besides the numbers. */
export interface ChangeContext {
  from: string;
  to: string;
  /** Plan items completed between the two rounds (the plans module's `CompletedPlanItem`s). */
  planItems?: readonly CompletedPlanItem[];
  /** The qualitative reassessment: per domain, what changed and why. */
  accounts?: readonly DomainAccount[];
}

export interface OrganisationReportOptions {
  title?: string;
  locale?: Locale;
  generatedAt?: string;
  /** The organisation's notes; others' are ignored. */
  notes?: AnswerNote[];
  /** The files attached to the organisation's assessments. */
  evidence?: EvidenceItem[];
  /** The organisation's plan (its items; others' are ignored) and the catalogue it draws on. */
  plan?: PlansInput;
  minCell?: number;
  /** Beside each change between two rounds: plan items completed, the accounts of what changed. */
  changeContext?: readonly ChangeContext[];
  /** The trainings its people took part in; the report has a Trainings section when there is one. */
  organisationTrainings?: OrganisationTraining[];
  /** Its approved technical findings (docs/contracts.md, §14); the report has a Findings section when given. */
  findings?: readonly FindingInput[];
}

export interface FrameworkInfo {
  id: string;
  version: string;
  title: string;
  scale: number;
  domains: { id: string; title: string; questions: number; weight: number }[];
  levels: { label: string; min: number; max: number | null }[];
  questions: number;
}

export interface Cover {
  title: string;
  subtitle: string;
  /** Label and value pairs under the title. */
  facts: { label: string; value: string }[];
  /** The confidentiality or audience line. */
  note: string;
  date: string | null;
}

export interface RoundSummary {
  round: string;
  n: number;
  overall: StatsFigures;
}

export interface RoundChangeSummary {
  from: string;
  to: string;
  n: number;
  overall: ChangeFigures;
}

export interface DomainFindings {
  id: string;
  title: string;
  /** Per round, in round order. */
  rounds: { round: string; stats: StatsFigures }[];
}

export interface GapFinding {
  question: string;
  text: string;
  domain: string;
  domainTitle: string;
  critical: boolean;
  /** Per round: organisations with a low answer (≤ 0.25 or Don't know), of those that answered. */
  rounds: { round: string; count: number | null; of: number; unknown: number | null }[];
  /** "7 of 10" at the latest round, or withheld. */
  latestText: string;
}

export interface DomainChange {
  id: string;
  title: string;
  before: Figure;
  after: Figure;
  change: ChangeFigures;
}

export interface ChangeSection {
  from: string;
  to: string;
  n: number;
  overall: DomainChange;
  domains: DomainChange[];
  /**
   * Organisations with a result in both rounds left out because an assessment is not validated
   * in both; null when the change rests on every assessment (`ReportOptions.final` not given).
   */
  provisional: number | null;
  /** The overall change in plain words: how many improved, the mean with its interval, the test. */
  paragraphs: string[];
  /** What the figures can and cannot show: no control group, a selected cohort, the smallest p reachable. */
  limits: string[];
}

/**
 * Scores before and after over the participants who gave both (knowledge on 0–100, confidence
 * on 1–5), with the paired statistics of post − pre as the cohort change shows them
 * (`changeFigures`). For observers, every figure over fewer than k pairs is withheld.
 */
export interface PairedFigures {
  /** Participants with both scores. */
  pairs: number;
  /** Mean before and after. */
  pre: Figure;
  post: Figure;
  /** post − pre: its mean, counts, 95% interval and signed-rank test. */
  change: ChangeFigures;
}

/** The reaction survey: mean usefulness and relevance (1–5) over its respondents. */
export interface ReactionFigures {
  n: number;
  usefulness: Figure;
  relevance: Figure;
}

/** What participants said they put into practice, some days after a session. */
export interface FollowUpFigures {
  days: number;
  asked: number;
  responded: number;
  /** Per practice, the shares of those who answered it that said yes and partly. */
  practices: { text: string; answered: number; yes: Figure; partly: Figure }[];
}

export interface TrainingRow {
  id: string;
  module: string;
  title: string;
  date: string | null;
  /** Ids of the domains the module serves. */
  domains: string[];
  /** Organisations that sent a participant who attended. */
  organisations: number;
  /** Participants who attended, and of how many registered (null when not recorded). */
  participants: number;
  registered: number | null;
  knowledge: PairedFigures;
  confidence: PairedFigures;
  reaction: ReactionFigures;
  followUp: FollowUpFigures | null;
}

/** A module over all its sessions: the paired statistics over every participant with both scores. */
export interface TrainingModuleRow {
  module: string;
  title: string;
  sessions: number;
  participants: number;
  knowledge: PairedFigures;
  confidence: PairedFigures;
}

/**
 * One organisation in the team's edition (under its annex pseudonym): the participants it sent,
 * their knowledge change, and its own change in the domains its trainings serve.
 */
export interface TrainingOrganisationRow {
  pseudonym: string;
  participants: number;
  knowledge: PairedFigures;
  /** Titles of the domains the modules its people attended serve, in framework order. */
  domains: string[];
  /** Its mean change over those domains between the report's last two rounds; null value with one round. */
  domainChange: Figure;
}

export interface TrainingSection {
  title: string;
  state: 'none' | 'recorded';
  /** In plain words: what was delivered, what participants learned, what they put into practice. */
  paragraphs: string[];
  /** What the figures can and cannot show: self-selected participants, the same items, no control group. */
  limits: string[];
  sessions: TrainingRow[];
  /** Every module, in order of its first session; renderers may show them when one ran more than once. */
  modules: TrainingModuleRow[];
  totals: {
    sessions: number;
    /** Attendances: a person who attended two sessions counts in each. */
    participants: number;
    /** Over the sessions that recorded registration: how many registered and how many of them attended; null when none did. */
    registration: { registered: number; attended: number } | null;
    organisationsReached: number;
    /** Organisations in the cohort. */
    cohort: number;
    knowledge: PairedFigures;
    confidence: PairedFigures;
  } | null;
  /**
   * Per organisation, beside its change in the domains the trainings serve, worded as association;
   * null in the observers' edition (it is per organisation) and when nothing was recorded.
   */
  organisations: {
    title: string;
    intro: string;
    /** The rounds the domain change is between; null with one round. */
    from: string | null;
    to: string | null;
    rows: TrainingOrganisationRow[];
    paragraphs: string[];
  } | null;
}

export interface AnnexRow {
  pseudonym: string;
  /** Per round, in round order; null where the organisation has no result in that round. */
  rounds: ({ overall: Figure; level: string | null; completeness: Figure } | null)[];
  /** Between the first and the last round it has results in both. */
  change: Figure;
  /** Domain scores at the latest round, in framework order. */
  domains: Figure[];
}

export interface ProgrammeReport {
  kind: 'programme';
  /** `threats` when the report is the threat landscape alone; null for the whole programme report. */
  focus: 'threats' | null;
  locale: Locale;
  audience: Audience;
  minCell: number;
  title: string;
  generatedAt: string | null;
  framework: FrameworkInfo;
  rounds: string[];
  organisations: number;
  cover: Cover;
  summary: {
    title: string;
    paragraphs: string[];
    rounds: RoundSummary[];
    changes: RoundChangeSummary[];
  };
  methodology: {
    title: string;
    paragraphs: string[];
    rounds: { round: string; n: number }[];
    /** The critical controls: `name` is a short name where the catalogue has one, else the question. */
    critical: { question: string; text: string; name: string; domain: string; cap: number }[];
  };
  findings: {
    title: string;
    paragraphs: string[];
    /** The round the strongest/weakest and the gaps refer to: the latest. */
    round: string;
    domains: DomainFindings[];
    strongest: { id: string; title: string; mean: Figure }[];
    weakest: { id: string; title: string; mean: Figure }[];
    gapsTitle: string;
    gapsIntro: string;
    gaps: GapFinding[];
  };
  change: { title: string; paragraphs: string[]; sections: ChangeSection[] };
  training: TrainingSection;
  recommendations: {
    title: string;
    intro: string;
    items: ReviewedRecommendation[];
    rulesTitle: string;
    rules: RuleDoc[];
  };
  annex: {
    title: string;
    paragraphs: string[];
    /** Empty for observers. */
    rows: AnnexRow[];
    domainsIntro: string;
  };
  /** Notes on what was withheld and why. */
  notes: string[];
  /** What the organisations' plans delivered; null when no plans were given (the observers' edition, `kalaja report`). */
  plans: ProgrammePlansSection | null;
  /** The cohort's technical findings counted; null when none were given. */
  technicalFindings: ProgrammeFindingsSection | null;
  /** The threat landscape beside the baseline; null when none was given. */
  threats: ThreatsSection | null;
}

export interface OrganisationDomain {
  id: string;
  title: string;
  /** Per round, in round order. */
  scores: Figure[];
  level: string | null;
  /** Cohort mean at the latest round, when the cohort has at least k organisations there. */
  cohortMean: Figure;
  change: Figure;
  explanation: {
    score: Figure;
    uncapped: Figure;
    cap: { value: number; questions: { id: string; text: string; answer: string }[] } | null;
    /** The answers that cost the most, largest first (at most three). */
    pulledDownBy: { question: string; text: string; answer: string; loss: Figure; unknown: boolean }[];
    answered: number;
    notApplicable: number;
    unanswered: number;
    text: string;
  };
}

export interface OrganisationCriticalGap {
  question: string;
  text: string;
  domain: string;
  domainTitle: string;
  /** The option chosen, in the report's language. */
  answer: string;
  /** The value the gap caps its domain at. */
  cap: number;
}

export interface OrganisationGap {
  question: string;
  text: string;
  domain: string;
  domainTitle: string;
  answer: string;
  unknown: boolean;
  /** Whether this answer caps its domain. */
  capping: boolean;
  /** Points of the domain score this answer costs (the engine's explanation). */
  loss: Figure;
  /** How much the overall score would rise with the best option, everything else equal. */
  gain: Figure;
  /** How much one step up, to the next better option, would raise the overall score. */
  stepGain: Figure;
  nextStep: string | null;
  quickWin: boolean;
  interventions: string[];
}

/** One domain of an organisation between two rounds, as its report shows it. */
export interface OrganisationDomainChange {
  id: string;
  title: string;
  before: Figure;
  after: Figure;
  change: Figure;
  /** The questions answered better and worse, in the report's language, in framework order. */
  up: { question: string; text: string; from: string; to: string }[];
  down: { question: string; text: string; from: string; to: string }[];
  planItems: { title: string; date: string }[];
  accounts: { by: 'assessor' | 'organisation'; text: string }[];
}

export interface OrganisationChangeSection {
  from: string;
  to: string;
  overall: { before: Figure; after: Figure; change: Figure };
  paragraphs: string[];
  domains: OrganisationDomainChange[];
}

export interface OrganisationReport {
  kind: 'organisation';
  locale: Locale;
  minCell: number;
  title: string;
  organisation: string;
  generatedAt: string | null;
  framework: FrameworkInfo;
  rounds: string[];
  cover: Cover;
  summary: {
    title: string;
    paragraphs: string[];
    rounds: { round: string; overall: Figure; level: string | null; completeness: Figure }[];
    change: Figure;
  };
  domains: { title: string; intro: string; items: OrganisationDomain[] };
  explanations: { title: string; intro: string; round: string };
  /** The critical gaps at the latest round (`criticalGaps`), in framework order, whichever domain. */
  criticalGaps: { title: string; intro: string; round: string; items: OrganisationCriticalGap[] };
  gaps: { title: string; intro: string; round: string; items: OrganisationGap[] };
  notes: {
    title: string;
    intro: string;
    items: { round: string; question: string; text: string; note: string; by: AnswerNote['by'] | null }[];
  };
  /**
   * Evidence on file, in round order and then as attached; `supports` is the question's text
   * or the domain's title. Null when the caller had no evidence to give (`kalaja report`
   * reads answers only), so the report does not claim there is none.
   */
  evidence: {
    title: string;
    intro: string;
    items: {
      round: string;
      name: string;
      question: string | null;
      domain: string | null;
      supports: string;
      date: string;
    }[];
  } | null;
  /** The organisation's plan; null when the caller had none to give (`kalaja report` reads answers only). */
  plan: OrganisationPlanSection | null;
  /** What moved between each round and the next; null with a single round. */
  change: { title: string; sections: OrganisationChangeSection[] } | null;
  /** Its people's trainings, by session; null when none was given. */
  trainings: OrganisationTrainingsSection | null;
  /** Its technical findings, most severe first; null when none were given. */
  findings: OrganisationFindingsSection | null;
}

export interface OrganisationTrainingsSection {
  title: string;
  intro: string;
  sessions: {
    title: string;
    date: string | null;
    /** Who attended (and who registered but did not), with their knowledge scores before and after (0–100). */
    participants: { name: string; attended: boolean; pre: Figure; post: Figure; change: Figure }[];
  }[];
}

/** Every report a renderer lays out; an openness index's policy paper is `OpennessPaper` (openness/model.ts). */
export type Report = ProgrammeReport | OrganisationReport | OpennessPaper;
