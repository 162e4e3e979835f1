import { transaction, type Context } from '../../context.js';
import { notFound } from '../../errors.js';
import type { Actor } from '../access/access-types.js';
import { appendAudit } from '../audit/audit-store.js';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, type SessionInfo } from '../auth/auth-service.js';
import type { NewDeviceParams } from './devices.js';
import { summariseUserAgent } from './user-agent.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The parameters of a stored `new_device` notice, or null when they are not what this version writes. */
function newDeviceParams(json: string): NewDeviceParams | null {
  try {
    const p = JSON.parse(json) as Partial<NewDeviceParams> | null;
    const name = (v: unknown) => v === null || typeof v === 'string';
    if (p && name(p.browser) && name(p.os) && Number.isFinite(p.at) && typeof p.session === 'string')
      return p as NewDeviceParams;
  } catch {
    // A row this version cannot read is not shown.
  }
  return null;
}

/**
 * Your own sessions and notices (issue 6). Everything here is about the caller alone: every
 * query is bound to `actor.userId`, so another user's handle or notice is the same 404 as a
 * missing one. Sessions are shown and ended by their handle, never by the token's hash.
 */
export function sessionsService(ctx: Context) {
  /** Sessions that `resolve` would still accept (expired ones linger until their next request). */
  const alive = (now: number) => ({ idleAfter: now - IDLE_TIMEOUT_MS, absoluteAfter: now - ABSOLUTE_TIMEOUT_MS });

  return {
    async list(actor: Actor, session: SessionInfo) {
      const now = ctx.now();
      const { idleAfter, absoluteAfter } = alive(now);
      const rows = await ctx.db
        .selectFrom('sessions')
        .select(['id', 'handle', 'user_agent', 'created_at', 'last_seen_at', 'mfa_at'])
        .where('user_id', '=', actor.userId)
        .where('last_seen_at', '>=', idleAfter)
        .where('created_at', '>=', absoluteAfter)
        .orderBy('last_seen_at', 'desc')
        .orderBy('handle')
        .execute();
      return rows.map((r) => ({
        id: r.handle,
        ...summariseUserAgent(r.user_agent),
        createdAt: iso(r.created_at),
        lastSeenAt: iso(r.last_seen_at),
        current: r.id === session.id,
        secondFactor: r.mfa_at !== null,
      }));
    },

    /** Ends one of the caller's sessions (this one too, which signs out). Audited. */
    async end(actor: Actor, session: SessionInfo, handle: string): Promise<{ current: boolean }> {
      return transaction(ctx, async (tx) => {
        const row = await tx
          .selectFrom('sessions')
          .select('id')
          .where('handle', '=', handle)
          .where('user_id', '=', actor.userId)
          .executeTakeFirst();
        if (!row) throw notFound('that session');
        await tx.deleteFrom('sessions').where('id', '=', row.id).execute();
        await appendAudit(
          tx,
          ctx.dialect,
          actor,
          { action: 'session.end', objectType: 'session', objectId: handle, organisationId: null },
          ctx.now(),
        );
        return { current: row.id === session.id };
      });
    },

    /** Ends every session of the caller but this one ("sign out everywhere else"). One audit row per session. */
    async endOthers(actor: Actor, session: SessionInfo): Promise<number> {
      return transaction(ctx, async (tx) => {
        const others = await tx
          .selectFrom('sessions')
          .select('handle')
          .where('user_id', '=', actor.userId)
          .where('id', '!=', session.id)
          .orderBy('handle')
          .execute();
        if (others.length === 0) return 0;
        await tx
          .deleteFrom('sessions')
          .where('user_id', '=', actor.userId)
          .where(
            'handle',
            'in',
            others.map((o) => o.handle),
          )
          .execute();
        for (const o of others)
          await appendAudit(
            tx,
            ctx.dialect,
            actor,
            { action: 'session.end', objectType: 'session', objectId: o.handle, organisationId: null },
            ctx.now(),
          );
        return others.length;
      });
    },

    /**
     * The caller's unread notices, newest first. A new-device notice about the session asking
     * is left out: the person on that device knows they just signed in; the others see it.
     */
    async notices(actor: Actor, session: SessionInfo) {
      const [rows, current] = await Promise.all([
        ctx.db
          .selectFrom('notices')
          .select(['id', 'kind', 'params', 'created_at'])
          .where('user_id', '=', actor.userId)
          .where('read_at', 'is', null)
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(50)
          .execute(),
        ctx.db.selectFrom('sessions').select('handle').where('id', '=', session.id).executeTakeFirst(),
      ]);
      return rows.flatMap((r) => {
        const p = r.kind === 'new_device' ? newDeviceParams(r.params) : null;
        if (!p || p.session === current?.handle) return [];
        return [
          {
            id: r.id,
            kind: 'new_device' as const,
            createdAt: iso(r.created_at),
            params: { browser: p.browser, os: p.os, at: iso(p.at), session: p.session },
          },
        ];
      });
    },

    /** Marks one of the caller's notices read (dismissed). */
    async readNotice(actor: Actor, id: string): Promise<void> {
      const r = await ctx.db
        .updateTable('notices')
        .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(ctx.now())) }))
        .where('id', '=', id)
        .where('user_id', '=', actor.userId)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw notFound('that notice');
    },
  };
}

export type SessionsService = ReturnType<typeof sessionsService>;
