import { ConfigError, loadConfig, type Config } from '../config.js';
import { KeyError } from '../crypto/kek.js';
import { createKalaja, StartupError, type Kalaja } from '../server.js';
import { CliError } from './io.js';

/**
 * Opens this machine's Kalaja instance for a command — the same configuration `npm start`
 * reads from the environment — and closes it afterwards. Configuration and key problems
 * become plain messages (exit 1).
 */
export async function withInstance<T>(
  env: Record<string, string | undefined>,
  fn: (kalaja: Kalaja, config: Config) => Promise<T>,
): Promise<T> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.message);
    throw e;
  }
  let kalaja: Kalaja;
  try {
    kalaja = await createKalaja({ ...config, logLevel: 'silent' });
  } catch (e) {
    if (e instanceof KeyError || e instanceof StartupError) throw new CliError(e.message);
    throw e;
  }
  try {
    return await fn(kalaja, config);
  } finally {
    await kalaja.close();
  }
}
