import { parseArgs } from 'node:util';
import {
  csvLine,
  indexFramework,
  neutraliseCell,
  parseAnswersInput,
  type AnswerRecord,
  type Framework,
  type SheetRows,
} from '@kalaja/engine';
import { systemActor } from '../../modules/access/access-types.js';
import { AppError } from '../../errors.js';
import type { Kalaja } from '../../server.js';
import { flags, HELP, oneOf, required } from '../args.js';
import { withInstance } from '../instance.js';
import { CliError, count, EXIT, readAnswersInput, type CliIo } from '../io.js';
import { programmeList, programmeTable } from './programmes.js';

export const importAnswersUsage = `Usage: kalaja import-answers --programme ID --answers FILE [--round NAME] [--layer own|validated]

Imports an answers file (CSV, or an Excel .xlsx or LibreOffice .ods spreadsheet) into one round of a programme of this instance, offline, all or
nothing: every line is checked first, and any problem (named by its line) means nothing is
written. Uses the same configuration as the server (DATABASE_URL, KALAJA_DATA_DIR, key).

  --programme ID     the programme's id (\`kalaja programmes\` lists them)
  --answers FILE     CSV, .xlsx or .ods (its first sheet) with the columns
                     organisation,round,question,answer[,note]
  --round NAME       the round to import, e.g. baseline: only the file's rows of that round are
                     imported. Needed when the file holds several rounds
  --layer LAYER      own (the organisations' answers, default) or validated
`;

/** At most this many line numbers are listed for a problem shared by many lines. */
const LINES_SHOWN = 5;

const quoted = (names: readonly string[]) => {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
};

export async function importAnswers(
  argv: string[],
  io: CliIo,
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        programme: { type: 'string' },
        round: { type: 'string' },
        answers: { type: 'string' },
        layer: { type: 'string' },
        ...HELP,
      },
    }),
  );
  if (values.help) {
    io.stdout(importAnswersUsage);
    return EXIT.ok;
  }
  const programmeId = required(values.programme, 'programme');
  const file = required(values.answers, 'answers');
  const layer = oneOf(values.layer, ['own', 'validated'] as const, 'layer', 'own');
  const input = await readAnswersInput(file);
  return withInstance(env, async (kalaja) => {
    const programme = await kalaja.stores.programmes.byId(programmeId);
    if (!programme) throw new CliError(await noSuchProgramme(kalaja, programmeId));
    const rounds = (await kalaja.stores.programmes.rounds(programmeId)).map((r) => r.name);

    // What goes wrong with a whole file is said once, before the line-by-line check.
    const parsed = parseAnswersInput(input, file);
    const inFile = [...new Set(parsed.records.map((r) => r.round))];
    const roundName = values.round ?? (inFile.length === 1 ? inFile[0]! : undefined);
    if (roundName === undefined) {
      throw new CliError(
        inFile.length === 0
          ? `${file} holds no answers; pass --round to say which round it is for`
          : `${file} holds rounds ${quoted(inFile)}; pass --round to import one of them (e.g. --round ${inFile[0]}), or split the file by round`,
      );
    }
    const round = await kalaja.stores.programmes.round(programmeId, { name: roundName });
    if (!round)
      throw new CliError(
        `programme "${programme.name}" (${programmeId}) has no round "${roundName}"; its rounds: ${quoted(rounds)}`,
      );
    const rows = parsed.records.filter((r) => r.round === roundName);
    if (parsed.records.length > 0 && rows.length === 0)
      throw new CliError(`${file} has no row of round "${roundName}"; it holds rounds ${quoted(inFile)}`);
    const fw = await kalaja.services.frameworks.get(systemActor('cli-import'), programme.framework_id);
    const labels = labelsForIds(fw, rows);
    if (labels) throw new CliError(labels);

    // A file of several rounds: the chosen round's rows go in, each problem keeps its line in the file.
    const several = inFile.length > 1 && parsed.problems.length === 0;
    // A spreadsheet's rows keep their own row numbers; a CSV file is written anew and mapped back.
    const sheet = typeof input !== 'string';
    const text = !several ? input : sheet ? { ...input, rows: sheetRows(rows) } : rebuild(rows);
    const lineOf = (line: number) => (several && !sheet ? (rows[line - 2]?.line ?? line) : line);
    try {
      const r = await kalaja.services.exchange.importAnswers(
        systemActor(`cli-${Date.now()}`),
        programmeId,
        round.id,
        text,
        layer,
        file,
      );
      io.stdout(`Imported ${r.answers} answers for ${r.organisations} organisations into round "${roundName}".\n`);
      if (r.validated > 0)
        io.stdout(
          `Validated ${count(r.validated, 'assessment')}: the file holds the assessor's answers, so their results are final.\n`,
        );
      if (several) {
        const others = inFile.filter((n) => n !== roundName);
        io.stdout(
          `Left out ${count(parsed.records.length - rows.length, 'row')} of round${others.length === 1 ? '' : 's'} ${quoted(others)}: import ${others.length === 1 ? 'it' : 'each'} with --round.\n`,
        );
      }
      return EXIT.ok;
    } catch (e) {
      if (e instanceof AppError) {
        printGrouped(io, file, e.details, lineOf);
        throw new CliError(e.message);
      }
      throw e;
    }
  });
}

/** "no such programme", with the programmes there are. */
export async function noSuchProgramme(kalaja: Kalaja, id: string): Promise<string> {
  const list = await programmeList(kalaja);
  if (list.length === 0) return `no such programme "${id}": this instance has no programme yet`;
  return `no such programme "${id}"; the programmes of this instance (\`kalaja programmes\`):\n${programmeTable(list).trimEnd()}`;
}

/**
 * One explanation when answers are written as option labels ("Everyone, on every account")
 * instead of option ids (`all`) — a spreadsheet filled by hand does that on every line.
 */
function labelsForIds(fw: Framework, rows: readonly AnswerRecord[]): string | null {
  const index = indexFramework(fw);
  let found = 0;
  let example = '';
  for (const r of rows) {
    const entry = index.questions.get(r.question);
    if (!entry || r.answer === '' || r.answer === 'na' || entry.options.has(r.answer)) continue;
    const written = r.answer.trim().toLowerCase();
    const option = entry.question.options.find((o) =>
      (typeof o.label === 'string' ? [o.label] : Object.values(o.label)).some(
        (l) => l.trim().toLowerCase() === written,
      ),
    );
    if (!option) continue;
    found += 1;
    if (!example) example = `line ${r.line}: "${r.answer}" is option \`${option.id}\` of \`${r.question}\``;
  }
  if (found === 0) return null;
  return (
    `${count(found, 'answer')} ${found === 1 ? 'is an option label' : 'are option labels'}, not option ids (${example}): ` +
    'write the option id in the answer column; `kalaja template` prints every question with its choices'
  );
}

/** The chosen round's rows of a spreadsheet, each at its row, under a header above them all. */
function sheetRows(rows: readonly AnswerRecord[]): SheetRows['rows'] {
  return [
    { line: 0, cells: ['organisation', 'round', 'question', 'answer', 'note'] },
    // Neutralised again, as the reading takes one apostrophe off each formula-like cell.
    ...rows.map((r) => ({
      line: r.line!,
      cells: [r.organisation, r.round, r.question, r.answer, r.note ?? ''].map(neutraliseCell),
    })),
  ];
}

/** The chosen round's rows as a CSV of their own. */
function rebuild(rows: readonly AnswerRecord[]): string {
  const lines = [csvLine(['organisation', 'round', 'question', 'answer', 'note'])];
  for (const r of rows) lines.push(csvLine([r.organisation, r.round, r.question, r.answer, r.note ?? ''], true));
  return `${lines.join('\n')}\n`;
}

/**
 * Prints the import's problems, each distinct message once with the lines it is on: a mistake
 * repeated on 800 lines is one line of output, not 800.
 */
function printGrouped(
  io: CliIo,
  file: string,
  details: readonly { where: string; message: string }[],
  lineOf: (line: number) => number,
): void {
  const groups = new Map<string, number[]>();
  for (const d of details) {
    const line = d.where.startsWith('line ') ? lineOf(Number(d.where.slice(5))) : NaN;
    let lines = groups.get(d.message);
    if (!lines) groups.set(d.message, (lines = []));
    if (!Number.isNaN(line)) lines.push(line);
  }
  for (const [message, lines] of groups) {
    if (lines.length === 0) io.stderr(`${file}: ${message}\n`);
    else if (lines.length === 1) io.stderr(`${file}:${lines[0]}: ${message}\n`);
    else {
      const shown = lines.slice(0, LINES_SHOWN).join(', ');
      const more = lines.length > LINES_SHOWN ? ` and ${lines.length - LINES_SHOWN} more` : '';
      io.stderr(`${file}: lines ${shown}${more}: ${message}\n`);
    }
  }
}
