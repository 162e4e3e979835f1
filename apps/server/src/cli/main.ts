import { audit, auditUsage } from './commands/audit.js';
import { backup, backupUsage } from './commands/backup.js';
import { demo, demoUsage } from './commands/demo.js';
import { importAnswers, importAnswersUsage } from './commands/import-answers.js';
import { keys, keysUsage } from './commands/keys.js';
import { migrate, migrateUsage } from './commands/migrate.js';
import { organisations, organisationsUsage } from './commands/organisations.js';
import { restore, restoreUsage } from './commands/restore.js';
import { report, reportUsage } from './commands/report.js';
import { score, scoreUsage } from './commands/score.js';
import { template, templateUsage } from './commands/template.js';
import { users, usersUsage } from './commands/users.js';
import { validate, validateUsage } from './commands/validate.js';
import { CliError, EXIT, printProblems, UsageError, type CliIo } from './io.js';

export const usage = `Usage: kalaja <command> [options]

Kalaja runs cybersecurity capacity-building programmes for civil-society organisations and
independent media. These commands work on framework and answers files directly:

  validate FILE...     check framework files and report every problem with its line
  score                score a cohort from an answers CSV: results, cohort figures, change
  template             print a blank answers CSV to fill in a spreadsheet
  report               write the programme report or an organisation's confidential report (PDF, DOCX, HTML)

These work on this machine's Kalaja instance (same configuration as \`npm start\`):

  migrate              apply pending database migrations
  import-answers       import an answers CSV into a round of a programme, all or nothing
  demo                 load the fictional demo programme
  audit verify         check the audit log's hash chain for edited, removed or reordered rows
  keys rotate          re-wrap every organisation's key under a new key-encryption key
  organisations shred  destroy an organisation's data key: its data can never be read again
  users reset-second-factor
                       a one-time recovery link for someone who lost every second factor
  backup               write an encrypted backup of the database and evidence (online)
  restore              restore an encrypted backup

Run \`kalaja <command> --help\` for a command's options.
`;

type Env = Record<string, string | undefined>;
const commands: Record<
  string,
  { run: (argv: string[], io: CliIo, env: Env) => number | Promise<number>; usage: string }
> = {
  validate: { run: validate, usage: validateUsage },
  score: { run: score, usage: scoreUsage },
  template: { run: template, usage: templateUsage },
  report: { run: report, usage: reportUsage },
  migrate: { run: migrate, usage: migrateUsage },
  'import-answers': { run: importAnswers, usage: importAnswersUsage },
  demo: { run: demo, usage: demoUsage },
  audit: { run: audit, usage: auditUsage },
  keys: { run: keys, usage: keysUsage },
  organisations: { run: organisations, usage: organisationsUsage },
  users: { run: users, usage: usersUsage },
  backup: { run: backup, usage: backupUsage },
  restore: { run: restore, usage: restoreUsage },
};

/**
 * Runs one `kalaja` command and returns its exit code. Every failure the user can cause ends
 * as a plain message on stderr — never a stack trace; only a bug in Kalaja itself prints one.
 */
export async function main(argv: string[], io: CliIo, env: Env = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`kalaja: unknown command "${name}"\n\n${usage}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io, env);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kalaja ${name}: ${e.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    if (e instanceof CliError) {
      if (e.problems.length > 0) printProblems(io, e.problems);
      io.stderr(`kalaja ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
