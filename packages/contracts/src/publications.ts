import { z } from 'zod';

/**
 * Published results (docs/contracts.md, "Disclosure and publication"): what observers see is a
 * version of a round a manager published, frozen, never figures computed live. A version is
 * refused when it differs from the round's last version by fewer than `minCell` organisations.
 */

/** Why a figure of a version is withheld from observers. */
export const cellReason = z.enum(['small-cell', 'differencing', 'pinned']);

/** One published version of a round, as listed. */
export const publicationSummary = z.object({
  id: z.string(),
  round: z.string(),
  version: z.number().int().positive(),
  /** Organisations whose assessment the figures rest on (submitted or validated). */
  organisations: z.number().int().nonnegative(),
  publishedAt: z.number().int(),
  /** How many of the version's figures are withheld, each for a reason in `withheld`. */
  withheld: z.array(z.object({ cell: z.string(), reason: cellReason })),
});

/**
 * Whether a round can be published now, and what observers would see:
 * - `ready`: a first version, or one that differs from the last by at least `minCell` organisations;
 * - `unchanged`: the figures rest on exactly what the last version rests on;
 * - `too-few-changed`: between 1 and `minCell − 1` organisations differ from the last version,
 *   so the two versions side by side would give those organisations' scores away;
 * - `nothing`: no assessment of the round is submitted or validated yet.
 */
export const publicationStatus = z.enum(['ready', 'unchanged', 'too-few-changed', 'nothing']);

export const publicationPreview = z.object({
  round: z.string(),
  status: publicationStatus,
  /** The version a publication would make. */
  nextVersion: z.number().int().positive(),
  /** Organisations the new version would rest on. */
  organisations: z.number().int().nonnegative(),
  /** With `too-few-changed` and `ready` after a first version: how many organisations differ from the last version. */
  changed: z.number().int().nonnegative().nullable(),
  minCell: z.number().int().positive(),
  /** Assessments of the round not counted: still in progress (not submitted). */
  inProgress: z.number().int().nonnegative(),
  withheld: z.array(z.object({ cell: z.string(), reason: cellReason })),
});

/** A programme's publications: every version of every round (newest first), and where each round stands now (managers). */
export const publicationList = z.object({
  programmeId: z.string(),
  minCell: z.number().int().positive(),
  versions: z.array(publicationSummary),
  /** Managers only; empty for observers. */
  rounds: z.array(publicationPreview),
});

export const publishRequest = z.object({ round: z.string().min(1).max(200) });
