import { z } from 'zod';
import { assessmentStatus } from './api.js';
import { changeSchema } from './score-report.js';

/**
 * What moved between rounds (issue 13): one organisation's change across its rounds
 * (`GET /assessments/:id/change`), and the cohort's change over the assessments validated in
 * both rounds, the provisional ones counted (`GET /programmes/:id/change`). Figures at full
 * precision, the engine's; the pages round them with the display helpers.
 */

const score = z.number().nullable();

export const questionMove = z.object({
  question: z.string(),
  domain: z.string(),
  from: z.string(),
  to: z.string(),
  fromScore: z.number(),
  toScore: z.number(),
});

/** A plan item completed between the two rounds, beside the domains it serves. */
export const completedPlanItem = z.object({
  id: z.string(),
  title: z.string(),
  domains: z.array(z.string()),
  doneAt: z.string(),
});

export const organisationRoundChange = z.object({
  from: z.string(),
  to: z.string(),
  overall: z.object({ before: score, after: score, change: score }),
  domains: z.array(
    z.object({
      domain: z.string(),
      before: score,
      after: score,
      change: score,
      up: z.array(questionMove),
      down: z.array(questionMove),
      planItems: z.array(completedPlanItem),
    }),
  ),
  up: z.array(questionMove),
  down: z.array(questionMove),
});

/** One organisation in every round it has a result in, and what moved between each and the next. */
export const organisationChange = z.object({
  programmeId: z.string(),
  organisationId: z.string(),
  rounds: z.array(
    z.object({
      round: z.string(),
      roundId: z.string(),
      assessmentId: z.string(),
      status: assessmentStatus,
      overall: score,
      completeness: z.number(),
      domains: z.record(z.string(), score),
    }),
  ),
  changes: z.array(organisationRoundChange),
});

/** The cohort's change between consecutive rounds over the assessments validated in both. */
export const cohortChange = z.object({
  programmeId: z.string(),
  rounds: z.array(z.string()),
  changes: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      /** Organisations validated in both rounds: what the figures rest on. */
      n: z.number().int(),
      /** Organisations with a result in both rounds left out because an assessment is not validated. */
      provisional: z.number().int(),
      overall: changeSchema.strip(),
      domains: z.record(z.string(), changeSchema.strip()),
    }),
  ),
});
