import { parseArgs } from 'node:util';
import { flags, HELP } from '../args.js';
import { DEMO_NAME } from '../../modules/demo/demo-service.js';
import { describeDatabase } from '../../ops/instance.js';
import { withInstance } from '../instance.js';
import { EXIT, type CliIo } from '../io.js';

export const demoUsage = `Usage: kalaja demo

Loads the fictional demo programme from content/samples/ — ten media outlets and CSOs with a
baseline and a reassessment — into this instance, managed by its instance admins. Nothing in
it is real. Loaded once: run again, it says where the demo is. Uses the same configuration as
the server.
`;

export async function demo(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { values } = flags(() => parseArgs({ args: argv, options: HELP, strict: true }));
  if (values.help) {
    io.stdout(demoUsage);
    return EXIT.ok;
  }
  return withInstance(env, async (kalaja, config) => {
    const admins = await kalaja.stores.users.instanceAdmins();
    const r = await kalaja.services.demo.load(admins);
    if (r.existing) {
      io.stdout(
        `The demo programme is already in this instance (${describeDatabase(config)}): ${DEMO_NAME}, id ${r.programmeId}.\n` +
          `Nothing was loaded. Open it at ${config.publicUrl}/programmes/${r.programmeId}\n`,
      );
      return EXIT.ok;
    }
    io.stdout(
      `Loaded the demo programme (${r.programmeId}): ${r.organisations} organisations, ${r.answers} answers.\n`,
    );
    if (admins.length === 0)
      io.stdout('No account exists yet: the first account, created with the setup token, will manage it.\n');
    return EXIT.ok;
  });
}
