import { parseArgs } from 'node:util';
import { verifyStoredAuditChain } from '../../ops/audit.js';
import { asCliErrors, joinFlagValues } from '../../ops/cli.js';
import { openExistingDatabase, opsConfig, opsStores } from '../../ops/instance.js';
import { flags, HELP } from '../args.js';
import { CliError, count, EXIT, UsageError, type CliIo } from '../io.js';

export const auditUsage = `Usage: kalaja audit verify [--head HASH]

Checks the audit log's hash chain: every row's hash is recomputed from its content and the
row before it. Prints "audit chain intact: N rows" and exits 0, or names each broken row —
edited content, a removed row (a gap in the chain), a row out of order — and exits 1.
Reads the configured database (DATABASE_URL, or the SQLite file in KALAJA_DATA_DIR); it
needs no key and changes nothing, so it is safe while the server runs.

  --head HASH   a head hash printed by an earlier run: also checks that no row after it has
                been removed from the end of the log (the chain alone cannot show that)
`;

const HEX64 = /^[0-9a-f]{64}$/;

export async function audit(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = flags(() =>
    parseArgs({
      args: joinFlagValues(argv, ['head']),
      strict: true,
      allowPositionals: true,
      options: { head: { type: 'string' }, ...HELP },
    }),
  );
  if (values.help) {
    io.stdout(auditUsage);
    return EXIT.ok;
  }
  if (positionals.length !== 1 || positionals[0] !== 'verify')
    throw new UsageError(
      positionals.length === 0 ? 'say what to do: verify' : `unknown subcommand "${positionals.join(' ')}"`,
    );
  if (values.head !== undefined && !HEX64.test(values.head))
    throw new UsageError('--head must be a hash printed by an earlier `kalaja audit verify` (64 hex digits)');

  return asCliErrors(async () => {
    const database = await openExistingDatabase(opsConfig(env));
    try {
      const result = await verifyStoredAuditChain(opsStores(database).audit, { expectHead: values.head });
      if (result.problems.length === 0) {
        io.stdout(`audit chain intact: ${count(result.rows, 'row')}\n`);
        if (result.head) io.stdout(`head: seq ${result.head.seq}, hash ${result.head.hash}\n`);
        return EXIT.ok;
      }
      for (const p of result.problems) io.stderr(`seq ${p.seq}: ${p.message}\n`);
      const rows = new Set(result.problems.map((p) => p.seq)).size;
      throw new CliError(
        `audit chain broken: ${count(result.problems.length, 'problem')} in ${count(rows, 'row')} of ${result.rows}`,
      );
    } finally {
      await database.close();
    }
  });
}
