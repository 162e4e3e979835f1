import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Surveys beside the assessment (docs/contracts.md §2 and §10; decision 0013; issue 17): the
 * survey framework a programme runs (`programme_surveys`, at most one), and each organisation's
 * answers to it in each round (`survey_responses`), sealed as one value under the
 * organisation's data key, versioned like an incident, every version kept in
 * `survey_response_versions`. In clear are only the ids that find a response and when it was
 * written; the threat landscape counts after opening, in the service.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  const s = db.schema;

  await s
    .createTable('programme_surveys')
    .addColumn('programme_id', 'text', (c) => c.primaryKey().references('programmes.id').onDelete('cascade'))
    .addColumn('framework_id', 'text', (c) => c.notNull().references('frameworks.id'))
    .addColumn('set_by', 'text')
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .createTable('survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('framework_id', 'text', (c) => c.notNull().references('frameworks.id'))
    .addColumn('content_sealed', binary, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('survey_responses_round_organisation', ['round_id', 'organisation_id'])
    .execute();
  await s.createIndex('survey_responses_programme').on('survey_responses').column('programme_id').execute();

  await s
    .createTable('survey_response_versions')
    .addColumn('response_id', 'text', (c) => c.notNull().references('survey_responses.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('content_sealed', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('survey_response_versions_pk', ['response_id', 'version'])
    .execute();
}
