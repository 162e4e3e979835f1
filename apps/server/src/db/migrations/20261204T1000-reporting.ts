import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * The secure reporting channel (issue 17, part 5; docs/contracts.md §17). A report has a data key
 * of its own, wrapped under the team's key (itself wrapped under the instance key, kept in the
 * `instance` settings); deleting the report's row deletes its key, which crypto-shreds its texts
 * and files. Everything a reporter or the team wrote is sealed; in clear are only the status,
 * the hour it arrived, and a keyed hash of the receipt code. No address, no browser, no account.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  const s = db.schema;

  await s
    .createTable('incident_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // HMAC of the receipt code under a key derived from the instance key: looked up, never reversed.
    .addColumn('receipt_mac', 'text', (c) => c.notNull().unique())
    // The report's own data key, sealed under the team key, bound to this row.
    .addColumn('wrapped_key', binary, (c) => c.notNull())
    // What, when, where, category, contact preference and detail, as sealed JSON.
    .addColumn('body_sealed', binary, (c) => c.notNull())
    // The team's taxonomy tags, sealed JSON; null until tagged.
    .addColumn('tags_sealed', binary)
    .addColumn('status', 'text', (c) => c.notNull())
    // Rounded down to the hour: enough to sort and keep, less to match against traffic elsewhere.
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .execute();
  await s.createIndex('incident_reports_status').on('incident_reports').columns(['status', 'closed_at']).execute();

  await s
    .createTable('incident_report_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('incident_reports.id').onDelete('cascade'))
    // reporter | team; who in the team is in the audit log, not here.
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('body_sealed', binary, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('incident_report_messages_report').on('incident_report_messages').column('report_id').execute();

  await s
    .createTable('incident_report_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('incident_reports.id').onDelete('cascade'))
    // The message it came with; null for the files sent with the report itself.
    .addColumn('message_id', 'text')
    .addColumn('name_sealed', binary, (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('stripped', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('incident_report_files_report').on('incident_report_files').column('report_id').execute();

  // Who receives reports besides the instance admins: granted by an admin.
  await s
    .createTable('report_receivers')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .execute();
}
