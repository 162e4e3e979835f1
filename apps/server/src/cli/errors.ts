import type { Problem } from '@kalaja/engine/files';

/** Exit codes of the contract: 0 ok, 1 invalid input, 2 wrong usage. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

// Marks rather than `instanceof`: `kalaja score` runs from a bundle of its own (scripts/bundle-cli.mjs),
// whose copies of these classes are not the ones `main` loads.
const CLI_ERROR = Symbol.for('kalaja.cli.error');
const USAGE_ERROR = Symbol.for('kalaja.cli.usage-error');

/** A failure the user can act on; `problems` are printed one per line as file:line:col. */
export class CliError extends Error {
  readonly [CLI_ERROR] = true;
  constructor(
    message: string,
    readonly exitCode: number = EXIT.invalid,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  readonly [USAGE_ERROR] = true;
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** Whether `e` is a CliError, from this copy of the command line or a bundled one. */
export function isCliError(e: unknown): e is CliError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[CLI_ERROR] === true;
}

export function isUsageError(e: unknown): e is UsageError {
  return isCliError(e) && (e as unknown as Record<symbol, unknown>)[USAGE_ERROR] === true;
}
