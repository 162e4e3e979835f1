import { z } from 'zod';
import { localText } from '../framework/schema.js';
import { CATALOGUE_FORMAT, COST_BANDS, EFFORTS, INTERVENTION_KINDS } from './types.js';

/**
 * The zod schema of `kalaja: interventions/1`. Rules that need the whole document (unique ids)
 * are in `load.ts`, where they can name both places.
 */
const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const slug = (what: string, example: string) =>
  z
    .string({ error: `${what} must be a text` })
    .regex(SLUG, { error: `${what} must be lower-case letters, digits and - or _ (e.g. \`${example}\`)` });
const oneOf = <T extends readonly [string, ...string[]]>(what: string, values: T) =>
  z.enum(values, { error: `${what} must be one of: ${values.join(', ')}` });

export const interventionSchema = z.strictObject({
  id: slug('intervention id', 'mfa-rollout'),
  title: localText,
  kind: oneOf('kind', INTERVENTION_KINDS),
  effort: oneOf('effort', EFFORTS),
  cost: oneOf('cost', COST_BANDS),
  summary: localText,
  steps: z.array(localText, { error: 'steps must be a list of texts, in the order they are done' }).default([]),
  handbook: z
    .array(slug('handbook section id', 'account-takeover'), { error: 'handbook must be a list of section ids' })
    .default([]),
});

export const catalogueSchema = z.strictObject({
  kalaja: z.literal(CATALOGUE_FORMAT, { error: `the first key must be \`kalaja: ${CATALOGUE_FORMAT}\`` }),
  id: slug('catalogue id', 'cso-media-interventions'),
  version: z
    .string({ error: 'version must be a text; quote it, e.g. version: "1.0.0"' })
    .trim()
    .min(1, { error: 'version must not be empty' }),
  title: localText,
  interventions: z
    .array(interventionSchema, { error: 'interventions must be a list' })
    .min(1, { error: 'a catalogue needs at least 1 intervention' }),
});

export type CatalogueParsed = z.output<typeof catalogueSchema>;
