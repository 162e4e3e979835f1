import { describe, expect, it } from 'vitest';
import { formatProblem, inLanguage, loadFramework, pickText, textFor } from '@kalaja/engine';

// A framework whose own language is not English (issue 19): an imported French library keeps
// French as the text every reader falls back to.

const framework = (head: string, title: string) =>
  `kalaja: framework/1\nid: t\nversion: "1"\n${head}title: ${title}\ndomains:\n  - id: d\n    title: {fr: Comptes, en: Accounts}\n    questions:\n      - id: d.q\n        text: {fr: Double authentification ?}\n        options: [{id: a, label: {fr: Non}, score: 0}, {id: b, label: {fr: Oui, sq: Po}, score: 1}]\n`;

const problems = (text: string) => {
  const r = loadFramework(text, { file: 'f.yaml' });
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('a framework in another language', () => {
  it('accepts text maps with the language it names and no English', () => {
    const r = loadFramework(framework('language: fr\n', '{fr: Hygiène}'), { file: 'f.yaml' });
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.value.language).toBe('fr');
    const q = r.value.domains[0]!.questions[0]!;
    // A reader of another language sees the framework's own text, marked as French.
    expect(pickText(q.text, 'sq')).toEqual({ text: 'Double authentification ?', lang: 'fr' });
    expect(textFor(q.options[1]!.label, 'sq')).toBe('Po');
    expect(textFor(r.value.domains[0]!.title, 'en')).toBe('Accounts');
    expect(inLanguage(q.text, 'en')).toEqual({ fr: 'Double authentification ?' });
  });

  it("names each text map that lacks the framework's language, where it is", () => {
    expect(problems(framework('language: fr\n', '{en: Hygiene}'))).toEqual([
      'f.yaml:5:8: a text map needs an `fr` entry',
    ]);
    expect(problems(framework('', '{fr: Hygiène}'))).toEqual([
      'f.yaml:4:8: a text map needs an `en` entry',
      'f.yaml:10:15: question `d.q`: a text map needs an `en` entry',
      'f.yaml:11:34: question `d.q`, option `a`: a text map needs an `en` entry',
      'f.yaml:11:71: question `d.q`, option `b`: a text map needs an `en` entry',
    ]);
    expect(problems(framework('language: French\n', 'T'))[0]).toMatch(/^f\.yaml:4:11: .*language must be a locale/);
  });

  it('keeps the source and licence of an imported framework, and nothing for a framework without them', () => {
    const r = loadFramework(framework('language: fr\nsource: ANSSI\nlicence: Licence Ouverte v2.0\n', '{fr: H}'), {
      file: 'f.yaml',
    });
    expect(r.ok && [r.value.source, r.value.licence]).toEqual(['ANSSI', 'Licence Ouverte v2.0']);
    const plain = loadFramework(framework('', 'T').replace(/\{fr: ([^,}]+)(, [^}]*)?\}/g, '$1'), { file: 'f.yaml' });
    expect(plain.ok && Object.keys(plain.value)).toEqual(['id', 'version', 'title', 'scale', 'levels', 'domains']);
  });
});
