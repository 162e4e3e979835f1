import { z } from 'zod';
import { idSchema, optionalText, reportLanguage, text } from './api.js';
import { LIMITS } from './limits.js';
import { changeSchema } from './score-report.js';

/**
 * Trainings (DESIGN.md, "Contract: trainings and knowledge checks"; issue 14): the catalogue of
 * modules, a programme's sessions and their participants, the knowledge checks participants
 * take on their phones with a one-time link or a short code, answers entered from paper or
 * imported from a responses CSV, and the training impact. Scores are 0–100 (the share of a
 * module's items answered correctly), at full precision; pages round them with the display
 * helpers. Names, roles, answers and comments are sealed on the server; only counts, dates and
 * states are kept in clear.
 */

/** A content text: a plain string (English) or a map from locale to string, as the module file has it. */
const localText = z.union([z.string(), z.record(z.string(), z.string())]);
/** Module, item, option and practice ids are slugs (the module file's ids). */
const slug = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(LIMITS.short)
    .regex(/^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/, { error: `is not a ${what} id` });

/** The phases of a knowledge check a participant takes: before and after the session. */
export const checkPhase = z.enum(['pre', 'post']);
/**
 * Where a session's check stands, moved by the trainer: `none` (no links issued yet), `pre`
 * (opens when the links are issued), `post` (after the session), `closed`. The server refuses
 * any other move than forward, one step or more (409).
 */
export const sessionCheckState = z.enum(['none', 'pre', 'post', 'closed']);
export const SESSION_CHECK_ORDER = sessionCheckState.options;
/** The languages a session (and its check) runs in. */
export const trainingLanguage = reportLanguage;
/** The days after the session a follow-up asks about. */
export const followUpDays = z.union([z.literal(30), z.literal(90)]);
/** A follow-up's answer for one practice: has the participant put it into practice? */
export const practiceAnswer = z.enum(['yes', 'partly', 'no']);
/** The pace a participant felt in the reaction survey after the session. */
export const reactionPace = z.enum(['slow', 'right', 'fast']);

/** Bounds a session and its check are held to. */
export const TRAINING_LIMITS = {
  capacityDefault: 20,
  capacityMax: 500,
  durationMin: 15,
  durationMax: 24 * 60,
  /** A reaction's free comment. */
  comment: 1000,
  /** A responses CSV, in characters. */
  responsesCsv: 2 * 1024 * 1024,
  /** A short code: 8 characters of CHECK_CODE_ALPHABET, shown as XXXX-XXXX. */
  codeLength: 8,
  /** Days a pre/post link stays valid after the session starts. */
  linkDays: 14,
  /** Days a follow-up link stays valid after it is issued. */
  followUpLinkDays: 30,
} as const;

/** The short code's alphabet: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, so that a code read off a projector is typed right. */
export const CHECK_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

/**
 * A short code as typed: case, spaces and dashes do not matter (`abcd-efgh`, `ABCD EFGH`).
 * The value is normalised to the 8 characters without the dash.
 */
export const checkCode = z
  .string()
  .max(40)
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .refine((s) => s.length === TRAINING_LIMITS.codeLength && [...s].every((c) => CHECK_CODE_ALPHABET.includes(c)), {
    error: 'is not a check code (8 letters and digits, like ACDE-F347)',
  });

// ---- the catalogue ------------------------------------------------------------------------

export const trainingOption = z.object({
  id: z.string(),
  label: localText,
  /** Only for the programme team (managers and trainers). */
  correct: z.boolean().optional(),
});

export const trainingItem = z.object({
  id: z.string(),
  text: localText,
  options: z.array(trainingOption),
  /** Why the correct option is correct; only for the programme team. */
  explanation: localText.nullable().optional(),
});

/** `GET /training-modules`: one module of the catalogue. */
export const trainingModuleInfo = z.object({
  id: z.string(),
  version: z.string(),
  title: localText,
  summary: localText.nullable(),
  /** Framework domains the module serves. */
  domains: z.array(z.string()),
  /** Catalogue interventions the module delivers. */
  interventions: z.array(z.string()),
  agenda: z.array(z.object({ minutes: z.number().int(), title: localText, description: localText.nullable() })),
  /** The number of items in its knowledge check. */
  itemCount: z.number().int(),
  /** What a follow-up asks whether participants now do. */
  practices: z.array(z.object({ id: z.string(), text: localText })),
  /** The check's items, with the correct option and explanations: only for managers and trainers. */
  items: z.array(trainingItem).optional(),
});
export const trainingModules = z.object({ modules: z.array(trainingModuleInfo) });

// ---- sessions ------------------------------------------------------------------------------

export const trainingModuleRef = z.object({
  id: z.string(),
  version: z.string(),
  title: localText,
  domains: z.array(z.string()),
  itemCount: z.number().int(),
});

/** A follow-up run for a session: when its links were issued and how many answered. */
export const followUpInfo = z.object({
  days: z.number().int(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  asked: z.number().int(),
  responded: z.number().int(),
});

/** A session as listed (`GET /programmes/:id/trainings`). */
export const trainingSession = z.object({
  id: z.string(),
  /** What `If-Match` names on the next write of the session. */
  version: z.number().int(),
  programmeId: z.string(),
  module: trainingModuleRef,
  /** The session's own title; when none was given, the module's title in the session's language. */
  title: z.string(),
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  place: z.string(),
  online: z.boolean(),
  /** Where to join an online session (text as the trainer gave it). */
  onlineLink: z.string(),
  /** The trainers' names, as text. */
  trainers: z.string(),
  capacity: z.number().int(),
  language: trainingLanguage,
  check: sessionCheckState,
  /** When the current pre/post links were issued and until when they work; null before. */
  linksIssuedAt: z.string().nullable(),
  linksExpireAt: z.string().nullable(),
  followUps: z.array(followUpInfo),
  /** Participants registered (for an organisation member: of their own organisation). */
  registered: z.number().int(),
  attended: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const trainingSessions = z.object({
  programmeId: z.string(),
  /** Whether the reader may schedule and run sessions (managers and trainers). */
  canManage: z.boolean(),
  sessions: z.array(trainingSession),
  /**
   * The organisations participants can come from, by name: every organisation of the programme
   * for managers and trainers (whom they register), the reader's own for an organisation member.
   */
  organisations: z.array(z.object({ id: z.string(), name: z.string() })),
});

/**
 * Where one participant stands in one phase: `no_link` (no link issued), `waiting` (a link
 * works and the phase is not taken), `taken`, `missed` (the phase closed without it),
 * `expired` (the link expired before it was taken).
 */
export const participantPhaseState = z.enum(['no_link', 'waiting', 'taken', 'missed', 'expired']);
/** How a phase's answers came in. */
export const answerSource = z.enum(['link', 'paper', 'import']);

export const participantPhase = z.object({
  state: participantPhaseState,
  /** 0–100; null when not taken. */
  score: z.number().nullable(),
  /** 1–5 self-rating; null when not given. */
  confidence: z.number().int().nullable(),
  via: answerSource.nullable(),
  at: z.string().nullable(),
});

export const trainingParticipant = z.object({
  id: z.string(),
  /** What `If-Match` names on the next write of the participant. */
  version: z.number().int(),
  /** Name or pseudonym, as recorded. */
  displayName: z.string(),
  organisationId: z.string(),
  organisation: z.string(),
  role: z.string(),
  attended: z.boolean(),
  /** The current pre/post link: when it expires; null when none was issued. */
  linkExpiresAt: z.string().nullable(),
  pre: participantPhase,
  post: participantPhase,
  /** Whether the participant answered the reaction survey. */
  reacted: z.boolean(),
  /** The latest follow-up asked of this participant, if any. */
  followUp: z
    .object({
      days: z.number().int(),
      state: participantPhaseState,
      at: z.string().nullable(),
    })
    .nullable(),
});

/** `GET /trainings/:session`: a session in full, with its participants. */
export const trainingSessionDetail = trainingSession.extend({
  canManage: z.boolean(),
  /** In the order they were added. For an organisation member, only their own organisation's. */
  participants: z.array(trainingParticipant),
});

const startsAt = z.iso.datetime({
  offset: true,
  error: 'is not a date and time (ISO 8601, e.g. 2026-03-10T09:00:00Z)',
});
const duration = z.number().int().min(TRAINING_LIMITS.durationMin).max(TRAINING_LIMITS.durationMax);
const capacity = z.number().int().min(1).max(TRAINING_LIMITS.capacityMax);

/** `POST /programmes/:id/trainings`: schedules a session of a module. */
export const trainingSessionCreate = z
  .strictObject({
    module: slug('module'),
    /** Optional: the module's title is used when none is given. */
    title: optionalText(LIMITS.name).default(''),
    startsAt,
    durationMinutes: duration,
    place: optionalText(LIMITS.name).default(''),
    online: z.boolean().default(false),
    onlineLink: optionalText(LIMITS.name).default(''),
    trainers: optionalText(LIMITS.name).default(''),
    capacity: capacity.default(TRAINING_LIMITS.capacityDefault),
    language: trainingLanguage.default('en'),
  })
  .superRefine((b, ctx) => {
    if (!b.online && b.place === '')
      ctx.addIssue({
        code: 'custom',
        path: ['place'],
        message: 'say where the session takes place, or that it is online',
      });
    if (!b.online && b.onlineLink !== '')
      ctx.addIssue({ code: 'custom', path: ['onlineLink'], message: 'is only for an online session' });
  });

/** `PATCH /trainings/:session`: any of these fields (If-Match with the session's version). */
export const trainingSessionUpdate = z
  .strictObject({
    title: optionalText(LIMITS.name).optional(),
    startsAt: startsAt.optional(),
    durationMinutes: duration.optional(),
    place: optionalText(LIMITS.name).optional(),
    online: z.boolean().optional(),
    onlineLink: optionalText(LIMITS.name).optional(),
    trainers: optionalText(LIMITS.name).optional(),
    capacity: capacity.optional(),
    language: trainingLanguage.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'change at least one field' });

/** `POST /trainings/:session/participants`: one participant, of an organisation of the programme. */
export const trainingParticipantCreate = z.strictObject({
  /** Name or pseudonym: no more than the programme needs. */
  displayName: text(LIMITS.name),
  organisationId: idSchema,
  role: optionalText(LIMITS.name).default(''),
  attended: z.boolean().default(false),
});

/** `PATCH /trainings/:session/participants/:participant`. */
export const trainingParticipantUpdate = z
  .strictObject({
    displayName: text(LIMITS.name).optional(),
    role: optionalText(LIMITS.name).optional(),
    attended: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'change at least one field' });

/**
 * `POST /trainings/:session/links` (and `…/follow-up`): issues links for every participant, or
 * for the ones named; issuing again revokes the participant's earlier link of that kind.
 */
export const checkLinksRequest = z.strictObject({
  participants: z.array(idSchema).min(1).max(TRAINING_LIMITS.capacityMax).optional(),
});

/** One participant's link: shown once, in this response only (the server keeps only a hash). */
export const checkLink = z.object({
  participantId: z.string(),
  displayName: z.string(),
  organisation: z.string(),
  /** The link's secret; the page is `/check/<token>`. */
  token: z.string(),
  /** The app path of the check page, `/check/<token>`. */
  path: z.string(),
  /** The short code typed at `/check`, shown as XXXX-XXXX. */
  code: z.string(),
  expiresAt: z.string(),
});
export const checkLinksIssued = z.object({
  sessionId: z.string(),
  kind: z.enum(['check', 'follow-up']),
  /** For a follow-up: the days after the session it asks about. */
  days: z.number().int().nullable(),
  expiresAt: z.string(),
  links: z.array(checkLink),
});

/** `POST /trainings/:session/phase`: moves the session's check forward. */
export const sessionPhaseRequest = z.strictObject({ phase: z.enum(['pre', 'post', 'closed']) });

/** `POST /trainings/:session/follow-up`: issues follow-up links (30 or 90 days after the session). */
export const followUpRequest = z.strictObject({
  days: followUpDays,
  participants: z.array(idSchema).min(1).max(TRAINING_LIMITS.capacityMax).optional(),
});

const itemAnswers = z
  .record(slug('item'), z.union([slug('option'), z.literal('')]))
  .refine((a) => Object.keys(a).length <= 100, { error: 'has more items than any module' });
const confidence = z.number().int().min(1).max(5);

/** `PUT /trainings/:session/participants/:participant/answers/:phase`: answers from paper. */
export const paperAnswers = z.strictObject({
  /** Item id → the option ticked, or '' for an item left blank; an item not named is blank. */
  answers: itemAnswers,
  confidence: confidence.optional(),
});

/** `POST /trainings/:session/responses`: a responses CSV (`participant,phase,item,answer`). */
export const responsesImportRequest = z.strictObject({
  csv: z.string().min(1).max(TRAINING_LIMITS.responsesCsv),
});
export const responsesImportResult = z.object({
  /** Participants the file gave answers for. */
  participants: z.number().int(),
  /** Phases (participant × pre/post) written. */
  phases: z.number().int(),
  responses: z.number().int(),
});

// ---- impact -------------------------------------------------------------------------------

const mean = z.number().nullable();
export const confidenceSummary = z.object({
  /** Participants with a self-rating both before and after. */
  n: z.number().int(),
  pre: mean,
  post: mean,
});
export const reactionSummary = z.object({
  /** Participants who answered the reaction survey. */
  n: z.number().int(),
  usefulness: mean,
  relevance: mean,
  pace: z.object({ slow: z.number().int(), right: z.number().int(), fast: z.number().int() }),
});
export const followUpSummary = z.object({
  days: z.number().int(),
  asked: z.number().int(),
  responded: z.number().int(),
  practices: z.array(
    z.object({
      id: z.string(),
      text: localText,
      yes: z.number().int(),
      partly: z.number().int(),
      no: z.number().int(),
    }),
  ),
});
/** The knowledge figures of a group of participants: means of each phase and the paired change. */
export const knowledgeSummary = z.object({
  /** Participants with a pre score, and their mean. */
  preN: z.number().int(),
  preMean: mean,
  postN: z.number().int(),
  postMean: mean,
  /** The contract's Change over post − pre of the participants with both (0–100 points). */
  change: changeSchema,
});

export const sessionImpact = z.object({
  sessionId: z.string(),
  title: z.string(),
  module: trainingModuleRef,
  startsAt: z.string(),
  registered: z.number().int(),
  attended: z.number().int(),
  knowledge: knowledgeSummary,
  confidence: confidenceSummary,
  reaction: reactionSummary,
  followUps: z.array(followUpSummary),
  /** Per participant, for the programme team only (managers and trainers): pre and post. */
  participants: z
    .array(
      z.object({
        participantId: z.string(),
        displayName: z.string(),
        organisation: z.string(),
        attended: z.boolean(),
        pre: z.number().nullable(),
        post: z.number().nullable(),
      }),
    )
    .optional(),
});

export const moduleImpact = z.object({
  module: trainingModuleRef,
  sessions: z.number().int(),
  registered: z.number().int(),
  attended: z.number().int(),
  knowledge: knowledgeSummary,
  confidence: confidenceSummary,
  reaction: reactionSummary,
  followUps: z.array(followUpSummary),
});

/**
 * One organisation's people in one module beside the organisation's own change in the domains
 * the module serves. An association, never a cause: the domain change has many reasons.
 */
export const organisationTrainingImpact = z.object({
  organisationId: z.string(),
  organisation: z.string(),
  /** Participants it sent (registered) and those who attended, over all sessions. */
  sent: z.number().int(),
  attended: z.number().int(),
  /** The rounds the domain change runs between (baseline → latest with a result); null without two, and for trainers. */
  rounds: z.object({ from: z.string(), to: z.string() }).nullable(),
  modules: z.array(
    z.object({
      module: trainingModuleRef,
      sent: z.number().int(),
      attended: z.number().int(),
      /** Mean of post − pre over its participants with both; n counts them. */
      knowledge: z.object({ n: z.number().int(), mean: mean }),
      /**
       * The organisation's change in each domain the module serves, later − earlier on the
       * framework's scale. Results: for managers only (empty for trainers).
       */
      domains: z.array(
        z.object({ domain: z.string(), before: z.number().nullable(), after: z.number().nullable(), change: mean }),
      ),
    }),
  ),
});

/** `GET /programmes/:id/trainings/impact`. */
export const trainingImpact = z.object({
  programmeId: z.string(),
  sessions: z.array(sessionImpact),
  modules: z.array(moduleImpact),
  organisations: z.array(organisationTrainingImpact),
  /** Said beside the organisations' figures: the two move together or not; the training is not shown to be the cause. */
  association: z.literal(true),
});

// ---- the participant's check (public, no account) ----------------------------------------

/** `POST /checks/code`: a short code typed at `/check` → the link's token. */
export const checkCodeRequest = z.strictObject({ code: checkCode });
export const checkCodeResult = z.object({ token: z.string() });

/** A link's token, as it appears in `/check/<token>`. */
export const checkToken = z
  .string()
  .min(20)
  .max(LIMITS.token)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'is not a check link' });
/** The phase a participant submits. */
export const checkSubmitPhase = z.enum(['pre', 'post', 'follow-up']);
/** The phase open now for the participant, or why none is. */
export const checkOpenPhase = z.enum(['pre', 'post', 'follow-up', 'waiting', 'done', 'expired']);

/** A participant's result in one phase, and after the post check the explanations. */
export const checkResult = z.object({
  phase: checkSubmitPhase,
  /** 0–100; null for a follow-up. */
  score: z.number().nullable(),
  correct: z.number().int(),
  items: z.number().int(),
  /** After the post check: each item with the option chosen, the correct one and why. */
  explanations: z
    .array(
      z.object({
        item: z.string(),
        chosen: z.string(),
        correct: z.string(),
        right: z.boolean(),
        explanation: z.string().nullable(),
      }),
    )
    .optional(),
});

/** `GET /checks/:token`: what the phone page needs; texts in the session's language. */
export const checkView = z.object({
  /** The session's title and the module's, in the session's language. */
  title: z.string(),
  module: z.string(),
  language: trainingLanguage,
  startsAt: z.string(),
  /**
   * `pre`, `post`, `follow-up`: open now. `waiting`: the next phase is not open yet (the pre
   * check is taken, the session is on). `done`: nothing left to take. `expired`: the check closed
   * before this participant took it. A link that is itself past its expiry (or unknown, or
   * replaced) gets 410 instead, the same answer for each, so that nobody learns a link existed.
   */
  phase: checkOpenPhase,
  /** The items in the module's order (the same before and after), without which option is correct. */
  items: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      options: z.array(z.object({ id: z.string(), label: z.string() })),
    }),
  ),
  /** For a follow-up: the practices asked about. */
  practices: z.array(z.object({ id: z.string(), text: z.string() })),
  /** The phases taken already, with their results. */
  results: z.array(checkResult),
});

export const checkReaction = z.strictObject({
  usefulness: z.number().int().min(1).max(5),
  relevance: z.number().int().min(1).max(5),
  pace: reactionPace,
  comment: optionalText(TRAINING_LIMITS.comment).default(''),
});

/** `POST /checks/:token/:phase`. */
export const checkSubmission = z.strictObject({
  /** Item id → option id, or '' for an item skipped; an item not named is skipped. Not for a follow-up. */
  answers: itemAnswers.default({}),
  confidence: confidence.optional(),
  /** After the session only (post). */
  reaction: checkReaction.optional(),
  /** Follow-up only: practice id → yes | partly | no. */
  practices: z.record(slug('practice'), practiceAnswer).optional(),
});
