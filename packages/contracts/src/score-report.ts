import { z } from 'zod';

/**
 * The output of `kalaja score --format json` (and of the results API): the scoring
 * contract's shape. Numbers are at full precision; extra fields are allowed.
 */
const score = z.number().nullable();

export const statsSchema = z.object({
  n: z.number().int().nonnegative(),
  mean: score,
  median: score,
  min: score,
  max: score,
  sd: score,
});

/** The Wilcoxon signed-rank test of a change (docs/contracts.md, "Paired statistics"). */
export const wilcoxonSchema = z.object({
  n: z.number().int().positive(),
  wPlus: z.number().nonnegative(),
  wMinus: z.number().nonnegative(),
  p: z.number().min(0).max(1),
});

export const changeSchema = z.object({
  n: z.number().int().nonnegative(),
  mean: score,
  improved: z.number().int().nonnegative(),
  declined: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  /** 95% confidence interval of the mean change; null when n < 2. */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  /** Mean change over the standard deviation of the changes; null when n < 2 or sd = 0. */
  dz: score,
  wilcoxon: wilcoxonSchema.nullable(),
  /** Matched-pairs rank-biserial correlation; null when the Wilcoxon test is. */
  rankBiserial: score,
});

export const organisationResultSchema = z.looseObject({
  organisation: z.string(),
  round: z.string(),
  overall: score,
  completeness: z.number().min(0).max(1),
  domains: z.record(z.string(), score),
  /** Capped questions answered at or below their capAt, in framework order. */
  criticalGaps: z.array(z.string()),
});

/** One round's cohort figures: how many organisations have a result, and the statistics over them. */
export const roundCohortSchema = z.looseObject({
  n: z.number().int().nonnegative(),
  overall: statsSchema,
  domains: z.record(z.string(), statsSchema),
});

/** The change between two consecutive rounds, over the organisations with a result in both. */
export const roundChangeSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  n: z.number().int().nonnegative(),
  overall: changeSchema,
  domains: z.record(z.string(), changeSchema),
});

export const scoreReportSchema = z.looseObject({
  framework: z.object({ id: z.string(), version: z.string() }),
  /** Rounds in the order they are compared: `cohort`'s keys do not keep it. */
  rounds: z.array(z.string()),
  results: z.array(organisationResultSchema),
  cohort: z.record(z.string(), roundCohortSchema),
  change: z.array(roundChangeSchema),
});

export type ScoreReportContract = z.infer<typeof scoreReportSchema>;
