import { parseArgs } from 'node:util';
import { systemActor } from '../../modules/access/access-types.js';
import { flags, HELP, oneOf, required } from '../args.js';
import { withInstance } from '../instance.js';
import { CliError, EXIT, UsageError, writeFileAtomic, type CliIo } from '../io.js';
import { noSuchProgramme } from './import-answers.js';

export const plansUsage = `Usage: kalaja plans export --programme ID [--organisation ID] [--format csv|xlsx] [--out FILE]

Exports the organisations' plans of a programme of this instance — every item with its
intervention, owner, due date, status, notes, drop reason and evidence — as one table, the plan
of action and milestones a programme keeps: every organisation's, or one organisation's with
--organisation. The notes are opened with the organisations' keys, so keep the file as you keep
the answers. The export is recorded in the audit log. Uses the same configuration as the server.

  --programme ID      the programme's id (\`kalaja programmes\` lists them)
  --organisation ID   only this organisation's plan
  --format FORMAT     csv (default) or xlsx, an Excel workbook; xlsx needs --out.
                      Default: xlsx when --out ends in .xlsx
  --out FILE          write to FILE instead of standard output

Exit codes: 0 ok, 1 no such programme or organisation, 2 wrong usage.
`;

const FORMATS = ['csv', 'xlsx'] as const;

export async function plans(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = flags(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        programme: { type: 'string' },
        organisation: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        ...HELP,
      },
    }),
  );
  if (values.help) {
    io.stdout(plansUsage);
    return EXIT.ok;
  }
  if (positionals.length !== 1 || positionals[0] !== 'export')
    throw new UsageError(
      positionals.length === 0
        ? 'say what to do: kalaja plans export'
        : `unknown subcommand "${positionals.join(' ')}"`,
    );
  const programmeId = required(values.programme, 'programme');
  const format = oneOf(values.format, FORMATS, 'format', /\.xlsx$/i.test(values.out ?? '') ? 'xlsx' : 'csv');
  if (format === 'xlsx' && !values.out)
    throw new UsageError('--format xlsx writes a workbook, which is not for a terminal: give --out FILE.xlsx');
  return withInstance(env, async (kalaja) => {
    const system = systemActor('cli-plans');
    if (!(await kalaja.stores.programmes.byId(programmeId)))
      throw new CliError(await noSuchProgramme(kalaja, programmeId));
    let file;
    if (values.organisation !== undefined) {
      const organisationId = values.organisation;
      if (!(await kalaja.stores.programmes.takesPart(programmeId, [organisationId]))) {
        const names = (await kalaja.stores.programmes.organisations(programmeId)).map((o) => `${o.id} (${o.name})`);
        throw new CliError(
          `no organisation "${organisationId}" takes part in programme ${programmeId}; its organisations: ${names.join(', ') || 'none yet'}`,
        );
      }
      file = await kalaja.services.plans.exportOrganisation(system, programmeId, organisationId, format);
    } else file = await kalaja.services.plans.exportProgramme(system, programmeId, format);
    if (values.out) writeFileAtomic(values.out, file.bytes);
    else io.stdout(file.bytes.toString('utf8'));
    return EXIT.ok;
  });
}
