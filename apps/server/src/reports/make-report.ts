import {
  buildOpennessPaper,
  buildOrganisationReport,
  buildProgrammeReport,
  buildProgrammeReportFromView,
  type AnswerSet,
  type CohortView,
  type Framework,
  type OpennessPaperOptions,
  type OrganisationReportOptions,
  type Recommendation,
  type Report,
  type ReportOptions,
} from '@kalaja/engine';
import { renderReport, type ReportFormat } from './render.js';

/**
 * Everything a report is made from, as plain data: the framework, the answers that count
 * (already opened) or the published view, and the options. No key, no database handle, no
 * name beyond those the report prints: this is all the render worker receives.
 */
export type ReportInput =
  | {
      kind: 'programme';
      framework: Framework;
      answers: AnswerSet;
      options: Omit<ReportOptions, 'final'>;
      /**
       * Which assessments are final (validated), as `finalKey(organisation, round)`: the change
       * between rounds rests on those final in both. Data, not a function, to reach the worker.
       */
      finalAssessments?: readonly string[];
    }
  | { kind: 'published'; framework: Framework; view: CohortView; options: ReportOptions }
  | {
      kind: 'organisation';
      framework: Framework;
      answers: AnswerSet;
      organisation: string;
      options: OrganisationReportOptions;
    }
  /** An openness index's policy paper of a wave (docs/contracts.md, §11): institutions are the answers' organisations. */
  | { kind: 'openness'; framework: Framework; answers: AnswerSet; options: OpennessPaperOptions };

/** How a final assessment is named in `finalAssessments`. */
export const finalKey = (organisation: string, round: string) => `${organisation}\u0000${round}`;

function programmeOptions(input: Extract<ReportInput, { kind: 'programme' }>): ReportOptions {
  if (!input.finalAssessments) return input.options;
  const finals = new Set(input.finalAssessments);
  return { ...input.options, final: (organisation, round) => finals.has(finalKey(organisation, round)) };
}

/** The engine's report model for an input. */
export function buildReportModel(input: ReportInput): Report {
  if (input.kind === 'programme') return buildProgrammeReport(input.framework, input.answers, programmeOptions(input));
  if (input.kind === 'published') return buildProgrammeReportFromView(input.framework, input.view, input.options);
  if (input.kind === 'openness') return buildOpennessPaper(input.framework, input.answers, input.options);
  return buildOrganisationReport(input.framework, input.answers, input.organisation, input.options);
}

/** How far a report has got: its model built, its file rendered (the preview comes last). */
export type ReportStage = 'built' | 'rendered';

export interface MadeReport {
  bytes: Uint8Array;
  /** The HTML rendering for the app's preview; null when not asked for or the report is HTML already. */
  preview: Uint8Array | null;
}

/**
 * Builds the model and renders it — the CPU-heavy part of a report, the same code in the render
 * worker and in this process — and, when asked, the HTML preview beside a PDF or DOCX file.
 */
export async function makeReport(
  input: ReportInput,
  format: ReportFormat,
  options: { preview?: boolean; stage?: (stage: ReportStage) => void } = {},
): Promise<MadeReport> {
  const model = buildReportModel(input);
  options.stage?.('built');
  const bytes = await renderReport(model, format);
  options.stage?.('rendered');
  const preview = options.preview && format !== 'html' ? await renderReport(model, 'html') : null;
  return { bytes, preview };
}

/**
 * The recommendations the rules draft for a programme report (the team's edition), without
 * their review: what the programme team reviews before making the report. A model is built to
 * get them, so this runs where reports are built.
 */
export function draftRecommendations(input: Extract<ReportInput, { kind: 'programme' }>): Recommendation[] {
  const report = buildProgrammeReport(input.framework, input.answers, programmeOptions(input));
  return report.recommendations.items.map(({ review: _, ...r }) => r as Recommendation);
}

/**
 * The recommendations the rules draft for a policy paper, without their review: what the research
 * team reviews (rewords, drops, adds to) before publishing.
 */
export function draftPaperRecommendations(input: Extract<ReportInput, { kind: 'openness' }>): Recommendation[] {
  const paper = buildOpennessPaper(input.framework, input.answers, { ...input.options, recommendationEdits: [] });
  return paper.recommendations.all.map(({ review: _, ...r }) => r as Recommendation);
}
