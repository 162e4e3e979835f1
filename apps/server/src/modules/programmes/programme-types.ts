import type { Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';

/** An organisation's profile: what a programme records about a participant, and nothing more. */
export interface OrganisationProfile {
  name: string;
  kind: 'media' | 'cso' | 'other';
  sizeBand: '1-5' | '6-10' | '11-25' | '26-50' | '51+';
  municipality: string;
  country: string;
  focus: string;
  languages: string[];
}

/** A programme with its pinned framework version and its rounds in order. */
export interface ProgrammeView {
  id: string;
  name: string;
  framework: { id: string; key: string; version: string; subject: 'organisation' | 'institution' };
  rounds: {
    id: string;
    name: string;
    position: number;
    startsOn: string | null;
    endsOn: string | null;
    state: RoundState;
    openedAt: string | null;
    closedAt: string | null;
  }[];
}

/** A round row as the lifecycle reads it. */
export type RoundRow = Selectable<DB['rounds']>;

/** Scheduled (not opened yet), open (takes answers), closed (read-only until reopened). */
export type RoundState = 'scheduled' | 'open' | 'closed';

export const roundState = (r: Pick<RoundRow, 'opened_at' | 'closed_at'>): RoundState =>
  r.closed_at !== null ? 'closed' : r.opened_at !== null ? 'open' : 'scheduled';

/** One step of a round's history, as its managers read it. */
export interface RoundEventView {
  id: string;
  roundId: string;
  round: string;
  action: 'open' | 'close' | 'reopen';
  /** Why it was reopened; null for the other steps. */
  reason: string | null;
  /** Who did it; null when the round opened by itself on its start date. */
  by: string | null;
  at: string;
}
