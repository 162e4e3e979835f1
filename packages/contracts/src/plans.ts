import { z } from 'zod';
import { idSchema, optionalText, text } from './api.js';
import { LIMITS } from './limits.js';

/**
 * Plans (docs/contracts.md, §6 and §7): an assessment's ranked interventions, an organisation's
 * plan items, the programme's view across its cohort, and what a plan item is changed with.
 * Every figure is the engine's, at full precision; pages round them with the display helpers.
 */

export const interventionKind = z.enum(['policy', 'technical', 'training']);
export const effortLevel = z.enum(['low', 'medium', 'high']);
export const costBand = z.enum(['none', 'low', 'medium', 'high']);
/** planned → in_progress → done, or dropped (with a reason) on the way. */
export const planStatus = z.enum(['planned', 'in_progress', 'done', 'dropped']);

/**
 * Where an item may go from each status: planned → in progress → done, or dropped on the way;
 * a done item reopens to in progress (something turned out undone), a dropped one to planned.
 * The server refuses any other move (409); the app offers only these.
 */
export const PLAN_TRANSITIONS: Readonly<Record<z.infer<typeof planStatus>, readonly z.infer<typeof planStatus>[]>> = {
  planned: ['in_progress', 'done', 'dropped'],
  in_progress: ['done', 'planned', 'dropped'],
  done: ['in_progress'],
  dropped: ['planned'],
};

/** A content text: a plain string (English) or a map from locale to string, as the catalogue has it. */
const localText = z.union([z.string(), z.record(z.string(), z.string())]);
/** Catalogue ids are slugs (docs/contracts.md, §1). */
const slug = z
  .string()
  .max(LIMITS.short)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, { error: 'is not an intervention id' });

/** An intervention of the catalogue, with what a person needs to carry it out. */
export const interventionInfo = z.object({
  id: z.string(),
  title: localText,
  kind: interventionKind,
  effort: effortLevel,
  cost: costBand,
  summary: localText,
  steps: z.array(localText),
  /** Handbook section ids (content/handbook/<lang>/<id>.md). */
  handbook: z.array(z.string()),
});

/** One question an intervention would raise: from the option chosen to the first best one. */
export const interventionMove = z.object({
  question: z.string(),
  domain: z.string(),
  from: z.string(),
  to: z.string(),
});

/** An intervention in an assessment's ranking (the engine's `RankedIntervention`), with its catalogue entry. */
export const rankedIntervention = z.object({
  intervention: interventionInfo,
  /** 1 for the first. */
  rank: z.number().int(),
  gain: z.number(),
  priority: z.number(),
  /** Low effort. */
  quickWin: z.boolean(),
  /** The raised question ids, in framework order. */
  questions: z.array(z.string()),
  moves: z.array(interventionMove),
  /** The change in each domain the intervention touches. */
  domains: z.record(z.string(), z.number()),
  /** The plan item that already answers this gap in this round, if any. */
  planItem: z.string().nullable(),
});

/** `GET /assessments/:id/interventions`: the catalogue ranked for one organisation in one round. */
export const interventionRanking = z.object({
  assessmentId: z.string(),
  programmeId: z.string(),
  organisationId: z.string(),
  roundId: z.string(),
  round: z.string(),
  catalogue: z.object({ id: z.string(), version: z.string() }),
  overall: z.number().nullable(),
  /** Whether the reader may add items to the plan (assigned assessors and managers). */
  canPlan: z.boolean(),
  interventions: z.array(rankedIntervention),
});

export const personRef = z.object({ id: z.string(), displayName: z.string() });

export const planEvidence = z.object({
  id: z.string(),
  name: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  uploadedBy: z.string(),
  at: z.string(),
});

/** What a history entry records: a field and, for fields kept in clear, its values (never a sealed text). */
export const planChange = z.object({
  field: z.enum(['status', 'owner', 'dueOn', 'notes', 'title', 'kind', 'dropReason', 'evidence']),
  from: z.string().nullable(),
  to: z.string().nullable(),
});

export const planEvent = z.object({
  at: z.string(),
  by: personRef.nullable(),
  action: z.enum(['create', 'edit', 'status', 'evidence']),
  changes: z.array(planChange),
});

export const planItem = z.object({
  id: z.string(),
  /** What `If-Match` names on the next write of this item. */
  version: z.number().int(),
  programmeId: z.string(),
  organisationId: z.string(),
  /** The round whose gap the item answers. */
  roundId: z.string(),
  round: z.string(),
  /** The catalogue's intervention; null for the team's own item. */
  intervention: interventionInfo.nullable(),
  /** The own item's title; null for an intervention of the catalogue. */
  title: z.string().nullable(),
  kind: interventionKind,
  status: planStatus,
  owner: personRef.nullable(),
  dueOn: z.string().nullable(),
  /** Due before today and neither done nor dropped. */
  overdue: z.boolean(),
  notes: z.string(),
  dropReason: z.string().nullable(),
  doneAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  evidence: z.array(planEvidence),
  /** Oldest first. */
  history: z.array(planEvent),
  /** The technical findings this item answers (docs/contracts.md, §14), most severe first. */
  findings: z.array(
    z.object({
      id: z.string(),
      severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
      status: z.enum(['draft', 'in_review', 'changes_requested', 'approved', 'fixed', 'partly_fixed', 'accepted_risk']),
    }),
  ),
});

/** `GET /programmes/:id/organisations/:organisation/plan`. */
export const organisationPlan = z.object({
  programmeId: z.string(),
  organisationId: z.string(),
  organisation: z.string(),
  /** The server's date (UTC), against which `overdue` is decided. */
  today: z.string(),
  /** Whether the reader may add items, and change owners and due dates. */
  canPlan: z.boolean(),
  /** Who can own an item: the organisation's admins and members. */
  people: z.array(personRef),
  /** The open items first (quick wins, then by due date), then done, then dropped. */
  items: z.array(planItem),
});

const dueOn = z.iso.date({ error: 'is not a date (YYYY-MM-DD)' }).nullable();

/** A new plan item: an intervention of the ranking, or the team's own item with a title and kind. */
export const planItemCreate = z
  .strictObject({
    /** The round whose gap it answers (a round id of the programme). */
    roundId: idSchema,
    intervention: slug.optional(),
    title: text(LIMITS.name).optional(),
    kind: interventionKind.optional(),
    ownerId: idSchema.nullable().default(null),
    dueOn: dueOn.default(null),
    notes: optionalText(LIMITS.note).default(''),
  })
  .superRefine((b, ctx) => {
    if ((b.intervention === undefined) === (b.title === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['intervention'],
        message: 'give either an intervention of the catalogue or a title of your own, one of the two',
      });
    if (b.intervention !== undefined && b.kind !== undefined)
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'comes from the catalogue for an intervention' });
    if (b.title !== undefined && b.kind === undefined)
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'is required for an item of your own' });
  });

/** Changes to an item: any of these fields. Owner, due date, title and kind are for the planners. */
export const planItemUpdate = z
  .strictObject({
    ownerId: idSchema.nullable().optional(),
    dueOn: dueOn.optional(),
    notes: optionalText(LIMITS.note).optional(),
    title: text(LIMITS.name).optional(),
    kind: interventionKind.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'change at least one field' });

/** A status change; dropping needs a reason, and only dropping takes one. */
export const planStatusChange = z
  .strictObject({ status: planStatus, reason: text(LIMITS.note).optional() })
  .superRefine((b, ctx) => {
    if (b.status === 'dropped' && b.reason === undefined)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'say why the item is dropped' });
    if (b.status !== 'dropped' && b.reason !== undefined)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is only for dropping an item' });
  });

const statusCounts = {
  planned: z.number().int(),
  inProgress: z.number().int(),
  done: z.number().int(),
  dropped: z.number().int(),
  /** Open items past their due date. */
  overdue: z.number().int(),
};

/** `GET /programmes/:id/plans`: the programme's plans across its cohort, for its managers. */
export const programmePlans = z.object({
  programmeId: z.string(),
  today: z.string(),
  catalogue: z.object({ id: z.string(), version: z.string() }),
  /** Organisations with a result, whose latest ranking the demand counts. */
  organisations: z.number().int(),
  /** Per intervention: how many organisations' latest ranking lists it, and their plan items by status. */
  demand: z.array(
    z.object({
      intervention: interventionInfo,
      /** Organisations whose ranking at their latest round lists it. */
      needed: z.number().int(),
      /** Of those, how many have it among their first five. */
      topFive: z.number().int(),
      /** The mean gain over the organisations that need it. */
      meanGain: z.number().nullable(),
      ...statusCounts,
    }),
  ),
  byOrganisation: z.array(
    z.object({ organisationId: z.string(), organisation: z.string(), items: z.number().int(), ...statusCounts }),
  ),
  byKind: z.array(z.object({ kind: interventionKind, items: z.number().int(), ...statusCounts })),
  /** Open items past their due date, the longest overdue first. */
  overdue: z.array(
    z.object({
      itemId: z.string(),
      organisationId: z.string(),
      organisation: z.string(),
      title: localText,
      status: planStatus,
      dueOn: z.string(),
      owner: personRef.nullable(),
    }),
  ),
});

export const planExportFormat = z.enum(['csv', 'xlsx']);
export const planExportQuery = z.strictObject({ format: planExportFormat.default('csv') });
