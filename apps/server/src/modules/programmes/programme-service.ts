import { indexFramework, subjectOf, type FrameworkSubject } from '@kalaja/engine';
import { AppError, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { transaction, type Context } from '../../context.js';
import type { OrganisationKeyStore } from '../../crypto/organisation-key-store.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { UserStore } from '../users/user-store.js';
import type { ProgrammeStore } from './programme-store.js';
import { roundState, type OrganisationProfile, type ProgrammeView } from './programme-types.js';
import { isoDay, type RoundService } from './round-service.js';
import type { RoundStore } from './round-store.js';

/** "Organisation A" … "Organisation Z", "Organisation AA" …: how observers and reports name members. */
export function pseudonym(index: number): string {
  let n = index;
  let s = '';
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `Organisation ${s}`;
}

/** The organisations the actor belongs to (as an admin or a member). */
const ownOrganisations = (actor: Actor) =>
  actor.memberships.filter((m) => m.organisationId !== null).map((m) => m.organisationId!);

/**
 * Programmes: a pinned framework version, ordered rounds, participating organisations (each
 * with its own data key and one assessment per round), assessors assigned to organisations.
 */
export function programmeService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    programmes: ProgrammeStore;
    assessments: Pick<AssessmentStore, 'createDrafts' | 'progress'>;
    users: Pick<UserStore, 'addMemberships' | 'membersOf' | 'hasRole'>;
    keys: Pick<OrganisationKeyStore, 'add'>;
    frameworks: Pick<FrameworkService, 'load'>;
    audit: Pick<AuditStore, 'append'>;
    /** Rounds whose start date has come open by themselves when the programme is read. */
    lifecycle: Pick<RoundService, 'openDue'>;
    roundEvents: Pick<RoundStore, 'addEvent'>;
  },
) {
  const { programmes } = deps;
  const iso = (at: number | null) => (at === null ? null : new Date(Number(at)).toISOString());

  async function view(id: string): Promise<ProgrammeView> {
    const p = await programmes.withFramework(id);
    if (!p) throw notFound('that programme');
    let rounds = await programmes.rounds(id);
    const today = isoDay(ctx.now());
    if (rounds.some((r) => r.opened_at === null && r.starts_on !== null && r.starts_on <= today))
      if ((await deps.lifecycle.openDue(id)) > 0) rounds = await programmes.rounds(id);
    return {
      id: p.id,
      name: p.name,
      framework: {
        id: p.framework_id,
        key: p.framework_key,
        version: p.version,
        subject: subjectOf(await deps.frameworks.load(p.framework_id)),
      },
      rounds: rounds.map((r) => ({
        id: r.id,
        name: r.name,
        position: r.position,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        state: roundState(r),
        openedAt: iso(r.opened_at),
        closedAt: iso(r.closed_at),
      })),
    };
  }

  return {
    async create(
      actor: Actor,
      input: {
        name: string;
        frameworkId: string;
        rounds: { name: string; startsOn?: string | undefined; endsOn?: string | undefined }[];
      },
      /** What it measures: organisations (a programme) or institutions (an openness index, decision 0015). */
      subject: FrameworkSubject = 'organisation',
    ): Promise<ProgrammeView> {
      denyAsMissing(policy.createProgramme(actor));
      const fw = await deps.frameworks.load(input.frameworkId);
      if (subjectOf(fw) !== subject)
        throw subject === 'organisation'
          ? invalid('This framework measures institutions: create an openness index with it, not a programme.', [
              { where: 'frameworkId', message: 'is an institution framework (subject: institution)' },
            ])
          : invalid('This framework assesses organisations: an openness index needs an institution framework.', [
              { where: 'frameworkId', message: 'is not an institution framework (subject: institution)' },
            ]);
      const names = input.rounds.map((r) => r.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup)
        throw invalid(`The round name "${dup}" is used twice.`, [
          { where: 'rounds', message: `"${dup}" appears twice` },
        ]);
      const id = newId();
      const now = ctx.now();
      const rounds = input.rounds.map((r, i) => ({
        id: newId(),
        programmeId: id,
        name: r.name,
        position: i,
        startsOn: r.startsOn ?? null,
        endsOn: r.endsOn ?? null,
        // The first round opens with the programme, unless it starts later; the others wait
        // for a manager or their start date.
        openedAt: i === 0 && (r.startsOn === undefined || r.startsOn <= isoDay(now)) ? now : null,
      }));
      await transaction(ctx, async (tx) => {
        await programmes.insert(
          { id, name: input.name, frameworkId: input.frameworkId, createdBy: actor.userId, at: now },
          tx,
        );
        await programmes.insertRounds(rounds, tx);
        for (const r of rounds.filter((x) => x.openedAt !== null))
          await deps.roundEvents.addEvent(
            {
              id: newId(),
              roundId: r.id,
              action: 'open',
              reason: null,
              actorId: actor.userId === 'system' ? null : actor.userId,
              at: now,
            },
            tx,
          );
        // Whoever creates a programme manages it; the system (the demo, the command line) names its managers itself.
        if (actor.userId !== 'system')
          await deps.users.addMemberships(
            [
              {
                id: newId(),
                userId: actor.userId,
                role: 'programme_manager',
                programmeId: id,
                organisationId: null,
                at: now,
              },
            ],
            tx,
          );
        await deps.audit.append(
          actor,
          { action: 'programme.create', objectType: 'programme', objectId: id, organisationId: null },
          now,
          tx,
        );
      });
      return view(id);
    },

    async list(actor: Actor): Promise<ProgrammeView[]> {
      const direct = actor.memberships.filter((m) => m.programmeId !== null).map((m) => m.programmeId!);
      const viaOrgs = await programmes.programmesOf(ownOrganisations(actor));
      const ids = [...new Set([...direct, ...viaOrgs])];
      return Promise.all(ids.map(view));
    },

    async get(actor: Actor, id: string): Promise<ProgrammeView> {
      denyAsMissing(
        policy.seeProgramme(actor, id) || (await programmes.takesPart(id, ownOrganisations(actor))),
        'that programme',
      );
      return view(id);
    },

    /** Adds a new organisation to a programme: its profile, its data key, a draft assessment per round. */
    async addOrganisation(
      actor: Actor,
      programmeId: string,
      profile: OrganisationProfile,
    ): Promise<{ id: string } & OrganisationProfile> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const p = await programmes.byId(programmeId);
      if (p && subjectOf(await deps.frameworks.load(p.framework_id)) === 'institution')
        throw invalid('This is an openness index: add institutions to it, not organisations.', [
          { where: 'programme', message: 'is an openness index' },
        ]);
      const id = newId();
      const now = ctx.now();
      const wrapped = ctx.vault.newWrappedKey(id);
      await transaction(ctx, async (tx) => {
        if (await programmes.nameTaken(programmeId, profile.name, tx))
          throw new AppError('conflict', `"${profile.name}" already takes part in this programme.`);
        await programmes.insertOrganisation({ id, profile, at: now }, tx);
        await deps.keys.add(id, wrapped, now, tx);
        await programmes.addParticipant(programmeId, id, pseudonym, tx);
        const rounds = await programmes.rounds(programmeId, tx);
        await deps.assessments.createDrafts(
          programmeId,
          id,
          // An assessment in a closed round is read-only from the start, as its round is.
          rounds.map((r) => ({ id: newId(), roundId: r.id, closedAt: r.closed_at })),
          now,
          tx,
        );
        await deps.audit.append(
          actor,
          { action: 'organisation.create', objectType: 'organisation', objectId: id, organisationId: id },
          now,
          tx,
        );
      });
      return { id, ...profile };
    },

    /** The organisations of a programme as the actor may see them: all for managers, assigned ones for assessors, their own for members. */
    async organisations(actor: Actor, programmeId: string): Promise<({ id: string } & OrganisationProfile)[]> {
      const manager = policy.manageProgramme(actor, programmeId);
      const assigned = actor.assignments.get(programmeId) ?? new Set<string>();
      const own = new Set(ownOrganisations(actor));
      const rows = await programmes.organisations(programmeId);
      // An index's institutions are listed by the openness module, with their own profile.
      const visible = rows.filter((r) => r.kind !== 'institution' && (manager || assigned.has(r.id) || own.has(r.id)));
      denyAsMissing(manager || visible.length > 0 || policy.seeProgramme(actor, programmeId), 'that programme');
      return visible.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind as OrganisationProfile['kind'],
        sizeBand: r.size_band as OrganisationProfile['sizeBand'],
        municipality: r.municipality,
        country: r.country,
        focus: r.focus,
        languages: JSON.parse(r.languages) as string[],
      }));
    },

    /** The people of a programme with their roles, and the assessors' assignments — for its managers. */
    async members(actor: Actor, programmeId: string) {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const rows = await deps.users.membersOf(programmeId, await programmes.organisationIds(programmeId));
      const assignments = await programmes.assignments(programmeId);
      return rows.map((r) => ({
        userId: r.id,
        displayName: r.display_name,
        email: r.email,
        role: r.role as Actor['memberships'][number]['role'],
        organisationId: r.organisation_id,
        assignedOrganisations:
          r.role === 'assessor' ? assignments.filter((a) => a.user_id === r.id).map((a) => a.organisation_id) : [],
      }));
    },

    async assignAssessor(
      actor: Actor,
      programmeId: string,
      input: { userId: string; organisationId: string },
    ): Promise<void> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const [isAssessor, takesPart] = await Promise.all([
        deps.users.hasRole(input.userId, 'assessor', programmeId),
        programmes.takesPart(programmeId, [input.organisationId]),
      ]);
      if (!isAssessor) throw notFound('that assessor in this programme');
      if (!takesPart) throw notFound('that organisation in this programme');
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await programmes.assign(programmeId, input.userId, input.organisationId, tx);
        await deps.audit.append(
          actor,
          {
            action: 'assessor.assign',
            objectType: 'user',
            objectId: input.userId,
            organisationId: input.organisationId,
          },
          now,
          tx,
        );
      });
    },

    /** Every organisation's status and completeness per round — from answer counts, without opening any answer. */
    async progress(actor: Actor, programmeId: string) {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const p = await view(programmeId);
      const total = indexFramework(await deps.frameworks.load(p.framework.id)).questionCount;
      const rows = await deps.assessments.progress(programmeId);
      return rows.map((r) => ({
        organisationId: r.organisationId,
        organisation: r.organisation,
        roundId: r.roundId,
        assessmentId: r.assessmentId,
        status: r.status as 'draft' | 'submitted' | 'validated',
        completeness: total > 0 ? Number(r.answered) / total : 0,
      }));
    },
  };
}

export type ProgrammeService = ReturnType<typeof programmeService>;
