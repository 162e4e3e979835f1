import type { Db, Executor } from '../../db/database.js';

export type AccountAuthor = 'assessor' | 'organisation';

/**
 * The accounts of what changed in each domain (`domain_accounts`): the assessor's and the
 * organisation's, one each per assessment and domain, sealed, with a version every write bumps.
 */
export function accountStore(db: Db) {
  return {
    async ofAssessment(assessmentId: string, tx: Executor = db) {
      return tx
        .selectFrom('domain_accounts')
        .selectAll()
        .where('assessment_id', '=', assessmentId)
        .orderBy('domain_id')
        .orderBy('author')
        .execute();
    },

    /**
     * Writes one account, inserting or replacing it; with `expectedVersion` only if it is still
     * at that version (0: there is none yet). Returns the new version, or undefined when somebody
     * wrote in between.
     */
    async save(
      a: {
        assessmentId: string;
        domainId: string;
        author: AccountAuthor;
        sealed: Uint8Array;
        by: string;
        at: number;
      },
      expectedVersion: number | undefined,
      tx: Executor,
    ): Promise<number | undefined> {
      const values = { body_sealed: a.sealed, updated_by: a.by, updated_at: a.at };
      if (expectedVersion !== undefined && expectedVersion > 0) {
        const r = await tx
          .updateTable('domain_accounts')
          .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
          .where('assessment_id', '=', a.assessmentId)
          .where('domain_id', '=', a.domainId)
          .where('author', '=', a.author)
          .where('version', '=', expectedVersion)
          .returning('version')
          .executeTakeFirst();
        return r?.version;
      }
      const r = await tx
        .insertInto('domain_accounts')
        .values({ assessment_id: a.assessmentId, domain_id: a.domainId, author: a.author, ...values, version: 1 })
        .onConflict((oc) => {
          const cols = oc.columns(['assessment_id', 'domain_id', 'author']);
          return expectedVersion === 0
            ? cols.doNothing()
            : cols.doUpdateSet((eb) => ({ ...values, version: eb('domain_accounts.version', '+', 1) }));
        })
        .returning('version')
        .executeTakeFirst();
      return r?.version;
    },

    /** Takes an account back (an empty text); false when there was none (or, with a version, another one). */
    async remove(
      key: { assessmentId: string; domainId: string; author: AccountAuthor },
      expectedVersion: number | undefined,
      tx: Executor,
    ): Promise<boolean> {
      let q = tx
        .deleteFrom('domain_accounts')
        .where('assessment_id', '=', key.assessmentId)
        .where('domain_id', '=', key.domainId)
        .where('author', '=', key.author);
      if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
      return Number((await q.executeTakeFirst()).numDeletedRows) === 1;
    },
  };
}

export type AccountStore = ReturnType<typeof accountStore>;
