// The PostgreSQL baseline of the `save` benchmark: a bare Fastify 5 route that saves one answer
// the way a minimal server on PostgreSQL would — one upsert of (assessment_id, question_id, a
// 60-byte blob, version) through a `pg` pool of 10 connections, each save its own transaction
// (autocommit, default fsync and synchronous_commit) — and nothing else: no session, no
// permission check, no validation schema, no encryption, no audit row, no logging.
// Usage: node bench/bare-pg-save-server.js DATABASE_URL; prints "listening on PORT" when ready.
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node bench/bare-pg-save-server.js DATABASE_URL\n');
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: url, max: 10 });
await pool.query(`create table if not exists answers (
  assessment_id text not null, question_id text not null, sealed bytea, version integer not null,
  primary key (assessment_id, question_id))`);
const upsert = `insert into answers (assessment_id, question_id, sealed, version) values ($1, $2, $3, 1)
  on conflict (assessment_id, question_id) do update set sealed = excluded.sealed, version = answers.version + 1
  returning version`;

const app = Fastify({ logger: false });
app.put('/api/v1/assessments/:id/answers/:question', async (request) => {
  const { id, question } = request.params;
  const { answer, note } = request.body ?? {};
  if (typeof answer !== 'string' || typeof note !== 'string') throw new Error('bad body');
  const { rows } = await pool.query(upsert, [id, question, randomBytes(60)]);
  return { question, version: rows[0].version };
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening on ${app.server.address().port}\n`);
const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
