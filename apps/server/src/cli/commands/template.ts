import { parseArgs } from 'node:util';
import { csvLine, NA, textFor } from '@kalaja/engine';
import { flags, HELP, required } from '../args.js';
import { EXIT, readFramework, UsageError, writeFileAtomic, type CliIo } from '../io.js';

export const templateUsage = `Usage: kalaja template --framework FILE --organisations "A;B;C" --round ROUND [--out FILE]

Prints a blank answers CSV to fill in a spreadsheet: one row per organisation and question,
with the domain, the question and its choices beside each row (those extra columns are
ignored when the file is read back). Write an option id, na (where allowed) or leave the
answer empty.

  --framework FILE        framework file (YAML or JSON)
  --organisations LIST    organisation names separated by ;
  --round ROUND           round name, e.g. baseline
  --out FILE              write to FILE instead of standard output
`;

export function template(argv: string[], io: CliIo): number {
  const { values } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        framework: { type: 'string' },
        organisations: { type: 'string' },
        round: { type: 'string' },
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
  const fw = readFramework(frameworkPath);

  const lines = [
    csvLine(['organisation', 'round', 'question', 'answer', 'note', 'domain', 'question_text', 'choices']),
  ];
  for (const organisation of organisations) {
    for (const domain of fw.domains) {
      for (const q of domain.questions) {
        const choices = q.options.map((o) => `${o.id} = ${textFor(o.label)}`);
        if (q.na) choices.push(`${NA} = not applicable`);
        // Every cell is neutralised against formulas, the names given on the command line as much
        // as the framework's texts; reading the file back takes the apostrophes off again.
        lines.push(
          csvLine(
            [organisation, round, q.id, '', '', textFor(domain.title), textFor(q.text), choices.join(' | ')],
            true,
          ),
        );
      }
    }
  }
  // CRLF and a byte-order mark: what spreadsheets expect to read names like "Zëri" correctly.
  const csv = `\uFEFF${lines.join('\r\n')}\r\n`;
  if (values.out) writeFileAtomic(values.out, csv);
  else io.stdout(csv);
  return EXIT.ok;
}
