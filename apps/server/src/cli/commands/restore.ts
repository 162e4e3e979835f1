import { parseArgs } from 'node:util';
import { asCliErrors, joinFlagValues } from '../../ops/cli.js';
import { opsConfig } from '../../ops/instance.js';
import { restoreBackup } from '../../ops/restore.js';
import { flags, HELP, required } from '../args.js';
import { count, EXIT, type CliIo } from '../io.js';

export const restoreUsage = `Usage: kalaja restore --from FILE [--force]

Restores a backup made by \`kalaja backup\` into this instance's configuration: the SQLite
file in KALAJA_DATA_DIR, or the PostgreSQL database at DATABASE_URL (with pg_restore), and
the evidence folder. Stop the server first.

The configured key-encryption key must be the one in use when the backup was made. The
backup is decrypted and verified completely before anything is replaced: one made with
another key, altered or cut short is refused and changes nothing.

  --from FILE   the backup file
  --force       replace an instance that holds data (organisations shredded in it are
                shredded again in what is restored)

Every session in the restored database is ended, so everyone signs in again: a session
ended after the backup was made does not come back with it.
`;

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export async function restore(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { values } = flags(() =>
    parseArgs({
      args: joinFlagValues(argv, ['from']),
      strict: true,
      options: { from: { type: 'string' }, force: { type: 'boolean' }, ...HELP },
    }),
  );
  if (values.help) {
    io.stdout(restoreUsage);
    return EXIT.ok;
  }
  const from = required(values.from, 'from');
  return asCliErrors(async () => {
    const r = await restoreBackup(opsConfig(env), from, { force: values.force === true });
    io.stdout(
      `Restored the ${r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database and ${count(r.evidenceFiles, 'evidence file')} ` +
        `from the backup made at ${r.createdAt}, in ${duration(r.milliseconds)}.\n`,
    );
    if (r.reshredded.length > 0)
      io.stdout(`Shredded again, as in the instance replaced: ${r.reshredded.join(', ')}.\n`);
    io.stdout(`Ended every session the backup held (${count(r.endedSessions, 'session')}): everyone signs in again.\n`);
    io.stdout('Start the server with the same key.\n');
    return EXIT.ok;
  });
}
