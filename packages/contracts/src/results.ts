import { z } from 'zod';
import { organisationResultSchema, roundChangeSchema, roundCohortSchema, scoreReportSchema } from './score-report.js';

/**
 * What the results pages read: one assessment's scores with the engine's explanation of each
 * domain (`GET /assessments/:id/results`), and a programme's cohort figures
 * (`GET /programmes/:id/results`). The numbers are the engine's, at full precision; the pages
 * round them for display with the engine's display helpers. See docs/contracts.md and
 * docs/decisions/0001-engine-is-the-only-scorer.md.
 */

const score = z.number().nullable();

/** How one question bears on its domain's score (the engine's `QuestionExplanation`). */
export const questionExplanation = z.object({
  question: z.string(),
  weight: z.number(),
  status: z.enum(['answered', 'na', 'unanswered']),
  /** The chosen option, when answered. */
  option: z.string().optional(),
  /** True when the chosen option is "Don't know". */
  unknown: z.boolean().optional(),
  /** The option's score in [0, 1], when answered. */
  score: z.number().optional(),
  /** Points of the domain score (on the framework's scale) this answer costs. */
  loss: z.number(),
  /** This question's share of the domain's whole gap, in [0, 1]. */
  gapShare: z.number(),
  /** True when this answer caused the cap applied to the domain. */
  causedCap: z.boolean(),
});

/** One domain explained: its score, the score before a cap, the cap and what caused it. */
export const domainExplanation = z.object({
  domain: z.string(),
  weight: z.number(),
  score,
  uncapped: score,
  cap: z.object({ value: z.number(), questions: z.array(z.string()) }).nullable(),
  answered: z.number().int(),
  notApplicable: z.number().int(),
  unanswered: z.number().int(),
  /** In framework order. */
  questions: z.array(questionExplanation),
});

/** An assessment's scores and their explanation, from the answers that count. */
export const assessmentExplanation = z.object({
  score: z.object({
    overall: score,
    completeness: z.number().min(0).max(1),
    answered: z.number().int(),
    notApplicable: z.number().int(),
    total: z.number().int(),
    domains: z.record(z.string(), score),
  }),
  domains: z.array(domainExplanation),
  /** Capped questions answered at or below their `capAt`, in framework order, whichever domain. */
  criticalGaps: z.array(
    z.object({
      question: z.string(),
      domain: z.string(),
      option: z.string(),
      score: z.number().min(0).max(1),
      cap: z.number(),
    }),
  ),
});

/**
 * The score report as the results API sends it. Every field is named here and nothing else
 * passes: the server validates its response with this schema, which drops what it does not
 * name. A field the engine adds to its figures reaches the pages once it is added here
 * (packages/contracts/test/results.test.ts fails until then).
 */
export const cohortReport = scoreReportSchema.strip().extend({
  results: z.array(
    organisationResultSchema.strip().extend({
      /** The band of the overall score (English label), null without a score or levels. */
      level: z.string().nullable(),
      /**
       * The assessment's status (managers only): a result is final once validated, provisional
       * before. The change view says which assessments its figures rest on.
       */
      status: z.enum(['draft', 'submitted', 'validated']).optional(),
    }),
  ),
  cohort: z.record(z.string(), roundCohortSchema.strip()),
  change: z.array(roundChangeSchema.strip()),
});

/**
 * A programme's cohort results. `named` (managers): every organisation by name, computed live.
 * `anonymised` (observers): the latest published version of each round, rounded to display
 * precision, no organisation at all, every figure over fewer than `minCell` organisations (or
 * that would give one away against an earlier version) withheld (null), with the count of such
 * figures in `suppressed`.
 */
export const cohortResults = z.object({
  programmeId: z.string(),
  view: z.enum(['named', 'anonymised']),
  /** Round names in programme order. */
  rounds: z.array(z.string()),
  report: cohortReport,
  suppressed: z.number().int().nonnegative(),
  /** The smallest number of organisations a figure shown to observers may cover. */
  minCell: z.number().int().positive(),
  /**
   * Observers: the published version each round's figures come from, in round order (a round
   * with no published version is absent from `rounds`). Empty for managers, who see live figures.
   */
  published: z.array(
    z.object({
      id: z.string(),
      round: z.string(),
      version: z.number().int().positive(),
      publishedAt: z.number().int(),
    }),
  ),
});

/** One organisation's result in a round, as the heatmap shows it (managers). */
export const cohortOrganisationResult = cohortReport.shape.results.element.extend({
  /** The assessment behind the result, for its own results page. */
  assessmentId: z.string(),
});

/**
 * The cohort figures without the per-organisation rows (`GET /programmes/:id/results/summary`):
 * what the results page shows first — cohort means, the distribution per domain, the change
 * between rounds — a few kilobytes whatever the size of the programme. The rows come a page at
 * a time from `…/results/organisations`.
 */
export const cohortSummary = cohortResults.omit({ report: true }).extend({
  report: cohortReport.omit({ results: true }),
  /**
   * Managers: what each change between rounds rests on — organisations with a result in both
   * rounds, how many of them rest on an assessment not yet validated, and how many have a
   * result in one of the two only. Empty for observers.
   */
  changeBasis: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      both: z.number().int().nonnegative(),
      provisional: z.number().int().nonnegative(),
      oneRound: z.number().int().nonnegative(),
    }),
  ),
});

/** The most organisations one page of `…/results/organisations` holds. */
export const MAX_RESULTS_PAGE = 500;

/** Which page of a round's organisations to read: `?round=&offset=&limit=`. */
export const cohortOrganisationsQuery = z.strictObject({
  /** A round name; the last round with results when left out. */
  round: z.string().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_RESULTS_PAGE).default(100),
});

/** One page of a round's organisations, by name (managers only). */
export const cohortOrganisationsPage = z.object({
  programmeId: z.string(),
  /** The round these rows are of; null when no round has results yet. */
  round: z.string().nullable(),
  /** Organisations with a result in the round, on every page. */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  items: z.array(cohortOrganisationResult),
});
