import {
  checkSurveyValue,
  indexFramework,
  pickText,
  textFor,
  type Framework,
  type SurveyAnswers,
  type SurveyTally,
  type SurveyValue,
} from '@kalaja/engine';
import type { z } from 'zod';
import type {
  programmeSurvey,
  programmeSurveyInput,
  surveyAnswersInput,
  surveyFormView,
  surveyResponseView,
  surveyTallyView,
} from '@kalaja/contracts';
import { transaction, type Context } from '../../context.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { AppError, invalid, notFound, type ErrorDetail } from '../../errors.js';
import { newId } from '../../ids.js';
import { PAD_TO } from '../assessments/answer-sealing.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { FrameworkStore } from '../frameworks/framework-store.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { RoundService } from '../programmes/round-service.js';
import type { SurveyStore } from './survey-store.js';

export type ProgrammeSurveyView = z.infer<typeof programmeSurvey>;
export type ProgrammeSurveyInput = z.infer<typeof programmeSurveyInput>;
export type SurveyAnswersInput = z.infer<typeof surveyAnswersInput>;
export type SurveyFormView = z.infer<typeof surveyFormView>;
export type SurveyResponseView = z.infer<typeof surveyResponseView>;
export type SurveyTallyView = z.infer<typeof surveyTallyView>;

/** The associated data's fields: a response opens only in its own row (and version). */
const CONTENT = 'survey_responses.content';
const VERSION = 'survey_response_versions.content';
const iso = (ms: number) => new Date(ms).toISOString();

/** Sealed as one JSON value, padded like answers so that its size tells little. */
function padded(value: unknown): string {
  const body = (p: string) => JSON.stringify({ v: value, p });
  const length = Buffer.byteLength(body(''), 'utf8');
  return body(' '.repeat(Math.ceil(length / PAD_TO) * PAD_TO - length));
}

const stale = () =>
  new AppError(
    'precondition_failed',
    'These survey answers were changed by someone else meanwhile. Reload to see the latest, then make your change again.',
  );

/** The survey's questions in one language, as the questionnaire renders them. */
export function surveyForm(frameworkId: string, fw: Framework, lang: string): SurveyFormView {
  return {
    frameworkId,
    key: fw.id,
    version: fw.version,
    title: textFor(fw.title, lang),
    description: fw.description ? pickText(fw.description, lang).text : null,
    domains: fw.domains
      .filter((d) => (d.survey ?? []).length > 0)
      .map((d) => ({
        id: d.id,
        title: textFor(d.title, lang),
        description: d.description ? pickText(d.description, lang).text : null,
        questions: (d.survey ?? []).map((q) => ({
          id: q.id,
          type: q.type,
          text: textFor(q.text, lang),
          guidance: q.guidance ? pickText(q.guidance, lang).text : null,
          options: q.options.map((o) => ({ id: o.id, label: textFor(o.label, lang), unknown: o.unknown })),
          min: q.min ?? null,
          max: q.max ?? null,
          integer: q.integer,
          unit: q.unit ? textFor(q.unit, lang) : null,
          maxLength: q.maxLength ?? null,
        })),
      })),
  };
}

/** The engine's tally with the survey's words in the reader's language. */
export function surveyTallyWords(tally: SurveyTally, fw: Framework, lang: string): SurveyTallyView {
  const index = indexFramework(fw);
  return {
    ...tally,
    title: textFor(fw.title, lang),
    questions: tally.questions.map((q) => {
      const question = index.survey.get(q.id)?.question;
      return {
        ...q,
        text: question ? textFor(question.text, lang) : q.id,
        unit: question?.unit ? textFor(question.unit, lang) : null,
        options: q.options.map((o) => {
          const option = question?.options.find((x) => x.id === o.id);
          return { ...o, label: option ? textFor(option.label, lang) : o.id };
        }),
      };
    }),
  };
}

/**
 * Surveys beside the assessment (docs/contracts.md §2 and §10; decision 0013; issue 17).
 *
 * A programme's managers choose the survey it runs (a framework of unscored questions). Each
 * organisation's admins and members answer it once per open round; nobody else reads one
 * organisation's answers, managers included: they see them aggregated in the threat
 * landscape, the texts without the organisation that wrote them. Answers are sealed under the
 * organisation's key as one value; each save is a new version (If-Match; 412 when stale) kept
 * in the history, written with its audit row in one transaction.
 */
export function surveyService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    surveys: SurveyStore;
    programmes: Pick<ProgrammeStore, 'byId' | 'takesPart' | 'round' | 'rounds'>;
    frameworks: Pick<FrameworkService, 'load'>;
    frameworkStore: Pick<FrameworkStore, 'ids'>;
    audit: Pick<AuditStore, 'append'>;
    rounds: Pick<RoundService, 'requireOpen'>;
  },
) {
  const { surveys } = deps;
  const isSystem = (a: Actor) => a.userId === 'system';
  const actorId = (a: Actor) => (isSystem(a) ? null : a.userId);

  const seal = (organisationId: string, id: string, version: number, answers: Record<string, SurveyValue>) =>
    Promise.all([
      ctx.vault.sealFor(organisationId, CONTENT, id, padded(answers)),
      ctx.vault.sealFor(organisationId, VERSION, `${id}#${version}`, padded(answers)),
    ]);
  const open = async (organisationId: string, id: string, sealed: Uint8Array) =>
    (
      JSON.parse(await openedOrGone(ctx.vault.openTextFor(organisationId, CONTENT, id, sealed))) as {
        v: Record<string, SurveyValue>;
      }
    ).v;

  /** The programme's survey framework, or undefined when it runs none. */
  async function surveyOf(programmeId: string) {
    const row = await surveys.ofProgramme(programmeId);
    return row ? { frameworkId: row.framework_id, fw: await deps.frameworks.load(row.framework_id) } : undefined;
  }

  /** The round and the survey of an organisation's answers, for someone of the organisation. */
  async function scoped(actor: Actor, programmeId: string, roundId: string, organisationId: string) {
    const may = policy.memberOf(actor, organisationId) || isSystem(actor);
    denyAsMissing(may && (await deps.programmes.takesPart(programmeId, [organisationId])), 'that survey');
    const round = await deps.programmes.round(programmeId, { id: roundId });
    if (!round) throw notFound('that round');
    const survey = await surveyOf(programmeId);
    if (!survey) throw notFound('a survey of this programme');
    return { round, survey };
  }

  /** Each answer checked against its question; a 400 naming every field that is wrong. */
  function check(fw: Framework, input: SurveyAnswersInput['answers']): Record<string, SurveyValue> {
    const index = indexFramework(fw);
    const details: ErrorDetail[] = [];
    const out: Record<string, SurveyValue> = {};
    for (const [id, value] of Object.entries(input)) {
      const entry = index.survey.get(id);
      if (!entry) {
        details.push({ where: `answers.${id}`, message: `"${id}" is not a question of this survey` });
        continue;
      }
      const r = checkSurveyValue(entry.question, value);
      if (!r.ok) details.push({ where: `answers.${id}`, message: r.message });
      else if (r.value !== null) out[id] = r.value;
    }
    if (details.length > 0) throw invalid('Some of the survey answers are not valid; nothing was saved.', details);
    return out;
  }

  return {
    /** Chooses the survey the programme runs (the newest imported version of a framework key), or none. */
    async setSurvey(actor: Actor, programmeId: string, input: ProgrammeSurveyInput): Promise<ProgrammeSurveyView> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      if (!(await deps.programmes.byId(programmeId))) throw notFound('that programme');
      let chosen: { id: string; fw: Framework } | undefined;
      if (input.survey !== null) {
        const candidates = await Promise.all(
          (await deps.frameworkStore.ids()).map(async (id) => ({ id, fw: await deps.frameworks.load(id) })),
        );
        chosen = candidates
          .filter((c) => c.fw.id === input.survey)
          .sort((a, b) => b.fw.version.localeCompare(a.fw.version, 'en', { numeric: true }))[0];
        if (!chosen || indexFramework(chosen.fw).survey.size === 0)
          throw invalid('There is no survey by that name.', [
            { where: 'survey', message: `"${input.survey}" is not an imported framework with survey questions` },
          ]);
      }
      const at = ctx.now();
      await transaction(ctx, async (tx) => {
        await surveys.setSurvey({ programmeId, frameworkId: chosen?.id ?? null, by: actorId(actor), at }, tx);
        await deps.audit.append(
          actor,
          { action: 'survey.set', objectType: 'programme', objectId: programmeId, organisationId: null },
          at,
          tx,
        );
      });
      return this.programmeSurvey(actor, programmeId);
    },

    /** Which survey the programme runs: anyone of the programme may know. */
    async programmeSurvey(actor: Actor, programmeId: string): Promise<ProgrammeSurveyView> {
      denyAsMissing(policy.seeProgramme(actor, programmeId) || isSystem(actor), 'that programme');
      const survey = await surveyOf(programmeId);
      return {
        programmeId,
        survey: survey
          ? {
              frameworkId: survey.frameworkId,
              key: survey.fw.id,
              version: survey.fw.version,
              title: textFor(survey.fw.title),
            }
          : null,
      };
    },

    /** The survey form and the organisation's answers in this round. */
    async response(
      actor: Actor,
      programmeId: string,
      roundId: string,
      organisationId: string,
      lang = 'en',
    ): Promise<SurveyResponseView> {
      const { round, survey } = await scoped(actor, programmeId, roundId, organisationId);
      const row = await surveys.response(round.id, organisationId);
      return {
        programmeId,
        roundId: round.id,
        organisationId,
        survey: surveyForm(survey.frameworkId, survey.fw, lang),
        answers: row ? ((await open(organisationId, row.id, row.content_sealed)) as SurveyResponseView['answers']) : {},
        version: row?.version ?? 0,
        updatedAt: row ? iso(Number(row.updated_at)) : null,
        canAnswer: round.closed_at === null,
      };
    },

    /**
     * Saves every answer of the organisation's survey in this round at once (what is absent is
     * unanswered), if the answers are still at the version the writer saw.
     */
    async save(
      actor: Actor,
      programmeId: string,
      roundId: string,
      organisationId: string,
      input: SurveyAnswersInput,
      expected: number | undefined,
      lang = 'en',
    ): Promise<SurveyResponseView> {
      const { round, survey } = await scoped(actor, programmeId, roundId, organisationId);
      await deps.rounds.requireOpen(round);
      const answers = check(survey.fw, input.answers);
      const row = await surveys.response(round.id, organisationId);
      if (expected !== undefined && (row?.version ?? 0) !== expected) throw stale();
      const id = row?.id ?? newId();
      const version = (row?.version ?? 0) + 1;
      const [sealed, versionSealed] = await seal(organisationId, id, version, answers);
      const at = ctx.now();
      await transaction(ctx, async (tx) => {
        if (!row) {
          await surveys.insert(
            {
              id,
              programmeId,
              roundId: round.id,
              organisationId,
              frameworkId: survey.frameworkId,
              sealed,
              versionSealed,
              by: actorId(actor),
              at,
            },
            tx,
          );
        } else {
          const v = await surveys.update(
            row.id,
            row.version,
            { frameworkId: survey.frameworkId, sealed, versionSealed, by: actorId(actor), at },
            tx,
          );
          if (v === undefined) throw stale();
        }
        await deps.audit.append(
          actor,
          { action: 'survey.answer', objectType: 'survey_response', objectId: id, organisationId },
          at,
          tx,
        );
      });
      return this.response(actor, programmeId, round.id, organisationId, lang);
    },

    /**
     * What the threat landscape counts: the programme's survey and, for each organisation, its
     * answers in the latest round it answered. Opened here, never read in SQL; a crypto-shredded
     * organisation's answers no longer count. Undefined when the programme runs no survey.
     */
    async forLandscape(
      programmeId: string,
    ): Promise<{ framework: Framework; answers: { organisationId: string; answers: SurveyAnswers }[] } | undefined> {
      const survey = await surveyOf(programmeId);
      if (!survey) return undefined;
      const order = new Map((await deps.programmes.rounds(programmeId)).map((r, i) => [r.id, i]));
      const latest = new Map<string, (typeof rows)[number]>();
      const rows = (await surveys.responsesOf(programmeId)).filter((r) => r.framework_id === survey.frameworkId);
      for (const r of rows) {
        const seen = latest.get(r.organisation_id);
        if (!seen || (order.get(r.round_id) ?? -1) > (order.get(seen.round_id) ?? -1)) latest.set(r.organisation_id, r);
      }
      const answers: { organisationId: string; answers: SurveyAnswers }[] = [];
      for (const r of latest.values()) {
        try {
          const v = await open(r.organisation_id, r.id, r.content_sealed);
          answers.push({ organisationId: r.organisation_id, answers: new Map(Object.entries(v)) });
        } catch (error) {
          if (error instanceof AppError && error.code === 'gone') continue;
          throw error;
        }
      }
      return { framework: survey.fw, answers };
    },

    /** The survey framework a frozen tally was counted on, to word it again. */
    async frameworkOf(programmeId: string): Promise<Framework | undefined> {
      return (await surveyOf(programmeId))?.fw;
    },
  };
}

export type SurveyService = ReturnType<typeof surveyService>;
