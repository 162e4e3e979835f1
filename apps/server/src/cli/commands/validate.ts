import { parseArgs } from 'node:util';
import { indexFramework } from '@kalaja/engine';
import { flags, HELP } from '../args.js';
import { CliError, count, EXIT, printProblems, readFramework, UsageError, type CliIo } from '../io.js';

export const validateUsage = `Usage: kalaja validate FILE...

Checks framework files (YAML or JSON, format kalaja: framework/1) and reports every problem
as file:line:col. Exit 0 when all are valid, 1 when any has problems.
`;

export function validate(argv: string[], io: CliIo): number {
  const { values, positionals } = flags(() =>
    parseArgs({ args: argv, options: HELP, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.stdout(validateUsage);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('name at least one framework file');
  let failed = 0;
  for (const file of positionals) {
    try {
      const fw = readFramework(file);
      const questions = indexFramework(fw).questionCount;
      io.stdout(
        `${file}: ok — ${fw.id} ${fw.version}, ${count(fw.domains.length, 'domain')}, ${count(questions, 'question')}\n`,
      );
    } catch (e) {
      if (!(e instanceof CliError) || e.exitCode !== EXIT.invalid) throw e;
      failed++;
      if (e.problems.length > 0) printProblems(io, e.problems);
      else io.stderr(`kalaja validate: ${e.message}\n`);
    }
  }
  return failed > 0 ? EXIT.invalid : EXIT.ok;
}
