import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * The incident log (docs/contracts.md, "Incidents"; issue 17): what an organisation records of
 * the attacks, threats and near misses it met. Everything an incident says — its dates, its
 * taxonomy ids and its words — is sealed under the organisation's data key in `content_sealed`;
 * in clear are only the ids that find it and when it was recorded. The threat landscape counts
 * after opening, in the service. Each edit keeps the version before in `incident_versions`
 * (sealed the same way), an organisation's consent to its assessors in `incident_consents`, and
 * the k-anonymous landscape frozen with each publication of the results in `threat_publications`.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  const s = db.schema;

  await s
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('content_sealed', binary, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('incidents_organisation').on('incidents').columns(['programme_id', 'organisation_id']).execute();

  await s
    .createTable('incident_versions')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('content_sealed', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_versions_pk', ['incident_id', 'version'])
    .execute();

  // The landscape observers see: k-anonymous, frozen with each publication of the results.
  await s
    .createTable('threat_publications')
    .addColumn('publication_id', 'text', (c) => c.primaryKey().references('publications.id').onDelete('cascade'))
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('landscape', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .createTable('incident_consents')
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('assessor', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_consents_pk', ['programme_id', 'organisation_id'])
    .execute();
}
