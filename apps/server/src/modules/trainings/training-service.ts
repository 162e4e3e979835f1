import { transaction, type Context } from '../../context.js';
import { AppError, conflict, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { hashToken, newToken } from '../auth/auth-tokens.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { TrainingCatalogue } from './training-catalogue.js';
import { followUpPhase, isAfter, newCheckCode, showCode } from './training-fns.js';
import { moduleOf, readSessions, type OpenedSession } from './training-read.js';
import type { LinkRow, SessionRow, TrainingStore } from './training-store.js';
import { sealParticipant } from './training-texts.js';
import {
  CHECK_RULES,
  type CheckState,
  type LinksIssuedView,
  type ParticipantCreate,
  type ParticipantUpdate,
  type ParticipantView,
  type SessionCreate,
  type SessionDetailView,
  type SessionsView,
  type SessionUpdate,
  type TrainingModuleView,
} from './training-types.js';
import { moduleView, participantView, sessionView } from './training-views.js';

/** How many times a write without If-Match is tried again when someone else changed the row meanwhile. */
const RETRIES = 3;
const DAY = 24 * 60 * 60_000;

const stale = (what: string) =>
  new AppError(
    'precondition_failed',
    `This ${what} was changed by someone else meanwhile. Reload to see the latest, then make your change again.`,
  );

/** The purpose a short code's keyed hash is made for (Vault.instanceMac). */
export const CODE_MAC = 'training-check-code';

/**
 * The token a short code is exchanged for: derived from the link's own token hash under the
 * instance key, so it needs no write when the code is typed and is as unguessable as the link.
 */
export const codeToken = (vault: Pick<Context['vault'], 'instanceMac'>, tokenHash: string) =>
  Buffer.from(vault.instanceMac('training-code-token', tokenHash), 'hex').toString('base64url');

/** Who reads a programme's trainings, and how much: the team everything, an organisation its own people. */
type Reader = { team: true } | { team: false; organisations: ReadonlySet<string> };

/**
 * A programme's training sessions (DESIGN.md, "Contract: trainings and knowledge checks"):
 * scheduling, participants and attendance, the one-time links of the knowledge checks, the
 * check's phase and follow-ups. Trainers and managers run them; an organisation's admins and
 * members see their own people's; observers and everyone else get the 404 a missing session
 * gets. Names and roles are sealed under the participant's organisation's key before the
 * transaction; every write is one transaction with its audit row.
 */
export function trainingService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    trainings: TrainingStore;
    programmes: Pick<ProgrammeStore, 'byId' | 'takesPart' | 'organisations'>;
    audit: Pick<AuditStore, 'append'>;
    catalogue: TrainingCatalogue;
  },
) {
  const { trainings: store, catalogue } = deps;

  /** What the actor may read of a programme's trainings; 404 when nothing. */
  async function readerOf(actor: Actor, programmeId: string): Promise<Reader> {
    if (policy.runTrainings(actor, programmeId)) return { team: true };
    const own = actor.memberships
      .filter((m) => (m.role === 'org_admin' || m.role === 'org_member') && m.organisationId !== null)
      .map((m) => m.organisationId!);
    const organisations = new Set<string>();
    for (const o of own) if (await deps.programmes.takesPart(programmeId, [o])) organisations.add(o);
    denyAsMissing(organisations.size > 0, 'that programme');
    return { team: false, organisations };
  }

  async function sessionFor(actor: Actor, sessionId: string): Promise<{ row: SessionRow; reader: Reader }> {
    const row = await store.session(sessionId);
    if (!row) throw notFound('that training session');
    try {
      return { row, reader: await readerOf(actor, row.programme_id) };
    } catch {
      throw notFound('that training session');
    }
  }

  /** A session the actor runs (trainers and managers); 404 otherwise. */
  async function runnable(actor: Actor, sessionId: string): Promise<SessionRow> {
    const row = await store.session(sessionId);
    denyAsMissing(row !== undefined && policy.runTrainings(actor, row.programme_id), 'that training session');
    return row;
  }

  async function namesOf(programmeId: string): Promise<Map<string, string>> {
    return new Map((await deps.programmes.organisations(programmeId)).map((o) => [o.id, o.name]));
  }

  async function opened(row: SessionRow, reader: Reader): Promise<OpenedSession> {
    return (
      await readSessions(ctx, store, catalogue, [row], reader.team ? {} : { organisations: reader.organisations })
    )[0]!;
  }

  async function detail(row: SessionRow, reader: Reader): Promise<SessionDetailView> {
    const o = await opened(row, reader);
    const names = await namesOf(row.programme_id);
    const now = ctx.now();
    return {
      ...sessionView(o),
      canManage: reader.team,
      participants: o.participants
        .filter((p) => !p.erased)
        .map((p) => participantView(row, p, names.get(p.row.organisation_id) ?? '', now)),
    };
  }

  /**
   * Writes a change to a session at the version the page showed (If-Match), or at whatever
   * version it has now, tried again a few times when someone else wrote meanwhile.
   */
  async function changeSession(
    actor: Actor,
    sessionId: string,
    expected: number | undefined,
    change: (row: SessionRow) => Partial<SessionRow>,
    action: string,
  ): Promise<SessionRow> {
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const row = await runnable(actor, sessionId);
      if (expected !== undefined && expected !== Number(row.version)) throw stale('training session');
      const set = { ...change(row), updated_at: ctx.now() };
      const done = await transaction(ctx, async (tx) => {
        const version = await store.updateSession(sessionId, Number(row.version), set, tx);
        if (version === undefined) return undefined;
        await deps.audit.append(
          actor,
          { action, objectType: 'training_session', objectId: sessionId, organisationId: null },
          ctx.now(),
          tx,
        );
        return version;
      });
      if (done !== undefined) return (await store.session(sessionId))!;
      if (expected !== undefined) throw stale('training session');
    }
    throw stale('training session');
  }

  /** Issues a fresh link (token and short code) for each participant, the hashes only kept. */
  async function newLinks(
    sessionId: string,
    participantIds: readonly string[],
    kind: LinkRow['kind'],
    days: number | null,
    expiresAt: number,
  ): Promise<{ row: LinkRow; token: string; code: string }[]> {
    const now = ctx.now();
    const out: { row: LinkRow; token: string; code: string }[] = [];
    const codes = new Set<string>();
    for (const participantId of participantIds) {
      const token = newToken();
      let code = newCheckCode();
      while (codes.has(code)) code = newCheckCode();
      codes.add(code);
      out.push({
        token,
        code,
        row: {
          id: newId(),
          session_id: sessionId,
          participant_id: participantId,
          kind,
          days,
          token_hash: hashToken(token),
          code_hash: ctx.vault.instanceMac(CODE_MAC, code),
          code_token_hash: hashToken(codeToken(ctx.vault, hashToken(token))),
          issued_at: now,
          expires_at: expiresAt,
          revoked_at: null,
        },
      });
    }
    // A code already held by another link (about one in 10^10 per pair) is drawn again.
    for (let taken = await store.codeTaken(out.map((l) => l.row.code_hash)); taken.size > 0;) {
      for (const l of out.filter((x) => taken.has(x.row.code_hash))) {
        let code = newCheckCode();
        while (codes.has(code)) code = newCheckCode();
        codes.add(code);
        l.code = code;
        l.row.code_hash = ctx.vault.instanceMac(CODE_MAC, code);
      }
      taken = await store.codeTaken(out.map((l) => l.row.code_hash));
    }
    return out;
  }

  return {
    /** The catalogue of modules; the team sees each item's correct option and explanation. */
    async modules(actor: Actor): Promise<{ modules: TrainingModuleView[] }> {
      denyAsMissing(policy.seeTrainingCatalogue(actor), 'the training catalogue');
      const team =
        actor.isInstanceAdmin || actor.memberships.some((m) => m.role === 'programme_manager' || m.role === 'trainer');
      return { modules: catalogue.modules.map((m) => moduleView(m, team)) };
    },

    async list(actor: Actor, programmeId: string): Promise<SessionsView> {
      const reader = await readerOf(actor, programmeId);
      const rows = await store.sessionsOf(programmeId);
      const sessions = await readSessions(
        ctx,
        store,
        catalogue,
        rows,
        reader.team ? {} : { organisations: reader.organisations },
      );
      const organisations = (await deps.programmes.organisations(programmeId))
        .filter((o) => reader.team || reader.organisations.has(o.id))
        .map((o) => ({ id: o.id, name: o.name }));
      return { programmeId, canManage: reader.team, sessions: sessions.map(sessionView), organisations };
    },

    async get(actor: Actor, sessionId: string): Promise<SessionDetailView> {
      const { row, reader } = await sessionFor(actor, sessionId);
      return detail(row, reader);
    },

    async create(actor: Actor, programmeId: string, input: SessionCreate): Promise<SessionDetailView> {
      denyAsMissing(policy.runTrainings(actor, programmeId), 'that programme');
      if (!(await deps.programmes.byId(programmeId))) throw notFound('that programme');
      const m = catalogue.byId.get(input.module);
      if (!m)
        throw invalid('There is no training module with that id.', [
          { where: 'module', message: `unknown module \`${input.module}\`; choose one of the catalogue` },
        ]);
      const now = ctx.now();
      const row: SessionRow = {
        id: newId(),
        programme_id: programmeId,
        module_id: m.id,
        module_version: m.version,
        title: input.title,
        starts_at: Date.parse(input.startsAt),
        duration_minutes: input.durationMinutes,
        place: input.place,
        online: input.online ? 1 : 0,
        online_link: input.onlineLink,
        trainers: input.trainers,
        capacity: input.capacity,
        language: input.language,
        check_state: 'none',
        links_issued_at: null,
        links_expire_at: null,
        version: 1,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      };
      await transaction(ctx, async (tx) => {
        await store.insertSession(row, tx);
        await deps.audit.append(
          actor,
          { action: 'training.schedule', objectType: 'training_session', objectId: row.id, organisationId: null },
          now,
          tx,
        );
      });
      return detail(row, { team: true });
    },

    async update(
      actor: Actor,
      sessionId: string,
      input: SessionUpdate,
      expected: number | undefined,
    ): Promise<SessionDetailView> {
      const row = await changeSession(
        actor,
        sessionId,
        expected,
        (r) => {
          const online = input.online ?? Number(r.online) === 1;
          const place = input.place ?? r.place;
          const onlineLink = input.online === false ? (input.onlineLink ?? '') : (input.onlineLink ?? r.online_link);
          if (!online && place === '')
            throw invalid('Say where the session takes place, or that it is online.', [
              { where: 'place', message: 'say where the session takes place, or that it is online' },
            ]);
          if (!online && onlineLink !== '')
            throw invalid('A link is only for an online session.', [
              { where: 'onlineLink', message: 'is only for an online session' },
            ]);
          return {
            ...(input.title !== undefined && { title: input.title }),
            ...(input.startsAt !== undefined && { starts_at: Date.parse(input.startsAt) }),
            ...(input.durationMinutes !== undefined && { duration_minutes: input.durationMinutes }),
            ...(input.trainers !== undefined && { trainers: input.trainers }),
            ...(input.capacity !== undefined && { capacity: input.capacity }),
            ...(input.language !== undefined && { language: input.language }),
            place,
            online: online ? 1 : 0,
            online_link: onlineLink,
          };
        },
        'training.edit',
      );
      return detail(row, { team: true });
    },

    async remove(actor: Actor, sessionId: string, expected: number | undefined): Promise<void> {
      const row = await runnable(actor, sessionId);
      if (expected !== undefined && expected !== Number(row.version)) throw stale('training session');
      await transaction(ctx, async (tx) => {
        await store.deleteSession(sessionId, tx);
        await deps.audit.append(
          actor,
          { action: 'training.delete', objectType: 'training_session', objectId: sessionId, organisationId: null },
          ctx.now(),
          tx,
        );
      });
    },

    /** Adds a participant of an organisation of the programme, within the session's capacity. */
    async addParticipant(actor: Actor, sessionId: string, input: ParticipantCreate): Promise<ParticipantView> {
      const row = await runnable(actor, sessionId);
      if (!(await deps.programmes.takesPart(row.programme_id, [input.organisationId])))
        throw notFound('that organisation in this programme');
      const id = newId();
      const sealed = await sealParticipant(ctx.vault, input.organisationId, id, {
        name: input.displayName,
        role: input.role,
      });
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        // Taking the session's row first makes two additions at once wait for each other, so
        // that the count below is the count when this one is written.
        if (!(await store.lockSession(sessionId, tx))) throw notFound('that training session');
        const { n, next } = await store.participantCount(sessionId, tx);
        if (n >= Number(row.capacity))
          throw conflict(
            `This session is full: all ${Number(row.capacity)} places are taken. Raise its capacity, or remove someone, to add another participant.`,
          );
        await store.insertParticipant(
          {
            id,
            session_id: sessionId,
            organisation_id: input.organisationId,
            position: next,
            attended: input.attended ? 1 : 0,
            texts_sealed: sealed,
            version: 1,
            created_at: now,
            updated_at: now,
          },
          tx,
        );
        await deps.audit.append(
          actor,
          {
            action: 'training.participant.add',
            objectType: 'training_participant',
            objectId: id,
            organisationId: input.organisationId,
          },
          now,
          tx,
        );
      });
      return (await detail((await store.session(sessionId))!, { team: true })).participants.find((p) => p.id === id)!;
    },

    async updateParticipant(
      actor: Actor,
      sessionId: string,
      participantId: string,
      input: ParticipantUpdate,
      expected: number | undefined,
    ): Promise<ParticipantView> {
      const row = await runnable(actor, sessionId);
      for (let attempt = 0; attempt < RETRIES; attempt++) {
        const p = await store.participant(participantId);
        if (!p || p.session_id !== row.id) throw notFound('that participant');
        if (expected !== undefined && expected !== Number(p.version)) throw stale('participant');
        let texts_sealed: Uint8Array | undefined;
        if (input.displayName !== undefined || input.role !== undefined) {
          const [o] = await readSessions(ctx, store, catalogue, [row], { organisations: new Set([p.organisation_id]) });
          const current = o!.participants.find((x) => x.row.id === p.id)!;
          texts_sealed = await sealParticipant(ctx.vault, p.organisation_id, p.id, {
            name: input.displayName ?? current.name,
            role: input.role ?? current.role,
          });
        }
        const done = await transaction(ctx, async (tx) => {
          const v = await store.updateParticipant(
            p.id,
            Number(p.version),
            {
              ...(input.attended !== undefined && { attended: input.attended ? 1 : 0 }),
              ...(texts_sealed && { texts_sealed }),
              updated_at: ctx.now(),
            },
            tx,
          );
          if (v === undefined) return false;
          await deps.audit.append(
            actor,
            {
              action: input.attended !== undefined ? 'training.participant.attendance' : 'training.participant.edit',
              objectType: 'training_participant',
              objectId: p.id,
              organisationId: p.organisation_id,
            },
            ctx.now(),
            tx,
          );
          return true;
        });
        if (done) return (await detail(row, { team: true })).participants.find((x) => x.id === p.id)!;
        if (expected !== undefined) throw stale('participant');
      }
      throw stale('participant');
    },

    async removeParticipant(actor: Actor, sessionId: string, participantId: string): Promise<void> {
      const row = await runnable(actor, sessionId);
      const p = await store.participant(participantId);
      if (!p || p.session_id !== row.id) throw notFound('that participant');
      await transaction(ctx, async (tx) => {
        await store.deleteParticipant(p.id, tx);
        await deps.audit.append(
          actor,
          {
            action: 'training.participant.remove',
            objectType: 'training_participant',
            objectId: p.id,
            organisationId: p.organisation_id,
          },
          ctx.now(),
          tx,
        );
      });
    },

    /**
     * Issues each participant's link and short code for the pre and post checks (or for the
     * ones named), revoking their earlier ones: shown in this answer only. Opens the pre check
     * if nothing is open yet. Links work until 14 days after the session starts (and at least a
     * day from now, for links issued late).
     */
    async issueLinks(actor: Actor, sessionId: string, only: readonly string[] | undefined): Promise<LinksIssuedView> {
      const row = await runnable(actor, sessionId);
      if (row.check_state === 'closed')
        throw conflict('The check of this session is closed: no new links can be issued.');
      const o = await opened(row, { team: true });
      const targets = only ? o.participants.filter((p) => only.includes(p.row.id)) : o.participants;
      if (only && targets.length !== new Set(only).size) throw notFound('that participant');
      if (targets.length === 0) throw conflict('This session has no participants yet: add them first.');
      const expiresAt = Math.max(Number(row.starts_at) + CHECK_RULES.linkAfterStartMs, ctx.now() + DAY);
      const links = await newLinks(
        row.id,
        targets.map((p) => p.row.id),
        'check',
        null,
        expiresAt,
      );
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        const v = await store.updateSession(
          row.id,
          Number(row.version),
          {
            check_state: row.check_state === 'none' ? 'pre' : row.check_state,
            links_issued_at: now,
            links_expire_at: expiresAt,
            updated_at: now,
          },
          tx,
        );
        if (v === undefined) throw stale('training session');
        await store.revokeLinks(
          targets.map((p) => p.row.id),
          'check',
          null,
          now,
          tx,
        );
        await store.insertLinks(
          links.map((l) => l.row),
          tx,
        );
        await deps.audit.append(
          actor,
          { action: 'training.links.issue', objectType: 'training_session', objectId: row.id, organisationId: null },
          now,
          tx,
        );
      });
      return linksView(o, links, 'check', null, expiresAt, await namesOf(row.programme_id));
    },

    /** Moves the session's check forward: pre → post → closed (a step may be skipped, never undone). */
    async setPhase(actor: Actor, sessionId: string, phase: Exclude<CheckState, 'none'>): Promise<SessionDetailView> {
      const row = await changeSession(
        actor,
        sessionId,
        undefined,
        (r) => {
          if (!isAfter(phase, r.check_state))
            throw conflict(
              r.check_state === phase
                ? `The check is already at ${phase}.`
                : `The check is at ${r.check_state} already; it moves forward only (pre, then post, then closed).`,
            );
          return { check_state: phase };
        },
        `training.phase.${phase}`,
      );
      return detail(row, { team: true });
    },

    /**
     * Issues follow-up links (30 or 90 days after the session) to the participants who attended
     * (or the ones named), asking whether they put the module's practices into practice. A
     * participant who answered this follow-up already gets no new link.
     */
    async followUp(
      actor: Actor,
      sessionId: string,
      days: 30 | 90,
      only: readonly string[] | undefined,
    ): Promise<LinksIssuedView> {
      const row = await runnable(actor, sessionId);
      if (row.check_state === 'none' || row.check_state === 'pre')
        throw conflict('A follow-up comes after the session: move the check to post (or close it) first.');
      if (moduleOf(catalogue, row).practices.length === 0)
        throw conflict('This module names no practices to follow up on.');
      const o = await opened(row, { team: true });
      const targets = (
        only ? o.participants.filter((p) => only.includes(p.row.id)) : o.participants.filter((p) => p.row.attended)
      ).filter((p) => !p.results.has(followUpPhase(days)));
      if (only && o.participants.filter((p) => only.includes(p.row.id)).length !== new Set(only).size)
        throw notFound('that participant');
      if (targets.length === 0)
        throw conflict('Nobody is left to ask: no participant who attended is without an answer to this follow-up.');
      const now = ctx.now();
      const expiresAt = now + CHECK_RULES.followUpMs;
      const links = await newLinks(
        row.id,
        targets.map((p) => p.row.id),
        'follow-up',
        days,
        expiresAt,
      );
      await transaction(ctx, async (tx) => {
        const v = await store.updateSession(row.id, Number(row.version), { updated_at: now }, tx);
        if (v === undefined) throw stale('training session');
        await store.revokeLinks(
          targets.map((p) => p.row.id),
          'follow-up',
          days,
          now,
          tx,
        );
        await store.insertLinks(
          links.map((l) => l.row),
          tx,
        );
        await deps.audit.append(
          actor,
          {
            action: `training.follow-up.${days}`,
            objectType: 'training_session',
            objectId: row.id,
            organisationId: null,
          },
          now,
          tx,
        );
      });
      return linksView(o, links, 'follow-up', days, expiresAt, await namesOf(row.programme_id));
    },

    /** For the other parts of trainings: the reader rule, and a session the actor runs. */
    readerOf,
    runnable,
    detail,
  };
}

function linksView(
  o: OpenedSession,
  links: { row: LinkRow; token: string; code: string }[],
  kind: 'check' | 'follow-up',
  days: number | null,
  expiresAt: number,
  names: ReadonlyMap<string, string>,
): LinksIssuedView {
  const byId = new Map(o.participants.map((p) => [p.row.id, p]));
  return {
    sessionId: o.row.id,
    kind,
    days,
    expiresAt: new Date(expiresAt).toISOString(),
    links: links.map((l) => {
      const p = byId.get(l.row.participant_id)!;
      return {
        participantId: p.row.id,
        displayName: p.name,
        organisation: names.get(p.row.organisation_id) ?? '',
        token: l.token,
        path: `/check/${l.token}`,
        code: showCode(l.code),
        expiresAt: new Date(expiresAt).toISOString(),
      };
    }),
  };
}

export type TrainingService = ReturnType<typeof trainingService>;
