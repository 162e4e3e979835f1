import type { Locale } from '@kalaja/engine';
import type { DB } from '../../db/schema.js';
import type { ReportFormat } from '../../reports/render.js';

export type ReportRow = DB['reports'];
export type ReportKind = ReportRow['kind'];
export type ReportAudience = ReportRow['audience'];

/** What someone asks to be made. */
export interface ReportRequest {
  kind: ReportKind;
  format: ReportFormat;
  language: Locale;
  audience: ReportAudience;
  organisationId?: string | undefined;
}

/** A report job as the API shows it: what was asked, how far it got, how it ended. */
export interface ReportView {
  id: string;
  programmeId: string;
  kind: ReportKind;
  organisationId: string | null;
  organisation: string | null;
  format: ReportFormat;
  language: Locale;
  audience: ReportAudience;
  status: ReportRow['status'];
  progress: number;
  error: string | null;
  size: number | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A finished report's file, opened, with the name to offer it under. */
export interface ReportDownload {
  name: string;
  mediaType: string;
  bytes: Buffer;
}
