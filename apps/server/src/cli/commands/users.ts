import { parseArgs } from 'node:util';
import { systemActor } from '../../modules/access/access-types.js';
import { flags, HELP, required } from '../args.js';
import { withInstance } from '../instance.js';
import { CliError, EXIT, UsageError, type CliIo } from '../io.js';

export const usersUsage = `Usage: kalaja users reset-second-factor --email EMAIL

For the operator when nobody who could do it in the app can sign in any more (the last instance
admin lost their phone, passkeys and recovery codes). Removes the account's authenticator app,
passkeys and recovery codes, ends its sessions, records it in the audit log, and prints a
one-time recovery link valid for 24 hours.

The link alone signs nobody in: its holder also needs the account's password, and must then
set up a new second factor before anything else. Hand it over in person or by a trusted
channel, never by the same channel as the password.

  --email EMAIL    the account's email address
`;

export async function users(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = flags(() =>
    parseArgs({ args: argv, strict: true, allowPositionals: true, options: { email: { type: 'string' }, ...HELP } }),
  );
  if (values.help) {
    io.stdout(usersUsage);
    return EXIT.ok;
  }
  if (positionals.length !== 1 || positionals[0] !== 'reset-second-factor')
    throw new UsageError(
      positionals.length === 0
        ? 'say what to do: reset-second-factor'
        : `unknown subcommand "${positionals.join(' ')}"`,
    );
  const email = required(values.email, 'email').trim().toLowerCase();
  return withInstance(env, async (kalaja) => {
    const user = await kalaja.stores.users.byEmail(email);
    if (!user) throw new CliError(`No account has the email ${email}.`);
    const r = await kalaja.services.recovery.issueRecovery(systemActor(`cli-recovery-${Date.now()}`), user.id);
    io.stdout(
      `Reset the second factors of ${user.email}: every session ended, authenticator app, passkeys and recovery codes removed.\n` +
        `Recovery link (works once, until ${r.expiresAt}):\n${r.link}\n` +
        'Hand it over in person or by a trusted channel. It works only together with the account\u2019s password.\n',
    );
    return EXIT.ok;
  });
}
