import { indexFramework } from '@kalaja/engine';
import { AppError, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { transaction, type Context } from '../../context.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import { appendAudit } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';

export interface OrganisationProfile {
  name: string;
  kind: 'media' | 'cso' | 'other';
  sizeBand: '1-5' | '6-10' | '11-25' | '26-50' | '51+';
  municipality: string;
  country: string;
  focus: string;
  languages: string[];
}

export interface ProgrammeView {
  id: string;
  name: string;
  framework: { id: string; key: string; version: string };
  rounds: { id: string; name: string; position: number; startsOn: string | null; endsOn: string | null }[];
}

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

/**
 * Programmes: a pinned framework version, ordered rounds, participating organisations (each
 * with its own data key and one assessment per round), assessors assigned to organisations.
 */
export function programmeService(ctx: Context, frameworks: FrameworkService) {
  async function programmeRow(id: string) {
    return ctx.db
      .selectFrom('programmes')
      .innerJoin('frameworks', 'frameworks.id', 'programmes.framework_id')
      .select([
        'programmes.id',
        'programmes.name',
        'programmes.framework_id',
        'frameworks.framework_key',
        'frameworks.version',
      ])
      .where('programmes.id', '=', id)
      .executeTakeFirst();
  }

  async function view(id: string): Promise<ProgrammeView> {
    const p = await programmeRow(id);
    if (!p) throw notFound('that programme');
    const rounds = await ctx.db
      .selectFrom('rounds')
      .selectAll()
      .where('programme_id', '=', id)
      .orderBy('position')
      .execute();
    return {
      id: p.id,
      name: p.name,
      framework: { id: p.framework_id, key: p.framework_key, version: p.version },
      rounds: rounds.map((r) => ({
        id: r.id,
        name: r.name,
        position: r.position,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
      })),
    };
  }

  /** Whether the actor takes part in the programme as an organisation member. */
  async function organisationIn(actor: Actor, programmeId: string): Promise<boolean> {
    const orgs = actor.memberships.filter((m) => m.organisationId !== null).map((m) => m.organisationId!);
    if (orgs.length === 0) return false;
    const hit = await ctx.db
      .selectFrom('programme_organisations')
      .select('organisation_id')
      .where('programme_id', '=', programmeId)
      .where('organisation_id', 'in', orgs)
      .executeTakeFirst();
    return hit !== undefined;
  }

  return {
    async create(
      actor: Actor,
      input: {
        name: string;
        frameworkId: string;
        rounds: { name: string; startsOn?: string | undefined; endsOn?: string | undefined }[];
      },
    ): Promise<ProgrammeView> {
      denyAsMissing(policy.createProgramme(actor));
      await frameworks.load(input.frameworkId);
      const names = input.rounds.map((r) => r.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup)
        throw invalid(`The round name "${dup}" is used twice.`, [
          { where: 'rounds', message: `"${dup}" appears twice` },
        ]);
      const id = newId();
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await tx
          .insertInto('programmes')
          .values({ id, name: input.name, framework_id: input.frameworkId, created_by: actor.userId, created_at: now })
          .execute();
        await tx
          .insertInto('rounds')
          .values(
            input.rounds.map((r, i) => ({
              id: newId(),
              programme_id: id,
              name: r.name,
              position: i,
              starts_on: r.startsOn ?? null,
              ends_on: r.endsOn ?? null,
            })),
          )
          .execute();
        if (actor.userId !== 'system') {
          await tx
            .insertInto('memberships')
            .values({
              id: newId(),
              user_id: actor.userId,
              role: 'programme_manager',
              programme_id: id,
              organisation_id: null,
              created_at: now,
            })
            .execute();
        }
        await appendAudit(
          tx,
          ctx.dialect,
          actor,
          { action: 'programme.create', objectType: 'programme', objectId: id, organisationId: null },
          now,
        );
      });
      return view(id);
    },

    async list(actor: Actor): Promise<ProgrammeView[]> {
      const direct = actor.memberships.filter((m) => m.programmeId !== null).map((m) => m.programmeId!);
      const orgs = actor.memberships.filter((m) => m.organisationId !== null).map((m) => m.organisationId!);
      const viaOrgs = orgs.length
        ? (
            await ctx.db
              .selectFrom('programme_organisations')
              .select('programme_id')
              .where('organisation_id', 'in', orgs)
              .execute()
          ).map((r) => r.programme_id)
        : [];
      const ids = [...new Set([...direct, ...viaOrgs])];
      return Promise.all(ids.map(view));
    },

    async get(actor: Actor, id: string): Promise<ProgrammeView> {
      denyAsMissing(policy.seeProgramme(actor, id) || (await organisationIn(actor, id)), 'that programme');
      return view(id);
    },

    /** Adds a new organisation to a programme: its profile, its data key, a draft assessment per round. */
    async addOrganisation(
      actor: Actor,
      programmeId: string,
      profile: OrganisationProfile,
    ): Promise<{ id: string } & OrganisationProfile> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const id = newId();
      const now = ctx.now();
      const wrapped = ctx.vault.newWrappedKey(id);
      await transaction(ctx, async (tx) => {
        const taken = await tx
          .selectFrom('programme_organisations')
          .innerJoin('organisations', 'organisations.id', 'programme_organisations.organisation_id')
          .select('organisations.id')
          .where('programme_id', '=', programmeId)
          .where('organisations.name', '=', profile.name)
          .executeTakeFirst();
        if (taken) throw new AppError('conflict', `"${profile.name}" already takes part in this programme.`);
        await tx
          .insertInto('organisations')
          .values({
            id,
            name: profile.name,
            kind: profile.kind,
            size_band: profile.sizeBand,
            municipality: profile.municipality,
            country: profile.country,
            focus: profile.focus,
            languages: JSON.stringify(profile.languages),
            created_at: now,
          })
          .execute();
        await tx
          .insertInto('organisation_keys')
          .values({ organisation_id: id, wrapped_key: wrapped, created_at: now })
          .execute();
        const { count } = await tx
          .selectFrom('programme_organisations')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('programme_id', '=', programmeId)
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('programme_organisations')
          .values({ programme_id: programmeId, organisation_id: id, pseudonym: pseudonym(Number(count)) })
          .execute();
        const rounds = await tx.selectFrom('rounds').select('id').where('programme_id', '=', programmeId).execute();
        await tx
          .insertInto('assessments')
          .values(
            rounds.map((r) => ({
              id: newId(),
              programme_id: programmeId,
              round_id: r.id,
              organisation_id: id,
              status: 'draft',
              submitted_at: null,
              validated_at: null,
              created_at: now,
            })),
          )
          .execute();
        await appendAudit(
          tx,
          ctx.dialect,
          actor,
          { action: 'organisation.create', objectType: 'organisation', objectId: id, organisationId: id },
          now,
        );
      });
      return { id, ...profile };
    },

    /** The organisations of a programme as the actor may see them: all for managers, assigned ones for assessors, their own for members. */
    async organisations(actor: Actor, programmeId: string): Promise<({ id: string } & OrganisationProfile)[]> {
      const manager = policy.manageProgramme(actor, programmeId);
      const assigned = actor.assignments.get(programmeId) ?? new Set<string>();
      const own = new Set(actor.memberships.filter((m) => m.organisationId !== null).map((m) => m.organisationId!));
      const rows = await ctx.db
        .selectFrom('programme_organisations')
        .innerJoin('organisations', 'organisations.id', 'programme_organisations.organisation_id')
        .selectAll('organisations')
        .where('programme_id', '=', programmeId)
        .orderBy('organisations.name')
        .execute();
      const visible = rows.filter((r) => manager || assigned.has(r.id) || own.has(r.id));
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
      const orgIds = (
        await ctx.db
          .selectFrom('programme_organisations')
          .select('organisation_id')
          .where('programme_id', '=', programmeId)
          .execute()
      ).map((r) => r.organisation_id);
      const rows = await ctx.db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['users.id', 'users.display_name', 'users.email', 'memberships.role', 'memberships.organisation_id'])
        .where((eb) =>
          eb.or([
            eb('memberships.programme_id', '=', programmeId),
            ...(orgIds.length ? [eb('memberships.organisation_id', 'in', orgIds)] : []),
          ]),
        )
        .orderBy('users.display_name')
        .execute();
      const assignments = await ctx.db
        .selectFrom('programme_assessors')
        .select(['user_id', 'organisation_id'])
        .where('programme_id', '=', programmeId)
        .execute();
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
        ctx.db
          .selectFrom('memberships')
          .select('id')
          .where('user_id', '=', input.userId)
          .where('role', '=', 'assessor')
          .where('programme_id', '=', programmeId)
          .executeTakeFirst(),
        ctx.db
          .selectFrom('programme_organisations')
          .select('organisation_id')
          .where('programme_id', '=', programmeId)
          .where('organisation_id', '=', input.organisationId)
          .executeTakeFirst(),
      ]);
      if (!isAssessor) throw notFound('that assessor in this programme');
      if (!takesPart) throw notFound('that organisation in this programme');
      await transaction(ctx, async (tx) => {
        await tx
          .insertInto('programme_assessors')
          .values({ programme_id: programmeId, user_id: input.userId, organisation_id: input.organisationId })
          .onConflict((oc) => oc.doNothing())
          .execute();
        await appendAudit(
          tx,
          ctx.dialect,
          actor,
          {
            action: 'assessor.assign',
            objectType: 'user',
            objectId: input.userId,
            organisationId: input.organisationId,
          },
          ctx.now(),
        );
      });
    },

    /** Every organisation's status and completeness per round — from answer counts, without opening any answer. */
    async progress(actor: Actor, programmeId: string) {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const p = await view(programmeId);
      const total = indexFramework(await frameworks.load(p.framework.id)).questionCount;
      const rows = await ctx.db
        .selectFrom('assessments')
        .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
        .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
        .leftJoin('answers', (j) =>
          j
            .onRef('answers.assessment_id', '=', 'assessments.id')
            .on((eb) =>
              eb.or([eb('answers.own_sealed', 'is not', null), eb('answers.validated_sealed', 'is not', null)]),
            ),
        )
        .select((eb) => [
          'assessments.id as assessmentId',
          'assessments.status',
          'assessments.round_id as roundId',
          'organisations.id as organisationId',
          'organisations.name as organisation',
          'rounds.position',
          eb.fn.count<number>('answers.question_id').as('answered'),
        ])
        .where('assessments.programme_id', '=', programmeId)
        .groupBy([
          'assessments.id',
          'assessments.status',
          'assessments.round_id',
          'organisations.id',
          'organisations.name',
          'rounds.position',
        ])
        .orderBy('rounds.position')
        .orderBy('organisations.name')
        .execute();
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
