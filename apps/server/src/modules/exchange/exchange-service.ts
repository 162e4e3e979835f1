import { collectAnswers, csvLine, parseAnswersCsv, type AnswerRecord, type Problem } from '@kalaja/engine';
import { AppError, notFound } from '../../errors.js';
import { transaction, type Context } from '../../context.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AssessmentService, Layer } from '../assessments/assessment-service.js';
import { answerPlaintext } from '../assessments/answer-sealing.js';
import { appendAudit } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';

const detail = (p: Problem) => ({ where: p.line !== undefined ? `line ${p.line}` : 'file', message: p.message });

/**
 * The answers exchange CSV in and out of a round. An import is all or nothing: every line is
 * checked by the engine against the programme's framework, every organisation must take part,
 * every row must name this round — and only then is anything written, in one transaction.
 */
export function exchangeService(ctx: Context, frameworks: FrameworkService, assessments: AssessmentService) {
  async function roundOf(programmeId: string, roundId: string) {
    const round = await ctx.db
      .selectFrom('rounds')
      .selectAll()
      .where('id', '=', roundId)
      .where('programme_id', '=', programmeId)
      .executeTakeFirst();
    if (!round) throw notFound('that round');
    const programme = await ctx.db
      .selectFrom('programmes')
      .select('framework_id')
      .where('id', '=', programmeId)
      .executeTakeFirstOrThrow();
    return { round, fw: await frameworks.load(programme.framework_id) };
  }

  return {
    async importAnswers(
      actor: Actor,
      programmeId: string,
      roundId: string,
      csv: string,
      layer: Layer = 'own',
      file = 'answers.csv',
    ): Promise<{ organisations: number; answers: number }> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const { round, fw } = await roundOf(programmeId, roundId);
      const parsed = parseAnswersCsv(csv, file);
      const checked = collectAnswers(fw, parsed.records, file);
      const problems: Problem[] = [...parsed.problems, ...checked.problems];
      const targets = await ctx.db
        .selectFrom('assessments')
        .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
        .select(['assessments.id', 'assessments.status', 'organisations.id as organisationId', 'organisations.name'])
        .where('assessments.round_id', '=', roundId)
        .execute();
      const byName = new Map(targets.map((t) => [t.name, t]));
      for (const r of parsed.records) {
        if (r.round !== round.name)
          problems.push({ file, line: r.line!, message: `round "${r.round}" is not this round ("${round.name}")` });
        if (!byName.has(r.organisation))
          problems.push({
            file,
            line: r.line!,
            message: `organisation "${r.organisation}" does not take part in this programme`,
          });
      }
      for (const name of new Set(parsed.records.map((r) => r.organisation))) {
        const t = byName.get(name);
        if (t && (t.status === 'validated' || (layer === 'own' && t.status !== 'draft'))) {
          problems.push({
            file,
            message: `the assessment of "${name}" is ${t.status}; its ${layer === 'own' ? 'own' : 'validated'} answers can no longer be replaced`,
          });
        }
      }
      if (problems.length > 0) {
        problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
        throw new AppError(
          'invalid_answers',
          `The file has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported.`,
          problems.slice(0, 1000).map(detail),
        );
      }
      // Seal everything before the transaction: it then only writes.
      const rows = await Promise.all(
        parsed.records.map(async (r: AnswerRecord) => {
          const t = byName.get(r.organisation)!;
          const empty = r.answer === '' && !r.note;
          const sealed = empty
            ? null
            : await ctx.vault.sealFor(
                t.organisationId,
                `answers.${layer}`,
                `${t.id}/${r.question}`,
                answerPlaintext(r.answer === '' ? null : r.answer, r.note ?? ''),
              );
          return { assessment: t.id, organisationId: t.organisationId, question: r.question, sealed };
        }),
      );
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        for (const row of rows) {
          const values =
            layer === 'own'
              ? { own_sealed: row.sealed, own_by: actor.userId, own_at: now }
              : { validated_sealed: row.sealed, validated_by: actor.userId, validated_at: now };
          await tx
            .insertInto('answers')
            .values({
              assessment_id: row.assessment,
              question_id: row.question,
              own_sealed: null,
              own_by: null,
              own_at: null,
              validated_sealed: null,
              validated_by: null,
              validated_at: null,
              ...values,
              version: 1,
            })
            .onConflict((oc) =>
              oc
                .columns(['assessment_id', 'question_id'])
                .doUpdateSet((eb) => ({ ...values, version: eb('answers.version', '+', 1) })),
            )
            .execute();
        }
        for (const [assessment, organisationId] of new Map(rows.map((r) => [r.assessment, r.organisationId]))) {
          await appendAudit(
            tx,
            ctx.dialect,
            actor,
            { action: `answers.${layer}.import`, objectType: 'assessment', objectId: assessment, organisationId },
            now,
          );
        }
      });
      return { organisations: new Set(rows.map((r) => r.assessment)).size, answers: rows.length };
    },

    /** The round's answers that count, as the exchange CSV (formula-like cells neutralised). */
    async exportRound(actor: Actor, programmeId: string, roundId: string): Promise<string> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const { round } = await roundOf(programmeId, roundId);
      const targets = await ctx.db
        .selectFrom('assessments')
        .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
        .select(['assessments.id', 'organisations.name'])
        .where('assessments.round_id', '=', roundId)
        .orderBy('organisations.name')
        .execute();
      const lines = [csvLine(['organisation', 'round', 'question', 'answer', 'note'])];
      for (const t of targets) {
        const view = await assessments.get(actor, t.id);
        for (const a of view.answers) {
          const layer = a.validated ?? a.own;
          if (!layer) continue;
          lines.push(csvLine([t.name, round.name, a.question, layer.answer ?? '', layer.note], true));
        }
      }
      await transaction(ctx, (tx) =>
        appendAudit(
          tx,
          ctx.dialect,
          actor,
          { action: 'answers.export', objectType: 'round', objectId: roundId, organisationId: null },
          ctx.now(),
        ),
      );
      return `${lines.join('\r\n')}\r\n`;
    },
  };
}

export type ExchangeService = ReturnType<typeof exchangeService>;
