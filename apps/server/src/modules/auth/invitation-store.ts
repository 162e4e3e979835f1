import type { Db, Executor } from '../../db/database.js';
import type { Role } from '../access/access-types.js';

/** Invitations (`invitations`): a role offered to an email, by a link whose token is stored only as a hash. */
export function invitationStore(db: Db) {
  return {
    async insert(
      inv: {
        id: string;
        tokenHash: string;
        email: string;
        role: Role;
        programmeId: string;
        organisationId: string | null;
        createdBy: string;
        at: number;
        expiresAt: number;
      },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('invitations')
        .values({
          id: inv.id,
          token_hash: inv.tokenHash,
          email: inv.email,
          role: inv.role,
          programme_id: inv.programmeId,
          organisation_id: inv.organisationId,
          created_by: inv.createdBy,
          created_at: inv.at,
          expires_at: inv.expiresAt,
          accepted_at: null,
        })
        .execute();
    },

    async byTokenHash(tokenHash: string, tx: Executor = db) {
      return tx.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },

    /** Marks the invitation accepted; false when it was accepted already (the link works once). */
    async accept(id: string, at: number, tx: Executor = db): Promise<boolean> {
      const claimed = await tx
        .updateTable('invitations')
        .set({ accepted_at: at })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .executeTakeFirst();
      return Number(claimed.numUpdatedRows) === 1;
    },
  };
}

export type InvitationStore = ReturnType<typeof invitationStore>;
