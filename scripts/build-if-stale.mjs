#!/usr/bin/env node
// `npm start`'s build step: builds only what is missing or older than its sources, so a start
// with nothing changed takes the server's own second instead of the web app's whole build.
//
// - The TypeScript packages (engine, contracts, server): `tsc -b`, which is incremental by
//   itself (under a second when nothing changed).
// - The web app: `npm run build --workspace @kalaja/web` (tsc and vite) only when
//   apps/web/dist/index.html is missing or older than a file it is built from: the web app's
//   sources, the engine's and the contracts' sources it imports, and their configs. New
//   dependencies come with `npm install`, whose prepare step builds everything anyway.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What the web build reads, relative to the repository. */
export const WEB_INPUTS = [
  'apps/web/src',
  'apps/web/public',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'apps/web/tsconfig.json',
  'apps/web/package.json',
  'packages/engine/src',
  'packages/engine/package.json',
  'packages/contracts/src',
  'packages/contracts/package.json',
  'tsconfig.base.json',
];

/** The newest modification time under `path` (a file or a folder), 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Why the web app must be built, or null when its build is newer than everything it reads. */
export function webBuildReason(repo = root) {
  const built = join(repo, 'apps/web/dist/index.html');
  if (!existsSync(built)) return 'the web app is not built yet';
  const at = statSync(built).mtimeMs;
  const stale = WEB_INPUTS.find((input) => newest(join(repo, input)) > at);
  return stale ? `${stale} changed since the web app was built` : null;
}

function run(what, command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`kalaja: ${what} failed; see above\n`);
    process.exit(r.status ?? 1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run('building the server (tsc -b)', npx, ['tsc', '-b']);
  const reason = webBuildReason();
  if (reason) {
    process.stdout.write(`Building the web app: ${reason}.\n`);
    run('building the web app', npm, ['run', 'build', '--workspace', '@kalaja/web']);
  }
}
