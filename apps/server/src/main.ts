import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config.js';
import { KeyError } from './crypto/kek.js';
import { humanLogStream } from './http/log-format.js';
import { holdDataDir } from './ops/server-lock.js';
import { createKalaja, StartupError, type Kalaja } from './server.js';

/**
 * `npm start`: runs Kalaja with the configuration from the environment (embedded SQLite in
 * ./data by default) and prints where to open it. On a new instance it prints the one-time
 * setup token that creates the first account — last, after everything the start logs, so it
 * is what a person sees. At a terminal the request log is one plain line per request.
 */

function fail(message: string): never {
  process.stderr.write(`kalaja: ${message}\n`);
  process.exit(1);
}

/** Why listening failed, in words the operator can act on; undefined for anything unexpected. */
function listenFailure(e: unknown, config: Pick<Config, 'host' | 'port'>): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE')
    return `port ${config.port} is in use (another Kalaja, or another program, listens on it); set PORT to a free port, e.g. PORT=${config.port === 65535 ? 3001 : config.port + 1} npm start`;
  if (code === 'EACCES')
    return `port ${config.port} needs privileges this user does not have; set PORT to a port above 1023`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return `cannot listen on ${config.host}: this machine has no such address; set HOST (default 127.0.0.1)`;
  return undefined;
}

/** The address to print: the public URL, or — when none is configured — the port actually listened on. */
function address(config: Config, kalaja: Kalaja): string {
  if (!config.loopbackOrigins) return config.publicUrl;
  const bound = kalaja.app.server.address() as AddressInfo | null;
  return bound ? config.publicUrl.replace(/:\d+$/, `:${bound.port}`) : config.publicUrl;
}

async function start(): Promise<void> {
  // Files Kalaja creates (database, key, evidence) are readable by its own user only.
  process.umask(0o077);
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  let kalaja: Kalaja;
  try {
    kalaja = await createKalaja(config, process.stdout.isTTY ? { logStream: humanLogStream(process.stdout) } : {});
  } catch (e) {
    if (e instanceof KeyError || e instanceof StartupError) fail(e.message);
    throw e;
  }
  try {
    await kalaja.app.listen({ port: config.port, host: config.host });
  } catch (e) {
    const message = listenFailure(e, config);
    await kalaja.close().catch(() => undefined);
    if (message) fail(message);
    throw e;
  }
  const url = address(config, kalaja);
  // While it runs, the server marks the data directory: `kalaja restore` refuses meanwhile.
  const release = holdDataDir(config.dataDir, url);
  const where = config.database.kind === 'sqlite' ? `SQLite at ${config.database.file}` : 'PostgreSQL';
  let banner = `\nKalaja is running at ${url}  (data: ${where})\n`;
  if (config.key.kind === 'file')
    banner += `Key file: ${config.key.path} — back it up; without it the data cannot be read.\n`;
  if (kalaja.setupToken) {
    banner +=
      `\nFirst run: open ${url}/setup and create the first account with this one-time setup token:\n\n` +
      `    ${kalaja.setupToken}\n\n` +
      'Every start prints the same token until it is used.\n\n';
  }
  process.stdout.write(banner);
  const stop = async () => {
    release();
    await kalaja.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // The terminal it ran in closed: stop the same way (a kill -9 leaves a stale mark, seen as such).
  process.once('SIGHUP', stop);
}

await start();
