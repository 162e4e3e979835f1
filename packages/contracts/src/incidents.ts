import { z } from 'zod';
import { optionalText, text } from './api.js';
import { LIMITS } from './limits.js';
import { personRef } from './plans.js';
import { surveyTallyView } from './surveys.js';

/**
 * The incident log and the threat landscape (docs/contracts.md, "Incidents"; issue 17): what
 * an organisation records of the attacks, threats and near misses it met, in the words of the
 * incident taxonomy (content/taxonomies/incidents.yaml), and the programme's counts of them.
 *
 * Storage: everything an incident says is sealed under its organisation's key, its dates and
 * taxonomy ids too; only the ids needed to find it (incident, programme, organisation) and when
 * it was recorded are in clear. The landscape is counted after opening, in the service, never
 * in SQL, so no column tells a reader of the database what happened to whom.
 */

const date = z.iso.date({ error: 'is not a date (YYYY-MM-DD)' });
const taxonomyId = z.string().trim().min(1).max(LIMITS.short);
const taxonomyIds = z.array(taxonomyId).max(30);

/** What a person records: checked against the taxonomy and the calendar by the server. */
const incidentFields = {
  /** The day it happened, or the first day of the period it went on. */
  occurredOn: date,
  /** The last day of the period; null (or absent) for a single day. */
  endedOn: date.nullable(),
  category: taxonomyId,
  actor: taxonomyId,
  targeting: taxonomyId,
  certainty: taxonomyId,
  /** What happened, in the organisation's own words. */
  description: text(LIMITS.note),
  effectsPeople: taxonomyIds,
  effectsWork: taxonomyIds,
  /** What was done about it. */
  actions: optionalText(LIMITS.note),
  /** The help received (taxonomy `responses`). */
  responses: taxonomyIds,
  /** Handbook section ids; absent on creation means the category's own sections. */
  handbook: z.array(z.string().trim().min(1).max(LIMITS.short)).max(20),
};

export const incidentCreate = z.strictObject({
  ...incidentFields,
  endedOn: incidentFields.endedOn.default(null),
  effectsPeople: taxonomyIds.default([]),
  effectsWork: taxonomyIds.default([]),
  actions: optionalText(LIMITS.note).default(''),
  responses: taxonomyIds.default([]),
  handbook: incidentFields.handbook.optional(),
});

export const incidentUpdate = z
  .strictObject({
    occurredOn: date.optional(),
    endedOn: date.nullable().optional(),
    category: taxonomyId.optional(),
    actor: taxonomyId.optional(),
    targeting: taxonomyId.optional(),
    certainty: taxonomyId.optional(),
    description: text(LIMITS.note).optional(),
    effectsPeople: taxonomyIds.optional(),
    effectsWork: taxonomyIds.optional(),
    actions: optionalText(LIMITS.note).optional(),
    responses: taxonomyIds.optional(),
    handbook: incidentFields.handbook.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'change at least one field' });

/** An incident's content as recorded at one version. */
export const incidentContent = z.object({
  occurredOn: z.string(),
  endedOn: z.string().nullable(),
  category: z.string(),
  actor: z.string(),
  targeting: z.string(),
  certainty: z.string(),
  description: z.string(),
  effectsPeople: z.array(z.string()),
  effectsWork: z.array(z.string()),
  actions: z.string(),
  responses: z.array(z.string()),
  handbook: z.array(z.string()),
});

/** One version of an incident: who wrote it, when, and what it said then. */
export const incidentVersion = z.object({
  version: z.number().int(),
  at: z.string(),
  /** null for Kalaja itself (the demo, the command line). */
  by: personRef.nullable(),
  content: incidentContent,
});

export const incident = incidentContent.extend({
  id: z.string(),
  version: z.number().int(),
  programmeId: z.string(),
  organisationId: z.string(),
  recordedBy: personRef.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Every version, oldest first; the last is the incident as it is now. */
  history: z.array(incidentVersion),
});

/** `GET /programmes/:id/organisations/:organisation/incidents`: the organisation's log, newest first. */
export const organisationIncidents = z.object({
  programmeId: z.string(),
  organisationId: z.string(),
  organisation: z.string(),
  /** Whether the reader may record and edit (the organisation's people; its assessor with consent). */
  canRecord: z.boolean(),
  /** Whether the reader may delete (the organisation's admin). */
  canDelete: z.boolean(),
  /** Whether the reader may switch the assessor's consent (the organisation's admin). */
  canConsent: z.boolean(),
  /** Whether the organisation lets its assigned assessors read and record its incidents. */
  assessorConsent: z.boolean(),
  incidents: z.array(incident),
});

export const incidentConsent = z.strictObject({ assessor: z.boolean() });

const taxonomyEntry = z.object({ id: z.string(), title: z.string(), description: z.string().nullable() });
/** `GET /incident-taxonomy?lang=`: the lists an incident picks from, in the reader's language. */
export const incidentTaxonomyView = z.object({
  version: z.string(),
  categories: z.array(taxonomyEntry.extend({ rsit: z.string(), handbook: z.array(z.string()) })),
  actors: z.array(taxonomyEntry),
  targeting: z.array(taxonomyEntry),
  certainty: z.array(taxonomyEntry),
  effects: z.object({ people: z.array(taxonomyEntry), work: z.array(taxonomyEntry) }),
  responses: z.array(taxonomyEntry),
});

export const landscapeQuery = z.strictObject({ from: date.optional(), to: date.optional() });

const landscapeRow = z.object({
  id: z.string(),
  incidents: z.number().int().nullable(),
  organisations: z.number().int().nullable(),
  share: z.number().nullable(),
  withheld: z.boolean(),
});

/** `GET /programmes/:id/threats`: the programme's threat landscape over a period (managers). */
export const threatLandscapeView = z.object({
  programmeId: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  audience: z.enum(['programme', 'observers']),
  k: z.number().int(),
  organisations: z.number().int(),
  affected: z.number().int().nullable(),
  incidents: z.number().int().nullable(),
  categories: z.array(landscapeRow),
  actors: z.array(landscapeRow),
  targeting: z.array(landscapeRow),
  certainty: z.array(landscapeRow),
  /** Observers: when the landscape they see was published with the results; null for managers' live figures. */
  publishedAt: z.string().nullable(),
  /** The cohort's baseline capacity per domain (mean score, 0–4); none in the observers' edition. */
  baseline: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      score: z.number().nullable(),
      n: z.number().int(),
      withheld: z.boolean(),
    }),
  ),
  /** The programme's survey answers aggregated (§10), when it runs a survey and anyone answered; absent otherwise. */
  survey: surveyTallyView.optional(),
  /**
   * Observers: every withheld count of the frozen landscape and why (`small-cell`: fewer than k
   * organisations; `complement`: the total would give another away; `differencing`: beside a
   * landscape frozen before it would isolate fewer than k). Absent for managers and in
   * landscapes frozen before the rule.
   */
  withheldCells: z
    .array(
      z.object({
        cell: z.string(),
        reason: z.enum(['small-cell', 'pinned', 'differencing', 'complement']),
        differing: z.number().int().optional(),
      }),
    )
    .optional(),
});
