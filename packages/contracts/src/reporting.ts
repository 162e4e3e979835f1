import { z } from 'zod';
import { idSchema } from './api.js';

/**
 * The secure reporting channel (issue 17, part 5; docs/contracts.md §17): a public form with no
 * account, sealed at once to the receiving team's key; a receipt code read back replies; the
 * team's inbox in the app.
 */

export const REPORTING_LIMITS = {
  /** What happened, and each message after it. */
  text: 20_000,
  /** When and where, in the reporter's words. */
  short: 500,
  /** Files with one report or one message. */
  files: 5,
  /** One file, in bytes. */
  fileBytes: 10 * 1024 * 1024,
  /** Days a closed report is kept at most (ten years). */
  retentionDays: 3650,
} as const;

/** A receipt code: 20 letters and digits of Crockford's base32 (100 bits), in groups of five. */
export const RECEIPT_PATTERN = /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/;

export const contactPreference = z.enum(['none', 'receipt', 'email', 'signal', 'phone']);

/** What the reporter sends (the `report` field of the multipart form, as JSON). */
export const reportSubmission = z.strictObject({
  what: z.string().trim().min(1).max(REPORTING_LIMITS.text),
  when: z.string().trim().max(REPORTING_LIMITS.short).optional(),
  where: z.string().trim().max(REPORTING_LIMITS.short).optional(),
  /** A category id from content/taxonomies/incidents.yaml. */
  category: z.string().trim().min(1).max(100).optional(),
  contact: contactPreference.default('receipt'),
  /** How to reach them, when the preference is not the receipt code. */
  contactDetail: z.string().trim().max(REPORTING_LIMITS.short).optional(),
  /** Remove metadata from files before they are stored (on unless the reporter turns it off). */
  stripMetadata: z.boolean().default(true),
});
export type ReportSubmission = z.infer<typeof reportSubmission>;

export const receiptInput = z.strictObject({ code: z.string().trim().min(1).max(100) });
/** More from the reporter (the `message` field of the multipart form, as JSON), with files beside it. */
export const reporterMessageInput = z.strictObject({
  code: z.string().trim().min(1).max(100),
  text: z.string().trim().min(1).max(REPORTING_LIMITS.text),
  stripMetadata: z.boolean().default(true),
});
export type ReporterMessageInput = z.infer<typeof reporterMessageInput>;

export const reportFileView = z.object({
  id: idSchema,
  name: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  /** Whether metadata was removed before it was stored. */
  stripped: z.boolean(),
});

export const reportMessageView = z.object({
  id: idSchema,
  from: z.enum(['reporter', 'team']),
  text: z.string(),
  at: z.string(),
  files: z.array(reportFileView),
});

export const submittedReport = z.object({
  /** Shown once: only a keyed hash of it is stored. */
  receipt: z.string(),
  receivedAt: z.string(),
  files: z.array(reportFileView),
});

/** What the reporter reads with their code. */
export const reporterView = z.object({
  status: z.enum(['open', 'closed']),
  receivedAt: z.string(),
  what: z.string(),
  messages: z.array(reportMessageView),
});

export const channelStatus = z.object({
  enabled: z.boolean(),
  limits: z.object({ files: z.number(), fileBytes: z.number(), text: z.number() }),
  categories: z.array(z.object({ id: z.string(), label: z.string() })),
});

export const teamReportSummary = z.object({
  id: idSchema,
  status: z.enum(['open', 'closed']),
  receivedAt: z.string(),
  category: z.string().nullable(),
  tags: z.array(z.string()),
  messages: z.number().int(),
  lastFrom: z.enum(['reporter', 'team']),
  updatedAt: z.string(),
});

export const teamReport = z.object({
  id: idSchema,
  status: z.enum(['open', 'closed']),
  receivedAt: z.string(),
  closedAt: z.string().nullable(),
  what: z.string(),
  when: z.string().nullable(),
  where: z.string().nullable(),
  category: z.string().nullable(),
  contact: contactPreference,
  contactDetail: z.string().nullable(),
  tags: z.array(z.string()),
  files: z.array(reportFileView),
  messages: z.array(reportMessageView),
});

/** Whether the signed-in person is in the reporting team (for the app's menu). */
export const reportingMembership = z.object({ team: z.boolean(), admin: z.boolean() });

export const teamReplyInput = z.strictObject({ text: z.string().trim().min(1).max(REPORTING_LIMITS.text) });
export const teamTagsInput = z.strictObject({ tags: z.array(z.string().trim().min(1).max(100)).max(20) });

export const reportingSettings = z.object({
  enabled: z.boolean(),
  /** Closed reports older than this many days are deleted with their keys. */
  retentionDays: z.number().int().min(1).max(REPORTING_LIMITS.retentionDays),
  receivers: z.array(z.object({ userId: idSchema, name: z.string(), email: z.string() })),
});
export const reportingSettingsInput = z.strictObject({
  enabled: z.boolean(),
  retentionDays: z.number().int().min(1).max(REPORTING_LIMITS.retentionDays),
});
export const receiverInput = z.strictObject({ userId: idSchema });

export type ReportFileView = z.infer<typeof reportFileView>;
export type ReportMessageView = z.infer<typeof reportMessageView>;
export type SubmittedReport = z.infer<typeof submittedReport>;
export type ReporterView = z.infer<typeof reporterView>;
export type ChannelStatus = z.infer<typeof channelStatus>;
export type TeamReportSummary = z.infer<typeof teamReportSummary>;
export type TeamReport = z.infer<typeof teamReport>;
export type ReportingSettings = z.infer<typeof reportingSettings>;
export type ReportingMembership = z.infer<typeof reportingMembership>;
