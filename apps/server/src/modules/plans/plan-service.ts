import {
  NO_ANSWER,
  rankInterventions,
  scoreChoices,
  type Choices,
  type Framework,
  type Intervention,
  type InterventionCatalogue,
  type RankedIntervention,
} from '@kalaja/engine';
import type { z } from 'zod';
import type { interventionInfo, interventionRanking } from '@kalaja/contracts';
import { transaction, type Context } from '../../context.js';
import type { Tx } from '../../db/database.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { AppError, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AssessmentService } from '../assessments/assessment-service.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { AuditStore } from '../audit/audit-store.js';
import { requireRecentSignIn } from '../auth/step-up.js';
import type { EvidenceFiles } from '../evidence/evidence-files.js';
import { detectMediaType, evidenceName, MAX_EVIDENCE_BYTES } from '../evidence/evidence-fns.js';
import type { EvidenceDownload, EvidenceUpload } from '../evidence/evidence-types.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { UserStore } from '../users/user-store.js';
import { planRows, planSheet, type PlanExportFormat, type PlanExportItem } from './plan-export.js';
import type { PlanItemRow, PlanStore } from './plan-store.js';
import { openTexts, sealTexts } from './plan-texts.js';
import {
  isOpen,
  NEXT_STATUS,
  type InterventionKind,
  type OrganisationPlanView,
  type PlanChange,
  type PlanEvidenceView,
  type PlanItemCreate,
  type PlanItemUpdate,
  type PlanItemView,
  type PlanStatus,
  type PlanStatusChange,
  type PlanTexts,
  type ProgrammePlansView,
} from './plan-types.js';

type InterventionInfo = z.infer<typeof interventionInfo>;
type InterventionRanking = z.infer<typeof interventionRanking>;

const EVIDENCE_CONTENT = 'plan_evidence.content';
const EVIDENCE_NAME = 'plan_evidence.name';

/** How many times a write without If-Match is tried again when someone else changed the item meanwhile. */
const RETRIES = 3;

const stale = () =>
  new AppError(
    'precondition_failed',
    'This plan item was changed by someone else meanwhile. Reload to see the latest, then make your change again.',
  );

/** A change `mutate` writes: the columns, what the history says, and which kind of change it is. */
interface ItemChange {
  set: Omit<Parameters<PlanStore['update']>[2], 'by' | 'at'>;
  changes: PlanChange[];
  action: 'edit' | 'status';
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The catalogue's entry as the API gives it. */
export function interventionView(i: Intervention): InterventionInfo {
  return {
    id: i.id,
    title: i.title,
    kind: i.kind,
    effort: i.effort,
    cost: i.cost,
    summary: i.summary,
    steps: i.steps,
    handbook: i.handbook,
  };
}

/** An item as the plan report and the exports need it: opened, with its catalogue entry. */
export interface PlanItemForReport {
  id: string;
  organisationId: string;
  round: string;
  roundPosition: number;
  intervention: Intervention | null;
  title: string | null;
  kind: InterventionKind;
  status: PlanStatus;
  owner: string | null;
  dueOn: string | null;
  doneAt: string | null;
  overdue: boolean;
  notes: string;
  dropReason: string | null;
  evidence: string[];
}

/**
 * Organisations' plans (docs/contracts.md, §7). The assessor (or a manager) turns the ranking of
 * an assessment into the organisation's plan: interventions of the catalogue, or items of the
 * team's own, each with an owner from the organisation, a due date, a status, notes and
 * evidence, and the round whose gap it answers. The organisation's admins and members read
 * their plan and carry it out: status, notes, evidence. Nobody else sees it.
 *
 * What an item says in words (title, notes, drop reason) and its evidence files are sealed
 * under the organisation's key; which intervention, the status, owner and dates are in clear,
 * for the programme's counts. Every write is one transaction with its history row and its
 * audit row, and carries the item's version: a write against a stale If-Match gets 412.
 */
export function planService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    plans: PlanStore;
    programmes: Pick<ProgrammeStore, 'byId' | 'takesPart' | 'organisationName' | 'round' | 'rounds'>;
    assessments: Pick<AssessmentStore, 'byId' | 'cohort'>;
    assessmentService: Pick<AssessmentService, 'effectiveChoices' | 'programmeChoices'>;
    frameworks: Pick<FrameworkService, 'load'>;
    users: Pick<UserStore, 'organisationPeople' | 'names'>;
    /** Where the sealed evidence files live (the evidence folder, shared with assessments' evidence). */
    files: EvidenceFiles;
    audit: Pick<AuditStore, 'append'>;
    catalogue: InterventionCatalogue;
  },
) {
  const { plans, catalogue } = deps;
  const byIntervention = new Map(catalogue.interventions.map((i) => [i.id, i]));
  const today = () => new Date(ctx.now()).toISOString().slice(0, 10);
  const overdue = (r: { status: string; due_on: string | null }, day: string) =>
    isOpen(r.status) && r.due_on !== null && r.due_on < day;

  async function frameworkOf(programmeId: string): Promise<Framework> {
    const p = await deps.programmes.byId(programmeId);
    if (!p) throw notFound('that programme');
    return deps.frameworks.load(p.framework_id);
  }

  /** The plan's scope, or the 404 a missing plan gets when the actor may not read it. */
  async function readablePlan(actor: Actor, programmeId: string, organisationId: string) {
    const scope = { programmeId, organisationId };
    denyAsMissing(
      policy.followPlan(actor, scope) && (await deps.programmes.takesPart(programmeId, [organisationId])),
      'that plan',
    );
    return scope;
  }

  /** An item the actor may read, or a 404. */
  async function readableItem(actor: Actor, itemId: string): Promise<PlanItemRow> {
    const row = await plans.byId(itemId);
    denyAsMissing(
      row !== undefined &&
        policy.followPlan(actor, { programmeId: row.programme_id, organisationId: row.organisation_id }),
      'that plan item',
    );
    return row;
  }

  const planners = (row: { programme_id: string; organisation_id: string }) => ({
    programmeId: row.programme_id,
    organisationId: row.organisation_id,
  });

  function refuseUnlessPlanner(actor: Actor, scope: { programmeId: string; organisationId: string }, what: string) {
    if (!policy.buildPlan(actor, scope))
      throw new AppError(
        'forbidden',
        `Only the organisation\u2019s assessor or the programme\u2019s managers ${what}.`,
      );
  }

  /** The owner given, checked: an admin or member of the organisation. */
  async function checkOwner(organisationId: string, ownerId: string | null): Promise<void> {
    if (ownerId === null) return;
    const people = await deps.users.organisationPeople(organisationId);
    if (!people.some((p) => p.id === ownerId))
      throw invalid('The owner must be one of the organisation\u2019s admins or members.', [
        { where: 'ownerId', message: 'is not an admin or member of this organisation' },
      ]);
  }

  const texts = (row: PlanItemRow) => openTexts(ctx.vault, row.organisation_id, row.id, row.texts_sealed);

  /** Items as the API gives them, with owners, evidence and history; names opened. */
  async function views(rows: readonly PlanItemRow[]): Promise<PlanItemView[]> {
    const ids = rows.map((r) => r.id);
    const [evidence, events, linked] = await Promise.all([
      plans.evidenceOf(ids),
      plans.eventsOf(ids),
      plans.findingsOf(ids),
    ]);
    const findingsOf = new Map<string, PlanItemView['findings']>();
    for (const f of linked)
      findingsOf.set(f.plan_item_id!, [
        ...(findingsOf.get(f.plan_item_id!) ?? []),
        {
          id: f.id,
          severity: f.severity as PlanItemView['findings'][number]['severity'],
          status: f.status as PlanItemView['findings'][number]['status'],
        },
      ]);
    const people = new Set<string>();
    for (const r of rows) if (r.owner_id) people.add(r.owner_id);
    for (const e of events) if (e.actor_id) people.add(e.actor_id);
    const names = await deps.users.names([...people]);
    const person = (id: string | null) => (id === null ? null : { id, displayName: names.get(id) ?? '' });
    const organisationOf = new Map(rows.map((r) => [r.id, r.organisation_id]));
    const files = new Map<string, PlanEvidenceView[]>();
    for (const e of evidence) {
      const name = await openedOrGone(
        ctx.vault.openTextFor(organisationOf.get(e.item_id)!, EVIDENCE_NAME, e.id, e.name_sealed),
      );
      const list = files.get(e.item_id) ?? [];
      list.push({
        id: e.id,
        name,
        mediaType: e.media_type,
        size: e.size,
        uploadedBy: e.uploaded_by,
        at: iso(e.created_at),
      });
      files.set(e.item_id, list);
    }
    const history = new Map<string, PlanItemView['history']>();
    for (const e of events) {
      const list = history.get(e.item_id) ?? [];
      list.push({
        at: iso(e.at),
        by: person(e.actor_id),
        action: e.action as PlanItemView['history'][number]['action'],
        changes: JSON.parse(e.changes) as PlanChange[],
      });
      history.set(e.item_id, list);
    }
    const day = today();
    return Promise.all(
      rows.map(async (r) => {
        const t = await texts(r);
        const intervention = r.intervention_id === null ? undefined : byIntervention.get(r.intervention_id);
        return {
          id: r.id,
          version: r.version,
          programmeId: r.programme_id,
          organisationId: r.organisation_id,
          roundId: r.round_id,
          round: r.round,
          intervention: intervention ? interventionView(intervention) : null,
          // An intervention the catalogue no longer has keeps its id as its title.
          title: intervention ? null : (t.title ?? r.intervention_id),
          kind: r.kind as InterventionKind,
          status: r.status as PlanStatus,
          owner: person(r.owner_id),
          dueOn: r.due_on,
          overdue: overdue(r, day),
          notes: t.notes,
          dropReason: t.dropReason,
          doneAt: r.done_at === null ? null : iso(r.done_at),
          createdAt: iso(r.created_at),
          updatedAt: iso(r.updated_at),
          evidence: files.get(r.id) ?? [],
          history: history.get(r.id) ?? [],
          findings: findingsOf.get(r.id) ?? [],
        };
      }),
    );
  }

  /**
   * What to do next first: open items (quick wins, then by due date, undated last), then what is
   * done (latest first), then what was dropped.
   */
  function inPlanOrder(items: PlanItemView[]): PlanItemView[] {
    const group = (i: PlanItemView) => (isOpen(i.status) ? 0 : i.status === 'done' ? 1 : 2);
    const quick = (i: PlanItemView) => (i.intervention?.effort === 'low' ? 0 : 1);
    return [...items].sort(
      (a, b) =>
        group(a) - group(b) ||
        (group(a) === 0
          ? quick(a) - quick(b) || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999')
          : group(a) === 1
            ? (b.doneAt ?? '').localeCompare(a.doneAt ?? '')
            : b.updatedAt.localeCompare(a.updatedAt)) ||
        a.createdAt.localeCompare(b.createdAt),
    );
  }

  async function itemView(id: string): Promise<PlanItemView> {
    const row = await plans.byId(id);
    if (!row) throw notFound('that plan item');
    return (await views([row]))[0]!;
  }

  /**
   * Writes a change to an item as one transaction with its history and audit rows. `build`
   * decides the change from the item as it is (and may refuse it); the write happens only if the
   * item is still at the version `build` saw. With If-Match, a different version is a 412; without,
   * the change is decided again on the fresh item, a few times.
   */
  async function mutate(
    actor: Actor,
    row: PlanItemRow,
    expected: number | undefined,
    build: (row: PlanItemRow) => Promise<ItemChange | null>,
  ): Promise<PlanItemView> {
    let current = row;
    for (let attempt = 0; ; attempt++) {
      if (expected !== undefined && current.version !== expected) throw stale();
      const change = await build(current);
      // Nothing to change: the item as it is.
      if (change === null) return (await views([current]))[0]!;
      const now = ctx.now();
      const written = await transaction(ctx, async (tx) => {
        const version = await plans.update(
          current.id,
          current.version,
          { ...change.set, by: actor.userId, at: now },
          tx,
        );
        if (version === undefined) return false;
        await plans.addEvent(
          { itemId: current.id, at: now, actorId: actorId(actor), action: change.action, changes: change.changes },
          tx,
        );
        await deps.audit.append(
          actor,
          {
            action: `plan_item.${change.action === 'edit' ? 'update' : 'status'}`,
            objectType: 'plan_item',
            objectId: current.id,
            organisationId: current.organisation_id,
          },
          now,
          tx,
        );
        return true;
      });
      if (written) return itemView(current.id);
      const fresh = await plans.byId(current.id);
      if (!fresh) throw notFound('that plan item');
      if (expected !== undefined || attempt + 1 >= RETRIES) throw stale();
      current = fresh;
    }
  }

  const actorId = (actor: Actor) => (actor.userId === 'system' ? null : actor.userId);

  /** The engine's ranking of one assessment (answers that count), or none when nothing is answered. */
  function rank(fw: Framework, choices: Choices): RankedIntervention[] {
    return rankInterventions(fw, catalogue, choices);
  }

  /** Items opened for a report or an export, with the names of their owners. */
  async function forExport(rows: readonly PlanItemRow[]): Promise<PlanItemForReport[]> {
    const ids = rows.map((r) => r.id);
    const evidence = await plans.evidenceOf(ids);
    const names = await deps.users.names([...new Set(rows.flatMap((r) => (r.owner_id ? [r.owner_id] : [])))]);
    const organisationOf = new Map(rows.map((r) => [r.id, r.organisation_id]));
    const files = new Map<string, string[]>();
    for (const e of evidence) {
      const name = await openedOrGone(
        ctx.vault.openTextFor(organisationOf.get(e.item_id)!, EVIDENCE_NAME, e.id, e.name_sealed),
      );
      files.set(e.item_id, [...(files.get(e.item_id) ?? []), name]);
    }
    const day = today();
    return Promise.all(
      rows.map(async (r) => {
        const t = await texts(r);
        const intervention = r.intervention_id === null ? null : (byIntervention.get(r.intervention_id) ?? null);
        return {
          id: r.id,
          organisationId: r.organisation_id,
          round: r.round,
          roundPosition: r.round_position,
          intervention,
          title: intervention ? null : (t.title ?? r.intervention_id),
          kind: r.kind as InterventionKind,
          status: r.status as PlanStatus,
          owner: r.owner_id === null ? null : (names.get(r.owner_id) ?? null),
          dueOn: r.due_on,
          doneAt: r.done_at === null ? null : iso(r.done_at).slice(0, 10),
          overdue: overdue(r, day),
          notes: t.notes,
          dropReason: t.dropReason,
          evidence: files.get(r.id) ?? [],
        };
      }),
    );
  }

  async function exported(
    actor: Actor,
    what: { programmeId: string; organisationId: string | null },
    rows: readonly PlanItemRow[],
    organisationName: (id: string) => string,
    format: PlanExportFormat,
    fileName: string,
  ): Promise<EvidenceDownload> {
    // A plan says where an organisation is weak and what it has not done yet: an export needs a
    // recent sign-in and is audited, like every export of answers.
    requireRecentSignIn(actor, ctx.now());
    const items: PlanExportItem[] = (await forExport(rows)).map((i) => ({
      ...i,
      organisation: organisationName(i.organisationId),
    }));
    const rowsOut = planRows(items);
    const now = ctx.now();
    await transaction(ctx, (tx) =>
      deps.audit.append(
        actor,
        {
          action: 'plan.export',
          objectType: what.organisationId ? 'organisation' : 'programme',
          objectId: what.organisationId ?? what.programmeId,
          organisationId: what.organisationId,
        },
        now,
        tx,
      ),
    );
    const sheet = planSheet(rowsOut, format);
    return { name: `${fileName} ${today()}.${format}`, mediaType: sheet.mediaType, bytes: Buffer.from(sheet.bytes) };
  }

  return {
    catalogue,

    /**
     * The catalogue ranked for one assessment, from the answers that count, each intervention
     * with its catalogue entry, its explanation (the questions it raises, from which option to
     * which, and the change in each domain) and the plan item already answering it this round.
     * For whoever may read the assessment's plan.
     */
    async ranking(actor: Actor, assessmentId: string): Promise<InterventionRanking> {
      const a = await deps.assessments.byId(assessmentId);
      const scope = a && { programmeId: a.programme_id, organisationId: a.organisation_id };
      denyAsMissing(a !== undefined && policy.followPlan(actor, scope!), 'that assessment');
      const fw = await frameworkOf(a.programme_id);
      const choices = await deps.assessmentService.effectiveChoices(fw, a);
      const round = await deps.programmes.round(a.programme_id, { id: a.round_id });
      const items = await plans.ofOrganisation(a.programme_id, a.organisation_id);
      const inPlan = new Map(
        items.filter((i) => i.round_id === a.round_id && i.intervention_id).map((i) => [i.intervention_id!, i.id]),
      );
      return {
        assessmentId,
        programmeId: a.programme_id,
        organisationId: a.organisation_id,
        roundId: a.round_id,
        round: round?.name ?? '',
        catalogue: { id: catalogue.id, version: catalogue.version },
        overall: scoreChoices(fw, choices).overall,
        canPlan: policy.buildPlan(actor, scope!),
        interventions: rank(fw, choices).map((r, i) => ({
          intervention: interventionView(byIntervention.get(r.id)!),
          rank: i + 1,
          gain: r.gain,
          priority: r.priority,
          quickWin: r.effort === 'low',
          questions: r.questions,
          moves: r.moves,
          domains: r.domains,
          planItem: inPlan.get(r.id) ?? null,
        })),
      };
    },

    /** An organisation's plan in a programme: what to do next first, with who can own an item. */
    async plan(actor: Actor, programmeId: string, organisationId: string): Promise<OrganisationPlanView> {
      const scope = await readablePlan(actor, programmeId, organisationId);
      const [rows, people, name] = await Promise.all([
        plans.ofOrganisation(programmeId, organisationId),
        deps.users.organisationPeople(organisationId),
        deps.programmes.organisationName(organisationId),
      ]);
      return {
        programmeId,
        organisationId,
        organisation: name ?? '',
        today: today(),
        canPlan: policy.buildPlan(actor, scope),
        people: people.map((p) => ({ id: p.id, displayName: p.display_name })),
        items: inPlanOrder(await views(rows)),
      };
    },

    /**
     * Adds an item to an organisation's plan: an intervention of the catalogue, or the team's own
     * (title and kind), for the gap of one round. Everything is checked before anything is written.
     */
    /**
     * Adds an item. `alsoIn` writes what comes with it (a finding's link to the item) in the
     * same transaction, so that either both are kept or neither is.
     */
    async create(
      actor: Actor,
      programmeId: string,
      organisationId: string,
      input: PlanItemCreate,
      alsoIn?: (tx: Tx, itemId: string) => Promise<void>,
    ): Promise<PlanItemView> {
      const scope = await readablePlan(actor, programmeId, organisationId);
      refuseUnlessPlanner(actor, scope, 'add items to a plan');
      const round = await deps.programmes.round(programmeId, { id: input.roundId });
      if (!round)
        throw invalid('There is no such round in this programme.', [
          { where: 'roundId', message: 'is not a round of this programme' },
        ]);
      let intervention: Intervention | undefined;
      if (input.intervention !== undefined) {
        intervention = byIntervention.get(input.intervention);
        if (!intervention)
          throw invalid(
            `There is no intervention "${input.intervention}" in the catalogue (${catalogue.id} ${catalogue.version}).`,
            [{ where: 'intervention', message: 'is not an intervention of the catalogue' }],
          );
      }
      await checkOwner(organisationId, input.ownerId);
      const id = newId();
      const sealed = await sealTexts(ctx.vault, organisationId, id, {
        title: intervention ? null : input.title!,
        notes: input.notes,
        dropReason: null,
      });
      const now = ctx.now();
      const changes: PlanChange[] = [
        { field: 'status', from: null, to: 'planned' },
        ...(input.ownerId ? [{ field: 'owner' as const, from: null, to: input.ownerId }] : []),
        ...(input.dueOn ? [{ field: 'dueOn' as const, from: null, to: input.dueOn }] : []),
        ...(input.notes ? [{ field: 'notes' as const, from: null, to: null }] : []),
      ];
      await transaction(ctx, async (tx) => {
        if (
          intervention &&
          (await plans.hasIntervention(
            { programmeId, organisationId, roundId: round.id, interventionId: intervention.id },
            tx,
          ))
        )
          throw new AppError(
            'conflict',
            `"${intervention.id}" is already in this organisation\u2019s plan for round ${round.name}.`,
          );
        await plans.insert(
          {
            id,
            programmeId,
            organisationId,
            roundId: round.id,
            interventionId: intervention?.id ?? null,
            kind: intervention?.kind ?? input.kind!,
            ownerId: input.ownerId,
            dueOn: input.dueOn,
            textsSealed: sealed,
            by: actor.userId,
            at: now,
          },
          tx,
        );
        await plans.addEvent({ itemId: id, at: now, actorId: actorId(actor), action: 'create', changes }, tx);
        await deps.audit.append(
          actor,
          { action: 'plan_item.create', objectType: 'plan_item', objectId: id, organisationId },
          now,
          tx,
        );
        await alsoIn?.(tx, id);
      });
      return itemView(id);
    },

    /**
     * Changes an item's owner, due date, notes, or an own item's title and kind. The
     * organisation's people change notes; owners, due dates, titles and kinds are for the planners.
     */
    async update(actor: Actor, itemId: string, input: PlanItemUpdate, expected?: number): Promise<PlanItemView> {
      const row = await readableItem(actor, itemId);
      const scope = planners(row);
      const plannerOnly = (['ownerId', 'dueOn', 'title', 'kind'] as const).filter((k) => input[k] !== undefined);
      if (plannerOnly.length > 0) refuseUnlessPlanner(actor, scope, 'change an item\u2019s owner, due date or title');
      if (row.intervention_id !== null)
        for (const k of ['title', 'kind'] as const)
          if (input[k] !== undefined)
            throw invalid(
              `An intervention\u2019s ${k} comes from the catalogue; only an item of your own has one to edit.`,
              [{ where: k, message: 'is set by the catalogue for an intervention' }],
            );
      if (input.ownerId !== undefined) await checkOwner(row.organisation_id, input.ownerId);
      return mutate(actor, row, expected, async (current) => {
        const t = await texts(current);
        const changes: PlanChange[] = [];
        const set: { ownerId?: string | null; dueOn?: string | null; kind?: string; textsSealed?: Uint8Array } = {};
        if (input.ownerId !== undefined && input.ownerId !== current.owner_id) {
          changes.push({ field: 'owner', from: current.owner_id, to: input.ownerId });
          set.ownerId = input.ownerId;
        }
        if (input.dueOn !== undefined && input.dueOn !== current.due_on) {
          changes.push({ field: 'dueOn', from: current.due_on, to: input.dueOn });
          set.dueOn = input.dueOn;
        }
        if (input.kind !== undefined && input.kind !== current.kind) {
          changes.push({ field: 'kind', from: current.kind, to: input.kind });
          set.kind = input.kind;
        }
        const next: PlanTexts = { ...t };
        if (input.notes !== undefined && input.notes !== t.notes) {
          changes.push({ field: 'notes', from: null, to: null });
          next.notes = input.notes;
        }
        if (input.title !== undefined && input.title !== t.title) {
          changes.push({ field: 'title', from: null, to: null });
          next.title = input.title;
        }
        if (changes.length === 0) return null;
        if (next.notes !== t.notes || next.title !== t.title)
          set.textsSealed = await sealTexts(ctx.vault, current.organisation_id, current.id, next);
        return { set, changes, action: 'edit' };
      });
    },

    /**
     * Moves an item along: planned → in progress → done, or dropped with a reason; a done item
     * reopens to in progress, a dropped one to planned. The organisation's people and the planners alike.
     */
    async setStatus(actor: Actor, itemId: string, input: PlanStatusChange, expected?: number): Promise<PlanItemView> {
      const row = await readableItem(actor, itemId);
      return mutate(actor, row, expected, async (current) => {
        const from = current.status as PlanStatus;
        if (from === input.status)
          throw new AppError('conflict', `This item is already ${input.status.replace('_', ' ')}.`);
        if (!NEXT_STATUS[from].includes(input.status))
          throw new AppError(
            'conflict',
            `A ${from.replace('_', ' ')} item cannot become ${input.status.replace('_', ' ')}; it can become ${NEXT_STATUS[
              from
            ]
              .map((s) => s.replace('_', ' '))
              .join(' or ')}.`,
          );
        const changes: PlanChange[] = [{ field: 'status', from, to: input.status }];
        const t = await texts(current);
        const reason = input.status === 'dropped' ? input.reason! : null;
        let textsSealed: Uint8Array | undefined;
        if (reason !== t.dropReason) {
          changes.push({ field: 'dropReason', from: null, to: null });
          textsSealed = await sealTexts(ctx.vault, current.organisation_id, current.id, { ...t, dropReason: reason });
        }
        return {
          set: {
            status: input.status,
            doneAt: input.status === 'done' ? ctx.now() : null,
            ...(textsSealed && { textsSealed }),
          },
          changes,
          action: 'status',
        };
      });
    },

    /** Deletes an item put in by mistake, with its evidence and history: the planners, after a recent sign-in. */
    async remove(actor: Actor, itemId: string, expected?: number): Promise<void> {
      const row = await readableItem(actor, itemId);
      refuseUnlessPlanner(actor, planners(row), 'delete plan items; the organisation can drop an item instead');
      if (expected !== undefined && row.version !== expected) throw stale();
      requireRecentSignIn(actor, ctx.now());
      const files = (await plans.evidenceOf([itemId])).map((e) => e.id);
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        if (!(await plans.remove(itemId, expected ?? row.version, tx))) throw stale();
        await deps.audit.append(
          actor,
          {
            action: 'plan_item.delete',
            objectType: 'plan_item',
            objectId: itemId,
            organisationId: row.organisation_id,
          },
          now,
          tx,
        );
      });
      for (const f of files) await deps.files.remove(f);
    },

    /**
     * Attaches an evidence file to an item: the same checks and sealing as an assessment's
     * evidence (evidence-fns.ts). `read` is called only once the actor may upload here.
     */
    async uploadEvidence(actor: Actor, itemId: string, read: () => Promise<EvidenceUpload>): Promise<PlanEvidenceView> {
      const row = await readableItem(actor, itemId);
      const input = await read();
      const { bytes } = input.file;
      if (input.question !== undefined || input.domain !== undefined)
        throw invalid('Evidence of a plan item belongs to the item; send only the file.', [
          { where: input.question !== undefined ? 'question' : 'domain', message: 'is not taken here' },
        ]);
      if (bytes.length > MAX_EVIDENCE_BYTES) throw new AppError('payload_too_large', 'The file is larger than 20 MiB.');
      if (bytes.length === 0) throw invalid('The file is empty.', [{ where: 'file', message: 'is empty' }]);
      const mediaType = await detectMediaType(bytes, input.file.declaredType, input.file.name);
      const name = evidenceName(input.file.name, mediaType);
      const id = newId();
      const sealedContent = await ctx.vault.sealFor(row.organisation_id, EVIDENCE_CONTENT, id, bytes);
      const sealedName = await ctx.vault.sealFor(row.organisation_id, EVIDENCE_NAME, id, name);
      const now = ctx.now();
      await deps.files.put(id, sealedContent);
      try {
        await transaction(ctx, async (tx) => {
          await plans.insertEvidence(
            { id, itemId, nameSealed: sealedName, mediaType, size: bytes.length, uploadedBy: actor.userId, at: now },
            tx,
          );
          await plans.addEvent(
            {
              itemId,
              at: now,
              actorId: actorId(actor),
              action: 'evidence',
              changes: [{ field: 'evidence', from: null, to: 'added' }],
            },
            tx,
          );
          await deps.audit.append(
            actor,
            {
              action: 'plan_evidence.upload',
              objectType: 'plan_evidence',
              objectId: id,
              organisationId: row.organisation_id,
            },
            now,
            tx,
          );
        });
      } catch (e) {
        await deps.files.remove(id);
        // The item was deleted meanwhile: its evidence has nowhere to go.
        if (!(await plans.byId(itemId))) throw notFound('that plan item');
        throw e;
      }
      return { id, name, mediaType, size: bytes.length, uploadedBy: actor.userId, at: iso(now) };
    },

    /** One evidence file, opened; each download is audited. */
    async downloadEvidence(actor: Actor, evidenceId: string): Promise<EvidenceDownload> {
      const e = await plans.evidenceWithItem(evidenceId);
      denyAsMissing(
        e !== undefined && policy.followPlan(actor, { programmeId: e.programme_id, organisationId: e.organisation_id }),
        'that file',
      );
      let sealed: Buffer;
      try {
        sealed = await deps.files.get(evidenceId);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('that file');
        throw error;
      }
      const name = await openedOrGone(ctx.vault.openTextFor(e.organisation_id, EVIDENCE_NAME, e.id, e.name_sealed));
      const bytes = await openedOrGone(ctx.vault.openFor(e.organisation_id, EVIDENCE_CONTENT, e.id, sealed));
      await transaction(ctx, (tx) =>
        deps.audit.append(
          actor,
          {
            action: 'plan_evidence.download',
            objectType: 'plan_evidence',
            objectId: evidenceId,
            organisationId: e.organisation_id,
          },
          ctx.now(),
          tx,
        ),
      );
      return { name, mediaType: e.media_type, bytes };
    },

    /** Deletes an evidence file: its uploader or a planner, after a recent sign-in. */
    async removeEvidence(actor: Actor, evidenceId: string): Promise<void> {
      const e = await plans.evidenceWithItem(evidenceId);
      const scope = e && { programmeId: e.programme_id, organisationId: e.organisation_id };
      denyAsMissing(e !== undefined && policy.followPlan(actor, scope!), 'that file');
      if (e.uploaded_by !== actor.userId && !policy.buildPlan(actor, scope!))
        throw new AppError(
          'forbidden',
          'Only the person who uploaded a file, or the organisation\u2019s assessor or managers, can delete it.',
        );
      requireRecentSignIn(actor, ctx.now());
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await plans.removeEvidence(evidenceId, tx);
        await plans.addEvent(
          {
            itemId: e.item_id,
            at: now,
            actorId: actorId(actor),
            action: 'evidence',
            changes: [{ field: 'evidence', from: 'added', to: 'removed' }],
          },
          tx,
        );
        await deps.audit.append(
          actor,
          {
            action: 'plan_evidence.delete',
            objectType: 'plan_evidence',
            objectId: evidenceId,
            organisationId: e.organisation_id,
          },
          now,
          tx,
        );
      });
      await deps.files.remove(evidenceId);
    },

    /**
     * The programme's plans across its cohort, for its managers: which interventions the
     * organisations' latest rankings ask for most (the demand that should shape trainings), with
     * their plan items by status; what is overdue; and the counts per organisation and per kind.
     * Observers get nothing: plans are live data, and the published versions hold no plans.
     */
    async programmeView(actor: Actor, programmeId: string): Promise<ProgrammePlansView> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const fw = await frameworkOf(programmeId);
      const { rows } = await deps.assessments.cohort(programmeId);
      const choices = await deps.assessmentService.programmeChoices(fw, rows);
      // Each organisation's latest round with anything answered (rows come in round order).
      const latest = new Map<string, Choices>();
      const names = new Map<string, string>();
      for (const r of rows) {
        names.set(r.organisation_id, r.name);
        const c = choices.get(r.id);
        if (c && c.some((x) => x !== NO_ANSWER)) latest.set(r.organisation_id, c);
      }
      const need = new Map<string, { needed: number; topFive: number; gain: number }>();
      for (const c of latest.values())
        rank(fw, c).forEach((r, i) => {
          const n = need.get(r.id) ?? { needed: 0, topFive: 0, gain: 0 };
          n.needed++;
          if (i < 5) n.topFive++;
          n.gain += r.gain;
          need.set(r.id, n);
        });
      const items = await plans.ofProgramme(programmeId);
      const day = today();
      const counts = () => ({ planned: 0, inProgress: 0, done: 0, dropped: 0, overdue: 0 });
      const add = (c: ReturnType<typeof counts>, r: PlanItemRow) => {
        const key = r.status === 'in_progress' ? 'inProgress' : (r.status as 'planned' | 'done' | 'dropped');
        c[key]++;
        if (overdue(r, day)) c.overdue++;
      };
      const perIntervention = new Map<string, ReturnType<typeof counts>>();
      const perOrganisation = new Map<string, ReturnType<typeof counts> & { items: number }>();
      const perKind = new Map<string, ReturnType<typeof counts> & { items: number }>();
      for (const r of items) {
        if (r.intervention_id !== null) {
          const c = perIntervention.get(r.intervention_id) ?? counts();
          add(c, r);
          perIntervention.set(r.intervention_id, c);
        }
        const o = perOrganisation.get(r.organisation_id) ?? { items: 0, ...counts() };
        o.items++;
        add(o, r);
        perOrganisation.set(r.organisation_id, o);
        const k = perKind.get(r.kind) ?? { items: 0, ...counts() };
        k.items++;
        add(k, r);
        perKind.set(r.kind, k);
      }
      const demand = catalogue.interventions
        .filter((i) => need.has(i.id) || perIntervention.has(i.id))
        .map((i) => {
          const n = need.get(i.id);
          return {
            intervention: interventionView(i),
            needed: n?.needed ?? 0,
            topFive: n?.topFive ?? 0,
            meanGain: n ? n.gain / n.needed : null,
            ...(perIntervention.get(i.id) ?? counts()),
          };
        })
        .sort((a, b) => b.needed - a.needed || b.topFive - a.topFive);
      const late = items.filter((r) => overdue(r, day));
      const owners = await deps.users.names([...new Set(late.flatMap((r) => (r.owner_id ? [r.owner_id] : [])))]);
      const overdueItems = await Promise.all(
        late
          .sort((a, b) => a.due_on!.localeCompare(b.due_on!))
          .map(async (r) => {
            const intervention = r.intervention_id === null ? undefined : byIntervention.get(r.intervention_id);
            return {
              itemId: r.id,
              organisationId: r.organisation_id,
              organisation: names.get(r.organisation_id) ?? '',
              title: intervention?.title ?? (await texts(r)).title ?? r.intervention_id ?? '',
              status: r.status as PlanStatus,
              dueOn: r.due_on!,
              owner: r.owner_id === null ? null : { id: r.owner_id, displayName: owners.get(r.owner_id) ?? '' },
            };
          }),
      );
      return {
        programmeId,
        today: day,
        catalogue: { id: catalogue.id, version: catalogue.version },
        organisations: latest.size,
        demand,
        byOrganisation: [...names]
          .map(([organisationId, organisation]) => ({
            organisationId,
            organisation,
            ...(perOrganisation.get(organisationId) ?? { items: 0, ...counts() }),
          }))
          .sort((a, b) => a.organisation.localeCompare(b.organisation)),
        byKind: (['policy', 'technical', 'training'] as const).map((kind) => ({
          kind,
          ...(perKind.get(kind) ?? { items: 0, ...counts() }),
        })),
        overdue: overdueItems,
      };
    },

    /** One organisation's plan as a CSV or XLSX file ("plan of action and milestones"). */
    async exportOrganisation(
      actor: Actor,
      programmeId: string,
      organisationId: string,
      format: PlanExportFormat,
    ): Promise<EvidenceDownload> {
      await readablePlan(actor, programmeId, organisationId);
      const name = (await deps.programmes.organisationName(organisationId)) ?? '';
      const rows = await plans.ofOrganisation(programmeId, organisationId);
      return exported(actor, { programmeId, organisationId }, rows, () => name, format, `${name} - plan`);
    },

    /** Every organisation's plan of the programme as one CSV or XLSX file: its managers only. */
    async exportProgramme(actor: Actor, programmeId: string, format: PlanExportFormat): Promise<EvidenceDownload> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const programme = await deps.programmes.byId(programmeId);
      if (!programme) throw notFound('that programme');
      const { rows: cohort } = await deps.assessments.cohort(programmeId);
      const names = new Map(cohort.map((r) => [r.organisation_id, r.name]));
      const rows = (await plans.ofProgramme(programmeId)).filter((r) => names.has(r.organisation_id));
      return exported(
        actor,
        { programmeId, organisationId: null },
        rows,
        (id) => names.get(id) ?? '',
        format,
        `${programme.name} - plans`,
      );
    },

    /**
     * Every plan item of a programme, opened, for reports: no permission check (the report
     * service decides who gets which report). Crypto-shredded organisations' items are left out.
     */
    async forReport(programmeId: string, organisationIds: ReadonlySet<string>): Promise<PlanItemForReport[]> {
      const rows = (await plans.ofProgramme(programmeId)).filter((r) => organisationIds.has(r.organisation_id));
      return forExport(rows);
    },
  };
}

export type PlanService = ReturnType<typeof planService>;
