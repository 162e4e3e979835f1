import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * The openness index (issue 18, decision 0015). An index is a programme whose pinned framework
 * measures institutions; its institutions are organisations of the programme (each with its data
 * key), its waves are rounds, its researchers are assessors.
 *
 * - `institutions`: what an index records about an institution beyond its organisation row
 *   (name and country): its type and level. One row per organisation that is an institution.
 * - `openness_answers`: per wave, institution and indicator, the researcher's answer and its
 *   evidence, sealed under the institution's data key until published (answer, URL, checked date,
 *   notes, interview notes); the source kind and who recorded and validated it in clear.
 * - `openness_archives`: archived copies (PDF or screenshot) of an answer's evidence, the file
 *   sealed in the evidence store; never deleted while a published version names it.
 * - `openness_links`: one-time links for an institution's contact to answer the questionnaire
 *   indicators of one wave without an account (SHA-256 of the token only).
 * - `openness_publications`: each published version of a wave, frozen as the public reads it.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  const s = db.schema;
  await s
    .createTable('institutions')
    .addColumn('organisation_id', 'text', (c) => c.primaryKey().references('organisations.id').onDelete('cascade'))
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('institutions_programme').on('institutions').column('programme_id').execute();

  await s
    .createTable('openness_answers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('content_sealed', binary, (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_via', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('validated_by', 'text')
    .addColumn('validated_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('openness_answers_place', ['round_id', 'organisation_id', 'question_id'])
    .execute();

  await s
    .createTable('openness_archives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('answer_id', 'text', (c) => c.notNull().references('openness_answers.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('name_sealed', binary, (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('openness_archives_answer').on('openness_archives').column('answer_id').execute();

  await s
    .createTable('openness_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();

  await s
    .createTable('openness_publications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('openness_publications_round_version')
    .on('openness_publications')
    .columns(['round_id', 'version'])
    .unique()
    .execute();
}
