import { parseArgs } from 'node:util';
import { loadShippedHandbook } from '../../modules/handbook/handbook-catalogue.js';
import { renderHandbookPdf } from '../../reports/render-handbook.js';
import { flags, HELP, oneOf, required } from '../args.js';
import { EXIT, UsageError, writeFileAtomic, type CliIo } from '../io.js';

const LANGUAGES = ['en', 'sq', 'sr-Latn', 'sr-Cyrl'] as const;

export const handbookUsage = `Usage: kalaja handbook export [--lang en|sq|sr-Latn|sr-Cyrl] --out FILE.pdf

Writes the Digital Security Handbook of one language as a printable PDF: a cover, a table of
contents by part (prepare, respond, recover), then every section with the date it was last
reviewed. A language with no translation yet is written in English. Needs no instance.

  --lang LANG   the language (default en)
  --out FILE    where to write the PDF

Exit codes: 0 ok, 1 the handbook does not load (each problem as file:line), 2 wrong usage.
`;

export async function handbook(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { lang: { type: 'string' }, out: { type: 'string' }, ...HELP },
    }),
  );
  if (values.help) {
    io.stdout(handbookUsage);
    return EXIT.ok;
  }
  if (positionals.length !== 1 || positionals[0] !== 'export')
    throw new UsageError(
      positionals.length === 0
        ? 'say what to do: kalaja handbook export'
        : `unknown subcommand "${positionals.join(' ')}"`,
    );
  const lang = oneOf(values.lang, LANGUAGES, 'lang', 'en');
  const out = required(values.out, 'out');
  const book = loadShippedHandbook().get(lang);
  writeFileAtomic(out, await renderHandbookPdf(book));
  if (book.lang !== lang) io.stderr(`the handbook has no ${lang} translation yet: ${out} is in English\n`);
  return EXIT.ok;
}
