import { parseArgs } from 'node:util';
import type { Kalaja } from '../../server.js';
import { flags, HELP } from '../args.js';
import { withInstance } from '../instance.js';
import { EXIT, type CliIo } from '../io.js';
import { table } from '../present.js';

export const programmesUsage = `Usage: kalaja programmes

Lists the programmes of this instance — id, name, framework and rounds — so that commands
taking --programme ID (import-answers) can be given one. Uses the same configuration as the
server.
`;

/** Each programme with its rounds' names, oldest first. */
export async function programmeList(kalaja: Kalaja) {
  const programmes = await kalaja.stores.programmes.list();
  return Promise.all(
    programmes.map(async (p) => ({
      ...p,
      rounds: (await kalaja.stores.programmes.rounds(p.id)).map((r) => r.name),
    })),
  );
}

/** The programmes as a table for people; a plain sentence when there are none. */
export function programmeTable(list: Awaited<ReturnType<typeof programmeList>>): string {
  if (list.length === 0) return 'This instance has no programme yet (`kalaja demo` loads a fictional one).\n';
  const rows = [['ID', 'Name', 'Framework', 'Rounds']];
  for (const p of list) rows.push([p.id, p.name, `${p.framework_key} ${p.version}`, p.rounds.join(', ')]);
  return `${table(rows, 4)}\n`;
}

export async function programmes(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { values } = flags(() => parseArgs({ args: argv, options: HELP, strict: true }));
  if (values.help) {
    io.stdout(programmesUsage);
    return EXIT.ok;
  }
  return withInstance(env, async (kalaja) => {
    io.stdout(programmeTable(await programmeList(kalaja)));
    return EXIT.ok;
  });
}
