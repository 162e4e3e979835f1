import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Handbook, Recommendation } from '@kalaja/engine';
import {
  draftPaperRecommendations,
  draftRecommendations,
  makeReport,
  type MadeReport,
  type ReportInput,
  type ReportStage,
} from './make-report.js';
import { renderHandbookPdf } from './render-handbook.js';
import type { ReportFormat } from './render.js';

/**
 * Where report models are built and rendered (decision 11). Rendering a programme report of
 * 1,000 organisations is seconds of CPU; on the server's own event loop it held every other
 * request for as long. `renderPool()` runs it in worker threads instead — one by default, as
 * report jobs run one at a time in each process — and `inProcessRenderer()` runs it here, for
 * the command line and for comparing the two.
 */
export interface ReportRenderer {
  /** Builds and renders a report; `stage` hears when the model is built and when the file is rendered. */
  make(
    input: ReportInput,
    format: ReportFormat,
    options?: { preview?: boolean; stage?: (stage: ReportStage) => void },
  ): Promise<MadeReport>;
  /** The recommendations the rules draft for a programme report or a policy paper, before the team's review. */
  recommendations(input: Extract<ReportInput, { kind: 'programme' | 'openness' }>): Promise<Recommendation[]>;
  /** The handbook of one language as a PDF (seconds of CPU for 27 sections, so off the event loop too). */
  handbook(book: Handbook): Promise<Uint8Array>;
  /** Stops every worker; a render under way fails with reason `stopped`. */
  close(): Promise<void>;
}

/**
 * Why a render did not give a report: the renderer threw (`error`), the worker died (`crash`),
 * ran out of the memory it is given (`memory`) or of time (`timeout`), or the server is
 * stopping (`stopped`). The message is for the log; the person who asked reads a plain one
 * (report-service.ts).
 */
export type RenderFailureReason = 'error' | 'crash' | 'memory' | 'timeout' | 'stopped';

export class RenderFailure extends Error {
  override readonly name = 'RenderFailure';
  constructor(
    readonly reason: RenderFailureReason,
    message: string,
    options?: { cause?: unknown; limitMs?: number },
  ) {
    super(message, options);
    this.limitMs = options?.limitMs;
  }

  /** The time limit a render ran out of (`timeout`). */
  readonly limitMs: number | undefined;
}

/** One task as the worker receives it: plain data only (structured clone), no key. */
export type RenderTask =
  | {
      id: number;
      /** A report's file (and preview), or only the recommendations its model drafts. */
      job: 'report' | 'recommendations';
      input: ReportInput;
      format: ReportFormat;
      preview: boolean;
    }
  | {
      id: number;
      /** The handbook of one language as a PDF: public text, plain data. */
      job: 'handbook';
      book: Handbook;
    };

/** A task before the pool numbers it. */
type NewTask = RenderTask extends infer T ? (T extends RenderTask ? Omit<T, 'id'> : never) : never;

/** What the worker answers. */
export type RenderReply =
  | { id: number; type: 'stage'; stage: ReportStage }
  | { id: number; type: 'done'; bytes: Uint8Array; preview: Uint8Array | null }
  | { id: number; type: 'drafts'; items: Recommendation[] }
  | { id: number; type: 'error'; name: string; message: string; stack: string };

export interface RenderPoolOptions {
  /** Worker threads at most (default 1). */
  size?: number;
  /** The worker script (default: render-worker.js beside this module, compiled). */
  workerUrl?: URL;
  /** A render that takes longer is stopped and fails (default 10 minutes). */
  timeoutMs?: number;
  /** An idle worker is stopped after this long, giving its memory back (default 60 s). */
  idleMs?: number;
  /** The worker's heap limit in MiB (default: Node's own limit). */
  maxMemoryMb?: number;
  /**
   * How much lower the worker runs than the server's own thread (a nice value, 0–19; default
   * 19): when the machine is busy, requests go first and the report takes longer.
   */
  nice?: number;
}

/**
 * The render worker's default nice value, the lowest: on a busy core it gets a few per cent,
 * on an idle one all of it.
 */
export const RENDER_NICE = 19;

export const RENDER_TIMEOUT_MS = 10 * 60_000;
const IDLE_MS = 60_000;

/**
 * The compiled worker. From the TypeScript sources (the tests run them), this module's folder
 * has render-worker.ts only, and a worker thread cannot load TypeScript: the build's copy is
 * used, which `npm test` makes first.
 */
export function defaultWorkerUrl(): URL {
  const beside = new URL('./render-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL('../../dist/reports/render-worker.js', import.meta.url);
}

/** Renders in this process: the command line, and the reference the pool is compared with. */
export function inProcessRenderer(): ReportRenderer {
  return {
    make: (input, format, options) => makeReport(input, format, options),
    recommendations: async (input) =>
      input.kind === 'openness' ? draftPaperRecommendations(input) : draftRecommendations(input),
    handbook: (book) => renderHandbookPdf(book),
    close: async () => undefined,
  };
}

interface Pending {
  task: RenderTask;
  stage: ((stage: ReportStage) => void) | undefined;
  resolve: (result: MadeReport | Recommendation[]) => void;
  reject: (error: RenderFailure) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  task: Pending | null;
  idle?: NodeJS.Timeout;
  /** Why this process ended the worker, when it did. */
  ending?: 'timeout' | 'idle' | 'stopped';
  error?: Error;
}

/**
 * A small pool of worker threads, each rendering one report at a time; tasks wait in order.
 * A worker that throws, dies or runs out of memory or time fails its task and is replaced by a
 * new one for the next; the server's own thread is untouched. Workers start on the first task
 * and stop after a minute idle, and never keep the process alive while idle.
 */
export function renderPool(options: RenderPoolOptions = {}): ReportRenderer & { workers(): number } {
  const size = Math.max(1, options.size ?? 1);
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const timeoutMs = options.timeoutMs ?? RENDER_TIMEOUT_MS;
  const idleMs = options.idleMs ?? IDLE_MS;
  const queue: Pending[] = [];
  const slots = new Set<Slot>();
  let nextId = 1;
  let closed = false;
  /**
   * A thread takes the priority of the thread that starts it, and libuv starts its thread pool
   * (files, crypto, DNS) on first use — by whichever thread uses it first. Using it here first,
   * before any worker runs, keeps that pool at the server's own priority.
   */
  let ready: Promise<void> | undefined;

  function failureOf(slot: Slot, code: number): RenderFailure {
    if (slot.ending === 'timeout')
      return new RenderFailure('timeout', `the render took longer than ${Math.round(timeoutMs / 1000)} s`, {
        limitMs: timeoutMs,
      });
    if (slot.ending === 'stopped' || slot.ending === 'idle')
      return new RenderFailure('stopped', 'the render was stopped: the server is stopping');
    const e = slot.error as (Error & { code?: string }) | undefined;
    if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY')
      return new RenderFailure('memory', 'the render worker ran out of memory', { cause: e });
    return new RenderFailure(
      'crash',
      `the render worker stopped (exit code ${code})${e ? `: ${e.name}: ${e.message}` : ''}`,
      e ? { cause: e } : undefined,
    );
  }

  function spawn(): Slot {
    const worker = new Worker(workerUrl, {
      workerData: { nice: options.nice ?? RENDER_NICE },
      ...(options.maxMemoryMb !== undefined && { resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb } }),
    });
    const slot: Slot = { worker, task: null };
    worker.on('message', (m: RenderReply) => {
      const p = slot.task;
      if (!p || m.id !== p.task.id) return;
      if (m.type === 'stage') {
        p.stage?.(m.stage);
        return;
      }
      release(slot);
      if (m.type === 'done') p.resolve({ bytes: m.bytes, preview: m.preview });
      else if (m.type === 'drafts') p.resolve(m.items);
      else {
        const cause = Object.assign(new Error(m.message), { name: m.name, stack: m.stack });
        p.reject(new RenderFailure('error', `the render failed: ${m.name}: ${m.message}`, { cause }));
      }
      pump();
    });
    // An uncaught error ends the worker: 'exit' follows and fails the task.
    worker.on('error', (e) => {
      slot.error = e;
    });
    worker.on('exit', (code) => {
      slots.delete(slot);
      clearTimeout(slot.idle);
      const p = slot.task;
      slot.task = null;
      if (p) {
        clearTimeout(p.timer);
        p.reject(failureOf(slot, code));
      }
      pump();
    });
    slots.add(slot);
    return slot;
  }

  /** The slot's task is over: the worker waits for the next, without keeping the process alive. */
  function release(slot: Slot): void {
    const p = slot.task;
    if (p) clearTimeout(p.timer);
    slot.task = null;
    slot.worker.unref();
    slot.idle = setTimeout(() => {
      slot.ending = 'idle';
      void slot.worker.terminate();
    }, idleMs);
    slot.idle.unref();
  }

  /** Queues a task for the next free worker. */
  async function run(task: NewTask, stage?: (stage: ReportStage) => void) {
    if (closed) throw new RenderFailure('stopped', 'the renderer is stopped');
    await (ready ??= access(fileURLToPath(workerUrl)).catch(() => undefined));
    if (closed) throw new RenderFailure('stopped', 'the renderer is stopped');
    return new Promise<MadeReport | Recommendation[]>((resolve, reject) => {
      queue.push({ task: { id: nextId++, ...task } as RenderTask, stage, resolve, reject });
      pump();
    });
  }

  function pump(): void {
    while (!closed && queue.length > 0) {
      let slot = [...slots].find((s) => s.task === null && s.ending === undefined);
      if (!slot) {
        if (slots.size >= size) return;
        slot = spawn();
      }
      const p = queue.shift()!;
      clearTimeout(slot.idle);
      slot.task = p;
      slot.worker.ref();
      const running = slot;
      p.timer = setTimeout(() => {
        running.ending = 'timeout';
        void running.worker.terminate();
      }, timeoutMs);
      try {
        slot.worker.postMessage(p.task);
      } catch (error) {
        // Something in the input that cannot be sent to another thread: a bug, said plainly.
        release(slot);
        p.reject(
          new RenderFailure('error', `the report's data could not be sent to the render worker`, { cause: error }),
        );
      }
    }
  }

  return {
    async make(input, format, opts = {}) {
      return (await run({ job: 'report', input, format, preview: opts.preview ?? false }, opts.stage)) as MadeReport;
    },
    async recommendations(input) {
      return (await run({ job: 'recommendations', input, format: 'html', preview: false })) as Recommendation[];
    },
    async handbook(book) {
      return ((await run({ job: 'handbook', book })) as MadeReport).bytes;
    },
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new RenderFailure('stopped', 'the renderer is stopped'));
      await Promise.all(
        [...slots].map((s) => {
          s.ending ??= 'stopped';
          return s.worker.terminate();
        }),
      );
    },
    workers: () => slots.size,
  };
}
