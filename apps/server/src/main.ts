import { ConfigError, loadConfig } from './config.js';
import { KeyError } from './crypto/kek.js';
import { createKalaja, StartupError } from './server.js';

/**
 * `npm start`: runs Kalaja with the configuration from the environment (embedded SQLite in
 * ./data by default) and prints where to open it. On a new instance it prints the one-time
 * setup token that creates the first account.
 */
async function start(): Promise<void> {
  // Files Kalaja creates (database, key, evidence) are readable by its own user only.
  process.umask(0o077);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`kalaja: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  let kalaja;
  try {
    kalaja = await createKalaja(config);
  } catch (e) {
    if (e instanceof KeyError || e instanceof StartupError) {
      process.stderr.write(`kalaja: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const { app } = kalaja;
  await app.listen({ port: config.port, host: config.host });
  const where = config.database.kind === 'sqlite' ? `SQLite at ${config.database.file}` : 'PostgreSQL';
  process.stdout.write(`\nKalaja is running at ${config.publicUrl}  (data: ${where})\n`);
  if (config.key.kind === 'file')
    process.stdout.write(`Key file: ${config.key.path} — back it up; without it the data cannot be read.\n`);
  if (kalaja.setupToken) {
    process.stdout.write(
      `\nFirst run: create the first account with this one-time setup token:\n\n    ${kalaja.setupToken}\n\n`,
    );
  }
  const stop = async () => {
    await kalaja.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await start();
