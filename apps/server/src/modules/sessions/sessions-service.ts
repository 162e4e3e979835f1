import { transaction, type Context } from '../../context.js';
import { notFound } from '../../errors.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { SessionInfo } from '../auth/auth-types.js';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../auth/sign-in-service.js';
import type { NewDeviceParams } from './devices.js';
import type { SessionStore } from './session-store.js';
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
 * Your own sessions and notices (docs/threat-model.md, T1 and T4). Everything here is about the caller alone: every
 * query is bound to `actor.userId`, so another user's handle or notice is the same 404 as a
 * missing one. Sessions are shown and ended by their handle, never by the token's hash.
 */
export function sessionsService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now'>,
  deps: {
    sessions: Pick<
      SessionStore,
      'alive' | 'idOfHandle' | 'remove' | 'endOthers' | 'unreadNotices' | 'handleOf' | 'readNotice'
    >;
    audit: Pick<AuditStore, 'append'>;
  },
) {
  const { sessions } = deps;
  /** Sessions that `resolve` would still accept (expired ones linger until their next request). */
  const alive = (now: number) => ({ idleAfter: now - IDLE_TIMEOUT_MS, absoluteAfter: now - ABSOLUTE_TIMEOUT_MS });

  return {
    async list(actor: Actor, session: SessionInfo) {
      const { idleAfter, absoluteAfter } = alive(ctx.now());
      const rows = await sessions.alive(actor.userId, { idleAfter, absoluteAfter });
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
        const id = await sessions.idOfHandle(actor.userId, handle, tx);
        if (id === undefined) throw notFound('that session');
        await sessions.remove(id, tx);
        await deps.audit.append(
          actor,
          { action: 'session.end', objectType: 'session', objectId: handle, organisationId: null },
          ctx.now(),
          tx,
        );
        return { current: id === session.id };
      });
    },

    /** Ends every session of the caller but this one ("sign out everywhere else"). One audit row per session. */
    async endOthers(actor: Actor, session: SessionInfo): Promise<number> {
      return transaction(ctx, async (tx) => {
        const ended = await sessions.endOthers(actor.userId, session.id, tx);
        for (const handle of ended)
          await deps.audit.append(
            actor,
            { action: 'session.end', objectType: 'session', objectId: handle, organisationId: null },
            ctx.now(),
            tx,
          );
        return ended.length;
      });
    },

    /**
     * The caller's unread notices, newest first. A new-device notice about the session asking
     * is left out: the person on that device knows they just signed in; the others see it.
     */
    async notices(actor: Actor, session: SessionInfo) {
      const [rows, current] = await Promise.all([sessions.unreadNotices(actor.userId), sessions.handleOf(session.id)]);
      return rows.flatMap((r) => {
        const p = r.kind === 'new_device' ? newDeviceParams(r.params) : null;
        if (!p || p.session === current) return [];
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
      if (!(await sessions.readNotice(id, actor.userId, ctx.now()))) throw notFound('that notice');
    },
  };
}

export type SessionsService = ReturnType<typeof sessionsService>;
