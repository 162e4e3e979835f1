import { z } from 'zod';
import { assessmentStatus, optionalText } from './api.js';
import { LIMITS } from './limits.js';
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
  /** The accounts of what changed in each domain: the assessor's, and the organisation's own. */
  accounts: z.array(z.object({ domain: z.string(), by: z.enum(['assessor', 'organisation']), text: z.string() })),
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

/** Who wrote an account of what changed in a domain: the assessor, or the organisation itself. */
export const accountAuthor = z.enum(['assessor', 'organisation']);

/** Writing an account: the text (empty takes it back), and the version it replaces (as If-Match). */
export const domainAccountInput = z.strictObject({
  text: optionalText(LIMITS.interviewNote),
  version: z.number().int().min(0).max(999_999_999).optional(),
});

/** Per domain, what changed since the round before and why: the assessor's account and the organisation's. */
export const domainAccount = z.object({
  domain: z.string(),
  by: accountAuthor,
  text: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const domainAccountSaved = z.object({ domain: z.string(), by: accountAuthor, version: z.number().int() });
