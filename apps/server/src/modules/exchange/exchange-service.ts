import { Worker } from 'node:worker_threads';
import { csvLine, indexFramework, NA, type Problem } from '@kalaja/engine';
import { AppError, notFound } from '../../errors.js';
import { transaction, type Context } from '../../context.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import { sealAnswer } from '../assessments/answer-sealing.js';
import type { AssessmentService } from '../assessments/assessment-service.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { Layer } from '../assessments/assessment-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { requireRecentSignIn } from '../auth/step-up.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { FrameworkStore } from '../frameworks/framework-store.js';
import type { JobLog } from '../reports/report-jobs.js';
import { newId } from '../../ids.js';
import { systemActor } from '../access/access-types.js';
import {
  ANSWER_NA,
  ANSWER_NONE,
  checkAnswers,
  inputSize,
  type CheckRequest,
  type CheckResult,
} from './import-check.js';
import type { ImportStatus, ImportStore, StagedRow } from './import-store.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { RoundService } from '../programmes/round-service.js';

/** A problem as the API names it: its line, or the file. */
export const detail = (p: Problem) => ({ where: p.line !== undefined ? `line ${p.line}` : 'file', message: p.message });

/** Rows sealed and staged per transaction, and written per transaction when applied. */
export const IMPORT_CHUNK = 1000;
/** Files larger than this (characters or bytes) are checked in a worker thread. */
const WORKER_THRESHOLD = 256 * 1024;
/** A job whose process has not touched it for this long is taken over by another. */
export const IMPORT_STALE_MS = 60_000;
const HEARTBEAT_MS = 10_000;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The worker's compiled file: beside this one in dist; from the sources (tests), the built copy. */
function workerFile(): URL {
  const here = new URL('./import-worker.js', import.meta.url);
  return here.pathname.includes('/src/') ? new URL(here.href.replace('/src/', '/dist/')) : here;
}

function checkInWorker(req: CheckRequest): Promise<CheckResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(), { workerData: req, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    worker.once('message', (m: CheckResult) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the answers check ended early (exit ${code})`)));
  });
}

/** The statuses whose assessments still take this layer (the complement of closedTo). */
const openStatuses = (layer: Layer) => (layer === 'own' ? ['draft'] : ['draft', 'submitted']);

/** An import as the API shows it. */
export interface ImportView {
  id: string;
  round: string;
  layer: Layer;
  status: ImportStatus;
  /** 0..100: checking is 0, staging the first half, applying the second. */
  progress: number;
  rows: number;
  organisations: number;
  error: string | null;
  problems: { where: string; message: string }[];
  /** How many problems the file had in all (`problems` holds the first MAX_PROBLEMS). */
  problemCount: number;
  createdAt: string;
  finishedAt: string | null;
}

type ImportRow = NonNullable<Awaited<ReturnType<ImportStore['byId']>>>;

/** The problems a refused file had, as the job row keeps them. */
const storedProblems = (r: ImportRow) =>
  r.problems ? (JSON.parse(r.problems) as { total: number; list: ImportView['problems'] }) : null;

function viewOf(r: ImportRow): ImportView {
  const stored = storedProblems(r);
  const total = Math.max(1, r.rows_total);
  const progress =
    r.status === 'done'
      ? 100
      : r.status === 'staging'
        ? Math.floor((50 * r.rows_done) / total)
        : r.status === 'applying'
          ? 50 + Math.floor((50 * r.rows_done) / total)
          : 0;
  return {
    id: r.id,
    round: r.round_id,
    layer: r.layer,
    status: r.status,
    progress: Math.min(100, progress),
    rows: r.rows_total,
    organisations: r.organisations,
    error: r.error,
    problems: stored?.list ?? [],
    problemCount: stored?.total ?? 0,
    createdAt: new Date(Number(r.created_at)).toISOString(),
    finishedAt: r.finished_at === null ? null : new Date(Number(r.finished_at)).toISOString(),
  };
}

/** A failure of the import itself, in words for the person who started it; nothing was imported. */
class ImportRefused extends Error {}

/**
 * The answers exchange CSV in and out of a round. An import is all or nothing for the round,
 * and a job (decision 0010): the file is checked (in a worker thread when large) against the
 * programme's framework — every organisation must take part, every row must name this round,
 * every assessment must still take the layer — then its rows are sealed and staged in
 * bounded transactions, then, in one short transaction, the import claims its assessments
 * (from then on it is accepted and will be written even if this process stops: another takes
 * it over), then the rows are applied assessment by assessment. A refused file leaves nothing
 * behind; other requests go through between the transactions.
 */
export function exchangeService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    programmes: Pick<ProgrammeStore, 'byId' | 'round'>;
    assessments: Pick<AssessmentStore, 'ofRound' | 'markValidated'>;
    frameworks: Pick<FrameworkService, 'load'>;
    frameworkSources: Pick<FrameworkStore, 'source'>;
    imports: ImportStore;
    /** Reads each assessment as its own page would, permission check included. */
    assessmentService: Pick<AssessmentService, 'get'>;
    /** Imports go into open rounds only. */
    rounds: Pick<RoundService, 'requireOpen'>;
    audit: Pick<AuditStore, 'append'>;
    log?: JobLog;
    /** Files up to this size are checked on the event loop (tests set 0 to use the worker). */
    workerThreshold?: number;
  },
) {
  const running = new Map<string, Promise<void>>();
  let sweeper: NodeJS.Timeout | undefined;
  let log = deps.log;

  async function roundOf(programmeId: string, roundId: string) {
    const [round, programme] = await Promise.all([
      deps.programmes.round(programmeId, { id: roundId }),
      deps.programmes.byId(programmeId),
    ]);
    if (!round || !programme) throw notFound('that round');
    return { round, programme, fw: await deps.frameworks.load(programme.framework_id) };
  }

  const finish = (id: string, set: Parameters<ImportStore['update']>[1]) =>
    deps.imports.update(id, { ...set, finished_at: ctx.now() });

  /** Writes the staged rows of every assessment the import still holds, a bounded batch per transaction. */
  async function apply(job: ImportRow, actor: Actor): Promise<void> {
    const pending = await deps.imports.pending(job.id);
    const counts = await deps.imports.rowCounts(job.id, pending);
    let done = job.rows_total - [...counts.values()].reduce((a, b) => a + b, 0);
    const batches: string[][] = [];
    let batch: string[] = [];
    let size = 0;
    for (const id of pending) {
      const n = counts.get(id) ?? 0;
      if (batch.length > 0 && size + n > IMPORT_CHUNK) {
        batches.push(batch);
        batch = [];
        size = 0;
      }
      batch.push(id);
      size += n;
    }
    if (batch.length > 0) batches.push(batch);
    const organisationOf = new Map(
      (await deps.assessments.ofRound(job.round_id)).map((t) => [t.id, t.organisationId] as const),
    );
    for (const ids of batches) {
      await transaction(ctx, async (tx) => {
        const now = ctx.now();
        await deps.imports.apply(job.id, ids, job.layer, job.created_by, Number(job.created_at), tx);
        if (job.layer === 'validated') await deps.assessments.markValidated(ids, now, tx);
        for (const id of ids) {
          const organisationId = organisationOf.get(id) ?? null;
          await deps.audit.append(
            actor,
            { action: `answers.${job.layer}.import`, objectType: 'assessment', objectId: id, organisationId },
            now,
            tx,
          );
          if (job.layer === 'validated')
            await deps.audit.append(
              actor,
              { action: 'assessment.validated', objectType: 'assessment', objectId: id, organisationId },
              now,
              tx,
            );
        }
        done += ids.reduce((k, id) => k + (counts.get(id) ?? 0), 0);
        await deps.imports.update(job.id, { rows_done: done, heartbeat_at: now }, tx);
      });
      await turn();
    }
    await finish(job.id, { status: 'done', rows_done: job.rows_total });
  }

  /** One import, from the check to the last row; every outcome is recorded on its row. */
  async function run(
    actor: Actor,
    jobId: string,
    req: CheckRequest,
    ids: readonly { id: string; organisationId: string }[],
    frameworkId: string,
  ) {
    const beat = setInterval(() => {
      deps.imports.update(jobId, { heartbeat_at: ctx.now() }).catch(() => undefined);
    }, HEARTBEAT_MS);
    beat.unref();
    let accepted = false;
    try {
      const size = inputSize(req.input);
      const checked = size > (deps.workerThreshold ?? WORKER_THRESHOLD) ? await checkInWorker(req) : checkAnswers(req);
      if (!checked.ok) {
        await finish(jobId, {
          status: 'failed',
          error: `The file has ${checked.total} problem${checked.total === 1 ? '' : 's'}; nothing was imported.`,
          problems: JSON.stringify({ total: checked.total, list: checked.problems.map(detail) }),
        });
        return;
      }
      const { rows } = checked;
      const n = rows.target.length;
      const fw = await deps.frameworks.load(frameworkId);
      const ordered = indexFramework(fw).ordered;
      const noteOf = new Map<number, string>();
      rows.noteRow.forEach((row, k) => noteOf.set(row, rows.notes[k]!));
      const covered = [...new Set(rows.target)].map((t) => ids[t]!);
      await deps.imports.update(jobId, { status: 'staging', rows_total: n, organisations: covered.length });
      // Sealed and staged a chunk at a time: memory stays bounded and others get their turn.
      for (let start = 0; start < n; start += IMPORT_CHUNK) {
        const end = Math.min(n, start + IMPORT_CHUNK);
        const staged: StagedRow[] = [];
        for (let i = start; i < end; i++) {
          const t = ids[rows.target[i]!]!;
          const q = ordered[rows.question[i]!]!;
          const a = rows.answer[i]!;
          const answer = a === ANSWER_NONE ? null : a === ANSWER_NA ? NA : q.question.options[a]!.id;
          const sealed = await sealAnswer(
            ctx.vault,
            { organisationId: t.organisationId, assessmentId: t.id, questionId: q.question.id, layer: req.layer },
            { answer, note: noteOf.get(i) ?? '' },
          );
          staged.push({ seq: i, assessmentId: t.id, questionId: q.question.id, sealed });
        }
        // A turn between sealing and writing too: each holds the event loop for milliseconds.
        await turn();
        await transaction(ctx, async (tx) => {
          await deps.imports.stage(jobId, staged, tx);
          await deps.imports.update(jobId, { rows_done: end, heartbeat_at: ctx.now() }, tx);
        });
        await turn();
      }
      // The point of no return: the import claims its assessments, or gives up if one of them
      // was submitted, validated or taken by another import since the check, or its round closed.
      await transaction(ctx, async (tx) => {
        const marked = await deps.imports.reserve(
          jobId,
          covered.map((c) => c.id),
          openStatuses(req.layer),
          tx,
        );
        if (marked !== covered.length)
          throw new ImportRefused(
            'An assessment in this file was submitted or validated, its round was closed, or another import into it began, meanwhile; nothing was imported.',
          );
        await deps.imports.update(jobId, { status: 'applying', rows_done: 0, heartbeat_at: ctx.now() }, tx);
      });
      accepted = true;
      await apply((await deps.imports.byId(jobId))!, actor);
    } catch (error) {
      if (accepted) {
        // Accepted imports are finished by whoever takes the job over once its heartbeat stops.
        log?.error({ err: error, importId: jobId }, 'answer import stopped while applying; it will be resumed');
        return;
      }
      const refused = error instanceof ImportRefused;
      if (!refused) log?.error({ err: error, importId: jobId }, 'answer import failed');
      await deps.imports.discard(jobId).catch(() => undefined);
      await finish(jobId, {
        status: 'failed',
        error: refused ? error.message : 'The import could not be written; nothing was imported. Try again.',
      }).catch(() => undefined);
    } finally {
      clearInterval(beat);
    }
  }

  /** Starts an import job after the checks every request gets; returns it as first recorded. */
  async function start(
    actor: Actor,
    programmeId: string,
    roundId: string,
    /** The file, or how to read it: only once the caller is known to be allowed. */
    given: CheckRequest['input'] | (() => CheckRequest['input']),
    layer: Layer,
    file: string,
  ): Promise<{ id: string; done: Promise<void> }> {
    denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
    const { round, programme } = await roundOf(programmeId, roundId);
    await deps.rounds.requireOpen(round);
    const input = typeof given === 'function' ? given() : given;
    const source = await deps.frameworkSources.source(programme.framework_id);
    if (!source) throw notFound('that framework');
    const targets = await deps.assessments.ofRound(roundId);
    const id = newId();
    await deps.imports.create({ id, programmeId, roundId, layer, by: actor.userId, at: ctx.now() });
    const req: CheckRequest = {
      framework: { source: source.source, format: source.source_format === 'json' ? 'json' : 'yaml' },
      round: round.name,
      layer,
      targets: targets.map((t) => ({ name: t.name, status: t.status })),
      input,
      file,
    };
    const done = run(
      actor,
      id,
      req,
      targets.map((t) => ({ id: t.id, organisationId: t.organisationId })),
      programme.framework_id,
    ).finally(() => running.delete(id));
    running.set(id, done);
    return { id, done };
  }

  /** Takes over the imports whose process stopped: refused if not yet accepted, finished if accepted. */
  async function resumeStale(): Promise<void> {
    const now = ctx.now();
    for (const job of await deps.imports.stale(now - IMPORT_STALE_MS)) {
      if (running.has(job.id) || !(await deps.imports.claim(job.id, Number(job.heartbeat_at), now))) continue;
      if (job.status !== 'applying') {
        await deps.imports.discard(job.id);
        await finish(job.id, {
          status: 'failed',
          error: 'The server stopped before the import was written; nothing was imported. Import the file again.',
        });
        continue;
      }
      log?.info({ importId: job.id }, 'resuming an accepted answer import');
      const done = apply(job, systemActor(`import:${job.id}`))
        .catch((error: unknown) => log?.error({ err: error, importId: job.id }, 'answer import resume failed'))
        .finally(() => running.delete(job.id));
      running.set(job.id, done);
    }
  }

  return {
    /**
     * Imports a file and waits for it to be written: the result, or the file's problems as a
     * 400 (the JSON route, the demo, small files).
     */
    async importAnswers(
      actor: Actor,
      programmeId: string,
      roundId: string,
      /** The CSV text, the bytes of an .xlsx or .ods file, or a sheet's rows already read. */
      input: CheckRequest['input'],
      layer: Layer = 'own',
      file = 'answers.csv',
    ): Promise<{ organisations: number; answers: number; validated: number }> {
      const job = await start(actor, programmeId, roundId, input, layer, file);
      await job.done;
      const r = (await deps.imports.byId(job.id))!;
      if (r.status === 'failed') {
        const stored = storedProblems(r);
        if (stored)
          throw new AppError('invalid_answers', r.error ?? 'The file has problems; nothing was imported.', stored.list);
        throw new AppError('conflict', r.error ?? 'Nothing was imported.');
      }
      if (r.status !== 'done') throw new Error(`answer import ${job.id} stopped while ${r.status}`);
      return {
        organisations: r.organisations,
        answers: r.rows_total,
        validated: layer === 'validated' ? r.organisations : 0,
      };
    },

    /** Starts an import as a job and answers at once; the app follows it with `importStatus`. */
    async startImport(
      actor: Actor,
      programmeId: string,
      roundId: string,
      input: CheckRequest['input'] | (() => CheckRequest['input']),
      layer: Layer,
      file: string,
    ): Promise<ImportView> {
      const job = await start(actor, programmeId, roundId, input, layer, file);
      return viewOf((await deps.imports.byId(job.id))!);
    },

    async importStatus(actor: Actor, programmeId: string, importId: string): Promise<ImportView> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const r = await deps.imports.byId(importId);
      if (!r || r.programme_id !== programmeId) throw notFound('that import');
      return viewOf(r);
    },

    /** Resumes what stopped processes left, now and every half minute. */
    startSweeping(jobLog?: JobLog): void {
      log = jobLog ?? log;
      const sweep = () =>
        resumeStale().catch((error: unknown) => log?.error({ err: error }, 'answer import sweep failed'));
      void sweep();
      sweeper = setInterval(sweep, IMPORT_STALE_MS / 2);
      sweeper.unref();
    },

    resumeStale,

    /** Stops sweeping and waits for the imports this process is writing. */
    async stop(): Promise<void> {
      clearInterval(sweeper);
      await Promise.allSettled([...running.values()]);
    },

    /**
     * The round's answers that count, as the exchange CSV (formula-like cells neutralised). It
     * takes a whole round's answers out of Kalaja: it needs a recent sign-in.
     */
    async exportRound(actor: Actor, programmeId: string, roundId: string): Promise<string> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const { round } = await roundOf(programmeId, roundId);
      requireRecentSignIn(actor, ctx.now());
      const targets = await deps.assessments.ofRound(roundId);
      const lines = [csvLine(['organisation', 'round', 'question', 'answer', 'note'])];
      for (const t of targets) {
        const view = await deps.assessmentService.get(actor, t.id);
        for (const a of view.answers) {
          const layer = a.validated ?? a.own;
          if (!layer) continue;
          lines.push(csvLine([t.name, round.name, a.question, layer.answer ?? '', layer.note], true));
        }
      }
      await transaction(ctx, (tx) =>
        deps.audit.append(
          actor,
          { action: 'answers.export', objectType: 'round', objectId: roundId, organisationId: null },
          ctx.now(),
          tx,
        ),
      );
      return `${lines.join('\r\n')}\r\n`;
    },
  };
}

export type ExchangeService = ReturnType<typeof exchangeService>;
