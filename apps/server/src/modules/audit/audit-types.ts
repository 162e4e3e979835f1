/** What a change records about itself in the audit log; who and when come from the actor and the clock. */
export interface AuditEntry {
  action: string;
  objectType: string;
  objectId: string | null;
  organisationId: string | null;
}

/** One audit row as the API shows it. */
export interface AuditView {
  seq: number;
  at: string;
  actorId: string | null;
  actorRole: string;
  organisationId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  requestId: string;
}
