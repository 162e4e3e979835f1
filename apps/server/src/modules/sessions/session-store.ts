import { sql, type SelectQueryBuilder } from 'kysely';
import { jsonArrayFrom as postgresJsonArray } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArray } from 'kysely/helpers/sqlite';
import type { Db, Dialect, Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

/** The account's roles, resolved with its session: what the request's actor is made of. */
export interface SessionRoles {
  memberships: { role: string; programme_id: string | null; organisation_id: string | null }[];
  assignments: { programme_id: string; organisation_id: string }[];
}

/** Sessions read in one query at the most (a request's session id is 64 characters). */
const MAX_TOGETHER = 100;

/**
 * Reads by id that are asked for in the same turn of the event loop, in one read of all their
 * ids (at most `max` at a time). A failed read fails each of its callers.
 */
export function coalesced<R extends { id: string }>(readAll: (ids: string[]) => Promise<R[]>, max: number) {
  let waiting = new Map<string, { resolve(row: R | undefined): void; reject(error: unknown): void }[]>();
  const run = () => {
    const batch = waiting;
    waiting = new Map();
    const ids = [...batch.keys()];
    for (let i = 0; i < ids.length; i += max) {
      const some = ids.slice(i, i + max);
      readAll(some).then(
        (rows) => {
          const byId = new Map(rows.map((r) => [r.id, r]));
          for (const id of some) for (const w of batch.get(id)!) w.resolve(byId.get(id));
        },
        (error: unknown) => {
          for (const id of some) for (const w of batch.get(id)!) w.reject(error);
        },
      );
    }
  };
  return {
    read(id: string): Promise<R | undefined> {
      return new Promise((resolve, reject) => {
        if (waiting.size === 0) setImmediate(run);
        const list = waiting.get(id);
        if (list) list.push({ resolve, reject });
        else waiting.set(id, [{ resolve, reject }]);
      });
    },
  };
}

/**
 * Sessions (`sessions`: the token's hash, timestamps, the second factor and step-up, a
 * WebAuthn challenge under way), the devices seen at sign-in (`known_devices`) and the
 * notices shown to a user (`notices`).
 */
export function sessionStore(db: Db, dialect: Dialect = 'sqlite') {
  /** A subquery's rows as one JSON array (PostgreSQL gives it parsed; SQLite as text). */
  const jsonArray = <O>(query: SelectQueryBuilder<DB, keyof DB, O>) =>
    dialect === 'postgres' ? postgresJsonArray(query) : sqliteJsonArray(query);
  const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

  /** The sessions `ids`, each with its account and roles, in one query. */
  const resolving = (tx: Executor, ids: string[]) => {
    const q = tx
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id',
        'sessions.user_id',
        'sessions.created_at',
        'sessions.last_seen_at',
        'sessions.mfa_at',
        'sessions.reauth_at',
        'sessions.mfa_method',
        'sessions.proof_at',
        'users.disabled_at',
        'users.is_instance_admin',
      ])
      .select((eb) => [
        jsonArray(
          eb
            .selectFrom('memberships')
            .select(['memberships.role', 'memberships.programme_id', 'memberships.organisation_id'])
            .whereRef('memberships.user_id', '=', 'sessions.user_id'),
        ).as('memberships'),
        jsonArray(
          eb
            .selectFrom('programme_assessors')
            .select(['programme_assessors.programme_id', 'programme_assessors.organisation_id'])
            .whereRef('programme_assessors.user_id', '=', 'sessions.user_id'),
        ).as('assignments'),
      ]);
    // One statement text for any number of sessions (it stays prepared): an array parameter.
    return ids.length === 1
      ? q.where('sessions.id', '=', ids[0]!).execute()
      : q.where(sql<boolean>`${sql.ref('sessions.id')} = any(${ids})`).execute();
  };
  type Row = Awaited<ReturnType<typeof resolving>>[number];
  const shaped = ({ memberships, assignments, ...session }: Row) => {
    const roles: SessionRoles = { memberships: parsed(memberships), assignments: parsed(assignments) };
    return { ...session, roles };
  };
  const together = coalesced((ids: string[]) => resolving(db, ids), MAX_TOGETHER);

  return {
    /** A new session that has passed the password; `mfa` when it has passed the second factor too. */
    async create(
      s: { id: string; userId: string; userAgent: string; handle: string; mfa: boolean; at: number },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('sessions')
        .values({
          id: s.id,
          user_id: s.userId,
          created_at: s.at,
          last_seen_at: s.at,
          mfa_at: s.mfa ? s.at : null,
          reauth_at: s.at,
          user_agent: s.userAgent.slice(0, 300),
          handle: s.handle,
        })
        .execute();
    },

    /**
     * The session with its account's admin flag and disabled time, as every request resolves
     * it, and the account's memberships and assessor assignments: one query for all a request
     * needs to know who is asking. On PostgreSQL the sessions asked for together (in one turn
     * of the event loop: the requests read from the network at once) are read in one query, a
     * round trip for all of them instead of one each; each caller gets its own row only.
     */
    async resolve(id: string, tx: Executor = db) {
      const row = dialect === 'postgres' && tx === db ? await together.read(id) : (await resolving(tx, [id]))[0];
      return row && shaped(row);
    },

    async touch(id: string, at: number, tx: Executor = db): Promise<void> {
      await tx.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
    },

    /** The second factor passed: the session is complete (and counts as just signed in). */
    async complete(id: string, method: string, at: number, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('sessions')
        .set({ mfa_at: at, reauth_at: at, mfa_method: method, proof_at: null })
        .where('id', '=', id)
        .execute();
    },

    /** The password and second factor entered again (step-up). */
    async steppedUp(id: string, at: number, tx: Executor = db): Promise<void> {
      await tx.updateTable('sessions').set({ reauth_at: at }).where('id', '=', id).execute();
    },

    /**
     * Gives the session a new id (the hash of a new token) in place of the old one, keeping
     * everything else: the old token no longer finds it. False when the session is gone.
     */
    async rotate(id: string, newId: string, tx: Executor = db): Promise<boolean> {
      const r = await tx.updateTable('sessions').set({ id: newId }).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** A factor or a recovery link was proven, but a new factor must be added before the session is complete. */
    async proven(id: string, at: number, method: string | undefined, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('sessions')
        .set(method === undefined ? { proof_at: at } : { proof_at: at, mfa_method: method })
        .where('id', '=', id)
        .execute();
    },

    async remove(id: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('sessions').where('id', '=', id).execute();
    },

    /** Ends every session of the account. */
    async endAll(userId: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },

    /** Ends every session of the account but one; returns the handles of those ended, in order. */
    async endOthers(userId: string, keepId: string, tx: Executor = db): Promise<string[]> {
      const others = await tx
        .selectFrom('sessions')
        .select('handle')
        .where('user_id', '=', userId)
        .where('id', '!=', keepId)
        .orderBy('handle')
        .execute();
      if (others.length === 0) return [];
      const handles = others.map((o) => o.handle);
      await tx.deleteFrom('sessions').where('user_id', '=', userId).where('handle', 'in', handles).execute();
      return handles;
    },

    /** Ends every session of an instance admin or programme manager not completed with a passkey. */
    async endAdminsAndManagersWithoutPasskey(tx: Executor = db): Promise<void> {
      await tx
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('mfa_method', 'is', null), eb('mfa_method', '!=', 'passkey')]))
        .where((eb) =>
          eb.or([
            eb('user_id', 'in', eb.selectFrom('users').select('id').where('is_instance_admin', '=', 1)),
            eb('user_id', 'in', eb.selectFrom('memberships').select('user_id').where('role', '=', 'programme_manager')),
          ]),
        )
        .execute();
    },

    /** The account's sessions still alive (seen since `idleAfter`, made since `absoluteAfter`), most recent first. */
    async alive(userId: string, since: { idleAfter: number; absoluteAfter: number }, tx: Executor = db) {
      return tx
        .selectFrom('sessions')
        .select(['id', 'handle', 'user_agent', 'created_at', 'last_seen_at', 'mfa_at'])
        .where('user_id', '=', userId)
        .where('last_seen_at', '>=', since.idleAfter)
        .where('created_at', '>=', since.absoluteAfter)
        .orderBy('last_seen_at', 'desc')
        .orderBy('handle')
        .execute();
    },

    /** The id of the account's session with this handle; undefined when it has none. */
    async idOfHandle(userId: string, handle: string, tx: Executor = db): Promise<string | undefined> {
      const row = await tx
        .selectFrom('sessions')
        .select('id')
        .where('handle', '=', handle)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.id;
    },

    /** The user agent and handle of one of the account's sessions. */
    async device(id: string, userId: string, tx: Executor = db) {
      return tx
        .selectFrom('sessions')
        .select(['user_agent', 'handle'])
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    /** Whether another of the account's complete sessions came from this user agent. */
    async agentSeenElsewhere(
      userId: string,
      sessionId: string,
      userAgent: string,
      tx: Executor = db,
    ): Promise<boolean> {
      const row = await tx
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', userId)
        .where('id', '!=', sessionId)
        .where('mfa_at', 'is not', null)
        .where('user_agent', '=', userAgent)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Keeps the WebAuthn challenge of the ceremony under way in this session. */
    async keepChallenge(id: string, challenge: string, at: number, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('sessions')
        .set({ webauthn_challenge: challenge, webauthn_challenge_at: at })
        .where('id', '=', id)
        .execute();
    },

    async challenge(id: string, tx: Executor = db) {
      return tx
        .selectFrom('sessions')
        .select(['webauthn_challenge', 'webauthn_challenge_at'])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** Takes the challenge back so it works once; false when another request took it first. */
    async takeChallenge(id: string, challenge: string, tx: Executor = db): Promise<boolean> {
      const taken = await tx
        .updateTable('sessions')
        .set({ webauthn_challenge: null, webauthn_challenge_at: null })
        .where('id', '=', id)
        .where('webauthn_challenge', '=', challenge)
        .executeTakeFirst();
      return Number(taken.numUpdatedRows) === 1;
    },

    async isKnownDevice(userId: string, fingerprint: string, tx: Executor = db): Promise<boolean> {
      const known = await tx
        .selectFrom('known_devices')
        .select('fingerprint')
        .where('user_id', '=', userId)
        .where('fingerprint', '=', fingerprint)
        .executeTakeFirst();
      return known !== undefined;
    },

    async rememberDevice(userId: string, fingerprint: string, at: number, tx: Executor = db): Promise<void> {
      await tx
        .insertInto('known_devices')
        .values({ user_id: userId, fingerprint, first_seen_at: at })
        .onConflict((oc) => oc.columns(['user_id', 'fingerprint']).doNothing())
        .execute();
    },

    async addNotice(
      n: { id: string; userId: string; kind: string; params: string; at: number },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .insertInto('notices')
        .values({ id: n.id, user_id: n.userId, kind: n.kind, params: n.params, created_at: n.at, read_at: null })
        .execute();
    },

    /** The account's unread notices, newest first, at most 50. */
    async unreadNotices(userId: string, tx: Executor = db) {
      return tx
        .selectFrom('notices')
        .select(['id', 'kind', 'params', 'created_at'])
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(50)
        .execute();
    },

    async handleOf(id: string, tx: Executor = db): Promise<string | undefined> {
      const row = await tx.selectFrom('sessions').select('handle').where('id', '=', id).executeTakeFirst();
      return row?.handle;
    },

    /** Marks one of the account's notices read (the first time only); false when it has no such notice. */
    async readNotice(id: string, userId: string, at: number, tx: Executor = db): Promise<boolean> {
      const r = await tx
        .updateTable('notices')
        .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type SessionStore = ReturnType<typeof sessionStore>;
