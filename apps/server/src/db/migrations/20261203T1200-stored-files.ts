import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Sealed files kept in the database (evidence, reports): on PostgreSQL every server process
 * reads and writes them alike, so that no process keeps state on its own disk. SQLite keeps its
 * files in the data directory beside the database file, as before; the table exists there too
 * but stays empty.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('stored_files')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('body', binary, (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stored_files_pk', ['bucket', 'id'])
    .execute();
}
