/**
 * A stored published version (`publications`). What crosses HTTP is in @kalaja/contracts
 * (`publicationSummary`, `publicationPreview`, `publicationList`).
 */
export interface PublicationRow {
  id: string;
  programme_id: string;
  round_id: string;
  version: number;
  organisations: number;
  figures: string;
  sets: string;
  members: string;
  published_by: string;
  published_at: number;
}
