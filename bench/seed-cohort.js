// Seeds a large programme straight into a Kalaja instance's database, in this process: the
// programme and its organisations through the programme service (as Kalaja itself, so each
// organisation gets its data key, pseudonym and assessments as in the app), and every answer
// sealed under its organisation's key exactly as a save seals it, then written in bulk. Saving
// 400,000 answers one request at a time would take many minutes; what the benchmarks time
// (results, reports) reads the same rows either way. No account is created.
import { sql } from 'kysely';
import { systemActor } from '../apps/server/dist/modules/access/access-types.js';
import { sealAnswer } from '../apps/server/dist/modules/assessments/answer-sealing.js';
import { mulberry32 } from './lib.js';
import { frameworkQuestions } from './server-fixture.js';

const PROFILE = {
  kind: 'cso',
  sizeBand: '6-10',
  municipality: 'Prishtinë',
  country: 'XK',
  focus: 'benchmark',
  languages: ['sq'],
};

/**
 * A programme of `organisations` organisations with the given rounds, every question of the
 * default framework answered in the first `answered` rounds (a seeded mix of options, ~5% N/A
 * where allowed, ~10% with a note). Returns the programme id, its rounds and its assessments.
 */
export async function seedCohort(kalaja, { organisations, rounds = ['baseline'], answered = rounds.length, seed = 1 }) {
  const { db } = kalaja.database;
  const { programmes, frameworks } = kalaja.services;
  const system = systemActor('bench');
  await sql`pragma synchronous = off`.execute(db);
  try {
    const [framework] = await frameworks.list(system);
    const programme = await programmes.create(system, {
      name: `Regional cohort of ${organisations.toLocaleString('en')}`,
      frameworkId: framework.id,
      rounds: rounds.map((name) => ({ name })),
    });
    for (let i = 0; i < organisations; i++)
      await programmes.addOrganisation(system, programme.id, {
        ...PROFILE,
        name: `Organisation ${String(i).padStart(5, '0')}`,
        kind: i % 3 ? 'cso' : 'media',
      });
    const progress = await programmes.progress(system, programme.id);
    const questions = frameworkQuestions();
    const random = mulberry32(seed);
    const now = Date.now();
    const counted = new Set(programme.rounds.slice(0, answered).map((r) => r.id));
    const assessments = progress.filter((p) => counted.has(p.roundId));
    let written = 0;
    for (let i = 0; i < assessments.length; i += 50) {
      const batch = assessments.slice(i, i + 50);
      const rows = [];
      for (const a of batch) {
        const maturity = random();
        for (const q of questions) {
          const r = random();
          const level = Math.min(q.options.length - 1, Math.floor((maturity * 0.7 + r * 0.5) * q.options.length));
          const answer = q.na && r < 0.05 ? 'na' : q.options[level];
          const note = r > 0.9 ? 'Checked with the director.' : '';
          const place = {
            organisationId: a.organisationId,
            assessmentId: a.assessmentId,
            questionId: q.id,
            layer: 'own',
          };
          rows.push({
            assessment_id: a.assessmentId,
            question_id: q.id,
            own_sealed: await sealAnswer(kalaja.context.vault, place, { answer, note }),
            own_by: 'bench',
            own_at: now,
            validated_sealed: null,
            validated_by: null,
            validated_at: null,
            version: 1,
          });
        }
      }
      await db.transaction().execute(async (tx) => {
        for (let j = 0; j < rows.length; j += 400)
          await tx
            .insertInto('answers')
            .values(rows.slice(j, j + 400))
            .execute();
        await tx
          .updateTable('assessments')
          .set({ answers_version: 1 })
          .where(
            'id',
            'in',
            batch.map((a) => a.assessmentId),
          )
          .execute();
      });
      written += rows.length;
    }
    return { programmeId: programme.id, rounds: programme.rounds, assessments: progress, answers: written };
  } finally {
    await sql`pragma synchronous = full`.execute(db);
  }
}
