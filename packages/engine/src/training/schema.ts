import { z } from 'zod';
import { localText } from '../framework/schema.js';
import { TRAINING_FORMAT } from './types.js';

/**
 * The zod schema of `kalaja: training/1`. "Exactly one correct option" and unique ids are
 * document rules in `load.ts`, where they can point at the item.
 */
const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const slug = (what: string, example: string) =>
  z
    .string({ error: `${what} must be a text` })
    .regex(SLUG, { error: `${what} must be lower-case letters, digits and - or _ (e.g. \`${example}\`)` });

const checkOption = z.strictObject({
  id: slug('option id', 'use-a-manager'),
  label: localText,
  correct: z.boolean({ error: 'correct must be true or false' }).default(false),
});

const checkItem = z.strictObject({
  id: slug('item id', 'spot-the-link'),
  text: localText,
  options: z
    .array(checkOption, { error: 'options must be a list' })
    .min(2, { error: 'an item needs at least 2 options' }),
  explanation: localText.optional(),
});

const agendaPart = z.strictObject({
  minutes: z
    .number({ error: 'minutes must be a number' })
    .int({ error: 'minutes must be a whole number' })
    .positive({ error: 'minutes must be more than 0' }),
  title: localText,
  description: localText.optional(),
});

export const trainingSchema = z.strictObject({
  kalaja: z.literal(TRAINING_FORMAT, { error: `the first key must be \`kalaja: ${TRAINING_FORMAT}\`` }),
  id: slug('module id', 'account-security'),
  version: z
    .string({ error: 'version must be a text; quote it, e.g. version: "1.0.0"' })
    .trim()
    .min(1, { error: 'version must not be empty' }),
  title: localText,
  summary: localText.optional(),
  domains: z.array(slug('domain id', 'access'), { error: 'domains must be a list of domain ids' }).default([]),
  interventions: z
    .array(slug('intervention id', 'mfa-rollout'), { error: 'interventions must be a list of intervention ids' })
    .default([]),
  agenda: z.array(agendaPart, { error: 'agenda must be a list' }).default([]),
  check: z.strictObject({
    items: z
      .array(checkItem, { error: 'items must be a list' })
      .min(1, { error: 'a knowledge check needs at least 1 item' }),
  }),
  practices: z
    .array(z.strictObject({ id: slug('practice id', 'uses-manager'), text: localText }), {
      error: 'practices must be a list',
    })
    .default([]),
});

export type TrainingParsed = z.output<typeof trainingSchema>;
