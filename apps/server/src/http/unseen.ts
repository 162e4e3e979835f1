import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What the routes that take a secret from someone with no account (a training check's code, a
 * reporter's receipt code) do so that guessing it teaches nothing: every answer takes the same
 * least time, and attempts are counted per client in this process's memory only.
 */

/**
 * Runs `work` and answers no sooner than `floorMs` after it began, success or failure alike, so
 * that how long an answer takes does not tell a secret that exists from one that does not.
 */
export async function evenly<T>(floorMs: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const left = floorMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

/**
 * A count per client in memory only, forgotten after its window (or when the clock goes back
 * past its start); bounded: a flood of clients forgets the oldest first.
 */
export function memoryCounter(now: () => number, windowMs: number, limit: number) {
  const counts = new Map<string, { n: number; since: number }>();
  const fresh = (c: { since: number } | undefined, t: number) =>
    c !== undefined && t - c.since <= windowMs && t >= c.since;
  return {
    /** Whether the client has used up its window. */
    full(client: string): boolean {
      const c = counts.get(client);
      if (!fresh(c, now())) counts.delete(client);
      return (counts.get(client)?.n ?? 0) >= limit;
    },
    add(client: string): void {
      const t = now();
      if (counts.size > 10_000) counts.delete(counts.keys().next().value!);
      const c = counts.get(client);
      if (!c || !fresh(c, t)) counts.set(client, { n: 1, since: t });
      else c.n++;
    },
  };
}
