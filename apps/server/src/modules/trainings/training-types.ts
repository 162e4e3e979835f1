import type { z } from 'zod';
import type {
  checkLinksIssued,
  checkResult,
  checkSubmission,
  checkView,
  paperAnswers,
  trainingImpact,
  trainingModuleInfo,
  trainingParticipant,
  trainingParticipantCreate,
  trainingParticipantUpdate,
  trainingSession,
  trainingSessionCreate,
  trainingSessionDetail,
  trainingSessions,
  trainingSessionUpdate,
} from '@kalaja/contracts';

export type TrainingModuleView = z.infer<typeof trainingModuleInfo>;
export type SessionView = z.infer<typeof trainingSession>;
export type SessionDetailView = z.infer<typeof trainingSessionDetail>;
export type SessionsView = z.infer<typeof trainingSessions>;
export type ParticipantView = z.infer<typeof trainingParticipant>;
export type SessionCreate = z.infer<typeof trainingSessionCreate>;
export type SessionUpdate = z.infer<typeof trainingSessionUpdate>;
export type ParticipantCreate = z.infer<typeof trainingParticipantCreate>;
export type ParticipantUpdate = z.infer<typeof trainingParticipantUpdate>;
export type LinksIssuedView = z.infer<typeof checkLinksIssued>;
export type PaperAnswers = z.infer<typeof paperAnswers>;
export type CheckSubmission = z.infer<typeof checkSubmission>;
export type CheckView = z.infer<typeof checkView>;
export type CheckResultView = z.infer<typeof checkResult>;
export type TrainingImpactView = z.infer<typeof trainingImpact>;

export type CheckState = 'none' | 'pre' | 'post' | 'closed';
/** The phases a participant's results are stored under: once each. */
export type ResultPhase = 'pre' | 'post' | `follow-up-${number}`;
export type AnswerVia = 'link' | 'paper' | 'import';

/** A participant's name or pseudonym and role, sealed together under the organisation's key. */
export interface ParticipantTexts {
  name: string;
  role: string;
}

/** The reaction survey after the session. */
export interface Reaction {
  usefulness: number;
  relevance: number;
  pace: 'slow' | 'right' | 'fast';
  comment: string;
}

/** What a participant gave in one phase, sealed together under the organisation's key. */
export interface ResultBody {
  /** Item id → option id, '' for skipped; empty for a follow-up. */
  answers: Record<string, string>;
  /** 0–100 for pre and post; null for a follow-up. */
  score: number | null;
  confidence: number | null;
  reaction: Reaction | null;
  /** Practice id → yes | partly | no, for a follow-up. */
  practices: Record<string, 'yes' | 'partly' | 'no'> | null;
}

/** How long links stay valid, and how many codes a client address may try. */
export const CHECK_RULES = {
  /** A pre/post link expires this long after the session's start. */
  linkAfterStartMs: 14 * 24 * 60 * 60_000,
  /** A follow-up link expires this long after it is issued. */
  followUpMs: 30 * 24 * 60 * 60_000,
  /** Codes tried per client address in a window, before 429. */
  codeAttempts: 10,
  codeWindowMs: 60_000,
  /** Every public check answer takes at least this long, found or not. */
  floorMs: 40,
} as const;
