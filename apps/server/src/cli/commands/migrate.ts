import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../../config.js';
import { migrate as applyMigrations, openDatabase } from '../../db/database.js';
import { flags, HELP } from '../args.js';
import { CliError, EXIT, type CliIo } from '../io.js';

export const migrateUsage = `Usage: kalaja migrate

Applies pending database migrations to the configured database (DATABASE_URL, or the SQLite
file in KALAJA_DATA_DIR). The server also applies them when it starts.
`;

export async function migrate(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<number> {
  const { values } = flags(() => parseArgs({ args: argv, options: HELP, strict: true }));
  if (values.help) {
    io.stdout(migrateUsage);
    return EXIT.ok;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message);
    throw e;
  }
  const database = openDatabase(config.database);
  try {
    const applied = await applyMigrations(database);
    io.stdout(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
  } finally {
    await database.close();
  }
  return EXIT.ok;
}
