import { z } from 'zod';

/**
 * Surveys beside the assessment (docs/contracts.md §2 "Unscored questions" and §10; decision
 * 0013; issue 17). A programme may run one survey framework (questions of type single,
 * multiple, number or text, never scored); each organisation answers it once per round, in the
 * app's questionnaire. Its answers are sealed under the organisation's key as one value,
 * versioned (If-Match) and audited; the programme sees them only aggregated, in the threat
 * landscape.
 */

/** `PUT /programmes/:id/survey`: the survey (a framework key, its newest version) the programme runs, or null. */
export const programmeSurveyInput = z.strictObject({
  survey: z.string().trim().min(1).max(100).nullable(),
});

export const programmeSurvey = z.object({
  programmeId: z.string(),
  survey: z.object({ frameworkId: z.string(), key: z.string(), version: z.string(), title: z.string() }).nullable(),
});

/**
 * One answer as the app sends it: an option id (single), a list of option ids (multiple), a
 * number, a text, or null for unanswered. The server checks it against its question's type.
 */
export const surveyValue = z.union([
  z.string().max(4000),
  z.array(z.string().max(200)).max(100),
  z.number().finite(),
  z.null(),
]);

/** `PUT …/rounds/:round/organisations/:organisation/survey`: every answer at once (absent = unanswered). */
export const surveyAnswersInput = z.strictObject({
  answers: z.record(z.string().min(1).max(200), surveyValue),
});

const surveyOptionView = z.object({ id: z.string(), label: z.string(), unknown: z.boolean() });

export const surveyQuestionView = z.object({
  id: z.string(),
  type: z.enum(['single', 'multiple', 'number', 'text']),
  text: z.string(),
  guidance: z.string().nullable(),
  options: z.array(surveyOptionView),
  min: z.number().nullable(),
  max: z.number().nullable(),
  integer: z.boolean(),
  unit: z.string().nullable(),
  maxLength: z.number().int().nullable(),
});

/** The survey's questions in the reader's language, by domain: what the questionnaire renders. */
export const surveyFormView = z.object({
  frameworkId: z.string(),
  key: z.string(),
  version: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  domains: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string().nullable(),
      questions: z.array(surveyQuestionView),
    }),
  ),
});

/** `GET …/survey`: the form, the organisation's answers in this round, and whether the reader may change them. */
export const surveyResponseView = z.object({
  programmeId: z.string(),
  roundId: z.string(),
  organisationId: z.string(),
  survey: surveyFormView,
  answers: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.number()])),
  /** 0 before the first save. */
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  canAnswer: z.boolean(),
});

const surveyOptionRow = z.object({
  id: z.string(),
  label: z.string(),
  count: z.number().int().nullable(),
  share: z.number().nullable(),
  withheld: z.boolean(),
});

/** The survey's answers aggregated in the threat landscape (`surveyTally` in the engine, with the reader's words). */
export const surveyTallyView = z.object({
  framework: z.object({ id: z.string(), version: z.string() }),
  title: z.string(),
  audience: z.enum(['programme', 'observers']),
  k: z.number().int(),
  organisations: z.number().int(),
  questions: z.array(
    z.object({
      id: z.string(),
      domain: z.string(),
      type: z.enum(['single', 'multiple', 'number', 'text']),
      text: z.string(),
      unit: z.string().nullable(),
      respondents: z.number().int().nullable(),
      withheld: z.boolean(),
      options: z.array(surveyOptionRow),
      number: z.object({ n: z.number().int(), median: z.number(), min: z.number(), max: z.number() }).nullable(),
      /** Managers only, sorted, never with the organisation that wrote it; always empty for observers. */
      texts: z.array(z.string()),
    }),
  ),
});
