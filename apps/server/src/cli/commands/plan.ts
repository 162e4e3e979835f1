import { parseArgs } from 'node:util';
import {
  checkCatalogue,
  csvLine,
  DECIMALS,
  formatScore,
  indexFramework,
  planAnswerSet,
  scoreChoices,
  textFor,
  type AnswerSet,
  type Framework,
  type InterventionCatalogue,
  type PlanReport,
} from '@kalaja/engine';
import { flags, HELP, oneOf, required } from '../args.js';
import { CliError, count, EXIT, readAnswerFile, readCatalogue, readFramework, type CliIo } from '../io.js';
import { table } from '../present.js';

export const planUsage = `Usage: kalaja plan --framework FILE --interventions FILE --answers FILE
                   [--organisation NAME] [--round NAME] [--format table|json|csv]

Ranks the catalogue's interventions for every organisation and round in an answers file (or
the one asked for): what would raise each organisation's overall score most for the effort,
quick wins (low effort) first among equals, each with the questions it raises.

  --framework FILE      framework file (YAML or JSON)
  --interventions FILE  interventions catalogue (kalaja: interventions/1)
  --answers FILE        answers file (.csv, .xlsx, .ods or .json)
  --organisation NAME   only this organisation
  --round NAME          only this round
  --format FORMAT       table (for people, default), json (the contract output), csv (one row
                        per organisation, round and intervention, for a spreadsheet)

Exit codes: 0 ok, 1 invalid input (each problem on stderr as file:line), 2 wrong usage.
`;

export const PLAN_FORMATS = ['table', 'json', 'csv'] as const;

export async function plan(argv: string[], io: CliIo): Promise<number> {
  const { values } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        framework: { type: 'string' },
        interventions: { type: 'string' },
        answers: { type: 'string' },
        organisation: { type: 'string' },
        round: { type: 'string' },
        format: { type: 'string' },
        ...HELP,
      },
    }),
  );
  if (values.help) {
    io.stdout(planUsage);
    return EXIT.ok;
  }
  const frameworkPath = required(values.framework, 'framework');
  const cataloguePath = required(values.interventions, 'interventions');
  const answersPath = required(values.answers, 'answers');
  const format = oneOf(values.format, PLAN_FORMATS, 'format', 'table');
  const fw = readFramework(frameworkPath);
  const catalogue = readCatalogue(cataloguePath);
  const missing = checkCatalogue(fw, catalogue, frameworkPath);
  if (missing.length > 0) {
    throw new CliError(
      `framework ${frameworkPath} names ${count(missing.length, 'intervention')} that catalogue ${cataloguePath} lacks`,
      EXIT.invalid,
      missing,
    );
  }
  const answers = await readAnswerFile(fw, answersPath);
  const only = {
    ...(values.organisation !== undefined && {
      organisation: known(values.organisation, answers.organisations, 'organisation', answersPath),
    }),
    ...(values.round !== undefined && { round: known(values.round, answers.rounds, 'round', answersPath) }),
  };
  const report = planAnswerSet(fw, catalogue, answers, only);
  if (format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'csv') io.stdout(planCsv(catalogue, report));
  else io.stdout(planTable(fw, catalogue, answers, report));
  return EXIT.ok;
}

/** A name the answers file holds, or exit 1 saying which ones it does hold. */
function known(name: string, names: readonly string[], what: string, file: string): string {
  if (names.includes(name)) return name;
  const near = names.find((n) => n.toLowerCase() === name.toLowerCase());
  throw new CliError(
    `answers file ${file} has no ${what} "${name}"${near ? ` (did you mean "${near}"?)` : ''}; it has: ${names.map((n) => `"${n}"`).join(', ')}`,
  );
}

const org = (x: number) => formatScore(x, DECIMALS.organisation);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${org(x)}`;

/** The ranking for people: per organisation and round, the interventions in order with what each would move. */
export function planTable(
  fw: Framework,
  catalogue: InterventionCatalogue,
  answers: AnswerSet,
  report: PlanReport,
): string {
  const byId = new Map(catalogue.interventions.map((i) => [i.id, i]));
  const { questions } = indexFramework(fw);
  const domainTitle = new Map(fw.domains.map((d) => [d.id, textFor(d.title)]));
  const out = [
    `${textFor(fw.title)} (${fw.id} ${fw.version}) · interventions: ${catalogue.id} ${catalogue.version}`,
    'Gain: how much the overall score would rise with the intervention done (0–' +
      `${fw.scale}); priority: gain ÷ effort (low 1, medium 2, high 3). Quick wins are low effort.`,
  ];
  for (const p of report.plans) {
    const overall = scoreChoices(fw, answers.assessments.get(p.organisation)!.get(p.round)!).overall;
    out.push(
      '',
      `${p.organisation} — ${p.round}: overall ${overall === null ? '–' : org(overall)}, ${count(p.interventions.length, 'intervention')} ranked`,
    );
    if (p.interventions.length === 0) {
      out.push(
        '  Nothing to raise: every question the catalogue addresses is at its best, not applicable or unanswered.',
      );
      continue;
    }
    const rows = [['#', 'Intervention', 'Kind', 'Effort', 'Cost', 'Gain', 'Priority', '']];
    const why: string[][] = [];
    p.interventions.forEach((r, i) => {
      const it = byId.get(r.id)!;
      rows.push([
        String(i + 1),
        textFor(it.title),
        it.kind,
        it.effort,
        it.cost,
        signed(r.gain),
        formatScore(r.priority, 2),
        r.effort === 'low' ? 'quick win' : '',
      ]);
      const moves = r.moves.map((m) => {
        const q = questions.get(m.question)!.question;
        const label = (id: string) => textFor(q.options.find((o) => o.id === id)!.label);
        return `raises ${m.question} from "${label(m.from)}" to "${label(m.to)}"`;
      });
      const domains = Object.entries(r.domains).map(([d, g]) => `${signed(g)} ${domainTitle.get(d)}`);
      why.push([moves.join('; '), [`${signed(r.gain)} overall`, ...domains].join(', ')]);
    });
    const lines = table(rows, 5).split('\n');
    out.push(lines[0]!.replace(/^/, '  '));
    lines.slice(1).forEach((line, i) => out.push(`  ${line}`, `       ${why[i]![0]}: ${why[i]![1]}`));
  }
  return `${out.join('\n')}\n`;
}

/** One row per organisation, round and intervention, for a spreadsheet (formula-like cells neutralised). */
export function planCsv(catalogue: InterventionCatalogue, report: PlanReport): string {
  const byId = new Map(catalogue.interventions.map((i) => [i.id, i]));
  const lines = [
    csvLine([
      'organisation',
      'round',
      'rank',
      'intervention',
      'title',
      'kind',
      'effort',
      'cost',
      'gain',
      'priority',
      'questions',
    ]),
  ];
  for (const p of report.plans) {
    p.interventions.forEach((r, i) => {
      const it = byId.get(r.id)!;
      lines.push(
        csvLine(
          [
            p.organisation,
            p.round,
            String(i + 1),
            r.id,
            textFor(it.title),
            it.kind,
            it.effort,
            it.cost,
            org(r.gain),
            formatScore(r.priority, 2),
            r.questions.join(' '),
          ],
          true,
        ),
      );
    });
  }
  return `${lines.join('\r\n')}\r\n`;
}
