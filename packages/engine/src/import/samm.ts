import { LineCounter, parseAllDocuments } from 'yaml';
import { list, obj, type Loose } from '../documents/document.js';
import { FRAMEWORK_FORMAT } from '../framework/types.js';
import type { Problem } from '../problems.js';
import { cleanText, notes, toId, uniqueIds, writeFramework, type ImportResult } from './import-fns.js';

export interface SammImportOptions {
  /** Name shown in problems. */
  file: string;
  /** The framework id; `owasp-samm` unless said. */
  id?: string;
}

/** One file of SAMM's model (`model/**.yml`): its name for problems and its text. */
export interface SammFile {
  name: string;
  text: string;
}

const KINDS = [
  'Function',
  'Practice',
  'Stream',
  'Activity',
  'Question',
  'AnswerSet',
  'MaturityLevel',
  'PracticeLevel',
] as const;

/**
 * OWASP SAMM's YAML model as a `kalaja: framework/1` file: each security practice a domain
 * (its business function in the title), each question a question whose id keeps the practice,
 * stream and maturity level (`d-sa.a-1`), its activity, stream, level and quality criteria the
 * guidance, its answer set the options. The scale is SAMM's 0 to 3: with every question weighed
 * alike, a domain's score is SAMM's practice score. SAMM counts an unanswered question as "No"
 * and Kalaja leaves it out: the report and the framework's description say so.
 *
 * The model is many small files, each with a `type`; they are given as a list, or as one text
 * of YAML documents (the files joined with `---`), which is what the app uploads.
 */
export function importSamm(input: string | SammFile[], options: SammImportOptions): ImportResult {
  const files = typeof input === 'string' ? [{ name: options.file, text: input }] : input;
  const problems: Problem[] = [];
  const byKind = new Map<string, Loose[]>(KINDS.map((k) => [k, []]));
  for (const f of files) {
    const lines = new LineCounter();
    const docs = parseAllDocuments(f.text, { lineCounter: lines, uniqueKeys: false });
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      const err = doc.errors[0];
      if (err) {
        const { line, col } = lines.linePos(err.pos[0]);
        problems.push({ file: f.name, line, col, message: `is not valid YAML (${err.message.split('\n')[0]})` });
        continue;
      }
      const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
      if (raw === null || raw === undefined) continue;
      const o = obj(raw);
      const type = typeof o.type === 'string' ? o.type : undefined;
      if (type === undefined || typeof o.id !== 'string') {
        const { line, col } = lines.linePos(doc.range[0]);
        problems.push({
          file: f.name,
          line,
          col,
          message: 'a SAMM model document needs a `type` (Function, Practice, Stream, Question, …) and an `id`',
        });
        continue;
      }
      byKind.get(type)?.push({ ...o, __file: f.name, __line: lines.linePos(doc.range[0]).line });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const of = (k: (typeof KINDS)[number]) => byKind.get(k)!;
  const index = (k: (typeof KINDS)[number]) => new Map(of(k).map((x) => [String(x.id), x]));
  const functions = index('Function');
  const practices = index('Practice');
  const streams = index('Stream');
  const activities = index('Activity');
  const answerSets = index('AnswerSet');
  const levels = index('MaturityLevel');
  const practiceLevels = index('PracticeLevel');
  if (of('Question').length === 0 || practices.size === 0)
    return {
      ok: false,
      problems: [
        {
          file: options.file,
          line: 1,
          col: 1,
          message: 'no SAMM `Practice` and `Question` documents: this is not the OWASP SAMM model',
        },
      ],
    };

  const at = (q: Loose) => ({ file: String(q.__file), line: Number(q.__line), col: 1 });
  const order = (x: Loose | undefined) => (typeof x?.order === 'number' ? x.order : 0);
  const note = notes();
  note.add('unanswered-counts-as-no');

  interface Asked {
    practice: Loose;
    stream: Loose;
    level: number;
    q: Loose;
    activity: Loose;
    answers: Loose;
  }
  const asked: Asked[] = [];
  for (const q of of('Question')) {
    const activity = activities.get(String(q.activity));
    if (!activity) {
      problems.push({
        ...at(q),
        message: `the question \`${String(q.id)}\` names the activity \`${String(q.activity)}\`, which is not in the model`,
      });
      continue;
    }
    const stream = streams.get(String(activity.stream));
    const practice = stream && practices.get(String(stream.practice));
    const answers = answerSets.get(String(q.answerSet));
    if (!stream || !practice) {
      problems.push({
        ...at(q),
        message: `the question \`${String(q.id)}\` names the stream \`${String(activity.stream)}\`, which is not in the model`,
      });
      continue;
    }
    if (!answers) {
      problems.push({
        ...at(q),
        message: `the question \`${String(q.id)}\` names the answer set \`${String(q.answerSet)}\`, which is not in the model`,
      });
      continue;
    }
    const pl = practiceLevels.get(String(activity.level));
    const level = Number(levels.get(String(pl?.maturityLevel))?.number ?? pl?.maturityLevel ?? 0);
    asked.push({ practice, stream, level, q, activity, answers });
  }
  if (problems.length > 0) return { ok: false, problems };

  const functionOf = (p: Loose) => functions.get(String(p.function));
  const practiceOrder = [...practices.values()].sort(
    (a, b) =>
      order(functionOf(a)) - order(functionOf(b)) ||
      order(a) - order(b) ||
      String(a.name).localeCompare(String(b.name), 'en'),
  );
  const domainId = uniqueIds();
  const questionId = uniqueIds();
  const levelWords = (n: number) =>
    cleanText(levels.get([...levels.keys()].find((k) => levels.get(k)!.number === n) ?? '')?.description);
  const domains = practiceOrder.flatMap((p) => {
    const fn = functionOf(p);
    const fnName = cleanText(fn?.name);
    const letter = (fnName[0] ?? 'x').toLowerCase();
    const short = cleanText(p.shortName) || cleanText(p.name);
    const items = asked
      .filter((a) => a.practice === p)
      .sort(
        (a, b) =>
          String(a.stream.letter).localeCompare(String(b.stream.letter), 'en') ||
          a.level - b.level ||
          order(a.q) - order(b.q),
      );
    if (items.length === 0) return [];
    const dId = domainId(`${letter}-${toId(short)}`);
    return [
      {
        id: dId,
        title: fnName ? `${fnName}: ${cleanText(p.name)}` : cleanText(p.name),
        ...(cleanText(p.shortDescription) && { description: cleanText(p.shortDescription) }),
        questions: items.map((a) => {
          const quality = list(a.q.quality).map(cleanText).filter(Boolean);
          const guidance = [
            `Stream ${cleanText(a.stream.letter)} (${cleanText(a.stream.name)}), maturity level ${a.level}: ${cleanText(a.activity.title)}.`,
            cleanText(a.activity.shortDescription),
            levelWords(a.level),
            quality.length > 0 ? `Quality criteria: ${quality.join('; ')}.` : '',
          ].filter(Boolean);
          const optionId = uniqueIds();
          const values = list(a.answers.values)
            .map(obj)
            .sort((x, y) => order(x) - order(y));
          return {
            id: questionId(`${dId}.${toId(String(a.stream.letter))}-${a.level}`),
            text: cleanText(a.q.text),
            guidance: guidance.join('\n\n'),
            options: values.map((v, i) => ({
              id: optionId(toId(cleanText(v.text)).slice(0, 40).replace(/-+$/, '') || `answer-${i + 1}`),
              label: cleanText(v.text) || String(v.value),
              score: Math.min(1, Math.max(0, Number(v.value) || 0)),
            })),
            refs: { 'owasp-samm-2': [`${letter.toUpperCase()}-${short}-${cleanText(a.stream.letter)}-${a.level}`] },
          };
        }),
      },
    ];
  });
  const id = options.id ?? 'owasp-samm';
  const licence = 'CC BY-SA 4.0 (OWASP SAMM, the OWASP Foundation)';
  const source = 'OWASP SAMM 2 model, https://github.com/owaspsamm/core';
  const doc = {
    kalaja: FRAMEWORK_FORMAT,
    id,
    version: '2.0',
    title: 'OWASP Software Assurance Maturity Model (SAMM)',
    description: {
      en: 'Imported from the OWASP SAMM model. Scores run from 0 to 3, as in SAMM: a domain is a practice and its score is SAMM\'s practice score. SAMM counts an unanswered question as "No"; Kalaja leaves it out, so answer every question to compare with a SAMM assessment.',
      sq: 'Importuar nga modeli OWASP SAMM. Pikët shkojnë nga 0 në 3, si në SAMM: një fushë është një praktikë dhe pikët e saj janë pikët e praktikës në SAMM. SAMM e numëron një pyetje pa përgjigje si "Jo"; Kalaja e lë jashtë, prandaj përgjigjuni çdo pyetjeje për ta krahasuar me një vlerësim SAMM.',
      'sr-Latn':
        'Uvezeno iz modela OWASP SAMM. Bodovi idu od 0 do 3, kao u SAMM-u: oblast je praksa, a njen rezultat je rezultat prakse u SAMM-u. SAMM pitanje bez odgovora računa kao "Ne"; Kalaja ga izostavlja, pa odgovorite na svako pitanje da biste poredili sa SAMM procenom.',
    },
    source,
    licence,
    scale: 3,
    domains,
  };
  const header = [
    `Imported by \`kalaja import-framework --from samm\` from ${options.file}.`,
    `Source: ${source}. Licence: ${licence}.`,
  ];
  return writeFramework(doc, header, `${id}.yaml`, { format: 'samm', language: 'en', notes: note.list() });
}
