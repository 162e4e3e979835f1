import type { Db, Executor } from '../../db/database.js';
import type { ReportRow } from './report-types.js';

/**
 * Reports asked for in the app (`reports`): what was asked, the job's status and progress,
 * and how it ended. The sealed files themselves live in `<dataDir>/reports`, never here.
 */
export function reportStore(db: Db) {
  /** Reports with the name of the organisation an organisation report is about. */
  const named = (tx: Executor) =>
    tx
      .selectFrom('reports')
      .leftJoin('organisations', 'organisations.id', 'reports.organisation_id')
      .selectAll('reports')
      .select('organisations.name as organisation_name');

  return {
    async byId(id: string, tx: Executor = db) {
      return tx.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async withName(id: string, tx: Executor = db) {
      return named(tx).where('reports.id', '=', id).executeTakeFirst();
    },

    /** The programme's reports, newest first, at most 200. */
    async ofProgramme(programmeId: string, tx: Executor = db) {
      return named(tx)
        .where('reports.programme_id', '=', programmeId)
        .orderBy('reports.created_at', 'desc')
        .orderBy('reports.id')
        .limit(200)
        .execute();
    },

    async insert(row: ReportRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('reports').values(row).execute();
    },

    /** Reports left queued or running (by a server that stopped), oldest first. */
    async unfinished(tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectFrom('reports')
        .select('id')
        .where('status', 'in', ['queued', 'running'])
        .orderBy('created_at')
        .execute();
      return rows.map((r) => r.id);
    },

    async markRunning(id: string, at: number, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('reports')
        .set({ status: 'running', started_at: at, progress: 5 })
        .where('id', '=', id)
        .execute();
    },

    /** Records a running job's progress; a job that has ended keeps its final figure. */
    async setProgress(id: string, percent: number, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('reports')
        .set({ progress: percent })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
    },

    async markDone(id: string, size: number, at: number, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('reports')
        .set({ status: 'done', progress: 100, size, error: null, finished_at: at })
        .where('id', '=', id)
        .execute();
    },

    /** Ends a job as failed, with the words its requester will read. */
    async markFailed(id: string, message: string, at: number, tx: Executor = db): Promise<void> {
      await tx
        .updateTable('reports')
        .set({ status: 'failed', error: message, finished_at: at })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type ReportStore = ReturnType<typeof reportStore>;
