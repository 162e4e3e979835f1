import { z } from 'zod';
import { idSchema, optionalText, reportFormat, reportLanguage, roundInput, text } from './api.js';
import { LIMITS } from './limits.js';

/**
 * The openness index (docs/contracts.md, §11; decision 0015): public institutions measured on an
 * institution framework, wave by wave, on evidence, and published as open pages and open data.
 * An index is a programme, its institutions are its organisations, its waves are its rounds.
 */

export const institutionType = z.enum([
  'parliament',
  'government-office',
  'ministry',
  'agency',
  'municipality',
  'other',
]);
export const institutionLevel = z.enum(['national', 'regional', 'local']);
export const indicatorSource = z.enum(['desk-research', 'questionnaire', 'interview']);

const countryCode = z
  .string()
  .trim()
  .regex(/^[A-Z]{2}$/, { error: 'is a two-letter country code, e.g. XK' });

/** A new index: a name, an institution framework, its waves in order. */
export const indexCreate = z.strictObject({
  name: text(LIMITS.name),
  frameworkId: idSchema,
  waves: z.array(roundInput).min(1).max(LIMITS.rounds),
});

export const institutionInput = z.strictObject({
  name: text(LIMITS.name),
  type: institutionType,
  level: institutionLevel,
  country: countryCode,
});
export const institution = institutionInput.extend({ id: z.string() });

/**
 * A web address a person can open: http or https only, with a host; no credentials in it.
 * `javascript:`, `data:`, `file:` and relative paths are refused.
 */
/* eslint-disable no-control-regex -- control characters are what the pattern refuses */
export const evidenceUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(
    /^https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#][^\s\u0000-\u001F\u007F]*)?$/i,
    {
      error: 'is not a web address: give the full http:// or https:// link',
    },
  );
/* eslint-enable no-control-regex */

/**
 * What a researcher records for one indicator of one institution in one wave. `answer` is an
 * option id, `na` (where the indicator allows it) or null (not answered yet). `checkedOn` may not
 * be in the future (checked by the server against its clock). `source` defaults to the
 * indicator's. Notes and interview notes stay with the research team, never published.
 */
export const indicatorAnswerInput = z.strictObject({
  answer: z.string().trim().min(1).max(LIMITS.short).nullable(),
  url: evidenceUrl.or(z.literal('')).optional(),
  checkedOn: z.iso.date({ error: 'is a date, as YYYY-MM-DD' }).nullable().optional(),
  source: indicatorSource.optional(),
  notes: optionalText(LIMITS.note).optional(),
  interviewNotes: optionalText(LIMITS.interviewNote).optional(),
});

export const archiveCopy = z.object({
  id: z.string(),
  name: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
});

/** One indicator as the research team sees it: the question, its points, the answer and evidence. */
export const indicatorRow = z.object({
  id: z.string(),
  principle: z.string(),
  text: z.string(),
  guidance: z.string().nullable(),
  maxPoints: z.number(),
  options: z.array(z.object({ id: z.string(), label: z.string(), points: z.number() })),
  na: z.boolean(),
  indicatorSource: indicatorSource,
  answer: z.string().nullable(),
  points: z.number().nullable(),
  url: z.string().nullable(),
  checkedOn: z.string().nullable(),
  source: indicatorSource,
  notes: z.string(),
  interviewNotes: z.string(),
  archives: z.array(archiveCopy),
  recordedBy: z.string().nullable(),
  recordedVia: z.enum(['researcher', 'link']).nullable(),
  validatedBy: z.string().nullable(),
  validatedAt: z.string().nullable(),
  version: z.number().int(),
});

const figure = z.number().nullable();

/** An institution's wave sheet: every indicator, its scores so far, whether it may be validated. */
export const indicatorSheet = z.object({
  institution,
  wave: z.object({ id: z.string(), name: z.string(), published: z.boolean() }),
  overall: figure,
  principles: z.record(z.string(), figure),
  completeness: z.number(),
  validated: z.number().int(),
  indicators: z.array(indicatorRow),
});

/** A published wave's ranking row (public). */
export const rankedInstitution = z.object({
  id: z.string(),
  name: z.string(),
  type: institutionType,
  level: institutionLevel,
  country: z.string(),
  rank: z.number().int().nullable(),
  overall: figure,
  principles: z.record(z.string(), figure),
  points: z.number(),
  maxPoints: z.number(),
  /** Percentage points since the previous wave; null when either has no value or it was not measured then. */
  change: z.object({ overall: figure, principles: z.record(z.string(), figure) }).nullable(),
});

export const principleHead = z.object({ id: z.string(), title: z.string() });

/** A published wave as the public reads it, frozen when it was published. */
export const publicWave = z.object({
  index: z.object({ id: z.string(), name: z.string() }),
  wave: z.object({ id: z.string(), name: z.string(), previous: z.string().nullable() }),
  version: z.number().int(),
  publishedAt: z.string(),
  framework: z.object({ id: z.string(), version: z.string(), title: z.string(), scale: z.number() }),
  principles: z.array(principleHead),
  licence: z.object({ name: z.string(), path: z.string() }),
  ranking: z.array(rankedInstitution),
  /** One row per country, only when more than one country is measured. */
  countries: z
    .array(z.object({ country: z.string(), institutions: z.number().int(), scored: z.number().int(), mean: figure }))
    .nullable(),
});

/** One indicator on an institution's public page: the points and the evidence, never the notes. */
export const publicIndicator = z.object({
  id: z.string(),
  principle: z.string(),
  text: z.string(),
  source: indicatorSource,
  answer: z.string().nullable(),
  answerLabel: z.string().nullable(),
  points: z.number().nullable(),
  maxPoints: z.number(),
  url: z.string().nullable(),
  checkedOn: z.string().nullable(),
  archives: z.array(archiveCopy.omit({ size: true }).extend({ size: z.number().int() })),
});

export const publicInstitution = z.object({
  index: z.object({ id: z.string(), name: z.string() }),
  wave: z.object({ id: z.string(), name: z.string(), previous: z.string().nullable() }),
  version: z.number().int(),
  publishedAt: z.string(),
  principles: z.array(principleHead),
  institution: rankedInstitution,
  principlePoints: z.record(z.string(), z.object({ points: z.number(), maxPoints: z.number() })),
  indicators: z.array(publicIndicator),
});

/** The published waves of an index, newest first (public). */
export const publicIndex = z.object({
  id: z.string(),
  name: z.string(),
  waves: z.array(z.object({ id: z.string(), name: z.string(), version: z.number().int(), publishedAt: z.string() })),
});

/** A wave as its research team sees it: progress per institution and what publishing would show. */
export const waveStatus = z.object({
  wave: z.object({ id: z.string(), name: z.string() }),
  published: z.array(z.object({ version: z.number().int(), publishedAt: z.string() })),
  institutions: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      country: z.string(),
      overall: figure,
      completeness: z.number(),
      answered: z.number().int(),
      validated: z.number().int(),
    }),
  ),
});

export const questionnaireLink = z.object({ token: z.string(), path: z.string(), expiresAt: z.string() });
export const opennessToken = z
  .string()
  .min(20)
  .max(LIMITS.token)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'is not a link token' });

/** What an institution's contact sees through a questionnaire link: its questionnaire indicators only. */
export const questionnaireView = z.object({
  institution: z.string(),
  index: z.string(),
  wave: z.string(),
  indicators: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      guidance: z.string().nullable(),
      options: z.array(z.object({ id: z.string(), label: z.string() })),
      na: z.boolean(),
      answer: z.string().nullable(),
    }),
  ),
});
export const questionnaireSubmission = z.strictObject({
  answers: z
    .array(
      z.strictObject({
        indicator: z.string().trim().min(1).max(LIMITS.short),
        answer: z.string().trim().min(1).max(LIMITS.short),
        url: evidenceUrl.or(z.literal('')).optional(),
      }),
    )
    .min(1)
    .max(500),
});

/** The wave's policy paper (§11): `GET /api/v1/indexes/:id/waves/:wave/paper?format=&language=`. */
export const paperQuery = z.strictObject({
  format: reportFormat.default('pdf'),
  language: reportLanguage.default('en'),
});
