// The baseline of the `save` benchmark: a bare Fastify 5 route that saves one answer the way a
// minimal server would — one upsert of (assessment_id, question_id, a 60-byte blob, version) in
// better-sqlite3 with WAL and synchronous=FULL, like Kalaja's storage — and nothing else: no
// session, no permission check, no validation schema, no encryption, no audit row, no logging.
// Usage: node bench/bare-save-server.js DATA_DIR; prints "listening on PORT" when ready.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node bench/bare-save-server.js DATA_DIR\n');
  process.exit(2);
}
const db = new SQLite(join(dir, 'bare.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`create table if not exists answers (
  assessment_id text not null, question_id text not null, sealed blob, version integer not null,
  primary key (assessment_id, question_id))`);
const upsert = db.prepare(`insert into answers (assessment_id, question_id, sealed, version) values (?, ?, ?, 1)
  on conflict (assessment_id, question_id) do update set sealed = excluded.sealed, version = version + 1
  returning version`);

const app = Fastify({ logger: false });
app.put('/api/v1/assessments/:id/answers/:question', async (request) => {
  const { id, question } = request.params;
  const { answer, note } = request.body ?? {};
  if (typeof answer !== 'string' || typeof note !== 'string') throw new Error('bad body');
  const { version } = upsert.get(id, question, randomBytes(60));
  return { question, version };
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening on ${app.server.address().port}\n`);
const stop = async () => {
  await app.close();
  db.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
