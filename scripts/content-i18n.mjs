#!/usr/bin/env node
// Translators' tool for the YAML content (framework, interventions, training modules): lists the
// texts a language still lacks, and writes translations back into the file as locale maps,
// keeping its comments and layout.
//
//   node scripts/content-i18n.mjs missing FILE --lang sq [--out todo.json]
//   node scripts/content-i18n.mjs apply FILE --lang sq --in done.json
//
// `missing` prints (or writes) a JSON object from a text's address to its English, for example
// `"domains/access/questions/access.mfa/options/none/label": "No one uses it"`. A translator
// fills in the values and `apply` turns each plain string into `{en: …, sq: …}`, or adds the
// language to an existing map. Serbian is written as `sr-Latn`; Cyrillic is derived from it
// (docs/glossary.md), so `--lang sr-Cyrl` is refused. The texts are the keys that hold a
// `LocalText` in the contracts (docs/contracts.md §1): title, description, label, text,
// guidance, summary, explanation and each of `steps`.
import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap } from 'yaml';

export const TEXT_KEYS = new Set([
  'title',
  'description',
  'label',
  'text',
  'guidance',
  'summary',
  'explanation',
  'unit',
]);
export const TEXT_LISTS = new Set(['steps']);

/** Every text of a parsed document: its address, the node that holds it, and its parent. */
export function* texts(node, path = []) {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (TEXT_KEYS.has(key) && (isScalar(pair.value) || isMap(pair.value))) {
        yield { address: [...path, key].join('/'), pair };
      } else if (TEXT_LISTS.has(key) && isSeq(pair.value)) {
        for (const [i, item] of pair.value.items.entries()) {
          yield { address: [...path, key, String(i)].join('/'), seq: pair.value, index: i, item };
        }
      } else {
        yield* texts(pair.value, [...path, key]);
      }
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const id = isMap(item) ? item.get('id') : undefined;
      yield* texts(item, [...path, typeof id === 'string' ? id : String(i)]);
    }
  }
}

function valueOf(entry) {
  return entry.pair ? entry.pair.value : entry.item;
}

function english(node) {
  if (isScalar(node)) return String(node.value);
  if (isMap(node)) return String(node.get('en') ?? '');
  return '';
}

function has(node, lang) {
  return isMap(node) && node.has(lang);
}

function scalar(text, like) {
  const s = new Scalar(text);
  // Long prose keeps the folded style the English uses; short labels stay on one line.
  if (text.length > 80 && !text.includes('\n')) s.type = Scalar.BLOCK_FOLDED;
  else if (text.includes('\n')) s.type = Scalar.BLOCK_LITERAL;
  else if (like && isScalar(like) && like.type === Scalar.QUOTE_DOUBLE) s.type = Scalar.QUOTE_DOUBLE;
  return s;
}

const ORDER = ['en', 'sq', 'sr-Latn', 'sr-Cyrl'];
const rank = (pair) => {
  const i = ORDER.indexOf(String(isScalar(pair.key) ? pair.key.value : pair.key));
  return i < 0 ? ORDER.length : i;
};

function withLanguage(doc, node, lang, text) {
  if (isMap(node)) {
    node.set(lang, scalar(text));
    // The languages in the same order everywhere: en, sq, sr-Latn, then any other.
    node.items.sort((a, b) => rank(a) - rank(b));
    return node;
  }
  const map = new YAMLMap(doc.schema);
  map.set('en', node);
  map.set(lang, scalar(text, node));
  return map;
}

function options(argv) {
  const [command, file, ...rest] = argv;
  const flags = {};
  for (let i = 0; i < rest.length; i += 2) flags[rest[i].replace(/^--/, '')] = rest[i + 1];
  return { command, file, flags };
}

function main(argv) {
  const { command, file, flags } = options(argv);
  const lang = flags.lang;
  if (!['missing', 'apply'].includes(command) || !file || !lang) {
    console.error('usage: content-i18n.mjs missing|apply FILE --lang LANG [--out F | --in F]');
    return 2;
  }
  if (lang === 'sr-Cyrl' || lang === 'en') {
    console.error(`--lang ${lang}: ${lang === 'en' ? 'English is the source' : 'Cyrillic is derived from sr-Latn'}`);
    return 2;
  }
  const doc = parseDocument(readFileSync(file, 'utf8'), { keepSourceTokens: false });
  if (command === 'missing') {
    const todo = {};
    for (const entry of texts(doc.contents)) {
      const node = valueOf(entry);
      if (!has(node, lang)) todo[entry.address] = english(node);
    }
    const out = JSON.stringify(todo, null, 2) + '\n';
    if (flags.out) writeFileSync(flags.out, out);
    else process.stdout.write(out);
    console.error(`${file}: ${Object.keys(todo).length} texts lack ${lang}`);
    return 0;
  }
  const done = JSON.parse(readFileSync(flags.in, 'utf8'));
  const seen = new Set();
  for (const entry of texts(doc.contents)) {
    const text = done[entry.address];
    if (typeof text !== 'string' || text.trim() === '') continue;
    seen.add(entry.address);
    const node = valueOf(entry);
    const next = withLanguage(doc, node, lang, text.trim());
    if (entry.pair) entry.pair.value = next;
    else entry.seq.items[entry.index] = next;
  }
  const unknown = Object.keys(done).filter((a) => !seen.has(a) && typeof done[a] === 'string' && done[a].trim() !== '');
  for (const a of unknown) console.error(`${flags.in}: no text at ${a}`);
  writeFileSync(file, doc.toString({ lineWidth: 100, minContentWidth: 40 }));
  console.error(
    `${file}: ${seen.size} texts in ${lang}${unknown.length ? `, ${unknown.length} addresses not found` : ''}`,
  );
  return unknown.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv.slice(2)));
