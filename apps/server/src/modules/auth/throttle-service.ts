import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { ThrottleStore } from './throttle-store.js';

/** Sign-in throttling: this many failures in the window, per account and per address, then wait. */
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 60_000;
/** Each further block of MAX_FAILURES doubles the wait (1, 2, 4, 8 minutes…), up to this. */
export const MAX_THROTTLE_MS = 15 * 60_000;
/** How long failures count towards the growing waits. */
export const FAILURE_MEMORY_MS = 24 * 60 * 60_000;

/**
 * The subjects a guess at an account's password counts against: the account (by its email) and
 * the address it came from. Signing in and accepting an invitation with an existing account's
 * password both use these, so failures at either count towards one lock on both.
 */
export function passwordSubjects(email: string, ip: string): string[] {
  return [`email:${email}`, `ip:${ip}`];
}

export const TOO_MANY_PASSWORDS = 'Too many failed sign-ins. Wait a little and try again.';

/**
 * Throttling of every guess at a secret: passwords (per account and address), second-factor
 * codes, the password entered again, recovery links. Each is counted against subjects such
 * as `email:…`, `ip:…`, `mfa:<user>`.
 */
export function throttleService(ctx: Pick<Context, 'now'>, deps: { failures: ThrottleStore }) {
  /**
   * Seconds to wait before another attempt for these subjects, or 0. MAX_FAILURES failures
   * within FAILURE_WINDOW_MS block until the window has passed the first of them. After that,
   * every further block of MAX_FAILURES failures (within FAILURE_MEMORY_MS) blocks for twice
   * as long as the one before, counted from the failure that completed the block, and never
   * longer than MAX_THROTTLE_MS: 1, 2, 4, 8, 15, 15… minutes. A blocked attempt is not
   * recorded, so waiting it out is the only way on.
   */
  async function waitSeconds(subjects: string[]): Promise<number> {
    const now = ctx.now();
    const since = { windowStart: now - FAILURE_WINDOW_MS, memoryStart: now - FAILURE_MEMORY_MS };
    let until = 0;
    for (const r of await deps.failures.counts(subjects, since)) {
      if (Number(r.recent) >= MAX_FAILURES) until = Math.max(until, Number(r.firstRecent) + FAILURE_WINDOW_MS);
      const blocks = Math.floor(Number(r.n) / MAX_FAILURES);
      if (blocks < 2) continue;
      // The failure that completed the latest block (the (5·blocks)-th), even if a burst of
      // parallel attempts went past it.
      const completed = await deps.failures.nthFailureAt(r.subject, blocks * MAX_FAILURES, since.memoryStart);
      if (completed === undefined) continue;
      const wait = Math.min(FAILURE_WINDOW_MS * 2 ** Math.min(blocks - 1, 20), MAX_THROTTLE_MS);
      until = Math.max(until, completed + wait);
    }
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  return {
    waitSeconds,

    /** Refuses with 429 and Retry-After while any of these subjects is throttled. */
    async refuseWhileThrottled(subjects: string[], message: string): Promise<void> {
      const wait = await waitSeconds(subjects);
      if (wait > 0) throw new AppError('too_many_requests', message, [], { 'retry-after': String(wait) });
    },

    /** Counts one failed attempt against each subject. */
    async recordFailure(subjects: string[]): Promise<void> {
      await deps.failures.record(subjects, ctx.now());
    },
  };
}

export type ThrottleService = ReturnType<typeof throttleService>;
