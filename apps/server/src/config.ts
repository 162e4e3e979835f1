import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Kalaja's configuration, read from the environment once at start, validated, and frozen.
 * Nothing else in the server reads `process.env`. An invalid value stops the start with a
 * message naming the variable.
 *
 * | variable            | meaning                                                    | default     |
 * | ------------------- | ---------------------------------------------------------- | ----------- |
 * | PORT                | port to listen on                                          | 3000        |
 * | HOST                | address to listen on; keep 127.0.0.1 behind a reverse proxy | 127.0.0.1  |
 * | KALAJA_DATA_DIR     | SQLite file, key file, evidence files                      | ./data      |
 * | DATABASE_URL        | postgres://… switches storage to PostgreSQL                | (SQLite)    |
 * | KALAJA_KEY          | key-encryption key, 32 bytes in base64                     | (key file)  |
 * | KALAJA_KEY_FILE     | file holding the key-encryption key                        | DATA_DIR/kalaja.key |
 * | KALAJA_PUBLIC_URL   | the address people use; https:// turns on Secure cookies   | http://HOST:PORT |
 * | KALAJA_LOG_LEVEL    | fatal, error, warn, info, debug                            | info        |
 * | KALAJA_TRUST_PROXY  | addresses of reverse proxies whose X-Forwarded-For is believed | (none) |
 * | KALAJA_OPEN_DATA_LICENCE | the openness index's open-data licence: a name and its URL | CC-BY-4.0 |
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database:
    { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly key:
    | { readonly kind: 'env'; readonly value: string }
    | { readonly kind: 'file'; readonly path: string; readonly create: boolean };
  readonly publicUrl: string;
  /**
   * True when KALAJA_PUBLIC_URL is not set: the server is used on this machine, and writes from
   * both loopback names (`localhost`, `127.0.0.1`) on its port are accepted. With a public URL,
   * only that origin is.
   */
  readonly loopbackOrigins: boolean;
  /** True behind TLS: cookies get `Secure` and the `__Host-` prefix. */
  readonly secureCookies: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /**
   * Reverse proxies (addresses or CIDR ranges, e.g. `127.0.0.1`) whose X-Forwarded-For names
   * the real client. Without it, behind a proxy every request seems to come from the proxy,
   * and sign-in throttling by address would hold back everyone at once.
   */
  readonly trustProxy: readonly string[];
  /**
   * The licence a published openness index's open data carries (docs/contracts.md, §11), e.g.
   * `CC0-1.0 https://creativecommons.org/publicdomain/zero/1.0/`; CC BY 4.0 when unset.
   */
  readonly openDataLicence?: { readonly name: string; readonly path: string };
}

const env = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  KALAJA_DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, {
      error: 'must be a postgres:// URL (leave it unset for the embedded SQLite database)',
    })
    .optional(),
  KALAJA_KEY: z
    .string()
    .trim()
    .refine((v) => Buffer.from(v, 'base64').length === 32, {
      error: 'must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)',
    })
    .optional(),
  KALAJA_KEY_FILE: z.string().trim().min(1).optional(),
  KALAJA_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  KALAJA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  KALAJA_TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*$/, {
      error: 'must be addresses or CIDR ranges separated by commas, e.g. 127.0.0.1',
    })
    .optional(),
  KALAJA_OPEN_DATA_LICENCE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.+-]{2,64}\s+https:\/\/\S+$/, {
      error:
        'must be a licence name and its https:// address, e.g. CC0-1.0 https://creativecommons.org/publicdomain/zero/1.0/',
    })
    .optional(),
});

export class ConfigError extends Error {}

/** Parses the environment into a frozen Config, or throws a ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = env.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = isAbsolute(e.KALAJA_DATA_DIR) ? e.KALAJA_DATA_DIR : resolve(cwd, e.KALAJA_DATA_DIR);
  const database = e.DATABASE_URL
    ? ({ kind: 'postgres', url: e.DATABASE_URL } as const)
    : ({ kind: 'sqlite', file: resolve(dataDir, 'kalaja.sqlite') } as const);
  let key: Config['key'];
  if (e.KALAJA_KEY) key = { kind: 'env', value: e.KALAJA_KEY };
  else if (e.KALAJA_KEY_FILE) key = { kind: 'file', path: resolve(cwd, e.KALAJA_KEY_FILE), create: false };
  else if (database.kind === 'sqlite') key = { kind: 'file', path: resolve(dataDir, 'kalaja.key'), create: true };
  else {
    throw new ConfigError(
      'invalid configuration:\n  KALAJA_KEY: with DATABASE_URL every server process needs the same key-encryption key; set KALAJA_KEY or KALAJA_KEY_FILE',
    );
  }
  const publicUrl = (
    e.KALAJA_PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`
  ).replace(/\/$/, '');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: Object.freeze(database),
    key: Object.freeze(key),
    publicUrl,
    loopbackOrigins: e.KALAJA_PUBLIC_URL === undefined,
    secureCookies: publicUrl.startsWith('https://'),
    logLevel: e.KALAJA_LOG_LEVEL,
    trustProxy: Object.freeze(e.KALAJA_TRUST_PROXY ? e.KALAJA_TRUST_PROXY.split(',').map((a) => a.trim()) : []),
    ...(e.KALAJA_OPEN_DATA_LICENCE && {
      openDataLicence: Object.freeze({
        name: e.KALAJA_OPEN_DATA_LICENCE.split(/\s+/)[0]!,
        path: e.KALAJA_OPEN_DATA_LICENCE.split(/\s+/)[1]!,
      }),
    }),
  });
}
