import type { Db, Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

export type ReportRow = DB['incident_reports'];
export type MessageRow = DB['incident_report_messages'];
export type FileRow = DB['incident_report_files'];

/** The reporting channel's SQL: reports, their messages and files, and the receivers. */
export function reportingStore(db: Db) {
  return {
    async insertReport(row: ReportRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('incident_reports').values(row).execute();
    },
    async insertMessage(row: MessageRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('incident_report_messages').values(row).execute();
    },
    async insertFile(row: FileRow, tx: Executor = db): Promise<void> {
      await tx.insertInto('incident_report_files').values(row).execute();
    },
    byReceipt: (mac: string, tx: Executor = db) =>
      tx.selectFrom('incident_reports').selectAll().where('receipt_mac', '=', mac).executeTakeFirst(),
    byId: (id: string, tx: Executor = db) =>
      tx.selectFrom('incident_reports').selectAll().where('id', '=', id).executeTakeFirst(),
    list: (tx: Executor = db) => tx.selectFrom('incident_reports').selectAll().orderBy('received_at', 'desc').execute(),
    messages: (reportIds: readonly string[], tx: Executor = db) =>
      reportIds.length === 0
        ? Promise.resolve([] as MessageRow[])
        : tx
            .selectFrom('incident_report_messages')
            .selectAll()
            .where('report_id', 'in', [...reportIds])
            .orderBy('at')
            .orderBy('id')
            .execute(),
    files: (reportId: string, tx: Executor = db) =>
      tx
        .selectFrom('incident_report_files')
        .selectAll()
        .where('report_id', '=', reportId)
        .orderBy('created_at')
        .execute(),
    file: (id: string, tx: Executor = db) =>
      tx.selectFrom('incident_report_files').selectAll().where('id', '=', id).executeTakeFirst(),
    async update(
      id: string,
      set: Partial<Pick<ReportRow, 'status' | 'tags_sealed' | 'updated_at' | 'closed_at'>>,
      tx: Executor = db,
    ): Promise<void> {
      await tx.updateTable('incident_reports').set(set).where('id', '=', id).execute();
    },
    /** Closed reports closed before `before`, oldest first. */
    expired: (before: number, tx: Executor = db) =>
      tx
        .selectFrom('incident_reports')
        .select('id')
        .where('status', '=', 'closed')
        .where('closed_at', '<', before)
        .orderBy('closed_at')
        .execute(),
    /** Deletes a report with its key, messages and file rows (the key's deletion crypto-shreds them). */
    async remove(id: string, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('incident_report_files').where('report_id', '=', id).execute();
      await tx.deleteFrom('incident_report_messages').where('report_id', '=', id).execute();
      await tx.deleteFrom('incident_reports').where('id', '=', id).execute();
    },
    receivers: (tx: Executor = db) =>
      tx
        .selectFrom('report_receivers')
        .innerJoin('users', 'users.id', 'report_receivers.user_id')
        .select(['users.id as userId', 'users.display_name as name', 'users.email as email'])
        .orderBy('users.display_name')
        .execute(),
    async isReceiver(userId: string, tx: Executor = db): Promise<boolean> {
      const row = await tx
        .selectFrom('report_receivers')
        .select('user_id')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async addReceiver(userId: string, by: string, at: number, tx: Executor = db): Promise<void> {
      await tx
        .insertInto('report_receivers')
        .values({ user_id: userId, granted_by: by, granted_at: at })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
    },
    async removeReceiver(userId: string, tx: Executor = db): Promise<boolean> {
      const r = await tx.deleteFrom('report_receivers').where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

export type ReportingStore = ReturnType<typeof reportingStore>;
