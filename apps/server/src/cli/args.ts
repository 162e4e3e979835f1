import { UsageError } from './io.js';

/**
 * Runs a command's `parseArgs` so that an unknown flag, a missing value or a stray argument
 * becomes a usage error (exit 2), never a guess and never a stack trace.
 *
 * @example const { values } = flags(() => parseArgs({ args: argv, options: {...}, strict: true }));
 */
export function flags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError(String((e as Error).message).replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** The --help flag every command takes. */
export const HELP = { help: { type: 'boolean', short: 'h' } } as const;
/** A flag's value, or a usage error naming it. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required`);
  return value;
}

/** A value that must be one of a fixed set. */
export function oneOf<T extends string>(
  value: string | undefined,
  choices: readonly T[],
  flag: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of: ${choices.join(', ')} (got "${value}")`);
  }
  return value as T;
}
