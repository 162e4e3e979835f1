import { ConfigError, loadConfig, type Config } from '../config.js';
import { runningServers } from '../ops/server-lock.js';
import { KeyError } from '../crypto/kek.js';
import { createKalaja, StartupError, type Kalaja } from '../server.js';
import { CliError } from './io.js';

/**
 * The address people reach this instance at, for the links a command prints: KALAJA_PUBLIC_URL
 * when set; otherwise the one a server running on this data directory printed (it may listen
 * on a PORT this shell does not have); otherwise http://HOST:PORT from this environment.
 */
export function instanceUrl(config: Config): string {
  if (!config.loopbackOrigins) return config.publicUrl;
  const running = runningServers(config.dataDir).find((s) => /^https?:\/\//.test(s.url));
  return running?.url ?? config.publicUrl;
}

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
    // Links made here (recovery, invitations) name the address the server is reached at.
    config = { ...config, publicUrl: instanceUrl(config) };
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
