import { parseArgs } from 'node:util';
import {
  explainChoices,
  indexFramework,
  scoreAnswerSet,
  surveyTally,
  type ScoreReport,
  type SurveyTally,
} from '@kalaja/engine/files';
import { flags, HELP, oneOf, required } from '../args.js';
import { EXIT, readAnswerFile, readFramework, UsageError, type CliIo } from '../io.js';
import { scoreCsv, scoreTable } from '../present.js';

export const scoreUsage = `Usage: kalaja score --framework FILE --answers FILE [--format table|json|csv] [--explain]

Scores every organisation in every round of an answers file (CSV with the columns
organisation,round,question,answer[,note], the first sheet of an Excel .xlsx or LibreOffice
.ods spreadsheet with the same columns, or JSON records), with cohort statistics per round
and the change between consecutive rounds. Survey (unscored) questions never enter a score:
with --format json their tallies per round come in the field \`survey\`.

  --framework FILE   framework file (YAML or JSON)
  --answers FILE     answers file (.csv, .xlsx, .ods or .json)
  --format FORMAT    table (for people, default), json (the full contract output), csv (one
                     row per organisation and round, rounded for display)
  --explain          with --format json (required): add each result's per-domain explanation
                     (what pulled each domain down, N/A left out, caps applied)

Exit codes: 0 ok, 1 invalid input (each problem on stderr as file:line), 2 wrong usage.
`;

export const SCORE_FORMATS = ['table', 'json', 'csv'] as const;

export async function score(argv: string[], io: CliIo): Promise<number> {
  const { values } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        framework: { type: 'string' },
        answers: { type: 'string' },
        format: { type: 'string' },
        explain: { type: 'boolean' },
        ...HELP,
      },
    }),
  );
  if (values.help) {
    io.stdout(scoreUsage);
    return EXIT.ok;
  }
  const frameworkPath = required(values.framework, 'framework');
  const answersPath = required(values.answers, 'answers');
  const format = oneOf(values.format, SCORE_FORMATS, 'format', 'table');
  if (values.explain && format !== 'json')
    throw new UsageError(
      `--explain adds each result's explanation to the JSON output: use it with --format json (got --format ${format})`,
    );
  const fw = readFramework(frameworkPath);
  const answers = await readAnswerFile(fw, answersPath);
  const report: ScoreReport & { explanations?: unknown; survey?: Record<string, SurveyTally> } = scoreAnswerSet(
    fw,
    answers,
  );
  const surveyQuestions = indexFramework(fw).survey.size;
  if (format === 'json') {
    // The survey questions never enter a score; their tallies per round come beside (§4.6).
    if (surveyQuestions > 0) report.survey = surveyTallies(report.rounds, answers.survey);
    if (values.explain) {
      report.results = report.results.map((r) => ({
        ...r,
        explanation: explainChoices(fw, answers.assessments.get(r.organisation)!.get(r.round)!).domains,
      }));
    }
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else if (format === 'csv') {
    io.stdout(scoreCsv(fw, report));
  } else {
    io.stdout(scoreTable(fw, report));
    if (surveyQuestions > 0)
      io.stdout(
        `\n${surveyQuestions} survey questions are not scored; --format json adds their tallies per round (\`survey\`).\n`,
      );
  }
  return EXIT.ok;

  function surveyTallies(
    rounds: readonly string[],
    survey: NonNullable<typeof answers.survey> | undefined,
  ): Record<string, SurveyTally> {
    const out: Record<string, SurveyTally> = {};
    for (const round of rounds) {
      const cohort = [...(survey?.values() ?? [])].flatMap((byRound) => {
        const mine = byRound.get(round);
        return mine ? [mine] : [];
      });
      out[round] = surveyTally(fw, cohort, 'programme');
    }
    return out;
  }
}
