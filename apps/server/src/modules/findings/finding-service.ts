import { DEFAULT_MIN_CELL, type Framework, type InterventionCatalogue } from '@kalaja/engine';
import { SEVERITY_ORDER, VISIBLE_TO_ORGANISATION } from '@kalaja/contracts';
import { transaction, type Context } from '../../context.js';
import type { Tx } from '../../db/database.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { AppError, invalid, notFound, type ErrorDetail } from '../../errors.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { EvidenceFiles } from '../evidence/evidence-files.js';
import { detectMediaType, evidenceName, MAX_EVIDENCE_BYTES } from '../evidence/evidence-fns.js';
import type { EvidenceDownload, EvidenceUpload } from '../evidence/evidence-types.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { PlanService } from '../plans/plan-service.js';
import type { PlanStore } from '../plans/plan-store.js';
import type { PlanEvidenceView } from '../plans/plan-types.js';
import type { PublicationStore } from '../publications/publication-store.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { UserStore } from '../users/user-store.js';
import { scoreCvss } from './finding-cvss.js';
import { readScan } from './finding-import.js';
import type { FindingRow, FindingStore } from './finding-store.js';
import { openComment, openFindingTexts, sealComment, sealFindingTexts } from './finding-texts.js';
import {
  EDITABLE,
  RETESTABLE,
  type FindingChange,
  type FindingCreate,
  type FindingImport,
  type FindingRetestInput,
  type FindingReview,
  type FindingSeverity,
  type FindingStatus,
  type FindingsSummaryView,
  type FindingTarget,
  type FindingTexts,
  type FindingToPlan,
  type FindingUpdate,
  type FindingView,
  type OrganisationFindingsView,
} from './finding-types.js';

const EVIDENCE_CONTENT = 'finding_evidence.content';
const EVIDENCE_NAME = 'finding_evidence.name';
const DAY = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString();
const stale = () =>
  new AppError(
    'precondition_failed',
    'This finding was changed by someone else meanwhile. Reload to see the latest, then make your change again.',
  );
const words = (s: string) => s.replace('_', ' ');

/** A change `mutate` writes: the columns, what the history says, the kind of change and its audit action. */
interface FindingWrite {
  set: Omit<Parameters<FindingStore['update']>[2], 'by' | 'at'>;
  changes: FindingChange[];
  action: 'edit' | 'submit' | 'request_changes' | 'approve' | 'plan' | 'retest';
  commentSealed?: Uint8Array;
}

/** A finding as the organisation's report needs it: opened, in clear words. */
export interface FindingForReport {
  id: string;
  organisationId: string;
  round: string;
  title: string;
  target: FindingTarget;
  severity: FindingSeverity;
  cvss: { vector: string; score: number } | null;
  status: FindingStatus;
  foundOn: string;
  recommendation: string;
  retest: { on: string; outcome: string; notes: string } | null;
}

/**
 * Technical findings (docs/contracts.md, §14). An organisation's assigned assessors (the ethical
 * hackers) and the programme's managers record what they found testing it; its author submits a
 * finding for review, and a senior — a manager of the programme, never its author — approves it
 * or asks for changes with a comment. Approved, the organisation's admins and members see it; it
 * becomes an item of their plan (or joins one) through the plan service; a retest closes it
 * (fixed, partly fixed, accepted risk). Observers see only the cohort's counts, k-anonymous.
 *
 * The texts (title, description, method, recommendation, CVSS vector, retest notes), reviewers'
 * comments and evidence files are sealed under the organisation's key; severity, target, status
 * and dates are in clear for the counts. Every write is one transaction with its history row
 * and its audit row, and carries the finding's version (If-Match; 412 when stale).
 */
export function findingService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    findings: FindingStore;
    plans: Pick<PlanService, 'create'>;
    planItems: Pick<PlanStore, 'byId'>;
    programmes: Pick<ProgrammeStore, 'byId' | 'takesPart' | 'organisationName' | 'round'>;
    frameworks: Pick<FrameworkService, 'load'>;
    users: Pick<UserStore, 'names'>;
    files: EvidenceFiles;
    audit: Pick<AuditStore, 'append'>;
    catalogue: InterventionCatalogue;
    /** Published versions: observers' counts are the latest one's, frozen when it was published. */
    publications: Pick<PublicationStore, 'ofProgramme'>;
  },
) {
  const { findings } = deps;

  /** The counts frozen with the latest version published to observers; all empty before one. */
  async function publishedSummary(programmeId: string): Promise<FindingsSummaryView> {
    const latest = (await deps.publications.ofProgramme(programmeId))
      .filter((p) => p.findings !== null)
      .sort((a, b) => b.published_at - a.published_at)[0];
    return latest
      ? (JSON.parse(latest.findings!) as FindingsSummaryView)
      : summarise(programmeId, [], DEFAULT_MIN_CELL);
  }
  const interventionIds = new Set(deps.catalogue.interventions.map((i) => i.id));
  const today = () => new Date(ctx.now()).toISOString().slice(0, 10);
  const actorId = (actor: Actor) => (actor.userId === 'system' ? null : actor.userId);
  const scopeOf = (r: { programme_id: string; organisation_id: string }) => ({
    programmeId: r.programme_id,
    organisationId: r.organisation_id,
  });
  const visible = (status: string) => VISIBLE_TO_ORGANISATION.includes(status as FindingStatus);
  /** Assessors assigned to the organisation and the programme's managers: they record and see every finding. */
  const recorder = (actor: Actor, s: { programmeId: string; organisationId: string }) => policy.buildPlan(actor, s);
  /** Whether the actor may read this finding: recorders always, the organisation's people once approved. */
  const mayRead = (actor: Actor, r: FindingRow) =>
    recorder(actor, scopeOf(r)) || (policy.memberOf(actor, r.organisation_id) && visible(r.status));
  /**
   * The senior reviewer: a manager of the programme who is not the finding's author. Kalaja
   * itself (the system actor: the demo, the command line) is nobody's mentee and may review what
   * it recorded.
   */
  const mayReview = (actor: Actor, r: FindingRow) =>
    policy.manageProgramme(actor, r.programme_id) && (r.author_id !== actor.userId || actor.userId === 'system');

  async function readable(actor: Actor, id: string): Promise<FindingRow> {
    const row = await findings.byId(id);
    denyAsMissing(row !== undefined && mayRead(actor, row), 'that finding');
    return row;
  }

  function refuseUnlessRecorder(actor: Actor, row: FindingRow, what: string) {
    if (!recorder(actor, scopeOf(row)))
      throw new AppError(
        'forbidden',
        `Only the organisation\u2019s assessors or the programme\u2019s managers ${what}.`,
      );
  }

  async function frameworkOf(programmeId: string): Promise<Framework> {
    const p = await deps.programmes.byId(programmeId);
    if (!p) throw notFound('that programme');
    return deps.frameworks.load(p.framework_id);
  }

  /** The CVSS vector checked and scored, or a 400 naming the field. */
  function checkedCvss(vector: string | null): string | null {
    if (vector === null || vector === '') return null;
    const scored = scoreCvss(vector);
    if (!scored.ok)
      throw invalid(`The CVSS vector is not valid: it ${scored.message}.`, [
        { where: 'cvss', message: scored.message },
      ]);
    return scored.value.vector;
  }

  /** Question ids of the programme's framework and intervention ids of the catalogue, or a 400 naming each stranger. */
  async function checkLinks(programmeId: string, input: { questions?: string[]; interventions?: string[] }) {
    const details: ErrorDetail[] = [];
    if (input.questions?.length) {
      const fw = await frameworkOf(programmeId);
      const known = new Set(fw.domains.flatMap((d) => d.questions.map((q) => q.id)));
      input.questions.forEach((q, i) => {
        if (!known.has(q))
          details.push({
            where: `questions.${i}`,
            message: `"${q}" is not a question of the programme\u2019s framework`,
          });
      });
    }
    input.interventions?.forEach((id, i) => {
      if (!interventionIds.has(id))
        details.push({ where: `interventions.${i}`, message: `"${id}" is not an intervention of the catalogue` });
    });
    if (details.length > 0) throw invalid('Some of the linked questions or interventions do not exist.', details);
  }

  const texts = (r: FindingRow) => openFindingTexts(ctx.vault, r.organisation_id, r.id, r.texts_sealed);

  /** Who found, reviewed and retested what: counts per person, from the findings and their history. */
  async function peopleOf(rows: readonly FindingRow[]) {
    const events = await findings.eventsOf(rows.map((r) => r.id));
    const blank = { found: 0, approved: 0, sentBack: 0, inReview: 0, approvals: 0, changesAsked: 0, retests: 0 };
    const counts = new Map<string, typeof blank>();
    const of = (id: string) => counts.get(id) ?? counts.set(id, { ...blank }).get(id)!;
    const sentBack = new Set(events.filter((e) => e.action === 'request_changes').map((e) => e.finding_id));
    for (const r of rows) {
      const c = of(r.author_id);
      c.found++;
      if (visible(r.status)) c.approved++;
      if (sentBack.has(r.id)) c.sentBack++;
      if (r.status === 'in_review') c.inReview++;
    }
    for (const e of events) {
      if (!e.actor_id) continue;
      if (e.action === 'approve') of(e.actor_id).approvals++;
      if (e.action === 'request_changes') of(e.actor_id).changesAsked++;
      if (e.action === 'retest') of(e.actor_id).retests++;
    }
    const names = await deps.users.names([...counts.keys()]);
    return [...counts]
      .map(([id, c]) => ({ person: { id, displayName: names.get(id) ?? '' }, ...c }))
      .sort((a, b) => b.found - a.found || a.person.displayName.localeCompare(b.person.displayName));
  }

  async function views(actor: Actor, rows: readonly FindingRow[]): Promise<FindingView[]> {
    const ids = rows.map((r) => r.id);
    const [evidence, events] = await Promise.all([findings.evidenceOf(ids), findings.eventsOf(ids)]);
    const people = new Set<string>();
    for (const r of rows) {
      people.add(r.author_id);
      if (r.reviewer_id) people.add(r.reviewer_id);
      if (r.retest_by) people.add(r.retest_by);
    }
    for (const e of events) if (e.actor_id) people.add(e.actor_id);
    const names = await deps.users.names([...people]);
    const person = (id: string) => ({ id, displayName: names.get(id) ?? '' });
    const organisationOf = new Map(rows.map((r) => [r.id, r.organisation_id]));
    const files = new Map<string, PlanEvidenceView[]>();
    for (const e of evidence) {
      const name = await openedOrGone(
        ctx.vault.openTextFor(organisationOf.get(e.finding_id)!, EVIDENCE_NAME, e.id, e.name_sealed),
      );
      const list = files.get(e.finding_id) ?? [];
      list.push({
        id: e.id,
        name,
        mediaType: e.media_type,
        size: e.size,
        uploadedBy: e.uploaded_by,
        at: iso(e.created_at),
      });
      files.set(e.finding_id, list);
    }
    const history = new Map<string, FindingView['history']>();
    for (const e of events) {
      const list = history.get(e.finding_id) ?? [];
      list.push({
        at: iso(e.at),
        by: e.actor_id === null ? null : person(e.actor_id),
        action: e.action as FindingView['history'][number]['action'],
        changes: JSON.parse(e.changes) as FindingChange[],
        comment:
          e.comment_sealed === null
            ? null
            : await openComment(ctx.vault, organisationOf.get(e.finding_id)!, e.finding_id, e.comment_sealed),
      });
      history.set(e.finding_id, list);
    }
    return Promise.all(
      rows.map(async (r) => {
        const t = await texts(r);
        const scored = t.cvss === null ? null : scoreCvss(t.cvss);
        const isRecorder = recorder(actor, scopeOf(r));
        return {
          id: r.id,
          version: r.version,
          programmeId: r.programme_id,
          organisationId: r.organisation_id,
          roundId: r.round_id,
          round: r.round,
          title: t.title,
          target: r.target as FindingTarget,
          severity: r.severity as FindingSeverity,
          cvss: scored?.ok ? scored.value : null,
          description: t.description,
          method: t.method,
          recommendation: t.recommendation,
          foundOn: r.found_on,
          status: r.status as FindingStatus,
          questions: JSON.parse(r.questions) as string[],
          interventions: JSON.parse(r.interventions) as string[],
          author: person(r.author_id),
          reviewer: r.reviewer_id === null ? null : person(r.reviewer_id),
          approvedAt: r.approved_at === null ? null : iso(r.approved_at),
          planItemId: r.plan_item_id,
          retest:
            r.retest_on === null || t.retest === null
              ? null
              : {
                  on: r.retest_on,
                  outcome: t.retest.outcome,
                  notes: t.retest.notes,
                  by: r.retest_by === null ? null : person(r.retest_by),
                },
          evidence: files.get(r.id) ?? [],
          createdAt: iso(r.created_at),
          updatedAt: iso(r.updated_at),
          // The organisation sees what was found and fixed, not the review that led there.
          history: isRecorder
            ? (history.get(r.id) ?? [])
            : (history.get(r.id) ?? [])
                .filter((h) => h.action === 'approve' || h.action === 'plan' || h.action === 'retest')
                .map((h) => ({ ...h, comment: null })),
        };
      }),
    );
  }

  const bySeverity = (a: FindingView, b: FindingView) =>
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.createdAt.localeCompare(a.createdAt);

  async function view(actor: Actor, id: string): Promise<FindingView> {
    const row = await findings.byId(id);
    if (!row) throw notFound('that finding');
    return (await views(actor, [row]))[0]!;
  }

  /** Writes one change as a transaction with its history and audit rows, if the finding is still at the version seen. */
  async function mutate(
    actor: Actor,
    row: FindingRow,
    expected: number | undefined,
    build: (row: FindingRow) => Promise<FindingWrite | null>,
  ): Promise<FindingView> {
    if (expected !== undefined && row.version !== expected) throw stale();
    const change = await build(row);
    if (change === null) return (await views(actor, [row]))[0]!;
    await transaction(ctx, (tx) => write(tx, actor, row, change));
    return view(actor, row.id);
  }

  /** Writes a change of a finding, its history entry and its audit row, in the caller's transaction. */
  async function write(tx: Tx, actor: Actor, row: FindingRow, change: FindingWrite): Promise<void> {
    const now = ctx.now();
    const version = await findings.update(row.id, row.version, { ...change.set, by: actor.userId, at: now }, tx);
    if (version === undefined) throw stale();
    await findings.addEvent(
      {
        findingId: row.id,
        at: now,
        actorId: actorId(actor),
        action: change.action,
        changes: change.changes,
        commentSealed: change.commentSealed ?? null,
      },
      tx,
    );
    await deps.audit.append(
      actor,
      {
        action: `finding.${change.action === 'edit' ? 'update' : change.action === 'request_changes' || change.action === 'approve' ? 'review' : change.action}`,
        objectType: 'finding',
        objectId: row.id,
        organisationId: row.organisation_id,
      },
      now,
      tx,
    );
  }

  return {
    /** An organisation's findings, most severe first: all for its assessors and managers, approved and later for its people. */
    async ofOrganisation(actor: Actor, programmeId: string, organisationId: string): Promise<OrganisationFindingsView> {
      const scope = { programmeId, organisationId };
      const isRecorder = recorder(actor, scope);
      denyAsMissing(
        (isRecorder || policy.memberOf(actor, organisationId)) &&
          (await deps.programmes.takesPart(programmeId, [organisationId])),
        'those findings',
      );
      const rows = (await findings.ofOrganisation(programmeId, organisationId)).filter(
        (r) => isRecorder || visible(r.status),
      );
      return {
        programmeId,
        organisationId,
        organisation: (await deps.programmes.organisationName(organisationId)) ?? '',
        canRecord: isRecorder,
        canReview: policy.manageProgramme(actor, programmeId),
        findings: (await views(actor, rows)).sort(bySeverity),
      };
    },

    async get(actor: Actor, id: string): Promise<FindingView> {
      const row = await readable(actor, id);
      return (await views(actor, [row]))[0]!;
    },

    /** Records a draft finding; everything is checked before anything is written. */
    async create(
      actor: Actor,
      programmeId: string,
      organisationId: string,
      input: FindingCreate,
    ): Promise<FindingView> {
      const scope = { programmeId, organisationId };
      const isRecorder = recorder(actor, scope);
      denyAsMissing(
        (isRecorder || policy.memberOf(actor, organisationId)) &&
          (await deps.programmes.takesPart(programmeId, [organisationId])),
        'those findings',
      );
      if (!isRecorder)
        throw new AppError(
          'forbidden',
          'Only the organisation\u2019s assessors or the programme\u2019s managers record findings.',
        );
      const round = await deps.programmes.round(programmeId, { id: input.roundId });
      if (!round)
        throw invalid('There is no such round in this programme.', [
          { where: 'roundId', message: 'is not a round of this programme' },
        ]);
      const cvss = checkedCvss(input.cvss);
      await checkLinks(programmeId, input);
      const id = newId();
      const sealed = await sealFindingTexts(ctx.vault, organisationId, id, {
        title: input.title,
        description: input.description,
        method: input.method,
        recommendation: input.recommendation,
        cvss,
        retest: null,
      });
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await findings.insert(
          {
            id,
            programmeId,
            organisationId,
            roundId: round.id,
            target: input.target,
            severity: input.severity,
            foundOn: input.foundOn,
            questions: [...new Set(input.questions)],
            interventions: [...new Set(input.interventions)],
            textsSealed: sealed,
            by: actor.userId,
            at: now,
          },
          tx,
        );
        await findings.addEvent(
          {
            findingId: id,
            at: now,
            actorId: actorId(actor),
            action: 'create',
            changes: [
              { field: 'status', from: null, to: 'draft' },
              { field: 'severity', from: null, to: input.severity },
              { field: 'target', from: null, to: input.target },
            ],
          },
          tx,
        );
        await deps.audit.append(
          actor,
          { action: 'finding.create', objectType: 'finding', objectId: id, organisationId },
          now,
          tx,
        );
      });
      return view(actor, id);
    },

    /**
     * Reads a scanner's output (SARIF, OWASP ZAP JSON, Nuclei JSON lines) into draft findings of
     * one round, found today: each result once, none the organisation already has under the same
     * title. The whole file is read first; any problem (its line or element named) is a 400 and
     * nothing is written. The drafts are written in one transaction, each with its history and
     * audit row.
     */
    async importScan(
      actor: Actor,
      programmeId: string,
      organisationId: string,
      input: FindingImport,
    ): Promise<{ created: string[]; duplicates: number }> {
      denyAsMissing(
        (recorder(actor, { programmeId, organisationId }) || policy.memberOf(actor, organisationId)) &&
          (await deps.programmes.takesPart(programmeId, [organisationId])),
        'those findings',
      );
      if (!recorder(actor, { programmeId, organisationId }))
        throw new AppError(
          'forbidden',
          'Only the organisation\u2019s assessors or the programme\u2019s managers import findings.',
        );
      const round = await deps.programmes.round(programmeId, { id: input.roundId });
      if (!round)
        throw invalid('There is no such round in this programme.', [
          { where: 'roundId', message: 'is not a round of this programme' },
        ]);
      const read = readScan(input.format, input.content);
      if (!read.ok)
        throw invalid(
          `The ${input.format === 'sarif' ? 'SARIF' : input.format === 'zap' ? 'ZAP' : 'Nuclei'} file could not be read: ${read.problems.length} problem${read.problems.length === 1 ? '' : 's'}, the first at ${read.problems[0]!.where}.`,
          read.problems.slice(0, 50),
        );
      const existing = new Set(
        await Promise.all(
          (await findings.ofOrganisation(programmeId, organisationId)).map(async (r) => (await texts(r)).title),
        ),
      );
      const fresh = read.findings.filter((f) => !existing.has(f.title));
      const duplicates = read.findings.length - fresh.length;
      const foundOn = today();
      const rows = await Promise.all(
        fresh.map(async (f) => {
          const id = newId();
          const sealed = await sealFindingTexts(ctx.vault, organisationId, id, {
            title: f.title,
            description: f.description,
            method: f.method,
            recommendation: f.recommendation,
            cvss: null,
            retest: null,
          });
          return { id, f, sealed };
        }),
      );
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        for (const { id, f, sealed } of rows) {
          await findings.insert(
            {
              id,
              programmeId,
              organisationId,
              roundId: round.id,
              target: f.target,
              severity: f.severity,
              foundOn,
              questions: [],
              interventions: [],
              textsSealed: sealed,
              by: actor.userId,
              at: now,
            },
            tx,
          );
          await findings.addEvent(
            {
              findingId: id,
              at: now,
              actorId: actorId(actor),
              action: 'create',
              changes: [
                { field: 'status', from: null, to: 'draft' },
                { field: 'severity', from: null, to: f.severity },
                { field: 'target', from: null, to: f.target },
              ],
            },
            tx,
          );
          await deps.audit.append(
            actor,
            { action: 'finding.import', objectType: 'finding', objectId: id, organisationId },
            now,
            tx,
          );
        }
      });
      return { created: rows.map((r) => r.id), duplicates };
    },

    /** Edits a draft, or a finding whose reviewer asked for changes: the organisation's assessors and managers. */
    /**
     * Discards a draft: a scanner's result that turned out noise, or a finding recorded by
     * mistake. Only a draft, never one the organisation may have seen; by whoever records the
     * organisation's findings. Its history and evidence go with it; the audit row stays.
     */
    async discard(actor: Actor, id: string, expected?: number): Promise<void> {
      const row = await readable(actor, id);
      refuseUnlessRecorder(actor, row, 'discard findings');
      if (row.status !== 'draft')
        throw new AppError('conflict', `A finding that is ${words(row.status)} cannot be discarded; only a draft can.`);
      if (expected !== undefined && row.version !== expected) throw stale();
      const files = (await findings.evidenceOf([id])).map((e) => e.id);
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        if (!(await findings.remove(id, row.version, tx))) throw stale();
        await deps.audit.append(
          actor,
          { action: 'finding.discard', objectType: 'finding', objectId: id, organisationId: row.organisation_id },
          now,
          tx,
        );
      });
      for (const f of files) await deps.files.remove(f);
    },

    async update(actor: Actor, id: string, input: FindingUpdate, expected?: number): Promise<FindingView> {
      const row = await readable(actor, id);
      refuseUnlessRecorder(actor, row, 'edit findings');
      const cvss = input.cvss === undefined ? undefined : checkedCvss(input.cvss);
      await checkLinks(row.programme_id, input);
      return mutate(actor, row, expected, async (current) => {
        if (!EDITABLE.includes(current.status as FindingStatus))
          throw new AppError(
            'conflict',
            `A finding that is ${words(current.status)} cannot be edited; only a draft or one sent back for changes can.`,
          );
        const t = await texts(current);
        const next: FindingTexts = { ...t };
        const changes: FindingChange[] = [];
        const set: FindingWrite['set'] = {};
        for (const k of ['title', 'description', 'method', 'recommendation'] as const)
          if (input[k] !== undefined && input[k] !== t[k]) {
            next[k] = input[k];
            changes.push({ field: k, from: null, to: null });
          }
        if (cvss !== undefined && cvss !== t.cvss) {
          next.cvss = cvss;
          changes.push({ field: 'cvss', from: null, to: null });
        }
        if (input.severity !== undefined && input.severity !== current.severity) {
          set.severity = input.severity;
          changes.push({ field: 'severity', from: current.severity, to: input.severity });
        }
        if (input.target !== undefined && input.target !== current.target) {
          set.target = input.target;
          changes.push({ field: 'target', from: current.target, to: input.target });
        }
        if (input.foundOn !== undefined && input.foundOn !== current.found_on) {
          if (current.retest_on !== null && current.retest_on < input.foundOn)
            throw invalid('A finding cannot be found after its retest.', [
              { where: 'foundOn', message: 'is after the retest' },
            ]);
          set.foundOn = input.foundOn;
          changes.push({ field: 'foundOn', from: current.found_on, to: input.foundOn });
        }
        if (input.questions !== undefined) {
          set.questions = [...new Set(input.questions)];
          changes.push({ field: 'questions', from: null, to: set.questions.join(',') });
        }
        if (input.interventions !== undefined) {
          set.interventions = [...new Set(input.interventions)];
          changes.push({ field: 'interventions', from: null, to: set.interventions.join(',') });
        }
        if (changes.length === 0) return null;
        if (changes.some((c) => ['title', 'description', 'method', 'recommendation', 'cvss'].includes(c.field)))
          set.textsSealed = await sealFindingTexts(ctx.vault, current.organisation_id, current.id, next);
        return { set, changes, action: 'edit' };
      });
    },

    /** Sends a draft (or a finding sent back) for review: its author only. */
    async submit(actor: Actor, id: string, expected?: number): Promise<FindingView> {
      const row = await readable(actor, id);
      refuseUnlessRecorder(actor, row, 'submit findings');
      if (row.author_id !== actor.userId)
        throw new AppError('forbidden', 'Only the finding\u2019s author submits it for review.');
      return mutate(actor, row, expected, async (current) => {
        if (!EDITABLE.includes(current.status as FindingStatus))
          throw new AppError('conflict', `A finding that is ${words(current.status)} cannot be submitted for review.`);
        return {
          set: { status: 'in_review' },
          changes: [{ field: 'status', from: current.status, to: 'in_review' }],
          action: 'submit',
        };
      });
    },

    /** The senior's review: approve (the organisation then sees it) or ask for changes with a comment. */
    async review(actor: Actor, id: string, input: FindingReview, expected?: number): Promise<FindingView> {
      const row = await readable(actor, id);
      if (!policy.manageProgramme(actor, row.programme_id))
        throw new AppError('forbidden', 'Only a senior reviewer (a manager of the programme) reviews findings.');
      if (!mayReview(actor, row))
        throw new AppError('forbidden', 'You wrote this finding: another senior reviewer must review it.');
      const comment = input.comment
        ? await sealComment(ctx.vault, row.organisation_id, row.id, input.comment)
        : undefined;
      return mutate(actor, row, expected, async (current) => {
        if (current.status !== 'in_review')
          throw new AppError(
            'conflict',
            `Only a finding in review can be reviewed; this one is ${words(current.status)}.`,
          );
        const to = input.decision === 'approve' ? 'approved' : 'changes_requested';
        return {
          set: {
            status: to,
            ...(to === 'approved' && { reviewerId: actor.userId, approvedAt: ctx.now() }),
          },
          changes: [{ field: 'status', from: current.status, to }],
          action: input.decision,
          ...(comment && { commentSealed: comment }),
        };
      });
    },

    /**
     * Makes an approved finding an item of the organisation's plan, created through the plan
     * service (its own audit row and history), or links it to an existing item of that plan.
     */
    async toPlan(actor: Actor, id: string, input: FindingToPlan, expected?: number): Promise<FindingView> {
      const row = await readable(actor, id);
      refuseUnlessRecorder(actor, row, 'put findings in a plan');
      if (!visible(row.status))
        throw new AppError('conflict', 'Only an approved finding goes into the organisation\u2019s plan.');
      if (row.plan_item_id !== null) throw new AppError('conflict', 'This finding is already in the plan.');
      if (expected !== undefined && row.version !== expected) throw stale();
      const linkTo = (itemId: string): FindingWrite => ({
        set: { planItemId: itemId },
        changes: [{ field: 'planItem', from: null, to: itemId }],
        action: 'plan',
      });
      if (input.planItemId !== undefined) {
        const item = await deps.planItems.byId(input.planItemId);
        if (!item || item.programme_id !== row.programme_id || item.organisation_id !== row.organisation_id)
          throw invalid('That plan item is not in this organisation\u2019s plan.', [
            { where: 'planItemId', message: 'is not an item of this organisation\u2019s plan' },
          ]);
        return mutate(actor, row, row.version, async () => linkTo(item.id));
      }
      // A new item and the finding's link to it are written in one transaction: a finding changed
      // meanwhile (412) leaves no item behind.
      const t = await texts(row);
      await deps.plans.create(
        actor,
        row.programme_id,
        row.organisation_id,
        {
          roundId: row.round_id,
          title: t.title,
          kind: 'technical',
          ownerId: null,
          dueOn: null,
          notes: t.recommendation,
        },
        (tx, itemId) => write(tx, actor, row, linkTo(itemId)),
      );
      return view(actor, row.id);
    },

    /** Records a retest: its date (not before the finding's), outcome and notes. */
    async retest(actor: Actor, id: string, input: FindingRetestInput, expected?: number): Promise<FindingView> {
      const row = await readable(actor, id);
      refuseUnlessRecorder(actor, row, 'retest findings');
      return mutate(actor, row, expected, async (current) => {
        if (!RETESTABLE.includes(current.status as FindingStatus))
          throw new AppError(
            'conflict',
            `A finding that is ${words(current.status)} is not retested; it must be approved first.`,
          );
        if (input.on < current.found_on)
          throw invalid(`A retest cannot come before the finding (found on ${current.found_on}).`, [
            { where: 'on', message: `is before the day the finding was found (${current.found_on})` },
          ]);
        if (input.on > today())
          throw invalid('A retest cannot be dated in the future.', [{ where: 'on', message: 'is after today' }]);
        const t = await texts(current);
        return {
          set: {
            status: input.outcome,
            retestOn: input.on,
            retestBy: actor.userId,
            textsSealed: await sealFindingTexts(ctx.vault, current.organisation_id, current.id, {
              ...t,
              retest: { outcome: input.outcome, notes: input.notes },
            }),
          },
          changes: [
            { field: 'status', from: current.status, to: input.outcome },
            { field: 'retest', from: current.retest_on, to: input.on },
          ],
          action: 'retest',
        };
      });
    },

    /** Attaches an evidence file (what was seen, or the retest's proof): the assessors and managers. */
    async uploadEvidence(actor: Actor, id: string, read: () => Promise<EvidenceUpload>): Promise<PlanEvidenceView> {
      const row = await readable(actor, id);
      refuseUnlessRecorder(actor, row, 'attach evidence to findings');
      const input = await read();
      const { bytes } = input.file;
      if (input.question !== undefined || input.domain !== undefined)
        throw invalid('Evidence of a finding belongs to the finding; send only the file.', [
          { where: input.question !== undefined ? 'question' : 'domain', message: 'is not taken here' },
        ]);
      if (bytes.length > MAX_EVIDENCE_BYTES) throw new AppError('payload_too_large', 'The file is larger than 20 MiB.');
      if (bytes.length === 0) throw invalid('The file is empty.', [{ where: 'file', message: 'is empty' }]);
      const mediaType = await detectMediaType(bytes, input.file.declaredType, input.file.name);
      const name = evidenceName(input.file.name, mediaType);
      const evidenceId = newId();
      const sealedContent = await ctx.vault.sealFor(row.organisation_id, EVIDENCE_CONTENT, evidenceId, bytes);
      const sealedName = await ctx.vault.sealFor(row.organisation_id, EVIDENCE_NAME, evidenceId, name);
      const now = ctx.now();
      await deps.files.put(evidenceId, sealedContent);
      try {
        await transaction(ctx, async (tx) => {
          await findings.insertEvidence(
            {
              id: evidenceId,
              findingId: id,
              nameSealed: sealedName,
              mediaType,
              size: bytes.length,
              uploadedBy: actor.userId,
              at: now,
            },
            tx,
          );
          await findings.addEvent(
            {
              findingId: id,
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
              action: 'finding_evidence.upload',
              objectType: 'finding_evidence',
              objectId: evidenceId,
              organisationId: row.organisation_id,
            },
            now,
            tx,
          );
        });
      } catch (e) {
        await deps.files.remove(evidenceId);
        throw e;
      }
      return { id: evidenceId, name, mediaType, size: bytes.length, uploadedBy: actor.userId, at: iso(now) };
    },

    /** One evidence file, opened, for whoever reads its finding; each download is audited. */
    async downloadEvidence(actor: Actor, evidenceId: string): Promise<EvidenceDownload> {
      const e = await findings.evidenceWithFinding(evidenceId);
      denyAsMissing(
        e !== undefined &&
          (recorder(actor, scopeOf(e)) || (policy.memberOf(actor, e.organisation_id) && visible(e.status))),
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
            action: 'finding_evidence.download',
            objectType: 'finding_evidence',
            objectId: evidenceId,
            organisationId: e.organisation_id,
          },
          ctx.now(),
          tx,
        ),
      );
      return { name, mediaType: e.media_type, bytes };
    },

    /**
     * The cohort's approved findings counted by severity, target and status, with the median days
     * from finding to a fixing retest: every count, live, for managers; for observers, the counts
     * frozen with the latest published version of the results (over its organisations, a count
     * from fewer than the smallest cell withheld), and nothing before a version is published.
     */
    async summary(actor: Actor, programmeId: string): Promise<FindingsSummaryView> {
      denyAsMissing(policy.seeCohortAnonymised(actor, programmeId), 'that programme');
      if (!policy.seeCohortNamed(actor, programmeId)) return publishedSummary(programmeId);
      const all = await findings.ofProgramme(programmeId);
      return {
        ...summarise(
          programmeId,
          all.filter((r) => visible(r.status)),
          0,
        ),
        people: await peopleOf(all),
      };
    },

    /** Observers' counts, as published (for the observers' report from published versions): no permission check. */
    publishedSummary,

    /** The summary for the programme report: no permission check (the report service decides who gets it). */
    async summaryForReport(programmeId: string, organisationIds: ReadonlySet<string>, minCell: number) {
      const rows = (await findings.ofProgramme(programmeId)).filter(
        (r) => visible(r.status) && organisationIds.has(r.organisation_id),
      );
      return summarise(programmeId, rows, minCell);
    },

    /** An organisation's approved findings, opened, for its confidential report: no permission check. */
    async forReport(programmeId: string, organisationId: string): Promise<FindingForReport[]> {
      const rows = (await findings.ofOrganisation(programmeId, organisationId)).filter((r) => visible(r.status));
      const out = await Promise.all(
        rows.map(async (r) => {
          const t = await texts(r);
          const scored = t.cvss === null ? null : scoreCvss(t.cvss);
          return {
            id: r.id,
            organisationId: r.organisation_id,
            round: r.round,
            title: t.title,
            target: r.target as FindingTarget,
            severity: r.severity as FindingSeverity,
            cvss: scored?.ok ? { vector: scored.value.vector, score: scored.value.score } : null,
            status: r.status as FindingStatus,
            foundOn: r.found_on,
            recommendation: t.recommendation,
            retest:
              r.retest_on === null || t.retest === null
                ? null
                : { on: r.retest_on, outcome: t.retest.outcome, notes: t.retest.notes },
          };
        }),
      );
      return out.sort(
        (a, b) =>
          SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.foundOn.localeCompare(b.foundOn),
      );
    },

    /** The plan items' findings, for the plan's side of the link. */
    async ofPlanItems(itemIds: readonly string[]) {
      return findings.ofPlanItems(itemIds);
    },
  };
}

/** Counts over organisations: a cell with fewer than `k` organisations behind it is withheld (k 0: none). */
export function summarise(programmeId: string, rows: readonly FindingRow[], k: number): FindingsSummaryView {
  const cells = <K extends string>(keys: readonly K[], of: (r: FindingRow) => string) => {
    const out = {} as Record<K, number | null>;
    for (const key of keys) {
      const hits = rows.filter((r) => of(r) === key);
      const orgs = new Set(hits.map((r) => r.organisation_id)).size;
      out[key] = hits.length > 0 && orgs < k ? null : hits.length;
    }
    return out;
  };
  const fixed = rows.filter((r) => r.status === 'fixed' && r.retest_on !== null);
  const days = fixed
    .map((r) => Math.round((Date.parse(r.retest_on!) - Date.parse(r.found_on)) / DAY))
    .sort((a, b) => a - b);
  const median =
    days.length === 0
      ? null
      : days.length % 2 === 1
        ? days[(days.length - 1) / 2]!
        : (days[days.length / 2 - 1]! + days[days.length / 2]!) / 2;
  return {
    programmeId,
    organisations: new Set(rows.map((r) => r.organisation_id)).size,
    minCell: k,
    bySeverity: cells(['critical', 'high', 'medium', 'low', 'info'], (r) => r.severity),
    byTarget: cells(['website', 'mail-domain', 'account', 'device', 'network', 'physical'], (r) => r.target),
    byStatus: cells(
      ['draft', 'in_review', 'changes_requested', 'approved', 'fixed', 'partly_fixed', 'accepted_risk'],
      (r) => r.status,
    ),
    medianDaysToFix: new Set(fixed.map((r) => r.organisation_id)).size < k ? null : median,
  };
}

export type FindingService = ReturnType<typeof findingService>;
