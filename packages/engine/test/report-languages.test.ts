import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  buildOrganisationReport,
  buildProgrammeReport,
  LATIN_WORDS,
  latinToCyrillic,
  loadFramework,
  readAnswers,
  REPORT_CATALOGUES,
  textFor,
  type Framework,
  type Locale,
} from '../src/index.js';

/**
 * A report reads in its language throughout: in Serbian Cyrillic no word is in Latin script but
 * names, acronyms and identifiers; in Albanian and Serbian no sentence of the English catalogue
 * and no English text of the framework appears. Checked on the sample cohort, with its rounds
 * and organisations renamed as a programme in that language would name them.
 */
const repo = new URL('../../../', import.meta.url).pathname;
const loaded = loadFramework(readFileSync(`${repo}content/frameworks/cso-media.yaml`, 'utf8'), { file: 'f.yaml' });
if (!loaded.ok) throw new Error('framework');
const fw: Framework = loaded.value;
const csv = readFileSync(`${repo}content/samples/answers.csv`, 'utf8');

/** The sample with its round names in the language, and its notes (English data) left out. */
function sample(rounds: [string, string]) {
  const rows = (parse(csv, { from_line: 2 }) as string[][]).map(([org, round, q, a]) =>
    [org, round === 'baseline' ? rounds[0] : rounds[1], q, a].join(','),
  );
  const r = readAnswers(fw, ['organisation,round,question,answer', ...rows].join('\n'), { file: 'answers.csv' });
  if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
  return r.value;
}

/** Every string a report model holds, the way a renderer meets them. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

// Identifiers a report prints as they are: the framework's id, question ids, rule ids.
const IDENTIFIER = /^[a-z0-9]+(?:[-.][a-z0-9]+)+$|^cso-media$/;

function latinWords(text: string): string[] {
  return (text.match(/[A-Za-zČĆŽŠĐčćžšđ][A-Za-zČĆŽŠĐčćžšđ0-9-]*/g) ?? []).filter(
    (w) => !LATIN_WORDS.has(w.toLowerCase()) && !/^[A-Z0-9]+$/.test(w) && !IDENTIFIER.test(w),
  );
}

/** English sentences a translated report must not contain: the catalogue's, and the framework's. */
const ENGLISH = [
  ...Object.values(REPORT_CATALOGUES.en).map((s) => s.split(/\{\w+\}/).sort((a, b) => b.length - a.length)[0]!),
  ...fw.domains.flatMap((d) => [textFor(d.title), ...d.questions.map((q) => textFor(q.text))]),
]
  .map((s) => s.trim())
  .filter((s) => s.split(/\s+/).length >= 4);

const ROUNDS: Record<Exclude<Locale, 'en'>, [string, string]> = {
  sq: ['vlerësimi fillestar', 'rivlerësimi'],
  'sr-Latn': ['početna procena', 'ponovna procena'],
  'sr-Cyrl': ['почетна процена', 'поновна процена'],
};

describe.each(Object.keys(ROUNDS) as Exclude<Locale, 'en'>[])('a report in %s', (locale) => {
  const set = sample(ROUNDS[locale]);
  const organisation = [...set.assessments.keys()][0]!;
  const reports = {
    programme: buildProgrammeReport(fw, set, { locale, generatedAt: '2026-06-12T10:00:00Z' }),
    observers: buildProgrammeReport(fw, set, { locale, audience: 'observers', generatedAt: '2026-06-12T10:00:00Z' }),
    organisation: buildOrganisationReport(fw, set, organisation, { locale, generatedAt: '2026-06-12T10:00:00Z' }),
  };

  it.each(Object.keys(reports) as (keyof typeof reports)[])('has no English sentence in the %s report', (kind) => {
    const text = strings(reports[kind]).join('\n');
    expect(text.length).toBeGreaterThan(1000);
    expect(ENGLISH.filter((sentence) => text.includes(sentence))).toEqual([]);
  });

  if (locale === 'sr-Cyrl')
    it.each(Object.keys(reports) as (keyof typeof reports)[])('is Cyrillic throughout in the %s report', (kind) => {
      // Organisation names are the programme's data; the sample's are Albanian and Serbian Latin.
      const names = [...set.assessments.keys()];
      // Values that are not text: ids, kinds and the locale the model carries.
      const words = strings(reports[kind])
        .filter((s) => !names.includes(s) && !/^[a-z0-9]+(?:[-.:][a-zA-Z0-9]+)*$/.test(s))
        .map((s) => names.reduce((t, n) => t.split(n).join(' '), s))
        // A Latin word is right only where the transliteration keeps it (a name, an address).
        .flatMap((s) => {
          const kept = new Set(latinWords(latinToCyrillic(s)));
          return latinWords(s).filter((w) => !kept.has(w));
        });
      expect([...new Set(words)]).toEqual([]);
    });
});
