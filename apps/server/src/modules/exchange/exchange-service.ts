import {
  clip,
  collectAnswers,
  csvLine,
  parseAnswersInput,
  type AnswerRecord,
  type Problem,
  type SheetRows,
} from '@kalaja/engine';
import { readSpreadsheet } from '@kalaja/engine/sheets';
import { AppError, notFound } from '../../errors.js';
import { transaction, type Context } from '../../context.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import { sealAnswer } from '../assessments/answer-sealing.js';
import type { AnswerStore } from '../assessments/answer-store.js';
import type { AssessmentService } from '../assessments/assessment-service.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import { closedTo, type Layer } from '../assessments/assessment-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { requireRecentSignIn } from '../auth/step-up.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';

const detail = (p: Problem) => ({ where: p.line !== undefined ? `line ${p.line}` : 'file', message: p.message });

/** Every problem of a file, in file order (at most 1000 are sent): nothing is imported. */
function invalid(problems: Problem[]): AppError {
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return new AppError(
    'invalid_answers',
    `The file has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported.`,
    problems.slice(0, 1000).map(detail),
  );
}

/**
 * The answers exchange CSV in and out of a round. An import is all or nothing: every line is
 * checked by the engine against the programme's framework, every organisation must take part,
 * every row must name this round — and only then is anything written, in one transaction.
 */
export function exchangeService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    programmes: Pick<ProgrammeStore, 'byId' | 'round'>;
    assessments: Pick<AssessmentStore, 'ofRound' | 'lockStatus' | 'markValidated'>;
    answers: Pick<AnswerStore, 'save'>;
    frameworks: Pick<FrameworkService, 'load'>;
    /** Reads each assessment as its own page would, permission check included. */
    assessmentService: Pick<AssessmentService, 'get'>;
    audit: Pick<AuditStore, 'append'>;
  },
) {
  async function roundOf(programmeId: string, roundId: string) {
    const [round, programme] = await Promise.all([
      deps.programmes.round(programmeId, { id: roundId }),
      deps.programmes.byId(programmeId),
    ]);
    if (!round || !programme) throw notFound('that round');
    return { round, fw: await deps.frameworks.load(programme.framework_id) };
  }

  return {
    async importAnswers(
      actor: Actor,
      programmeId: string,
      roundId: string,
      /**
       * The CSV text; the first sheet of a spreadsheet as rows (`readSpreadsheet`); or the bytes
       * of an .xlsx or .ods file, read here once the caller may import.
       */
      input: string | SheetRows | Uint8Array,
      layer: Layer = 'own',
      file = 'answers.csv',
    ): Promise<{ organisations: number; answers: number; validated: number }> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const { round, fw } = await roundOf(programmeId, roundId);
      let source: string | SheetRows;
      if (input instanceof Uint8Array) {
        const sheet = readSpreadsheet(input, file);
        if (!sheet.ok) throw invalid(sheet.problems);
        source = sheet.value;
      } else source = input;
      const parsed = parseAnswersInput(source, file);
      const checked = collectAnswers(fw, parsed.records, file);
      const problems: Problem[] = [...parsed.problems, ...checked.problems];
      const targets = await deps.assessments.ofRound(roundId);
      const byName = new Map(targets.map((t) => [t.name, t]));
      for (const r of parsed.records) {
        if (r.round !== round.name)
          problems.push({
            file,
            line: r.line!,
            message: `round "${clip(r.round)}" is not this round ("${round.name}")`,
          });
        if (!byName.has(r.organisation))
          problems.push({
            file,
            line: r.line!,
            message: `organisation "${clip(r.organisation)}" does not take part in this programme`,
          });
      }
      for (const name of new Set(parsed.records.map((r) => r.organisation))) {
        const t = byName.get(name);
        if (t && closedTo(layer, t.status)) {
          problems.push({
            file,
            message: `the assessment of "${clip(name)}" is ${t.status}; its ${layer === 'own' ? 'own' : 'validated'} answers can no longer be replaced`,
          });
        }
      }
      if (problems.length > 0) throw invalid(problems);
      // Seal everything before the transaction: it then only writes.
      const rows = await Promise.all(
        parsed.records.map(async (r: AnswerRecord) => {
          const t = byName.get(r.organisation)!;
          const sealed = await sealAnswer(
            ctx.vault,
            { organisationId: t.organisationId, assessmentId: t.id, questionId: r.question, layer },
            { answer: r.answer === '' ? null : r.answer, note: r.note ?? '' },
          );
          return { assessment: t.id, organisationId: t.organisationId, question: r.question, sealed };
        }),
      );
      const now = ctx.now();
      const covered = new Map(rows.map((r) => [r.assessment, r.organisationId]));
      await transaction(ctx, async (tx) => {
        for (const row of rows)
          await deps.answers.save(
            {
              assessmentId: row.assessment,
              questionId: row.question,
              layer,
              sealed: row.sealed,
              by: actor.userId,
              at: now,
            },
            undefined,
            tx,
          );
        // The statuses again, inside the transaction and locked (after the writes, as a single
        // save does): a submit or validation that committed since the check above wins.
        for (const id of covered.keys()) {
          const status = await deps.assessments.lockStatus(id, 'share', tx);
          if (closedTo(layer, status ?? ''))
            throw new AppError(
              'conflict',
              'An assessment in this file was submitted or validated meanwhile; nothing was imported.',
            );
        }
        for (const [assessment, organisationId] of covered) {
          await deps.audit.append(
            actor,
            { action: `answers.${layer}.import`, objectType: 'assessment', objectId: assessment, organisationId },
            now,
            tx,
          );
        }
        // The assessor's layer imported is the assessor's finished work: the assessments it
        // covers are validated, so their results are final, not "provisional" for ever.
        if (layer === 'validated') {
          await deps.assessments.markValidated([...covered.keys()], now, tx);
          for (const [assessment, organisationId] of covered)
            await deps.audit.append(
              actor,
              { action: 'assessment.validated', objectType: 'assessment', objectId: assessment, organisationId },
              now,
              tx,
            );
        }
      });
      return { organisations: covered.size, answers: rows.length, validated: layer === 'validated' ? covered.size : 0 };
    },

    /**
     * The round's answers that count, as the exchange CSV (formula-like cells neutralised). It
     * takes a whole round's answers out of Kalaja: it needs a recent sign-in.
     */
    async exportRound(actor: Actor, programmeId: string, roundId: string): Promise<string> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      const { round } = await roundOf(programmeId, roundId);
      requireRecentSignIn(actor, ctx.now());
      const targets = await deps.assessments.ofRound(roundId);
      const lines = [csvLine(['organisation', 'round', 'question', 'answer', 'note'])];
      for (const t of targets) {
        const view = await deps.assessmentService.get(actor, t.id);
        for (const a of view.answers) {
          const layer = a.validated ?? a.own;
          if (!layer) continue;
          lines.push(csvLine([t.name, round.name, a.question, layer.answer ?? '', layer.note], true));
        }
      }
      await transaction(ctx, (tx) =>
        deps.audit.append(
          actor,
          { action: 'answers.export', objectType: 'round', objectId: roundId, organisationId: null },
          ctx.now(),
          tx,
        ),
      );
      return `${lines.join('\r\n')}\r\n`;
    },
  };
}

export type ExchangeService = ReturnType<typeof exchangeService>;
