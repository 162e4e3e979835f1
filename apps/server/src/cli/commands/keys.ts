import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadKeyEncryptionKey, writeNewKeyFile } from '../../crypto/kek.js';
import { RotationError, rotateKeyEncryptionKey } from '../../crypto/rotate.js';
import { asCliErrors, joinFlagValues } from '../../ops/cli.js';
import { configuredKek, OpsError, openExistingDatabase, opsConfig, requireMatchingKek } from '../../ops/instance.js';
import { flags, HELP, required } from '../args.js';
import { CliError, count, EXIT, UsageError, type CliIo } from '../io.js';

export const keysUsage = `Usage: kalaja keys rotate --new-key-file FILE [--generate]

Rotates the key-encryption key: every organisation's data key, every instance secret (TOTP
secrets, the publications' fingerprint key) and the key check are re-wrapped under a new key in one transaction, while the server keeps running.
The current key is the configured one (KALAJA_KEY, KALAJA_KEY_FILE or DATA_DIR/kalaja.key).

  --new-key-file FILE   the new key: 32 bytes in base64, in a file only its owner can read
  --generate            create FILE with a new random key first (it must not exist yet)

Then restart the server with the new key. Running the command again with the same two keys
finishes a rotation: it re-wraps only what is still under the old key. Keep the old key until
the backups made with it have expired; they open with it alone.
`;

export async function keys(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = flags(() =>
    parseArgs({
      args: joinFlagValues(argv, ['new-key-file']),
      strict: true,
      allowPositionals: true,
      options: { 'new-key-file': { type: 'string' }, generate: { type: 'boolean' }, ...HELP },
    }),
  );
  if (values.help) {
    io.stdout(keysUsage);
    return EXIT.ok;
  }
  if (positionals.length !== 1 || positionals[0] !== 'rotate')
    throw new UsageError(
      positionals.length === 0 ? 'say what to do: rotate' : `unknown subcommand "${positionals.join(' ')}"`,
    );
  const file = resolve(required(values['new-key-file'], 'new-key-file'));

  return asCliErrors(async () => {
    const config = opsConfig(env);
    const oldKek = configuredKek(config);
    const database = await openExistingDatabase(config);
    try {
      // A new key is only created for an instance the configured key opens, and it is
      // written and flushed before anything is sealed under it.
      if (values.generate) await requireMatchingKek(database.db, oldKek);
      const newKek = values.generate
        ? (writeNewKeyFile(file) ?? refuseToOverwrite(file))
        : loadKeyEncryptionKey({ kind: 'file', path: file, create: false });
      let result;
      try {
        result = await rotateKeyEncryptionKey(database, oldKek, newKek);
      } catch (e) {
        if (e instanceof RotationError)
          throw new CliError(
            `${e.message}${values.generate ? `\n(the new key in ${file} was not used; run again without --generate to use it)` : ''}`,
          );
        throw e;
      }
      const done = result.organisationKeys + result.instanceSecrets;
      io.stdout(
        done === 0 && result.alreadyRotated > 0
          ? `Everything was already under the new key (${count(result.alreadyRotated, 'item')}); the rotation is complete.\n`
          : `Re-wrapped ${count(result.organisationKeys, 'organisation key')} and ${count(result.instanceSecrets, 'instance secret')} under the new key-encryption key` +
              `${result.alreadyRotated ? ` (${result.alreadyRotated} already were)` : ''}, and replaced the key check.\n`,
      );
      const pointAt =
        config.key.kind === 'env'
          ? `set KALAJA_KEY to the contents of ${file}`
          : `set KALAJA_KEY_FILE=${file}\n     (or put that file in place of ${config.key.path}, keeping the old one elsewhere)`;
      io.stdout(
        `\nThe new key is in ${file}. Next:\n` +
          `  1. Point every server process at the new key and restart it: ${pointAt}.\n` +
          '     A server started with the old key now refuses to start; one still running serves only\n' +
          '     the organisations whose keys it holds in memory until it restarts.\n' +
          '  2. If a server kept running meanwhile, run this command again once all use the new key\n' +
          '     (with the old key configured as now): it re-wraps whatever was sealed under the old key\n' +
          '     in between.\n' +
          '  3. Back up the new key. Keep the old key, offline, until every backup made with it has\n' +
          '     expired (those backups open with the old key only); then destroy it.\n',
      );
      return EXIT.ok;
    } finally {
      await database.close();
    }
  });
}

/** `--generate` names a file that exists: never overwritten, since that loses the key it held. */
function refuseToOverwrite(file: string): never {
  throw new OpsError(`${file} already exists; a key file is never overwritten (choose another name)`);
}
