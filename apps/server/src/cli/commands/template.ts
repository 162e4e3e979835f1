import { parseArgs } from 'node:util';
import { csvLine, NA, neutraliseCell, textFor } from '@kalaja/engine';
import { writeXlsx } from '@kalaja/engine/sheets';
import { flags, HELP, oneOf, required } from '../args.js';
import { EXIT, readFramework, UsageError, writeFileAtomic, type CliIo } from '../io.js';

export const templateUsage = `Usage: kalaja template --framework FILE --organisations "A;B;C" --round ROUND [--format csv|xlsx] [--out FILE]

Prints a blank answers file to fill in a spreadsheet: one row per organisation and question,
with the domain, the question and its choices beside each row (those extra columns are
ignored when the file is read back). Write an option id, na (where allowed) or leave the
answer empty.

  --framework FILE        framework file (YAML or JSON)
  --organisations LIST    organisation names separated by ;
  --round ROUND           round name, e.g. baseline
  --format FORMAT         csv (default) or xlsx: an Excel workbook whose answer cells offer
                          a drop-down list of the question's option ids (and na where
                          allowed); needs --out. Default: xlsx when --out ends in .xlsx
  --out FILE              write to FILE instead of standard output
`;

const TEMPLATE_FORMATS = ['csv', 'xlsx'] as const;
const COLUMNS = ['organisation', 'round', 'question', 'answer', 'note', 'domain', 'question_text', 'choices'];

export function template(argv: string[], io: CliIo): number {
  const { values } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        framework: { type: 'string' },
        organisations: { type: 'string' },
        round: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        ...HELP,
      },
    }),
  );
  if (values.help) {
    io.stdout(templateUsage);
    return EXIT.ok;
  }
  const frameworkPath = required(values.framework, 'framework');
  const list = required(values.organisations, 'organisations');
  // Names are separated by ';' because real names hold commas ("Zëri, Lajmi dhe Media"):
  // a list with commas and no ';' is almost surely meant as several, so say so, not make one.
  if (list.includes(',') && !list.includes(';'))
    throw new UsageError(
      `--organisations separates names with ';', not ','. Did you mean "${list
        .split(',')
        .map((o) => o.trim())
        .join(';')}"? (A single name with a comma: add a ';' at the end.)`,
    );
  const organisations = list
    .split(';')
    .map((o) => o.trim())
    .filter(Boolean);
  if (organisations.length === 0) throw new UsageError('--organisations needs at least one name');
  if (new Set(organisations).size !== organisations.length)
    throw new UsageError('--organisations names an organisation twice');
  const round = required(values.round, 'round').trim();
  if (!round) throw new UsageError('--round is required');
  const format = oneOf(values.format, TEMPLATE_FORMATS, 'format', /\.xlsx$/i.test(values.out ?? '') ? 'xlsx' : 'csv');
  if (format === 'xlsx' && !values.out)
    throw new UsageError('--format xlsx writes a workbook, which is not for a terminal: give --out FILE.xlsx');
  const fw = readFramework(frameworkPath);

  const rows: string[][] = [];
  const lists: { column: number; rows: number[]; values: string[] }[] = [];
  for (const organisation of organisations) {
    for (const domain of fw.domains) {
      for (const q of domain.questions) {
        const choices = q.options.map((o) => `${o.id} = ${textFor(o.label)}`);
        if (q.na) choices.push(`${NA} = not applicable`);
        // Every cell is neutralised against formulas, the names given on the command line as much
        // as the framework's texts; reading the file back takes the apostrophes off again.
        rows.push(
          [organisation, round, q.id, '', '', textFor(domain.title), textFor(q.text), choices.join(' | ')].map(
            neutraliseCell,
          ),
        );
        // Row 1 is the header: this question's row is the next one.
        lists.push({
          column: 3,
          rows: [rows.length + 1],
          values: [...q.options.map((o) => o.id), ...(q.na ? [NA] : [])],
        });
      }
    }
  }
  if (format === 'xlsx') {
    // Text cells only, never a formula; the answer cell offers the question's option ids.
    const bytes = writeXlsx({
      name: 'answers',
      rows: [COLUMNS, ...rows],
      widths: [24, 14, 26, 16, 32, 24, 60, 60],
      lists,
    });
    writeFileAtomic(values.out!, bytes);
    return EXIT.ok;
  }
  const lines = [csvLine(COLUMNS), ...rows.map((r) => csvLine(r))];
  // CRLF and a byte-order mark: what spreadsheets expect to read names like "Zëri" correctly.
  const csv = `\uFEFF${lines.join('\r\n')}\r\n`;
  if (values.out) writeFileAtomic(values.out, csv);
  else io.stdout(csv);
  return EXIT.ok;
}
