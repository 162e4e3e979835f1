#!/usr/bin/env node
// `npm run build`'s step after `tsc -b`: bundles `kalaja score` (the compiled command and the
// part of the engine it loads, with zod, js-yaml and yaml) into apps/server/dist/cli/bundle/,
// which `kalaja score` then loads as one file instead of about a hundred modules (issue 11:
// the command on 800 rows spent a third of its time in the module loader). The spreadsheet
// reader stays a chunk of its own, loaded only for a spreadsheet. `main` falls back to the
// command's own modules when the bundle is older than the compiled packages.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const dist = fileURLToPath(new URL('../apps/server/dist/cli/', import.meta.url));
rmSync(`${dist}bundle`, { recursive: true, force: true });
await build({
  input: { score: `${dist}commands/score.js` },
  platform: 'node',
  logLevel: 'warn',
  output: { dir: `${dist}bundle`, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});
