import { z } from 'zod';
import { HANDBOOK_PHASES } from './types.js';

const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const slug = (what: string, example: string) =>
  z
    .string({ error: `${what} must be a text` })
    .regex(SLUG, { error: `${what} must be lower-case letters, digits and - or _ (e.g. \`${example}\`)` });

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
const date = z
  .string({ error: 'reviewed must be a date written YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'reviewed must be a date written YYYY-MM-DD' })
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, {
    error: 'reviewed must be a date that exists',
  });

/** The front matter of a handbook section (docs/contracts.md §9). Every key is required. */
export const handbookFrontMatter = z.strictObject({
  id: slug('id', 'lost-account-access'),
  title: z.string({ error: 'title must be a text' }).trim().min(1, { error: 'title must not be empty' }).max(200),
  phase: z.enum(HANDBOOK_PHASES, { error: `phase must be one of ${HANDBOOK_PHASES.join(', ')}` }),
  domains: z.array(slug('a domain id', 'access'), { error: 'domains must be a list of domain ids' }),
  interventions: z.array(slug('an intervention id', 'mfa-rollout'), {
    error: 'interventions must be a list of intervention ids',
  }),
  reviewed: date,
});

export const FRONT_MATTER_KEYS = Object.keys(handbookFrontMatter.shape);
