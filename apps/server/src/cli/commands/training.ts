import { parseArgs } from 'node:util';
import {
  formatScore,
  readResponses,
  scoreResponses,
  smallestReachableP,
  textFor,
  type TrainingReport,
} from '@kalaja/engine';
import { flags, HELP, oneOf, required } from '../args.js';
import { CliError, count, EXIT, readText, readTrainingModule, type CliIo } from '../io.js';
import { table } from '../present.js';

export const trainingUsage = `Usage: kalaja training --module FILE --responses FILE [--format table|json]

Scores a training's knowledge checks from a responses CSV (participant,phase,item,answer;
phase pre or post; answer an option id, or empty for a skipped item): each participant's
share of items answered correctly before and after (0–100), and the training's impact over
the participants who took both, with its paired statistics.

  --module FILE      training module (kalaja: training/1)
  --responses FILE   responses CSV
  --format FORMAT    table (for people, default) or json (the contract output)

Exit codes: 0 ok, 1 invalid input (each problem on stderr as file:line), 2 wrong usage.
`;

export function training(argv: string[], io: CliIo): number {
  const { values } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: { module: { type: 'string' }, responses: { type: 'string' }, format: { type: 'string' }, ...HELP },
    }),
  );
  if (values.help) {
    io.stdout(trainingUsage);
    return EXIT.ok;
  }
  const modulePath = required(values.module, 'module');
  const responsesPath = required(values.responses, 'responses');
  const format = oneOf(values.format, ['table', 'json'] as const, 'format', 'table');
  const module = readTrainingModule(modulePath);
  const read = readResponses(module, readText(responsesPath, 'responses file', { csv: true }), { file: responsesPath });
  if (!read.ok) {
    throw new CliError(
      `responses file ${responsesPath} has ${count(read.problems.length, 'problem')}`,
      EXIT.invalid,
      read.problems,
    );
  }
  const report = scoreResponses(module, read.value);
  io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : trainingTable(textFor(module.title), report));
  return EXIT.ok;
}

const pct = (x: number | null) => (x === null ? '–' : formatScore(x, 0));
const points = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${formatScore(x, 1)}`);

/** Participants before and after, then the impact in plain words with its limits. */
export function trainingTable(title: string, report: TrainingReport): string {
  const rows = [['Participant', 'Before', 'After', 'Change']];
  for (const p of report.participants) {
    rows.push([
      p.participant,
      pct(p.pre),
      pct(p.post),
      p.pre !== null && p.post !== null ? points(p.post - p.pre) : '–',
    ]);
  }
  const i = report.impact;
  const out = [
    `${title} (${report.module.id} ${report.module.version}) · ${count(report.participants.length, 'participant')} · knowledge in % of items answered correctly`,
    '',
    table(rows, 1),
    '',
  ];
  if (i.n === 0) out.push('Impact: no participant took both checks.');
  else {
    out.push(
      `Impact over the ${count(i.n, 'participant')} who took both checks: ${i.improved} improved, ${i.declined} declined, ${i.unchanged} unchanged; mean change ${points(i.mean)} points` +
        (i.ci95 ? ` (95% interval ${points(i.ci95[0])} to ${points(i.ci95[1])})` : '') +
        '.',
    );
    if (i.wilcoxon) {
      const smallest = smallestReachableP(i.wilcoxon.n)!;
      out.push(
        `Wilcoxon signed-rank test: W+ ${formatScore(i.wilcoxon.wPlus, 1)}, W− ${formatScore(i.wilcoxon.wMinus, 1)}, p ${formatScore(i.wilcoxon.p, 3)} over ${count(i.wilcoxon.n, 'participant')} whose score moved` +
          (i.wilcoxon.n <= 50
            ? ` (the smallest p reachable with ${i.wilcoxon.n} is ${formatScore(smallest, 3)})`
            : '') +
          (i.rankBiserial !== null ? `; rank-biserial ${formatScore(i.rankBiserial, 2)}` : '') +
          '.',
      );
    }
    out.push(
      'There is no control group: the change shows what participants knew after, not that the training alone caused it.',
    );
  }
  return `${out.join('\n')}\n`;
}
