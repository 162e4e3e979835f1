import { z } from 'zod';
import { idSchema, optionalText, text } from './api.js';
import { LIMITS } from './limits.js';
import { personRef, planEvidence } from './plans.js';

/**
 * Technical findings (docs/contracts.md, §14): what an assessor (an ethical hacker) finds when
 * testing an organisation's website, mail domain, accounts, devices, network or premises; the
 * senior review before the organisation sees it; the plan item it becomes; and its retest.
 */

/** What was tested. */
export const findingTarget = z.enum(['website', 'mail-domain', 'account', 'device', 'network', 'physical']);
export const findingSeverity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
/**
 * draft → in_review (submitted by its author) → changes_requested (the reviewer's comment) →
 * in_review → approved (the organisation sees it) → fixed | partly_fixed | accepted_risk after a
 * retest; a partly fixed finding can be retested again.
 */
export const findingStatus = z.enum([
  'draft',
  'in_review',
  'changes_requested',
  'approved',
  'fixed',
  'partly_fixed',
  'accepted_risk',
]);
/** What a retest concludes. */
export const retestOutcome = z.enum(['fixed', 'partly_fixed', 'accepted_risk']);

/** The statuses the organisation sees: approved and after. */
export const VISIBLE_TO_ORGANISATION: readonly z.infer<typeof findingStatus>[] = [
  'approved',
  'fixed',
  'partly_fixed',
  'accepted_risk',
];

/** From most to least severe: the order findings are listed in. */
export const SEVERITY_ORDER: readonly z.infer<typeof findingSeverity>[] = ['critical', 'high', 'medium', 'low', 'info'];

/** A CVSS vector's score, computed by the server from the vector. */
export const cvssScore = z.object({
  vector: z.string(),
  version: z.enum(['3.1', '4.0']),
  /** The base score, 0.0–10.0. */
  score: z.number(),
  /** The severity the score falls in (FIRST's bands; 0.0 is info). */
  severity: findingSeverity,
});

export const findingChange = z.object({
  field: z.enum([
    'status',
    'severity',
    'target',
    'foundOn',
    'title',
    'description',
    'method',
    'recommendation',
    'cvss',
    'questions',
    'interventions',
    'planItem',
    'retest',
    'evidence',
  ]),
  /** Clear values (status, severity, target, dates); null for a sealed text. */
  from: z.string().nullable(),
  to: z.string().nullable(),
});

export const findingEvent = z.object({
  at: z.string(),
  by: personRef.nullable(),
  action: z.enum(['create', 'edit', 'submit', 'request_changes', 'approve', 'plan', 'retest', 'evidence']),
  changes: z.array(findingChange),
  /** The reviewer's comment, with a request for changes (sealed, opened for the reader). */
  comment: z.string().nullable(),
});

export const findingRetest = z.object({
  on: z.string(),
  outcome: retestOutcome,
  notes: z.string(),
  by: personRef.nullable(),
});

export const finding = z.object({
  id: z.string(),
  /** What `If-Match` names on the next write of this finding. */
  version: z.number().int(),
  programmeId: z.string(),
  organisationId: z.string(),
  roundId: z.string(),
  round: z.string(),
  title: z.string(),
  target: findingTarget,
  severity: findingSeverity,
  cvss: cvssScore.nullable(),
  description: z.string(),
  /** How it was found (tools, steps). */
  method: z.string(),
  recommendation: z.string(),
  /** The day it was found (YYYY-MM-DD). */
  foundOn: z.string(),
  status: findingStatus,
  /** Framework question ids it bears on. */
  questions: z.array(z.string()),
  /** Catalogue intervention ids it bears on. */
  interventions: z.array(z.string()),
  author: personRef,
  /** Who approved it; null before. */
  reviewer: personRef.nullable(),
  approvedAt: z.string().nullable(),
  /** The plan item it became or joined. */
  planItemId: z.string().nullable(),
  /** The latest retest; null before one. */
  retest: findingRetest.nullable(),
  evidence: z.array(planEvidence),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Oldest first. */
  history: z.array(findingEvent),
});

/** `GET /programmes/:id/organisations/:organisation/findings`. */
export const organisationFindings = z.object({
  programmeId: z.string(),
  organisationId: z.string(),
  organisation: z.string(),
  /** Whether the reader may record findings here (assigned assessors and managers). */
  canRecord: z.boolean(),
  /** Whether the reader may review (a programme manager; never their own finding). */
  canReview: z.boolean(),
  /** Most severe first, then the newest. The organisation's people see approved and later only. */
  findings: z.array(finding),
});

const date = z.iso.date({ error: 'is not a date (YYYY-MM-DD)' });
/** A CVSS 3.1 or 4.0 vector; the server checks and scores it. */
const vector = z
  .string()
  .trim()
  .max(LIMITS.short * 2);
const ids = z.array(z.string().max(LIMITS.short)).max(50);

export const findingCreate = z.strictObject({
  roundId: idSchema,
  title: text(LIMITS.name),
  target: findingTarget,
  severity: findingSeverity,
  cvss: vector.nullable().default(null),
  description: optionalText(LIMITS.note).default(''),
  method: optionalText(LIMITS.note).default(''),
  recommendation: optionalText(LIMITS.note).default(''),
  foundOn: date,
  questions: ids.default([]),
  interventions: ids.default([]),
});

export const findingUpdate = z
  .strictObject({
    title: text(LIMITS.name).optional(),
    target: findingTarget.optional(),
    severity: findingSeverity.optional(),
    cvss: vector.nullable().optional(),
    description: optionalText(LIMITS.note).optional(),
    method: optionalText(LIMITS.note).optional(),
    recommendation: optionalText(LIMITS.note).optional(),
    foundOn: date.optional(),
    questions: ids.optional(),
    interventions: ids.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'change at least one field' });

/** The reviewer's decision: approve, or ask for changes with a comment. */
export const findingReview = z
  .strictObject({ decision: z.enum(['approve', 'request_changes']), comment: optionalText(LIMITS.note).optional() })
  .superRefine((b, ctx) => {
    if (b.decision === 'request_changes' && !b.comment)
      ctx.addIssue({ code: 'custom', path: ['comment'], message: 'say what should change' });
  });

/** Make the finding a new plan item, or join an existing one of the organisation's plan. */
export const findingToPlan = z.strictObject({ planItemId: idSchema.optional() });

export const findingRetestInput = z.strictObject({
  on: date,
  outcome: retestOutcome,
  notes: optionalText(LIMITS.note).default(''),
});

/** `GET /programmes/:id/findings/summary`: counts across the cohort. */
export const findingsSummary = z.object({
  programmeId: z.string(),
  /** Organisations with an approved finding. */
  organisations: z.number().int(),
  /**
   * For observers, a count drawn from fewer organisations than the programme's smallest cell is
   * withheld (null), like every cohort figure they see; managers see every count.
   */
  minCell: z.number().int(),
  bySeverity: z.record(findingSeverity, z.number().int().nullable()),
  byTarget: z.record(findingTarget, z.number().int().nullable()),
  byStatus: z.record(findingStatus, z.number().int().nullable()),
  /** The median days from the finding's date to a retest that found it fixed; null without one (or withheld). */
  medianDaysToFix: z.number().nullable(),
  /**
   * Who found and who reviewed what, so the programme can follow its ethical hackers' own
   * development: for managers only (absent for observers). Over every finding, drafts included.
   */
  people: z
    .array(
      z.object({
        person: personRef,
        /** Findings they recorded, and of those: approved (or retested since), sent back at least once, still open to review. */
        found: z.number().int(),
        approved: z.number().int(),
        sentBack: z.number().int(),
        inReview: z.number().int(),
        /** Reviews they gave: approvals, and requests for changes. */
        approvals: z.number().int(),
        changesAsked: z.number().int(),
        /** Retests they recorded. */
        retests: z.number().int(),
      }),
    )
    .optional(),
});

/**
 * `POST /programmes/:id/organisations/:organisation/findings/import`: a scanner's output read into
 * draft findings of one round, found today, each for the assessor to confirm or leave.
 */
export const findingImport = z.strictObject({
  roundId: idSchema,
  format: z.enum(['sarif', 'zap', 'nuclei']),
  /** The file's text: SARIF 2.1 JSON, an OWASP ZAP JSON report, or Nuclei's JSON lines. */
  content: z.string().min(1).max(900_000),
});

export const findingImportResult = z.object({
  /** The drafts written, in the file's order. */
  created: z.array(z.string()),
  /** Results the file repeats, or findings the organisation already has under the same title. */
  duplicates: z.number().int(),
});
