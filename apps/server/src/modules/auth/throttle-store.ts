import type { Db, Executor } from '../../db/database.js';

/** Failed attempts (`login_failures`): one row per subject (an account, an address…) and failure. */
export function throttleStore(db: Db) {
  return {
    /**
     * Per subject, the failures since `memoryStart`: how many in all, how many since
     * `windowStart`, and the first of those.
     */
    async counts(subjects: readonly string[], since: { windowStart: number; memoryStart: number }, tx: Executor = db) {
      return tx
        .selectFrom('login_failures')
        .select((eb) => [
          'subject',
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>(eb.case().when('at', '>', since.windowStart).then(1).else(0).end()).as('recent'),
          eb.fn
            .min<number | null>(eb.case().when('at', '>', since.windowStart).then(eb.ref('at')).end())
            .as('firstRecent'),
        ])
        .where('subject', 'in', subjects)
        .where('at', '>', since.memoryStart)
        .groupBy('subject')
        .execute();
    },

    /** When the subject's `n`-th failure since `memoryStart` happened (1 is the first). */
    async nthFailureAt(
      subject: string,
      n: number,
      memoryStart: number,
      tx: Executor = db,
    ): Promise<number | undefined> {
      const row = await tx
        .selectFrom('login_failures')
        .select('at')
        .where('subject', '=', subject)
        .where('at', '>', memoryStart)
        .orderBy('at')
        .orderBy('id')
        .offset(n - 1)
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : Number(row.at);
    },

    async record(subjects: readonly string[], at: number, tx: Executor = db): Promise<void> {
      await tx
        .insertInto('login_failures')
        .values(subjects.map((subject) => ({ subject, at })))
        .execute();
    },
  };
}

export type ThrottleStore = ReturnType<typeof throttleStore>;
