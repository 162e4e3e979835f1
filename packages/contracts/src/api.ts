import { z } from 'zod';
import { LIMITS } from './limits.js';

/**
 * Request and response schemas of the HTTP API (`/api/v1`). The server validates with them
 * and generates its OpenAPI document from them; the web app takes its types from them
 * (`z.infer`) and checks its forms with the same schemas before sending.
 * Every string is trimmed and bounded (by LIMITS); objects are strict, so unknown fields are
 * refused. See docs/contracts.md.
 */

export { LIMITS };

/* eslint-disable no-control-regex -- control characters are exactly what these patterns refuse */

/**
 * No NUL or other control characters (tab and line breaks aside) and no lone surrogates in
 * stored text: PostgreSQL refuses them, and no person types them.
 */
const CONTROL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const clean = { error: 'must not contain control characters' };
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL.test(s), clean);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !CONTROL.test(s), clean);
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, { error: 'is not a valid id' });
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(LIMITS.email)
  .regex(/^[^\s@\u0000-\u001F\u007F]+@[^\s@\u0000-\u001F\u007F]+\.[^\s@\u0000-\u001F\u007F]+$/, {
    error: 'is not an email address',
  });

// ---- accounts and sessions -------------------------------------------------------------

export const setupRequest = z.strictObject({
  token: text(LIMITS.token),
  email: emailSchema,
  displayName: text(LIMITS.name),
  password: z.string().max(LIMITS.password),
  /** Load the fictional demo programme, managed by this first account. */
  demo: z.boolean().default(false),
});

/** Whether the instance still waits for its first account (`GET /setup`): the app then opens the setup page. */
export const setupStatus = z.object({ needed: z.boolean() });

export const signInRequest = z.strictObject({ email: emailSchema, password: z.string().max(LIMITS.password) });

/** Base64url text from a browser's WebAuthn response, bounded so nobody ships megabytes. */
const b64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, { error: 'is base64url text' });

const authenticatorTransport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

/** What `navigator.credentials.get()` gave the browser, as @simplewebauthn/browser sends it. */
export const passkeyAssertion = z.object({
  id: b64url(1_400),
  rawId: b64url(1_400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(8_192),
    authenticatorData: b64url(8_192),
    signature: b64url(2_048),
    userHandle: b64url(512).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.object({}).default({}),
});

/** What `navigator.credentials.create()` gave the browser. */
export const passkeyAttestation = z.object({
  id: b64url(1_400),
  rawId: b64url(1_400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(8_192),
    attestationObject: b64url(32_768),
    authenticatorData: b64url(8_192).optional(),
    transports: z.array(authenticatorTransport).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4_096).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.object({}).default({}),
});

/** Options for `navigator.credentials.*`, passed through to @simplewebauthn/browser as they are. */
export const passkeyOptions = z.looseObject({ challenge: z.string() });

export const mfaRequest = z.union([
  z.strictObject({
    code: z
      .string()
      .trim()
      .regex(/^\d{3} ?\d{3}$/, { error: 'is a 6-digit code' }),
  }),
  z.strictObject({ recoveryCode: text(40) }),
  z.strictObject({ assertion: passkeyAssertion }),
]);

export const reauthRequest = z.union([
  z.strictObject({
    password: z.string().max(LIMITS.password),
    code: z
      .string()
      .trim()
      .regex(/^\d{3} ?\d{3}$/, { error: 'is a 6-digit code' }),
  }),
  z.strictObject({ password: z.string().max(LIMITS.password), assertion: passkeyAssertion }),
]);

export const sessionState = z.object({
  /** What the session still needs before it can be used: nothing, the second factor, or enrolling one. */
  next: z.enum(['done', 'mfa', 'enrol_totp', 'enrol_passkey', 'recover']),
  /** With `mfa`: the second factors this account can use now, so the page offers the right ones. */
  factors: z.array(z.enum(['totp', 'passkey', 'recovery_code'])).optional(),
});

export const totpEnrolment = z.object({ secret: z.string(), uri: z.string() });
export const totpConfirmRequest = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{3} ?\d{3}$/, { error: 'is a 6-digit code' }),
});
export const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

/**
 * A member's role. `trainer` is programme-scoped: a trainer runs the programme's training
 * sessions (and sees their participants' names), nothing else — no answers, assessments or plans.
 */
export const roleSchema = z.enum(['programme_manager', 'assessor', 'trainer', 'org_admin', 'org_member', 'observer']);

/** The languages of the interface, the content and the reports. */
export const localeSchema = z.enum(['en', 'sq', 'sr-Latn', 'sr-Cyrl']);
export const languageRequest = z.strictObject({ language: localeSchema });

export const me = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  /** The language they chose, remembered on the account; null until they choose. */
  language: localeSchema.nullable(),
  isInstanceAdmin: z.boolean(),
  memberships: z.array(
    z.object({ role: roleSchema, programmeId: z.string().nullable(), organisationId: z.string().nullable() }),
  ),
});

export const invitationRequest = z.strictObject({
  email: emailSchema,
  role: roleSchema,
  programmeId: idSchema,
  organisationId: idSchema.optional(),
});
export const invitationCreated = z.object({ id: z.string(), link: z.string(), expiresAt: z.string() });
export const acceptInvitationRequest = z.strictObject({
  token: text(LIMITS.token),
  displayName: text(LIMITS.name),
  password: z.string().max(LIMITS.password),
});

// ---- frameworks, organisations, programmes -----------------------------------------------

export const frameworkImportRequest = z.strictObject({
  source: z
    .string()
    .min(1)
    .max(LIMITS.framework)
    .refine((s) => !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s), {
      error: 'must not contain NUL characters or broken Unicode',
    }),
  format: z.enum(['yaml', 'json']).default('yaml'),
});
/* eslint-enable no-control-regex */
export const frameworkSummary = z.object({
  id: z.string(),
  key: z.string(),
  version: z.string(),
  title: z.string(),
  questions: z.number().int(),
  /** What the framework measures: organisations (a programme) or institutions (an openness index). */
  subject: z.enum(['organisation', 'institution']),
});

export const organisationKind = z.enum(['media', 'cso', 'other']);
export const sizeBand = z.enum(['1-5', '6-10', '11-25', '26-50', '51+']);
export const organisationProfile = z.strictObject({
  name: text(LIMITS.name),
  kind: organisationKind,
  sizeBand: sizeBand,
  municipality: optionalText(LIMITS.short).default(''),
  country: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}$/, { error: 'is a two-letter country code, e.g. XK' }),
  focus: optionalText(LIMITS.name).default(''),
  languages: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[a-z]{2,3}(-[A-Za-z]{4})?$/),
    )
    .max(LIMITS.languages)
    .default([]),
});
export const organisation = organisationProfile.extend({ id: z.string() });

export const roundInput = z.strictObject({
  name: text(LIMITS.short),
  startsOn: z.iso.date().optional(),
  endsOn: z.iso.date().optional(),
});
export const programmeCreateRequest = z.strictObject({
  name: text(LIMITS.name),
  frameworkId: idSchema,
  rounds: z.array(roundInput).min(1).max(LIMITS.rounds),
});
/** Scheduled (not opened yet), open (takes answers), closed (read-only until a manager reopens it). */
export const roundState = z.enum(['scheduled', 'open', 'closed']);
export const round = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number().int(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  state: roundState,
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
/** Reopening a closed round is deliberate: the manager says why (kept in the round's history). */
export const roundReopenRequest = z.strictObject({ reason: text(LIMITS.note) });
/** One step of a round's history: who opened, closed or reopened it, when, and why it was reopened. */
export const roundEvent = z.object({
  id: z.string(),
  roundId: z.string(),
  round: z.string(),
  action: z.enum(['open', 'close', 'reopen']),
  reason: z.string().nullable(),
  /** Who did it; null when the round opened by itself on its start date. */
  by: z.string().nullable(),
  at: z.string(),
});
export const programme = z.object({
  id: z.string(),
  name: z.string(),
  /** `subject` says what it measures: organisations (a programme) or institutions (an openness index). */
  framework: z.object({
    id: z.string(),
    key: z.string(),
    version: z.string(),
    subject: z.enum(['organisation', 'institution']).optional(),
  }),
  rounds: z.array(round),
});

export const programmeMember = z.object({
  userId: z.string(),
  displayName: z.string(),
  email: z.string(),
  role: roleSchema,
  organisationId: z.string().nullable(),
  assignedOrganisations: z.array(z.string()),
});

export const assessorAssignment = z.strictObject({ userId: idSchema, organisationId: idSchema });

export const assessmentStatus = z.enum(['draft', 'submitted', 'validated']);
export const progressRow = z.object({
  organisationId: z.string(),
  organisation: z.string(),
  roundId: z.string(),
  assessmentId: z.string(),
  status: assessmentStatus,
  completeness: z.number(),
});

// ---- assessments ------------------------------------------------------------------------------

export const answerInput = z.strictObject({
  /** An option id, `na`, or null to clear the answer. */
  answer: z.string().trim().min(1).max(LIMITS.short).nullable(),
  note: optionalText(LIMITS.note).default(''),
});
export const answerLayer = z.object({
  answer: z.string().nullable(),
  note: z.string(),
  by: z.string().nullable(),
  at: z.string().nullable(),
});
export const answerView = z.object({
  question: z.string(),
  own: answerLayer.nullable(),
  validated: answerLayer.nullable(),
  /** The answer that counted in the round before, carried over to confirm or change; counted nowhere. */
  carried: z.object({ answer: z.string().nullable(), note: z.string() }).nullable(),
  version: z.number().int(),
});
/**
 * Confirming answers carried over from the round before (one, or a whole domain at once): each
 * question with the version the page showed, as If-Match names it for a single save.
 */
export const confirmationRequest = z.strictObject({
  answers: z
    .array(
      z.strictObject({
        question: z.string().trim().min(1).max(LIMITS.short),
        version: z.number().int().min(1).max(999_999_999),
      }),
    )
    .min(1)
    .max(500),
});
export const confirmationResult = z.object({
  answers: z.array(z.object({ question: z.string(), version: z.number().int() })),
});
export const assessment = z.object({
  id: z.string(),
  programmeId: z.string(),
  roundId: z.string(),
  organisationId: z.string(),
  status: assessmentStatus,
  /** The assessment's round: it takes answers only while open. */
  round: z.object({
    id: z.string(),
    name: z.string(),
    state: roundState,
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
  }),
  /** The round before this one (where carried answers come from), or null for the first round. */
  previousRound: z.string().nullable(),
  answers: z.array(answerView),
});

export const assessmentListItem = z.object({
  id: z.string(),
  status: assessmentStatus,
  programmeId: z.string(),
  programme: z.string(),
  organisationId: z.string(),
  organisation: z.string(),
  round: z.string(),
  /** Whether the round takes answers now, and from and until when. */
  roundState,
  roundStartsOn: z.string().nullable(),
  roundEndsOn: z.string().nullable(),
  as: z.enum(['organisation', 'assessor']),
});

export const interviewNoteInput = z.strictObject({ domain: text(LIMITS.short), body: text(LIMITS.interviewNote) });

/** The length of `bytes` bytes in base64. */
export const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

export const importAnswersRequest = z
  .strictObject({
    /** The answers exchange CSV, as text. */
    csv: z.string().min(1).max(LIMITS.answersCsv).optional(),
    /** Or an Excel (.xlsx) or LibreOffice (.ods) file, its bytes in base64: its first sheet is read. */
    spreadsheet: z.base64().min(4).max(base64Length(LIMITS.answersSpreadsheet)).optional(),
    /** Import as the organisations' own answers (default) or as validated answers. */
    layer: z.enum(['own', 'validated']).default('own'),
  })
  .refine((body) => (body.csv === undefined) !== (body.spreadsheet === undefined), {
    error: 'send the answers either as csv or as spreadsheet, one of the two',
    path: ['csv'],
  });
export const importAnswersResult = z.object({
  organisations: z.number().int(),
  answers: z.number().int(),
  /** Assessments the import validated: with the validated layer, every assessment it covers is the assessor's finished work. */
  validated: z.number().int(),
});

/** An answers import as a job: how far it got, and how it ended. */
export const importView = z.object({
  id: z.string(),
  round: z.string(),
  layer: z.enum(['own', 'validated']),
  status: z.enum(['checking', 'staging', 'applying', 'done', 'failed']),
  /** 0..100: checking is 0, sealing and staging the rows the first half, writing them the second. */
  progress: z.number().int(),
  rows: z.number().int(),
  organisations: z.number().int(),
  error: z.string().nullable(),
  /** The file's problems when it was refused (the first 1000), each with where it is. */
  problems: z.array(z.object({ where: z.string(), message: z.string() })),
  problemCount: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const importQuery = z.strictObject({
  layer: z.enum(['own', 'validated']).default('own'),
  /** The file's name as the person chose it, for messages (and .xlsx/.ods detection). */
  file: z.string().min(1).max(200).default('answers.csv'),
});

export const auditRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string(),
  organisationId: z.string().nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  requestId: z.string(),
});

// ---- reports ----------------------------------------------------------------------------------

/** `threats`: the programme's threat landscape beside its baseline, a report of its own (issue 17; the team's edition only). */
export const reportKind = z.enum(['programme', 'organisation', 'threats']);
export const reportFormat = z.enum(['pdf', 'docx', 'html']);
/** The languages a report can be written in (the engine's SUPPORTED_LOCALES). */
export const reportLanguage = z.enum(['en', 'sq', 'sr-Latn', 'sr-Cyrl']);
/** `observers`: aggregates only, nothing computed over fewer than five organisations. */
export const reportAudience = z.enum(['programme', 'observers']);
export const reportStatus = z.enum(['queued', 'running', 'done', 'failed']);

export const reportRequest = z.strictObject({
  kind: reportKind,
  format: reportFormat.default('pdf'),
  language: reportLanguage.default('en'),
  audience: reportAudience.default('programme'),
  /** The organisation of an organisation report; not given for a programme report. */
  organisationId: idSchema.optional(),
});

export const reportJob = z.object({
  id: z.string(),
  programmeId: z.string(),
  kind: reportKind,
  organisationId: z.string().nullable(),
  /** The organisation's name, for an organisation report. */
  organisation: z.string().nullable(),
  format: reportFormat,
  language: reportLanguage,
  audience: reportAudience,
  status: reportStatus,
  /** 0..100 */
  progress: z.number().int(),
  /** Why the job failed, in plain words; null unless it failed. */
  error: z.string().nullable(),
  /** Bytes of the finished report. */
  size: z.number().int().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** A saved answer and its new version: what `If-Match` names on the next write of that question. */
export const answerSaved = z.object({ question: z.string(), version: z.number().int() });

/** An evidence file of an assessment, attached to one question, to a whole domain, or to neither. */
export const evidenceItem = z.object({
  id: z.string(),
  question: z.string().nullable(),
  domain: z.string().nullable(),
  name: z.string(),
  mediaType: z.string(),
  /** Bytes; at most LIMITS.evidenceFile. */
  size: z.number().int(),
  uploadedBy: z.string(),
  at: z.string(),
});

/** An assessor's note from an interview with the organisation, on one domain. */
export const interviewNote = z.object({
  id: z.string(),
  domain: z.string(),
  body: z.string(),
  authorId: z.string(),
  at: z.string(),
});
export const interviewNoteCreated = z.object({ id: z.string() });

/**
 * The programme team's review of the recommendations the rules drafted (docs/contracts.md,
 * 4.8): each draft kept, edited or dropped, and the team's own added, before a report is made.
 */
export const recommendationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9:._-]{1,200}$/, { error: 'is not a recommendation id' });
export const recommendationPriority = z.enum(['high', 'medium', 'low']);
export const recommendationItem = z.object({
  id: recommendationIdSchema,
  /** The rule that drafted it, or `team` for one the team added. */
  rule: z.string(),
  priority: recommendationPriority,
  title: z.string(),
  text: z.string(),
  review: z.enum(['drafted', 'edited', 'added', 'dropped']),
  /** The draft as the rule wrote it (null for the team's own). */
  draft: z.object({ title: z.string(), text: z.string(), priority: recommendationPriority }).nullable(),
});
export const recommendationReview = z.object({
  language: reportLanguage,
  items: z.array(recommendationItem),
  /** Edits of drafts that no longer fire on the current findings; left out of reports. */
  stale: z.array(z.string()),
});
export const recommendationEditRequest = z.strictObject({
  language: reportLanguage,
  title: z.string().trim().min(1).max(300).optional(),
  text: z.string().trim().min(1).max(4000).optional(),
  priority: recommendationPriority.optional(),
  dropped: z.boolean().optional(),
});
export const recommendationAddRequest = z.strictObject({
  language: reportLanguage,
  title: z.string().trim().min(1).max(300),
  text: z.string().trim().min(1).max(4000),
  priority: recommendationPriority.default('medium'),
});
