/**
 * Long computations on the server's own thread — opening a large programme's answers for the
 * first time, scoring thousands of assessments — give other requests a turn of the event loop
 * at least every `budgetMs` of work, so that a person saving an answer meanwhile waits for a
 * slice of the computation, not for all of it.
 *
 * @example
 * const pause = yielder();
 * for (const a of assessments) { work(a); await pause(); }
 */
export function yielder(budgetMs = 8): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
