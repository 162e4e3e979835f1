import { KeyError } from '../crypto/kek.js';
import { CliError } from '../cli/io.js';
import { OpsError } from './instance.js';

/**
 * Runs an operation for a command: the failures an operator can act on (OpsError, KeyError)
 * become plain messages with exit code 1; anything else is a bug and keeps its stack trace.
 */
export async function asCliErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof OpsError || e instanceof KeyError) throw new CliError(e.message);
    throw e;
  }
}

/**
 * Joins each of the given string flags with the argument after it (`--id -x2` → `--id=-x2`).
 * Ids (base64url) and names may begin with a dash, which `parseArgs` would otherwise take for
 * another flag and refuse.
 */
export function joinFlagValues(argv: string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (names.includes(arg.replace(/^--/, '')) && arg.startsWith('--') && i + 1 < argv.length) {
      out.push(`${arg}=${argv[i + 1]!}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}
