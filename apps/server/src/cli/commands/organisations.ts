import { parseArgs } from 'node:util';
import { asCliErrors, joinFlagValues } from '../../ops/cli.js';
import { systemActor } from '../../modules/access/access-types.js';
import { configuredKek, openExistingDatabase, opsConfig, opsStores, requireMatchingKek } from '../../ops/instance.js';
import { shredOrganisation } from '../../ops/shred.js';
import { flags, HELP, required } from '../args.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

export const organisationsUsage = `Usage: kalaja organisations shred --id ID --confirm NAME

Crypto-shreds an organisation: destroys its data key, so its answers, notes and evidence can
never be read again by anyone, and records it in the audit log. The rows stay (their
ciphertext is useless); reading them answers "gone". This cannot be undone.

  --id ID          the organisation's id
  --confirm NAME   the organisation's exact name, to confirm

Backups made before the shred still hold the key: \`kalaja restore\` over this instance
shreds the organisation again, but destroy those backups (or let them expire) to be sure.
Restart the server afterwards: a running server may hold the key in memory.
`;

export async function organisations(
  argv: string[],
  io: CliIo,
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values, positionals } = flags(() =>
    parseArgs({
      args: joinFlagValues(argv, ['id', 'confirm']),
      strict: true,
      allowPositionals: true,
      options: { id: { type: 'string' }, confirm: { type: 'string' }, ...HELP },
    }),
  );
  if (values.help) {
    io.stdout(organisationsUsage);
    return EXIT.ok;
  }
  if (positionals.length !== 1 || positionals[0] !== 'shred')
    throw new UsageError(
      positionals.length === 0 ? 'say what to do: shred' : `unknown subcommand "${positionals.join(' ')}"`,
    );
  const organisationId = required(values.id, 'id');
  if (values.confirm === undefined)
    throw new UsageError('--confirm NAME is required: the organisation\u2019s exact name');
  const confirmName = values.confirm;

  return asCliErrors(async () => {
    const config = opsConfig(env);
    const database = await openExistingDatabase(config);
    let result;
    try {
      // The key is not needed to destroy a key, but only the instance's operator has it.
      await requireMatchingKek(database.db, configuredKek(config));
      result = await shredOrganisation(
        { db: database.db, dialect: database.dialect, now: Date.now },
        opsStores(database),
        systemActor(`cli-shred-${Date.now()}`),
        { organisationId, confirmName },
      );
    } finally {
      await database.close();
    }
    io.stdout(
      `Shredded ${result.name} (${organisationId}): its data key is destroyed, and its answers, notes and evidence can no longer be read.\n` +
        (result.scrubbed
          ? ''
          : 'The database was busy, so an earlier copy of the key may stay in its write-ahead log until the next checkpoint.\n') +
        'Restart the server: a running server may still hold the key in memory.\n' +
        'Backups made before now still hold the key; destroy them, or let them expire.\n',
    );
    return EXIT.ok;
  });
}
