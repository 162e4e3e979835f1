import { sortProblems, type Problem, type Result } from '../problems.js';
import {
  contextFrom,
  controlCharacters,
  list,
  obj,
  positioned,
  readChecked,
  schemaProblems,
  type Path,
  type SourceDocument,
  type Vocabulary,
} from '../documents/document.js';
import { DEFAULT_TEXT_LENGTH, frameworkSchema, type FrameworkParsed } from './schema.js';
import type { Framework, SurveyQuestion } from './types.js';

export interface LoadOptions {
  /** Name shown in problems, usually the path the user gave. */
  file: string;
  /** `yaml` or `json`; by default taken from the file name (`.json` → json, else yaml). */
  format?: 'yaml' | 'json';
}

/**
 * Where each question's `interventions` entries stand in the file, for the catalogue
 * cross-check: the source kept, and the positions worked out the first time they are asked for
 * (most readers of a framework — `kalaja score`, the server — never ask).
 */
const interventionPositions = new WeakMap<Framework, { src: SourceDocument; lines?: Map<string, Problem['line'][]> }>();

/** The line of each intervention id a question names, when the framework was read from text. */
export function interventionLines(fw: Framework, questionId: string): (number | undefined)[] | undefined {
  const kept = interventionPositions.get(fw);
  if (!kept) return undefined;
  kept.lines ??= positionsOfInterventions(fw, kept.src);
  return kept.lines.get(questionId);
}

/**
 * Reads a `kalaja: framework/1` file (YAML or JSON) and validates it completely. Every problem
 * is reported at once with its line and column: syntax errors, unknown keys, values out of
 * range, duplicate ids, caps beyond the scale, levels out of order.
 *
 * @example
 * const r = loadFramework(text, { file: 'cso-media.yaml' });
 * if (!r.ok) r.problems.forEach((p) => console.error(formatProblem(p)));
 */
export function loadFramework(text: string, options: LoadOptions): Result<Framework> {
  const { file } = options;
  return readChecked(text, { ...options, what: 'a framework file' }, (src) => checkFramework(src, file));
}

function checkFramework(src: SourceDocument, file: string): Result<Framework> {
  const { raw } = src;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [
        { file, line: 1, col: 1, message: 'a framework file must be a mapping that starts with `kalaja: framework/1`' },
      ],
    };
  }
  const problems = positioned([...documentRules(raw), ...languageRules(raw)], src, file, FRAMEWORK_WORDS);
  const parsed = schemaProblems(frameworkSchema, src, file, FRAMEWORK_WORDS);
  problems.push(...parsed.problems);
  if (!parsed.value || problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  const fw = toFramework(parsed.value);
  interventionPositions.set(fw, { src });
  return { ok: true, value: fw };
}

function positionsOfInterventions(fw: Framework, src: SourceDocument): Map<string, Problem['line'][]> {
  const out = new Map<string, Problem['line'][]>();
  fw.domains.forEach((d, di) =>
    d.questions.forEach((q, qi) =>
      out.set(
        q.id,
        q.interventions.map((_, ii) => src.locate(['domains', di, 'questions', qi, 'interventions', ii]).line),
      ),
    ),
  );
  return out;
}

/**
 * Rules that need the whole document: unique ids, caps within the scale, ordered levels.
 * They read the raw document defensively, so they run (and report) even when the schema
 * found other problems: the author sees everything in one pass.
 */
function documentRules(raw: unknown): { path: Path; message: string }[] {
  const out = controlCharacters(raw);
  const root = obj(raw);
  const scale =
    typeof root.scale === 'number' && root.scale > 0 ? root.scale : root.scale === undefined ? 10 : undefined;
  const institution = root.subject === 'institution';
  // An unknown subject is its own problem; which rule applies to `source` is then unknown.
  const organisation = root.subject === undefined || root.subject === 'organisation';
  const domainIds = new Map<unknown, number>();
  const questionIds = new Map<unknown, string>();
  list(root.domains).forEach((dv, di) => {
    const d = obj(dv);
    const first = domainIds.get(d.id);
    if (typeof d.id === 'string' && first !== undefined) {
      out.push({ path: ['domains', di, 'id'], message: `duplicate domain id \`${d.id}\` (also domain ${first + 1})` });
    } else domainIds.set(d.id, di);
    list(d.questions).forEach((qv, qi) => {
      const q = obj(qv);
      const qPath: Path = ['domains', di, 'questions', qi];
      const seenIn = questionIds.get(q.id);
      if (typeof q.id === 'string' && seenIn !== undefined) {
        out.push({
          path: [...qPath, 'id'],
          message: `duplicate question id \`${q.id}\` (first used in domain \`${seenIn}\`)`,
        });
      } else questionIds.set(q.id, String(d.id));
      out.push(...questionTypeRules(q, qPath));
      if (institution && q.source === undefined) {
        out.push({
          path: qPath,
          message:
            'an indicator of an institution framework needs a `source`: desk-research, questionnaire or interview',
        });
      } else if (organisation && q.source !== undefined) {
        out.push({
          path: [...qPath, 'source'],
          message: '`source` belongs to institution frameworks: add `subject: institution` or remove it',
        });
      }
      const optionIds = new Set<unknown>();
      list(q.options).forEach((ov, oi) => {
        const o = obj(ov);
        if (typeof o.id === 'string' && optionIds.has(o.id)) {
          out.push({ path: [...qPath, 'options', oi, 'id'], message: `duplicate option id \`${o.id}\`` });
        }
        optionIds.add(o.id);
      });
      if (typeof q.cap === 'number' && scale !== undefined && (q.cap < 0 || q.cap > scale)) {
        out.push({ path: [...qPath, 'cap'], message: `cap must be between 0 and the scale (${scale})` });
      }
      if (q.capAt !== undefined && q.cap === undefined) {
        out.push({ path: [...qPath, 'capAt'], message: '`capAt` needs a `cap`: it says when the cap applies' });
      }
      if (typeof q.capAt === 'number' && q.capAt >= 0 && q.capAt <= 1 && Array.isArray(q.options)) {
        const scores = list(q.options)
          .map((o) => obj(o).score)
          .filter((x): x is number => typeof x === 'number');
        if (scores.length > 0 && scores.every((x) => x <= (q.capAt as number))) {
          out.push({
            path: [...qPath, 'capAt'],
            message: `every option scores at or below capAt ${String(q.capAt)}: the cap could never be lifted`,
          });
        }
      }
    });
  });
  let previous: number | undefined;
  list(root.levels).forEach((lv, li) => {
    const min = obj(lv).min;
    if (typeof min !== 'number') return;
    if (scale !== undefined && (min < 0 || min > scale)) {
      out.push({ path: ['levels', li, 'min'], message: `min must be between 0 and the scale (${scale})` });
    }
    if (previous !== undefined && min <= previous) {
      out.push({ path: ['levels', li, 'min'], message: `levels must ascend: ${min} is not above ${previous}` });
    }
    previous = min;
  });
  return out;
}

const SCORED_ONLY = ['weight', 'na', 'cap', 'capAt', 'interventions'] as const;
const NUMBER_ONLY = ['min', 'max', 'integer', 'unit'] as const;

/**
 * The keys a question's `type` allows and needs, each problem at the key that is wrong. A scored
 * question is today's shape; a survey question takes none of the keys that feed a score.
 */
function questionTypeRules(q: Record<string, unknown>, qPath: Path): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  const type = q.type === undefined ? 'scored' : q.type;
  if (typeof type !== 'string' || !['scored', 'single', 'multiple', 'number', 'text'].includes(type)) return out;
  const has = (key: string) => q[key] !== undefined;
  const choice = type === 'scored' || type === 'single' || type === 'multiple';
  if (choice && !has('options')) out.push({ path: qPath, message: 'missing required key `options`' });
  if (!choice && has('options')) {
    out.push({
      path: [...qPath, 'options'],
      message: `a \`${type}\` question has no options; use \`type: single\` or \`type: multiple\` for a choice`,
    });
  }
  if (type !== 'scored') {
    for (const key of SCORED_ONLY.filter(has)) {
      out.push({
        path: [...qPath, key],
        message: `\`${key}\` is for scored questions: a \`${type}\` question never counts in a score`,
      });
    }
  }
  if (type !== 'number') {
    for (const key of NUMBER_ONLY.filter(has)) {
      out.push({ path: [...qPath, key], message: `\`${key}\` is for \`type: number\` questions` });
    }
  }
  if (type !== 'text' && has('maxLength')) {
    out.push({ path: [...qPath, 'maxLength'], message: '`maxLength` is for `type: text` questions' });
  }
  if (choice) {
    list(q.options).forEach((ov, oi) => {
      const o = obj(ov);
      if (type === 'scored' && ov !== null && typeof ov === 'object' && o.score === undefined) {
        out.push({ path: [...qPath, 'options', oi], message: 'missing required key `score`' });
      }
      if (type !== 'scored' && o.score !== undefined) {
        out.push({
          path: [...qPath, 'options', oi, 'score'],
          message: `an option of a \`${type}\` question has no \`score\`: survey answers never count in a score (leave \`type\` out for a scored question)`,
        });
      }
    });
  }
  if (type === 'number') {
    const { min, max } = q;
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      out.push({ path: [...qPath, 'max'], message: `max ${max} is below min ${min}` });
    }
    if (q.integer === true) {
      for (const key of ['min', 'max'] as const) {
        const v = q[key];
        if (typeof v === 'number' && !Number.isInteger(v)) {
          out.push({
            path: [...qPath, key],
            message: `${key} must be a whole number: the question says \`integer: true\``,
          });
        }
      }
    }
  }
  return out;
}

/**
 * Every text map of the framework has the framework's own language: `en`, or the `language` it
 * names (a library written in French keeps French as the text every reader can fall back to).
 */
function languageRules(raw: unknown): { path: Path; message: string }[] {
  const root = obj(raw);
  const language = typeof root.language === 'string' ? root.language : 'en';
  const out: { path: Path; message: string }[] = [];
  const check = (value: unknown, path: Path) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Object.hasOwn(value, language))
      out.push({ path, message: `a text map needs an \`${language}\` entry` });
  };
  const texts = (o: Record<string, unknown>, path: Path, keys: string[]) =>
    keys.forEach((k) => check(o[k], [...path, k]));
  texts(root, [], ['title', 'description']);
  list(root.levels).forEach((l, li) => texts(obj(l), ['levels', li], ['label', 'description']));
  list(root.domains).forEach((dv, di) => {
    const d = obj(dv);
    texts(d, ['domains', di], ['title', 'description']);
    list(d.questions).forEach((qv, qi) => {
      const q = obj(qv);
      texts(q, ['domains', di, 'questions', qi], ['text', 'guidance', 'unit']);
      list(q.options).forEach((o, oi) => texts(obj(o), ['domains', di, 'questions', qi, 'options', oi], ['label']));
    });
  });
  return out;
}

function toFramework(p: FrameworkParsed): Framework {
  return {
    id: p.id,
    version: p.version,
    title: p.title,
    ...(p.description !== undefined && { description: p.description }),
    ...(p.subject === 'institution' && { subject: 'institution' as const }),
    ...(p.language !== undefined && { language: p.language }),
    ...(p.source !== undefined && { source: p.source }),
    ...(p.licence !== undefined && { licence: p.licence }),
    scale: p.scale,
    levels: p.levels.map((l) => ({
      min: l.min,
      label: l.label,
      ...(l.description !== undefined && { description: l.description }),
    })),
    domains: p.domains.map((d) => ({
      id: d.id,
      title: d.title,
      ...(d.description !== undefined && { description: d.description }),
      weight: d.weight,
      questions: d.questions
        .filter((q) => q.type === 'scored')
        .map((q) => ({
          id: q.id,
          text: q.text,
          ...(q.guidance !== undefined && { guidance: q.guidance }),
          weight: q.weight,
          na: q.na,
          ...(q.cap !== undefined && { cap: q.cap }),
          capAt: q.capAt ?? 0,
          // The document rules have made sure a scored question has options, each with a score.
          options: (q.options ?? []).map((o) => ({
            id: o.id,
            label: o.label,
            score: o.score ?? 0,
            unknown: o.unknown,
          })),
          refs: q.refs,
          interventions: q.interventions,
          ...(q.source !== undefined && { source: q.source }),
        })),
      ...surveyOf(d.questions),
    })),
  };
}

function surveyOf(questions: FrameworkParsed['domains'][number]['questions']): { survey?: SurveyQuestion[] } {
  const survey: SurveyQuestion[] = [];
  for (const q of questions) {
    if (q.type === 'scored') continue;
    survey.push({
      id: q.id,
      type: q.type,
      text: q.text,
      ...(q.guidance !== undefined && { guidance: q.guidance }),
      options: (q.options ?? []).map((o) => ({ id: o.id, label: o.label, unknown: o.unknown })),
      ...(q.min !== undefined && { min: q.min }),
      ...(q.max !== undefined && { max: q.max }),
      integer: q.integer,
      ...(q.unit !== undefined && { unit: q.unit }),
      ...(q.type === 'text' && { maxLength: q.maxLength ?? DEFAULT_TEXT_LENGTH }),
    });
  }
  return survey.length > 0 ? { survey } : {};
}

const KEYS: Record<string, string[]> = {
  framework: [
    'kalaja',
    'id',
    'version',
    'title',
    'description',
    'subject',
    'language',
    'source',
    'licence',
    'scale',
    'levels',
    'domains',
  ],
  domain: ['id', 'title', 'description', 'weight', 'questions'],
  question: [
    'type',
    'id',
    'text',
    'guidance',
    'weight',
    'na',
    'cap',
    'capAt',
    'options',
    'refs',
    'interventions',
    'min',
    'max',
    'integer',
    'unit',
    'maxLength',
    'source',
  ],
  option: ['id', 'label', 'score', 'unknown'],
  level: ['min', 'label', 'description'],
};

function allowedKeys(path: Path): readonly string[] {
  const kind =
    path.length === 0
      ? 'framework'
      : path.at(-2) === 'options'
        ? 'option'
        : path.at(-2) === 'questions'
          ? 'question'
          : path.at(-2) === 'domains'
            ? 'domain'
            : path.at(-2) === 'levels'
              ? 'level'
              : undefined;
  return kind ? (KEYS[kind] ?? []) : [];
}

const FRAMEWORK_WORDS: Vocabulary = {
  // A question is named by its id alone: the domain it sits in adds nothing.
  context: contextFrom(
    { domains: 'domain', questions: 'question', options: 'option', levels: 'level' },
    (path, i) => path[i - 1] === 'domains' && path[i + 1] === 'questions' && typeof path[i + 2] === 'number',
  ),
  allowedKeys,
};
