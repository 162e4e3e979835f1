import type PgBoss from 'pg-boss';

/**
 * The queue report jobs run on. Two implementations behind one interface:
 *
 * - `inProcessJobs()` for SQLite: a small FIFO in this process that runs one job at a time.
 *   SQLite is one file on one machine, so there is one server process doing the work; jobs
 *   that were queued or running when it stopped are handed to it again at start (`resume`).
 * - `pgBossJobs()` for PostgreSQL: pg-boss 10 keeps the queue in the database (its own
 *   `pgboss` schema), so any of several server processes may take a job, and a job whose
 *   process died is retried once it expires. Each process works on one job at a time.
 *
 * The queue only carries report ids. What a job asked for, its status and its progress live in
 * the `reports` table, which is what the API reads: progress reported through the callback
 * goes there (see report-service.ts), whichever queue ran the job.
 */

/** Reports the share of the job done, 0..100; never goes back. */
export type Progress = (percent: number) => Promise<void>;

/** Runs one job. A job that fails in a way the user should hear about records that itself and resolves. */
export type JobHandler = (reportId: string, progress: Progress) => Promise<void>;

/** Where progress goes (the `reports` row). */
export type ProgressSink = (reportId: string, percent: number) => Promise<void>;

export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ReportJobs {
  readonly kind: 'in-process' | 'pg-boss';
  /**
   * Starts taking jobs. `unfinished` are the ids the database holds as queued or running: the
   * in-process queue runs them again; pg-boss still holds its own jobs and only starts.
   */
  start(handler: JobHandler, sink: ProgressSink, log: JobLog, unfinished: string[]): Promise<void>;
  enqueue(reportId: string): Promise<void>;
  /** Stops taking jobs and waits for the one running to end. */
  stop(): Promise<void>;
  /** Resolves once this process has nothing queued or running (tests; a tidy shutdown). */
  idle(): Promise<void>;
}

/** A progress callback that only moves forward, within 0..100, and writes only changes. */
function forwardOnly(reportId: string, sink: ProgressSink): Progress {
  let last = -1;
  return async (percent) => {
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    if (p <= last) return;
    last = p;
    await sink(reportId, p);
  };
}

/**
 * The in-process queue: jobs run one after the other, in the order they were queued, on this
 * process's event loop. A report is a few hundred milliseconds of rendering, so one at a time
 * keeps the server responsive for everyone else and bounds memory.
 */
export function inProcessJobs(): ReportJobs {
  const queue: string[] = [];
  const queued = new Set<string>();
  let handler: JobHandler | undefined;
  let sink: ProgressSink | undefined;
  let log: JobLog | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;
  let waiting: (() => void)[] = [];

  const settle = () => {
    if (running || queue.length > 0) return;
    const w = waiting;
    waiting = [];
    for (const resolve of w) resolve();
  };

  const pump = () => {
    if (running || stopped || !handler || !sink) return;
    const id = queue.shift();
    if (id === undefined) return settle();
    queued.delete(id);
    const h = handler;
    const s = sink;
    running = (async () => {
      try {
        await h(id, forwardOnly(id, s));
      } catch (error) {
        // The handler records failures it can explain; anything else is logged, and the
        // queue carries on with the next job.
        log?.error({ err: error, reportId: id }, 'report job failed');
      }
    })().finally(() => {
      running = null;
      // The next job starts on a later turn of the event loop, after pending requests.
      setImmediate(pump);
      settle();
    });
  };

  return {
    kind: 'in-process',
    async start(h, s, l, unfinished) {
      handler = h;
      sink = s;
      log = l;
      stopped = false;
      for (const id of unfinished) {
        if (queued.has(id)) continue;
        queue.push(id);
        queued.add(id);
      }
      pump();
    },
    async enqueue(reportId) {
      if (stopped) throw new Error('the report queue is stopped');
      if (!queued.has(reportId)) {
        queue.push(reportId);
        queued.add(reportId);
      }
      setImmediate(pump);
    },
    async stop() {
      stopped = true;
      await running;
    },
    idle() {
      if (!running && (queue.length === 0 || stopped)) return Promise.resolve();
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** pg-boss's queue name for report jobs. */
export const REPORT_QUEUE = 'kalaja-reports';

export interface PgBossOptions {
  connectionString: string;
  /** How often an idle worker looks for jobs queued by other processes (seconds, ≥ 0.5). */
  pollingIntervalSeconds?: number;
}

/**
 * The PostgreSQL queue on pg-boss 10. pg-boss is loaded and started only when this process
 * first needs it — when a report is requested here, or at start when the database holds
 * unfinished reports — so that servers and tests that never make a report do not create its
 * schema or poll. It has its own small connection pool.
 */
export function pgBossJobs(options: PgBossOptions): ReportJobs {
  type Boss = PgBoss;
  let boss: Boss | undefined;
  let starting: Promise<Boss> | undefined;
  let workerId: string | undefined;
  let handler: JobHandler | undefined;
  let sink: ProgressSink | undefined;
  let log: JobLog | undefined;
  let active = 0;
  let waiting: (() => void)[] = [];
  let stopped = false;

  const settle = () => {
    if (active > 0) return;
    const w = waiting;
    waiting = [];
    for (const resolve of w) resolve();
  };

  async function ensureStarted(): Promise<Boss> {
    if (boss) return boss;
    starting ??= (async () => {
      const { default: PgBoss } = await import('pg-boss');
      const b = new PgBoss({
        connectionString: options.connectionString,
        schema: 'pgboss',
        max: 3,
        application_name: 'kalaja-reports',
        // Cron scheduling is not used; maintenance (expiring and archiving jobs) is.
        schedule: false,
      });
      // pg-boss reports connection trouble as events; without a listener they would crash the process.
      b.on('error', (error) => log?.error({ err: error }, 'report queue (pg-boss) error'));
      await b.start();
      await b.createQueue(REPORT_QUEUE, {
        name: REPORT_QUEUE,
        // A job whose process died is taken again once it expires; a job that failed for a
        // reason the handler could not record (the database went away) is tried again.
        retryLimit: 2,
        retryDelay: 5,
        expireInSeconds: 15 * 60,
        retentionDays: 7,
      });
      workerId = await b.work<{ reportId: string }>(
        REPORT_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
        async ([job]) => {
          if (!job || !handler || !sink) return;
          active += 1;
          try {
            await handler(job.data.reportId, forwardOnly(job.data.reportId, sink));
          } finally {
            active -= 1;
            settle();
          }
        },
      );
      boss = b;
      return b;
    })();
    try {
      return await starting;
    } catch (error) {
      starting = undefined;
      throw error;
    }
  }

  return {
    kind: 'pg-boss',
    async start(h, s, l, unfinished) {
      handler = h;
      sink = s;
      log = l;
      stopped = false;
      // Jobs left by a process that stopped are in pg-boss's tables: start working on them.
      if (unfinished.length > 0) await ensureStarted();
    },
    async enqueue(reportId) {
      if (stopped) throw new Error('the report queue is stopped');
      const b = await ensureStarted();
      await b.send(REPORT_QUEUE, { reportId });
      // Wake this process's worker now rather than at its next poll.
      if (workerId) b.notifyWorker(workerId);
    },
    async stop() {
      stopped = true;
      const b = boss ?? (starting ? await starting.catch(() => undefined) : undefined);
      if (!b) return;
      boss = undefined;
      starting = undefined;
      await b.stop({ graceful: true, wait: true, timeout: 30_000, close: true });
    },
    idle() {
      if (active === 0) return Promise.resolve();
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}
