import {
  DEFAULT_MIN_CELL,
  type FindingInput,
  type AnswerNote,
  type AnswerSet,
  type EvidenceItem,
  type Choices,
  type Locale,
  type Recommendation,
  type RecommendationEdit,
} from '@kalaja/engine';
import { transaction, type Context } from '../../context.js';
import type { FindingService } from '../findings/finding-service.js';
import type { OrganisationKeyStore } from '../../crypto/organisation-key-store.js';
import { shredded } from '../../crypto/shredded.js';
import { NoKeyError } from '../../crypto/vault.js';
import { AppError, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { finalKey, type ReportInput } from '../../reports/make-report.js';
import { RENDER_TIMEOUT_MS, RenderFailure, type ReportRenderer } from '../../reports/render-pool.js';
import { REPORT_MEDIA_TYPES } from '../../reports/render.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import { answerSetOf } from '../assessments/answer-set.js';
import type { AssessmentService } from '../assessments/assessment-service.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { AuditStore } from '../audit/audit-store.js';
import { requireRecentSignIn } from '../auth/step-up.js';
import type { EvidenceFiles } from '../evidence/evidence-files.js';
import type { EvidenceService } from '../evidence/evidence-service.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { PlanItemForReport, PlanService } from '../plans/plan-service.js';
import type { TrainingImpact } from '../trainings/training-impact.js';
import type { IncidentService } from '../incidents/incident-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { PublicationService } from '../publications/publication-service.js';
import type { ChangeService } from '../results/change-service.js';
import type { JobLog, Progress, ReportJobs } from './report-jobs.js';
import { editOf, type RecommendationStore } from './recommendation-store.js';
import type { ReportStore } from './report-store.js';
import type { ReportDownload, ReportRequest, ReportRow as Row, ReportView } from './report-types.js';

/** Associated data of the sealed files: bound to the report id, so a file moved to another report does not open. */
const FILE = 'reports.file';
const PREVIEW = 'reports.preview';
/** The HTML preview of a PDF or DOCX report is stored beside it under this name. */
const previewFile = (id: string) => `${id}-preview`;

/** A failure the person who asked for the report can understand and act on. */
class ReportFailure extends Error {}

/** "10 minutes", "2 seconds". */
const duration = (ms: number) =>
  ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.max(1, Math.round(ms / 1000))} seconds`;

/** What a failed job tells the person who asked, in plain words; details of anything unexpected go to the log. */
function plainError(error: unknown, reportId: string): { message: string; unexpected: boolean } {
  if (error instanceof ReportFailure || error instanceof AppError) return { message: error.message, unexpected: false };
  if (error instanceof NoKeyError) return { message: shredded().message, unexpected: false };
  if (error instanceof RenderFailure) {
    if (error.reason === 'stopped')
      return { message: 'The server stopped while this report was being made. Ask for it again.', unexpected: false };
    if (error.reason === 'memory')
      return {
        message: `This report is too large for the memory this server gives to making reports. Tell your Kalaja administrator (reference ${reportId}).`,
        unexpected: true,
      };
    if (error.reason === 'timeout')
      return {
        message: `Making this report took longer than ${duration(error.limitMs ?? RENDER_TIMEOUT_MS)}, so it was stopped. Try again later; if it happens again, tell your Kalaja administrator (reference ${reportId}).`,
        unexpected: true,
      };
  }
  return {
    message: `The report could not be made because of an unexpected error. Try again; if it fails again, tell your Kalaja administrator (reference ${reportId}).`,
    unexpected: true,
  };
}

/** How long a report job works on the server's own thread before requests get a turn. */
const REPORT_SLICE_MS = 2;

/** Programme pseudonyms ("Organisation B", "Organisation AA") in the order they were given. */
const byPseudonym = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Reports generated in the app. A request becomes a row (`queued`) and a job; the job gathers
 * the answers that count — the same choices the results page scores (`programmeChoices`),
 * never a second scorer — and hands them, opened, to the renderer (a worker thread: the
 * engine builds the report model and it is rendered there, off the event loop), then seals
 * the file here and stores it, recording its progress in the row as it goes.
 *
 * Who may do what: a programme's managers make and read every report of it; an organisation's
 * own admins make and read their organisation's confidential report; observers make and read
 * the observers' edition of the programme report (aggregates only). Everyone else gets the
 * 404 a missing report gets. A download needs a sign-in within the last five minutes and is
 * audited; the preview (the HTML rendering, shown in the app) is not a download.
 *
 * Sealing: an organisation report under the organisation's data key (crypto-shredding the
 * organisation makes it unreadable); a programme report, which names no organisation (its
 * annex uses pseudonyms), under the instance key.
 */
export function reportService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    reports: ReportStore;
    programmes: Pick<ProgrammeStore, 'byId' | 'takesPart' | 'organisationName'>;
    assessments: Pick<AssessmentStore, 'cohort'>;
    keys: Pick<OrganisationKeyStore, 'keyed'>;
    frameworks: Pick<FrameworkService, 'load'>;
    assessmentService: Pick<AssessmentService, 'programmeChoices' | 'answerNotes'>;
    evidenceService: Pick<EvidenceService, 'forReport'>;
    publications: Pick<PublicationService, 'observersView'>;
    recommendations: Pick<RecommendationStore, 'ofProgramme'>;
    /** Organisations' plans, for the organisation report and the team's programme report. */
    plans: Pick<PlanService, 'forReport' | 'catalogue'>;
    /** The programme's training sessions, for both reports (the organisation's: its own people). */
    trainings: Pick<TrainingImpact, 'forProgrammeReport' | 'forOrganisationReport'>;
    /** The threat landscape of the incident logs, for the team's edition of the programme report (issue 17). */
    incidents?: Pick<IncidentService, 'forReport'>;
    /** The organisation's approved technical findings, for its confidential report. */
    findings: Pick<FindingService, 'forReport' | 'summaryForReport' | 'publishedSummary'>;
    audit: Pick<AuditStore, 'append'>;
    /** What the organisation report says beside each change between rounds (plan items, accounts). */
    change: Pick<ChangeService, 'contextFor'>;
    /** Where sealed report files live: `<dataDir>/reports`. */
    files: EvidenceFiles;
    jobs: ReportJobs;
    /** Builds and renders (render-pool.ts): a worker thread in the server. */
    renderer: ReportRenderer;
  },
) {
  const { files, jobs, reports } = deps;

  /** Whether the actor is an admin of an organisation taking part in the programme. */
  async function adminInProgramme(actor: Actor, programmeId: string): Promise<boolean> {
    const orgs = actor.memberships
      .filter((m) => m.role === 'org_admin' && m.organisationId)
      .map((m) => m.organisationId!);
    return deps.programmes.takesPart(programmeId, orgs);
  }

  const canRead = (actor: Actor, r: Pick<Row, 'programme_id' | 'kind' | 'organisation_id' | 'audience'>) =>
    policy.manageProgramme(actor, r.programme_id) ||
    (r.kind === 'organisation' && r.organisation_id !== null && policy.adminOf(actor, r.organisation_id)) ||
    (r.kind === 'programme' && r.audience === 'observers' && policy.seeCohortAnonymised(actor, r.programme_id));

  async function readable(actor: Actor, id: string) {
    const r = await reports.withName(id);
    denyAsMissing(r !== undefined && canRead(actor, r), 'that report');
    return r;
  }

  const view = (r: Row & { organisation_name: string | null }): ReportView => ({
    id: r.id,
    programmeId: r.programme_id,
    kind: r.kind,
    organisationId: r.organisation_id,
    organisation: r.organisation_name,
    format: r.format,
    language: r.language as Locale,
    audience: r.audience,
    status: r.status,
    progress: r.progress,
    error: r.error,
    size: r.size,
    createdAt: new Date(Number(r.created_at)).toISOString(),
    finishedAt: r.finished_at === null ? null : new Date(Number(r.finished_at)).toISOString(),
  });

  async function seal(r: Row, field: string, bytes: Uint8Array): Promise<Uint8Array> {
    return r.kind === 'organisation'
      ? ctx.vault.sealFor(r.organisation_id!, field, r.id, bytes)
      : ctx.vault.sealInstance(field, r.id, bytes);
  }

  async function unseal(r: Row, field: string, name: string): Promise<Buffer> {
    let sealed: Buffer;
    try {
      sealed = await files.get(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new AppError(
          'gone',
          'This report\u2019s file is no longer there (was the server restored from a backup?). Generate it again.',
        );
      throw error;
    }
    if (r.kind === 'organisation') {
      try {
        return await ctx.vault.openFor(r.organisation_id!, field, r.id, sealed);
      } catch (error) {
        if (error instanceof NoKeyError) throw shredded();
        throw error;
      }
    }
    return ctx.vault.openInstance(field, r.id, sealed);
  }

  function ready(r: Row): void {
    if (r.status === 'failed')
      throw new AppError('conflict', `This report could not be made: ${r.error ?? 'it failed'}`);
    if (r.status !== 'done') throw new AppError('conflict', 'This report is not ready yet; wait until it is done.');
  }

  /** The programme's cohort for a programme report: organisations under their pseudonyms, in pseudonym order. */
  function pseudonymised(
    rows: Awaited<ReturnType<AssessmentStore['cohort']>>['rows'],
    choices: ReadonlyMap<string, Choices>,
  ): AnswerSet {
    const set = answerSetOf(rows, choices, (x) => x.pseudonym);
    set.organisations.sort(byPseudonym);
    return set;
  }

  /** Each organisation's pseudonym in the programme: how the programme report names it. */
  async function pseudonymsOf(programmeId: string): Promise<(organisationId: string) => string | undefined> {
    const { rows } = await deps.assessments.cohort(programmeId);
    const byId = new Map(rows.map((x) => [x.organisation_id, x.pseudonym]));
    return (id) => byId.get(id);
  }

  /** The team's review of the programme's drafted recommendations, as the engine applies it. */
  async function editsOf(programmeId: string): Promise<RecommendationEdit[]> {
    return (await deps.recommendations.ofProgramme(programmeId)).map(editOf);
  }

  /**
   * The recommendations the rules draft now for the programme report (the team's edition), in
   * a language: what the team reviews. Empty while nothing is answered.
   */
  async function drafts(programmeId: string, locale: Locale): Promise<Recommendation[]> {
    const programme = await deps.programmes.byId(programmeId);
    if (!programme) throw notFound('that programme');
    const fw = await deps.frameworks.load(programme.framework_id);
    const { rows } = await deps.assessments.cohort(programmeId);
    const choices = await deps.assessmentService.programmeChoices(fw, rows);
    const set = pseudonymised(rows, choices);
    if (set.organisations.length === 0) return [];
    // A whole report model is built to draft them: in the render worker, off the event loop.
    return deps.renderer.recommendations({
      kind: 'programme',
      framework: fw,
      answers: set,
      options: { locale, audience: 'programme', title: programme.name },
    });
  }

  /** Plan items as the engine's report takes them, each organisation named by `label`. */
  function planInput(items: readonly PlanItemForReport[], label: (organisationId: string) => string | undefined) {
    return {
      catalogue: deps.plans.catalogue,
      items: items.flatMap((i) => {
        const organisation = label(i.organisationId);
        if (organisation === undefined) return [];
        return [
          {
            organisation,
            round: i.round,
            intervention: i.intervention?.id ?? null,
            title: i.title,
            kind: i.kind,
            status: i.status,
            dueOn: i.dueOn,
            doneOn: i.doneAt,
            overdue: i.overdue,
            dropReason: i.dropReason,
            evidence: i.evidence.length,
          },
        ];
      }),
    };
  }

  /**
   * What the report a job asked for is made from: the answers that count, opened here (the
   * keys never leave this thread), or the published view for observers.
   */
  async function inputOf(r: Row, progress: Progress): Promise<ReportInput> {
    const programme = await deps.programmes.byId(r.programme_id);
    if (!programme) throw new ReportFailure('The programme of this report is no longer there.');
    const fw = await deps.frameworks.load(programme.framework_id);
    if (r.kind === 'programme' && r.audience === 'observers') {
      // The observers' edition holds exactly what observers see in the app: the published
      // versions, never figures computed live (threat model, T9).
      const { view, used } = await deps.publications.observersView(r.programme_id, fw);
      if (view.rounds.length === 0)
        throw new ReportFailure(
          'No results of this programme have been published to observers yet: a manager publishes a round first.',
        );
      return {
        kind: 'published',
        framework: fw,
        view,
        options: {
          locale: r.language as Locale,
          generatedAt: new Date(ctx.now()).toISOString(),
          title: programme.name,
          recommendationEdits: await editsOf(r.programme_id),
          // Under the programme's pseudonyms, as the published view names organisations; the
          // engine withholds any figure over fewer than k participants.
          trainings: await deps.trainings.forProgrammeReport(
            r.programme_id,
            r.language,
            await pseudonymsOf(r.programme_id),
          ),
          // As published: the counts frozen with the latest version, each over fewer than k
          // organisations withheld, as every figure observers see.
          findings: await deps.findings.publishedSummary(r.programme_id),
          publishedVersions: used.map((p) => ({
            round: p.round,
            version: p.version,
            publishedAt: new Date(p.published_at).toISOString(),
          })),
        },
      };
    }
    const { rows } = await deps.assessments.cohort(r.programme_id);
    await progress(15);
    // A job nobody waits on: short slices, so that the requests meanwhile go first.
    const choices = await deps.assessmentService.programmeChoices(fw, rows, { sliceMs: REPORT_SLICE_MS });
    await progress(45);
    const locale = r.language as Locale;
    const generatedAt = new Date(ctx.now()).toISOString();

    if (r.kind === 'programme' || r.kind === 'threats') {
      // Organisations go into the programme report under their programme pseudonyms: no name
      // ever reaches it (the annex pseudonymises again, in the same order).
      const set = pseudonymised(rows, choices);
      if (set.organisations.length === 0)
        throw new ReportFailure('There are no answers in this programme yet, so there is nothing to report.');
      // The change between rounds rests on the assessments validated in both; the others are counted.
      const validated = rows.filter((x) => x.status === 'validated').map((x) => finalKey(x.pseudonym, x.round));
      // The team's edition shows what the plans delivered, under the same pseudonyms.
      const pseudonyms = new Map(rows.map((x) => [x.organisation_id, x.pseudonym]));
      return {
        kind: 'programme',
        framework: fw,
        answers: set,
        finalAssessments: validated,
        options: {
          locale,
          audience: r.audience,
          generatedAt,
          title: programme.name,
          recommendationEdits: await editsOf(r.programme_id),
          plans: planInput(await deps.plans.forReport(r.programme_id, new Set(pseudonyms.keys())), (id) =>
            pseudonyms.get(id),
          ),
          trainings: await deps.trainings.forProgrammeReport(r.programme_id, locale, (id) => pseudonyms.get(id)),
          findings: await deps.findings.summaryForReport(
            r.programme_id,
            new Set(pseudonyms.keys()),
            r.audience === 'observers' ? DEFAULT_MIN_CELL : 0,
          ),
          // The landscape is not published yet: the team's edition alone has it.
          ...(r.audience !== 'observers' &&
            deps.incidents && { threats: await deps.incidents.forReport(r.programme_id, locale) }),
          ...(r.kind === 'threats' && { focus: 'threats' as const }),
        },
      };
    }

    const target = rows.find((x) => x.organisation_id === r.organisation_id);
    const org = target?.name ?? (await deps.programmes.organisationName(r.organisation_id!));
    // No assessment left means the organisation was crypto-shredded (or left the programme).
    if (!target || org === undefined) throw shredded();
    // The others count only in the cohort means, under their pseudonyms; a pseudonym that
    // happens to equal the organisation's name is replaced by that organisation's id.
    const label = (x: (typeof rows)[number]) =>
      x.organisation_id === r.organisation_id ? org : x.pseudonym === org ? `#${x.organisation_id}` : x.pseudonym;
    const set = answerSetOf(rows, choices, label);
    if (!set.assessments.has(org))
      throw new ReportFailure(`${org} has not answered anything yet, so there is nothing to report.`);
    // What the organisation itself put into its assessments: the notes with its answers (and
    // the assessor's on validated ones), and the evidence it and its assessor attached. Not the
    // assessor's interview notes: they hold what staff said in confidence, and the
    // organisation's admins, who read this report, may not read them (access-policy.ts,
    // validateAssessment; threat model, interview notes).
    const notes: AnswerNote[] = [];
    const evidence: EvidenceItem[] = [];
    for (const a of rows.filter((x) => x.organisation_id === r.organisation_id)) {
      for (const n of await deps.assessmentService.answerNotes(a)) notes.push({ round: a.round, ...n });
      for (const e of await deps.evidenceService.forReport(a)) evidence.push({ round: a.round, ...e });
    }
    const plan = planInput(await deps.plans.forReport(r.programme_id, new Set([r.organisation_id!])), () => org);
    const changeContext = await deps.change.contextFor(r.programme_id, r.organisation_id!);
    return {
      kind: 'organisation',
      framework: fw,
      answers: set,
      organisation: org,
      options: {
        locale,
        generatedAt,
        notes,
        evidence,
        plan,
        changeContext,
        organisationTrainings: await deps.trainings.forOrganisationReport(r.programme_id, r.organisation_id!, locale),
        findings: (await deps.findings.forReport(r.programme_id, r.organisation_id!)).map((f) => ({
          title: f.title,
          target: f.target,
          severity: f.severity,
          status: f.status as FindingInput['status'],
          foundOn: f.foundOn,
          cvss: f.cvss,
          recommendation: f.recommendation,
          retest: f.retest && {
            ...f.retest,
            outcome: f.retest.outcome as NonNullable<FindingInput['retest']>['outcome'],
          },
        })),
      },
    };
  }

  /** One job: gather, build and render (in the worker), seal, store; the row says how far it got and how it ended. */
  async function run(reportId: string, progress: Progress, log: JobLog): Promise<void> {
    const r = await reports.byId(reportId);
    // Gone (its programme was deleted) or already finished (a retried pg-boss job): nothing to do.
    if (!r || r.status === 'done' || r.status === 'failed') return;
    const started = ctx.now();
    const t0 = performance.now();
    await reports.markRunning(reportId, started);
    const written: string[] = [];
    try {
      const input = await inputOf(r, progress);
      await progress(55);
      const format = r.format;
      // The worker says when the model is built and the file rendered; those writes go in order.
      let stages = Promise.resolve();
      const { bytes, preview } = await deps.renderer.make(input, format, {
        preview: true,
        stage: (stage) => {
          stages = stages.then(() => progress(stage === 'built' ? 65 : 85));
        },
      });
      await stages;
      await progress(90);
      const sealed = await seal(r, FILE, bytes);
      const sealedPreview = preview && (await seal(r, PREVIEW, preview));
      written.push(r.id);
      await files.put(r.id, sealed);
      if (sealedPreview) {
        written.push(previewFile(r.id));
        await files.put(previewFile(r.id), sealedPreview);
      }
      await reports.markDone(reportId, bytes.length, ctx.now());
      log.info(
        { reportId, kind: r.kind, format, bytes: bytes.length, ms: Math.round(performance.now() - t0) },
        'report made',
      );
    } catch (error) {
      for (const name of written) await files.remove(name).catch(() => undefined);
      const { message, unexpected } = plainError(error, reportId);
      if (unexpected) log.error({ err: error, reportId }, 'report job failed');
      await reports.markFailed(reportId, message, ctx.now());
    }
  }

  return {
    jobs,
    drafts,

    /** Starts the job queue; reports left queued or running by a server that stopped are made now. */
    async start(log: JobLog): Promise<void> {
      await jobs.start(
        (id, progress) => run(id, progress, log),
        (id, percent) => reports.setProgress(id, percent),
        log,
        await reports.unfinished(),
      );
    },

    /** Stops taking jobs, waits for the one under way, then stops the render workers. */
    async stop(): Promise<void> {
      await jobs.stop();
      await deps.renderer.close();
    },

    /** Asks for a report: checks who may, records the request (audited) and queues the job. */
    async request(actor: Actor, programmeId: string, input: ReportRequest): Promise<ReportView> {
      const manager = policy.manageProgramme(actor, programmeId);
      const observer = policy.seeCohortAnonymised(actor, programmeId);
      denyAsMissing(manager || observer || (await adminInProgramme(actor, programmeId)), 'that programme');
      if (!(await deps.programmes.byId(programmeId))) throw notFound('that programme');

      let organisationId: string | null = null;
      if (input.kind === 'organisation') {
        if (input.organisationId === undefined)
          throw invalid('Choose the organisation whose report to make.', [
            { where: 'organisationId', message: 'is required for an organisation report' },
          ]);
        if (input.audience !== 'programme')
          throw invalid('An organisation\u2019s report is confidential: there is no observers\u2019 edition of it.', [
            { where: 'audience', message: 'must be programme for an organisation report' },
          ]);
        denyAsMissing(
          (manager || policy.adminOf(actor, input.organisationId)) &&
            (await deps.programmes.takesPart(programmeId, [input.organisationId])),
          'that organisation',
        );
        if (!(await deps.keys.keyed([input.organisationId])).has(input.organisationId)) throw shredded();
        organisationId = input.organisationId;
      } else {
        if (input.organisationId !== undefined)
          throw invalid('A programme report covers every organisation; leave out organisationId.', [
            { where: 'organisationId', message: 'is only for an organisation report' },
          ]);
        if (input.audience === 'programme' && !manager)
          throw new AppError(
            'forbidden',
            observer
              ? 'Observers can make the observers\u2019 edition of the programme report (aggregates only).'
              : 'Only the programme\u2019s managers can make the programme report.',
          );
        if (input.audience === 'observers' && !manager && !observer)
          throw new AppError('forbidden', 'Only the programme\u2019s managers and observers can make this report.');
        // The threat landscape is the team's until it is published: no observers' edition yet.
        if (input.kind === 'threats') {
          if (input.audience !== 'programme')
            throw invalid('The threat landscape has no observers\u2019 edition yet: make the team\u2019s.', [
              { where: 'audience', message: 'must be programme for a threats report' },
            ]);
          if (!manager)
            throw new AppError('forbidden', 'Only the programme\u2019s managers can make the threat landscape report.');
        }
      }

      const id = newId();
      const now = ctx.now();
      const row: Row = {
        id,
        programme_id: programmeId,
        organisation_id: organisationId,
        kind: input.kind,
        format: input.format,
        language: input.language,
        audience: input.audience,
        status: 'queued',
        progress: 0,
        error: null,
        size: null,
        created_by: actor.userId,
        created_at: now,
        started_at: null,
        finished_at: null,
      };
      await transaction(ctx, async (tx) => {
        await reports.insert(row, tx);
        await deps.audit.append(
          actor,
          { action: 'report.request', objectType: 'report', objectId: id, organisationId },
          now,
          tx,
        );
      });
      try {
        await jobs.enqueue(id);
      } catch {
        const message = 'The report could not be queued: the job queue is not available. Try again shortly.';
        await reports.markFailed(id, message, ctx.now());
        row.status = 'failed';
        row.error = message;
      }
      const fresh = await reports.withName(id);
      return view(fresh ?? { ...row, organisation_name: null });
    },

    /** The reports of a programme the actor may read, newest first. */
    async list(actor: Actor, programmeId: string): Promise<ReportView[]> {
      const manager = policy.manageProgramme(actor, programmeId);
      const observer = policy.seeCohortAnonymised(actor, programmeId);
      denyAsMissing(manager || observer || (await adminInProgramme(actor, programmeId)), 'that programme');
      const rows = await reports.ofProgramme(programmeId);
      return rows.filter((r) => canRead(actor, r)).map(view);
    },

    /** One report's status and progress. */
    async get(actor: Actor, id: string): Promise<ReportView> {
      return view(await readable(actor, id));
    },

    /** The HTML rendering of a finished report, for the app's preview. Not a download: not audited. */
    async preview(actor: Actor, id: string): Promise<string> {
      const r = await readable(actor, id);
      ready(r);
      const bytes = r.format === 'html' ? await unseal(r, FILE, r.id) : await unseal(r, PREVIEW, previewFile(r.id));
      return bytes.toString('utf8');
    },

    /**
     * A finished report's file. Permission first (a report that is not yours is missing
     * whatever your session), then whether it is finished, then a recent sign-in; the download
     * is audited in the same transaction-before-response as every export.
     */
    async download(actor: Actor, id: string): Promise<ReportDownload> {
      const r = await readable(actor, id);
      ready(r);
      requireRecentSignIn(actor, ctx.now());
      const bytes = await unseal(r, FILE, r.id);
      await transaction(ctx, (tx) =>
        deps.audit.append(
          actor,
          { action: 'report.download', objectType: 'report', objectId: r.id, organisationId: r.organisation_id },
          ctx.now(),
          tx,
        ),
      );
      const day = new Date(Number(r.created_at)).toISOString().slice(0, 10);
      const what =
        r.kind === 'organisation'
          ? `${r.organisation_name ?? 'organisation'} - confidential report`
          : r.kind === 'threats'
            ? 'threat landscape'
            : r.audience === 'observers'
              ? 'programme report - observers edition'
              : 'programme report';
      return { name: `${what} ${day}.${r.format}`, mediaType: REPORT_MEDIA_TYPES[r.format], bytes };
    },
  };
}

export type ReportService = ReturnType<typeof reportService>;
