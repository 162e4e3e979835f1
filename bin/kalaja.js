#!/usr/bin/env node
// The `kalaja` command. The TypeScript sources are compiled by `npm install` (prepare) or
// `npm run build`; this file only hands the arguments to the compiled command line.
import { existsSync } from 'node:fs';

const entry = new URL('../apps/server/dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('kalaja: not built yet; run `npm run build` in the Kalaja folder first\n');
  process.exit(1);
}
// Output piped into a reader that stops early (`kalaja score … | head`): stop quietly, as other
// command-line tools do, instead of dying on EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { main } = await import(entry.href);
process.exitCode = await main(
  process.argv.slice(2),
  { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
  process.env,
);
