import { z } from 'zod';
import { LOCALE_KEY, type LocalText } from '../text.js';
import { FRAMEWORK_FORMAT } from './types.js';

/**
 * The zod schema of the `kalaja: framework/1` file format. Structural rules live here;
 * rules that need the whole document (unique ids, caps within the scale, ascending levels)
 * are checked in `load.ts` where they can point at both places involved.
 */

const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const QUESTION_ID = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REF_ID = /^[A-Za-z0-9][A-Za-z0-9.:() -]*$/;

const slug = (what: string, example: string) =>
  z
    .string({ error: `${what} must be a text` })
    .regex(SLUG, { error: `${what} must be lower-case letters, digits and - or _ (e.g. \`${example}\`)` });

/**
 * A string, or a locale → string map. Checked by hand rather than as a union of a string and a
 * record: the default framework in four languages holds 566 of these, and the union copied every
 * map and tried both members each time. The problems are the same. Answers whether the value is a
 * map, for the callers' rule on which language it must have.
 */
const TEXT_TYPE = 'text must be a string or a map of locale to string with `en`';
function checkText(value: unknown, ctx: z.RefinementCtx): value is Record<string, unknown> {
  if (typeof value === 'string') {
    if (value.trim() === '') ctx.addIssue({ code: 'custom', message: 'text must not be empty' });
    return false;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: TEXT_TYPE });
    return false;
  }
  for (const [key, text] of Object.entries(value)) {
    if (!LOCALE_KEY.test(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `\`${key}\` is not a locale; use keys like \`en\`, \`sq\`, \`sr-Latn\``,
      });
    } else if (typeof text !== 'string' || text.trim() === '') {
      ctx.addIssue({ code: 'custom', path: [key], message: `the \`${key}\` text must be a non-empty string` });
    }
  }
  return true;
}

/** A string, or a locale → string map that has `en`: the texts of catalogues, trainings, taxonomies. */
export const localText = z
  .unknown()
  .superRefine((value, ctx) => {
    if (checkText(value, ctx) && typeof value.en !== 'string')
      ctx.addIssue({ code: 'custom', message: 'a text map needs an `en` entry' });
  })
  .transform((value) => value as LocalText);

/**
 * A framework's text: a map must have the framework's own language (`language`, `en` unless it
 * says), which only the whole document knows, so `load.ts` checks it.
 */
const frameworkText = z
  .unknown()
  .superRefine((value, ctx) => void checkText(value, ctx))
  .transform((value) => value as LocalText);

const positiveWeight = z
  .number({ error: 'weight must be a number' })
  .gt(0, { error: 'weight must be greater than 0' })
  .finite({ error: 'weight must be a finite number' })
  .default(1);

export const optionSchema = z.strictObject({
  id: slug('option id', 'dont-know').refine((id) => id !== 'na', {
    error: 'option id `na` is reserved: it is the answer "not applicable" (use `na: true` on the question)',
  }),
  label: frameworkText,
  // Required on a scored question's options, refused on an unscored one's: `load.ts` says which.
  score: z
    .number({ error: 'score must be a number between 0 and 1' })
    .min(0, { error: 'score must be between 0 and 1' })
    .max(1, { error: 'score must be between 0 and 1' })
    .optional(),
  unknown: z.boolean({ error: 'unknown must be true or false' }).default(false),
});

export const refsSchema = z.record(
  slug('catalogue name', 'cis-v8'),
  z.array(
    z.string({ error: 'a reference must be a text such as "6.3" (quote numbers)' }).regex(REF_ID, {
      error: 'a reference id must be letters, digits and . - : ( )',
    }),
    { error: 'refs must map a catalogue name to a list of ids, e.g. `cis-v8: ["6.3"]`' },
  ),
  { error: 'refs must map a catalogue name to a list of ids, e.g. `cis-v8: ["6.3"]`' },
);

/** What a question asks for: `scored` counts in the score; the others are survey questions (§2). */
export const QUESTION_TYPES = ['scored', 'single', 'multiple', 'number', 'text'] as const;

/** The longest a `text` question's answer may be when the framework does not say. */
export const DEFAULT_TEXT_LENGTH = 500;
/** The longest any `text` question may allow: a short answer, never a document. */
export const MAX_TEXT_LENGTH = 2000;

const finite = (what: string) =>
  z.number({ error: `${what} must be a number` }).finite({ error: `${what} must be a finite number` });

/** Where an institution framework's indicator is checked (the openness index, contracts §11). */
export const INDICATOR_SOURCES = ['desk-research', 'questionnaire', 'interview'] as const;

/**
 * One question of any type. The keys each type allows (and the ones it needs) depend on `type`,
 * which zod cannot say positionally without losing the "did you mean" on a mistyped key; the
 * document rules in `load.ts` check them, each at the key that is wrong.
 */
export const questionSchema = z.strictObject({
  type: z.enum(QUESTION_TYPES, { error: `type must be one of: ${QUESTION_TYPES.join(', ')}` }).default('scored'),
  id: z
    .string({ error: 'question id must be a text' })
    .regex(QUESTION_ID, { error: 'question id must be lower-case letters, digits and . - _ (e.g. `access.mfa`)' }),
  text: frameworkText,
  guidance: frameworkText.optional(),
  weight: positiveWeight,
  na: z.boolean({ error: 'na must be true or false' }).default(false),
  cap: z.number({ error: 'cap must be a number' }).optional(),
  capAt: z
    .number({ error: 'capAt must be a number between 0 and 1' })
    .min(0, { error: 'capAt must be between 0 and 1 (an option score)' })
    .max(1, { error: 'capAt must be between 0 and 1 (an option score)' })
    .optional(),
  options: z
    .array(optionSchema, { error: 'options must be a list' })
    .min(2, { error: 'a question needs at least 2 options' })
    .optional(),
  refs: refsSchema.default({}),
  interventions: z
    .array(slug('intervention id', 'mfa-rollout'), { error: 'interventions must be a list of intervention ids' })
    .default([]),
  // `number` questions only.
  min: finite('min').optional(),
  max: finite('max').optional(),
  integer: z.boolean({ error: 'integer must be true or false' }).default(false),
  unit: frameworkText.optional(),
  // `text` questions only.
  maxLength: z
    .number({ error: 'maxLength must be a whole number of characters' })
    .int({ error: 'maxLength must be a whole number of characters' })
    .min(1, { error: 'maxLength must be at least 1' })
    .max(MAX_TEXT_LENGTH, { error: `maxLength must be at most ${MAX_TEXT_LENGTH}: a text answer is short` })
    .optional(),
  source: z
    .enum(INDICATOR_SOURCES, { error: 'source must be one of desk-research, questionnaire, interview' })
    .optional(),
});

export const domainSchema = z.strictObject({
  id: slug('domain id', 'access'),
  title: frameworkText,
  description: frameworkText.optional(),
  weight: positiveWeight,
  questions: z
    .array(questionSchema, { error: 'questions must be a list' })
    .min(1, { error: 'a domain needs at least 1 question' }),
});

export const levelSchema = z.strictObject({
  min: z.number({ error: 'min must be a number' }),
  label: frameworkText,
  description: frameworkText.optional(),
});

export const frameworkSchema = z.strictObject({
  kalaja: z.literal(FRAMEWORK_FORMAT, {
    error: `the first key must be \`kalaja: ${FRAMEWORK_FORMAT}\``,
  }),
  id: slug('framework id', 'cso-media'),
  version: z
    .string({ error: 'version must be a text; quote it, e.g. version: "1.0.0"' })
    .trim()
    .min(1, { error: 'version must not be empty' }),
  title: frameworkText,
  description: frameworkText.optional(),
  language: z
    .string({ error: 'language must be a locale such as `fr`' })
    .regex(LOCALE_KEY, { error: 'language must be a locale such as `fr` or `sr-Latn`' })
    .optional(),
  source: z.string({ error: 'source must be a text' }).trim().min(1, { error: 'source must not be empty' }).optional(),
  licence: z
    .string({ error: 'licence must be a text' })
    .trim()
    .min(1, { error: 'licence must not be empty' })
    .optional(),
  subject: z
    .enum(['organisation', 'institution'], {
      error: 'subject must be `organisation` (the default) or `institution`',
    })
    .default('organisation'),
  scale: z
    .number({ error: 'scale must be a number' })
    .gt(0, { error: 'scale must be greater than 0' })
    .finite({ error: 'scale must be a finite number' })
    .default(10),
  levels: z.array(levelSchema, { error: 'levels must be a list' }).default([]),
  domains: z
    .array(domainSchema, { error: 'domains must be a list' })
    .min(1, { error: 'a framework needs at least 1 domain' }),
});

export type FrameworkInput = z.input<typeof frameworkSchema>;
export type FrameworkParsed = z.output<typeof frameworkSchema>;
