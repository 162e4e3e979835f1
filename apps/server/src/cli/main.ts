import { existsSync, readFileSync, statSync } from 'node:fs';
import { EXIT, isCliError, isUsageError } from './errors.js';
import type { CliIo } from './io.js';
import type * as ScoreCommand from './commands/score.js';

/** Kalaja's version, from the repository's package.json (the same path from src/ and dist/). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export const usage = `Usage: kalaja <command> [options]

Kalaja runs cybersecurity capacity-building programmes for civil-society organisations and
independent media. These commands work on framework and answers files directly:

  validate FILE...     check frameworks, intervention catalogues and training modules: every
                       problem with its line
  score                score a cohort from an answers file (CSV, .xlsx, .ods): results, cohort figures, change
  plan                 rank the interventions for each organisation from its answers
  training             score a training's knowledge checks before and after, with its impact
  template             print a blank answers CSV, or write an .xlsx with drop-down lists, to fill in
  report               write the programme report or an organisation's confidential report (PDF, DOCX, HTML)
  handbook export      write the Digital Security Handbook of one language as a PDF
  import-framework     turn an OSCAL catalog (NIST CSF 2.0), a CISO Assistant library or the
                       OWASP SAMM model into a framework file, saying what it leaves out

These work on this machine's Kalaja instance (same configuration as \`npm start\`):

  migrate              apply pending database migrations
  programmes           list the programmes (their ids, frameworks and rounds)
  import-answers       import an answers file (CSV, .xlsx, .ods) into a round of a programme, all or nothing
  demo                 load the fictional demo programme
  plans export         the organisations' plans of a programme as CSV or Excel (.xlsx)
  audit verify         check the audit log's hash chain for edited, removed or reordered rows
  keys rotate          re-wrap every organisation's key under a new key-encryption key
  organisations shred  destroy an organisation's data key: its data can never be read again
  users reset-second-factor
                       a one-time recovery link for someone who lost every second factor
  backup               write an encrypted backup of the database and evidence (online)
  restore              restore an encrypted backup

Run \`kalaja <command> --help\` for a command's options; \`kalaja --version\` prints the version.
`;

type Env = Record<string, string | undefined>;

/**
 * The bundle of a command (`dist/cli/bundle/NAME.js`, made by `npm run build`), when it is at
 * least as new as the compiled packages it was made from: one file loads in about two thirds of
 * the CPU time of the hundred modules behind it (issue 11). After a `tsc -b` alone, or from the
 * sources (tests), the command's own modules are loaded.
 */
function bundled(name: string): string | undefined {
  const bundle = new URL(`./bundle/${name}.js`, import.meta.url);
  if (!existsSync(bundle)) return undefined;
  const at = statSync(bundle).mtimeMs;
  const builds = ['../../tsconfig.tsbuildinfo', '../../../../packages/engine/tsconfig.tsbuildinfo'];
  for (const build of builds) {
    const info = new URL(build, import.meta.url);
    if (existsSync(info) && statSync(info).mtimeMs > at) return undefined;
  }
  return bundle.href;
}
type Command = { run: (argv: string[], io: CliIo, env: Env) => number | Promise<number>; usage: string };

/**
 * Each command is loaded when it is run: `kalaja score` need not load the PDF renderer or the
 * database drivers that `kalaja report` and the instance commands bring.
 */
const commands: Record<string, () => Promise<Command>> = {
  validate: async () => import('./commands/validate.js').then((m) => ({ run: m.validate, usage: m.validateUsage })),
  score: async () => {
    const bundle = bundled('score');
    const m = bundle ? ((await import(bundle)) as typeof ScoreCommand) : await import('./commands/score.js');
    return { run: m.score, usage: m.scoreUsage };
  },
  plan: async () => import('./commands/plan.js').then((m) => ({ run: m.plan, usage: m.planUsage })),
  training: async () => import('./commands/training.js').then((m) => ({ run: m.training, usage: m.trainingUsage })),
  template: async () => import('./commands/template.js').then((m) => ({ run: m.template, usage: m.templateUsage })),
  report: async () => import('./commands/report.js').then((m) => ({ run: m.report, usage: m.reportUsage })),
  handbook: async () => import('./commands/handbook.js').then((m) => ({ run: m.handbook, usage: m.handbookUsage })),
  'import-framework': async () =>
    import('./commands/import-framework.js').then((m) => ({
      run: m.importFrameworkCommand,
      usage: m.importFrameworkUsage,
    })),
  migrate: async () => import('./commands/migrate.js').then((m) => ({ run: m.migrate, usage: m.migrateUsage })),
  programmes: async () =>
    import('./commands/programmes.js').then((m) => ({ run: m.programmes, usage: m.programmesUsage })),
  'import-answers': async () =>
    import('./commands/import-answers.js').then((m) => ({ run: m.importAnswers, usage: m.importAnswersUsage })),
  demo: async () => import('./commands/demo.js').then((m) => ({ run: m.demo, usage: m.demoUsage })),
  plans: async () => import('./commands/plans.js').then((m) => ({ run: m.plans, usage: m.plansUsage })),
  audit: async () => import('./commands/audit.js').then((m) => ({ run: m.audit, usage: m.auditUsage })),
  keys: async () => import('./commands/keys.js').then((m) => ({ run: m.keys, usage: m.keysUsage })),
  organisations: async () =>
    import('./commands/organisations.js').then((m) => ({ run: m.organisations, usage: m.organisationsUsage })),
  users: async () => import('./commands/users.js').then((m) => ({ run: m.users, usage: m.usersUsage })),
  backup: async () => import('./commands/backup.js').then((m) => ({ run: m.backup, usage: m.backupUsage })),
  restore: async () => import('./commands/restore.js').then((m) => ({ run: m.restore, usage: m.restoreUsage })),
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
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`kalaja ${version()}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    io.stderr(`kalaja: unknown command "${name}"\n\n${usage}`);
    return EXIT.usage;
  }
  const command = await load();
  try {
    return await command.run(rest, io, env);
  } catch (e) {
    if (isUsageError(e)) {
      io.stderr(`kalaja ${name}: ${e.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    if (isCliError(e)) {
      if (e.problems.length > 0) (await import('./io.js')).printProblems(io, e.problems);
      io.stderr(`kalaja ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
