import type { RoundState } from '../programmes/programme-types.js';

/** The organisation's own answers, and the assessor's validated ones. */
export type Layer = 'own' | 'validated';
export type Status = 'draft' | 'submitted' | 'validated';

/**
 * Whether a layer of an assessment in this status can no longer be written: the organisation's
 * own answers once it is submitted, the validated ones once it is validated. One rule for a
 * single save and for an import.
 */
export const closedTo = (layer: Layer, status: string): boolean =>
  status === 'validated' || (layer === 'own' && status !== 'draft');

/** One layer of one answer as the API shows it: the option (or `na`, or none), the note, who and when. */
export interface AnswerLayer {
  answer: string | null;
  note: string;
  by: string | null;
  at: string | null;
}

export interface AssessmentView {
  id: string;
  programmeId: string;
  roundId: string;
  organisationId: string;
  status: Status;
  /** Its round, and whether it takes answers now. */
  round: { id: string; name: string; state: RoundState; startsOn: string | null; endsOn: string | null };
  /** The round before this one (where carried answers come from), or null for the first round. */
  previousRound: string | null;
  answers: {
    question: string;
    own: AnswerLayer | null;
    validated: AnswerLayer | null;
    /** The answer that counted in the round before, to confirm or change; null when none. */
    carried: { answer: string | null; note: string } | null;
    version: number;
  }[];
}

/** One assessment in the list of those the actor works on, and why it is there. */
export interface AssessmentListItem {
  id: string;
  status: Status;
  programmeId: string;
  programme: string;
  organisationId: string;
  organisation: string;
  round: string;
  /** Whether the round takes answers now, and from and until when. */
  roundState: RoundState;
  roundStartsOn: string | null;
  roundEndsOn: string | null;
  as: 'organisation' | 'assessor';
}
