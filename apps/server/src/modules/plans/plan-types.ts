import type { z } from 'zod';
import { PLAN_TRANSITIONS } from '@kalaja/contracts';
import type {
  interventionKind,
  organisationPlan,
  planChange,
  planItem,
  planItemCreate,
  planItemUpdate,
  planStatus,
  planStatusChange,
  programmePlans,
} from '@kalaja/contracts';

export type PlanStatus = z.infer<typeof planStatus>;
export type InterventionKind = z.infer<typeof interventionKind>;
export type PlanItemView = z.infer<typeof planItem>;
export type OrganisationPlanView = z.infer<typeof organisationPlan>;
export type ProgrammePlansView = z.infer<typeof programmePlans>;
export type PlanItemCreate = z.infer<typeof planItemCreate>;
export type PlanItemUpdate = z.infer<typeof planItemUpdate>;
export type PlanStatusChange = z.infer<typeof planStatusChange>;
export type PlanChange = z.infer<typeof planChange>;

/** Where an item may go from each status (the contract's rule, shared with the app). */
export const NEXT_STATUS = PLAN_TRANSITIONS;

/** Open items are the ones still to do: they can be overdue. */
export const isOpen = (status: string) => status === 'planned' || status === 'in_progress';

/** What an item says in words, sealed together under the organisation's key. */
export interface PlanTexts {
  /** The own item's title; null for an intervention of the catalogue. */
  title: string | null;
  notes: string;
  /** Why it was dropped; null unless it is. */
  dropReason: string | null;
}

/** One evidence file of a plan item, as the service returns it. */
export interface PlanEvidenceView {
  id: string;
  name: string;
  mediaType: string;
  size: number;
  uploadedBy: string;
  at: string;
}
