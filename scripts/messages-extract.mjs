#!/usr/bin/env node
// Collects the English messages people read from the server and the engine's input checks (API
// errors, validation messages, the positioned problems of the CSV imports) into
// apps/server/src/messages/en.json, the source the translations in sq.json and sr-Latn.json
// follow. A message built from a template literal becomes a template with numbered
// placeholders: `the column \`${name}\` appears twice` → "the column `{1}` appears twice".
//
//   node scripts/messages-extract.mjs          writes en.json
//   node scripts/messages-extract.mjs --check  exits 1 when en.json is out of date
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SOURCES = [
  'apps/server/src',
  'packages/contracts/src',
  'packages/engine/src/answers',
  'packages/engine/src/training',
  'packages/engine/src/documents',
  'packages/engine/src/framework',
  'packages/engine/src/incidents',
  'packages/engine/src/survey',
  'packages/engine/src/import',
  'packages/engine/src/problems.ts',
];
const OUT = join(root, 'apps/server/src/messages/en.json');

function files(path) {
  const full = join(root, path);
  if (full.endsWith('.ts')) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(join(path, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
        ? [join(full, e.name)]
        : [],
  );
}

// A string literal: '…', "…" or `…` (template expressions may nest one level of braces).
const LITERAL = String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\`(?:[^\`\\$]|\\.|\$\{(?:[^{}]|\{[^{}]*\})*\}|\$(?!\{))*\`)`;
// A message kept in a constant: `const WRONG_CREDENTIALS = '…'` (a sentence: three spaces or more).
const CONSTANT = new RegExp(String.raw`\bconst [A-Z][A-Z0-9_]+ =\s*` + LITERAL, 'g');
// Where a problem is: "line 12", read beside the message.
const WHERE = new RegExp(String.raw`\bwhere:\s*(?:[^,\n]*\?\s*)?` + LITERAL, 'g');
const PATTERNS = [
  WHERE,
  CONSTANT,
  new RegExp(String.raw`new AppError\(\s*'[a-z_]+',\s*` + LITERAL, 'g'),
  new RegExp(String.raw`\bmessage:\s*` + LITERAL, 'g'),
  new RegExp(String.raw`\berror:\s*` + LITERAL, 'g'),
  // The helpers that make an AppError, and what they are given.
  new RegExp(String.raw`\b(?:conflict|invalid|notFound|failed|unsupported|gone|refuse)\(\s*` + LITERAL, 'g'),
  new RegExp(String.raw`\brefuseWhileThrottled\([^,]+,\s*` + LITERAL, 'g'),
  // What a refusal says one may not do ("Only … managers {1}."): `refuseUnlessPlanner(actor, scope, 'add items to a plan')`.
  new RegExp(String.raw`\brefuseUnless\w*\([^,()]+,\s*[^,]+?,\s*` + LITERAL, 'g'),
  new RegExp(String.raw`\bsend\(\s*\d{3},\s*'[a-z_]+',\s*` + LITERAL, 'g'),
];

/** The message a literal holds, with `${…}` as {1}, {2}…; null for one that is not a sentence. */
export function template(literal) {
  const quote = literal[0];
  let body = literal.slice(1, -1);
  if (quote === '`') {
    let n = 0;
    body = body.replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, () => `{${++n}}`);
  }
  body = body
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\(['"`\\])/g, '$1')
    .replace(/\\n/g, '\n');
  // Not a message: only placeholders, or no word of three letters; or a style sheet.
  if (!/[A-Za-z]{3}/.test(body.replace(/\{\d+\}/g, ''))) return null;
  if (/[{;]\s*\n/.test(body)) return null;
  return body;
}

export function extract() {
  const found = new Set();
  for (const file of SOURCES.flatMap(files)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of PATTERNS) {
      for (const m of text.matchAll(pattern)) {
        const t = template(m[1]);
        // A `where` that is a field name (`roundId`) is not read as words: only "line {1}" is.
        if (!t) continue;
        if (pattern === WHERE && !t.includes(' ')) continue;
        if (pattern === CONSTANT && (t.match(/ /g) ?? []).length < 3) continue;
        found.add(t);
      }
    }
  }
  return [...found].sort((a, b) => a.localeCompare(b, 'en'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const messages = extract();
  const json = JSON.stringify(messages, null, 2) + '\n';
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUT, 'utf8');
    if (current !== json) {
      console.error('apps/server/src/messages/en.json is out of date: run node scripts/messages-extract.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, json);
    console.error(`${messages.length} messages in ${OUT}`);
  }
}
