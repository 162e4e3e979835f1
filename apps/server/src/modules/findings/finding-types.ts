import type { z } from 'zod';
import type {
  finding,
  findingChange,
  findingCreate,
  findingImport,
  findingRetestInput,
  findingReview,
  findingSeverity,
  findingStatus,
  findingsSummary,
  findingTarget,
  findingToPlan,
  findingUpdate,
  organisationFindings,
  retestOutcome,
} from '@kalaja/contracts';

export type FindingSeverity = z.infer<typeof findingSeverity>;
export type FindingStatus = z.infer<typeof findingStatus>;
export type FindingTarget = z.infer<typeof findingTarget>;
export type RetestOutcome = z.infer<typeof retestOutcome>;
export type FindingView = z.infer<typeof finding>;
export type OrganisationFindingsView = z.infer<typeof organisationFindings>;
export type FindingsSummaryView = z.infer<typeof findingsSummary>;
export type FindingCreate = z.infer<typeof findingCreate>;
export type FindingUpdate = z.infer<typeof findingUpdate>;
export type FindingReview = z.infer<typeof findingReview>;
export type FindingToPlan = z.infer<typeof findingToPlan>;
export type FindingRetestInput = z.infer<typeof findingRetestInput>;
export type FindingChange = z.infer<typeof findingChange>;
export type FindingImport = z.infer<typeof findingImport>;

/** What a finding says in words, sealed together under the organisation's key. */
export interface FindingTexts {
  title: string;
  description: string;
  method: string;
  recommendation: string;
  /** The CVSS vector as checked (normalised), or null. */
  cvss: string | null;
  /** The latest retest's outcome and notes; null before a retest. */
  retest: { outcome: RetestOutcome; notes: string } | null;
}

/** Where a finding's author may still edit it. */
export const EDITABLE: readonly FindingStatus[] = ['draft', 'changes_requested'];
/** Where a retest may be recorded: approved, or partly fixed at the last retest. */
export const RETESTABLE: readonly FindingStatus[] = ['approved', 'partly_fixed', 'fixed', 'accepted_risk'];
