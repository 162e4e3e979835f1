import { sortProblems, type Result } from '../problems.js';
import {
  contextFrom,
  controlCharacters,
  duplicateIds,
  list,
  obj,
  positioned,
  readMapping,
  schemaProblems,
  type Path,
  type Vocabulary,
} from '../documents/document.js';
import { trainingSchema } from './schema.js';
import type { TrainingModule } from './types.js';

const KEYS: Record<string, readonly string[]> = {
  module: ['kalaja', 'id', 'version', 'title', 'summary', 'domains', 'interventions', 'agenda', 'check', 'practices'],
  check: ['items'],
  item: ['id', 'text', 'options', 'explanation'],
  option: ['id', 'label', 'correct'],
  agenda: ['minutes', 'title', 'description'],
  practice: ['id', 'text'],
};

const WORDS: Vocabulary = {
  context: contextFrom({ items: 'item', options: 'option', agenda: 'agenda part', practices: 'practice' }),
  allowedKeys: (path: Path) => {
    if (path.length === 0) return KEYS.module!;
    const parent = path.at(-2);
    if (path.length === 1 && path[0] === 'check') return KEYS.check!;
    if (parent === 'items') return KEYS.item!;
    if (parent === 'options') return KEYS.option!;
    if (parent === 'agenda') return KEYS.agenda!;
    if (parent === 'practices') return KEYS.practice!;
    return [];
  },
};

/**
 * Reads a `kalaja: training/1` module (YAML or JSON) and validates it completely: every problem
 * at once with its line and column, including an item with no correct option or more than one.
 *
 * @example
 * const r = loadTrainingModule(text, { file: 'account-security.yaml' });
 */
export function loadTrainingModule(
  text: string,
  options: { file: string; format?: 'yaml' | 'json' },
): Result<TrainingModule> {
  const { file } = options;
  const read = readMapping(text, { ...options, what: 'a training module' }, 'a training module', 'training/1');
  if (!read.ok) return read;
  const src = read.value;
  const problems = positioned(documentRules(src.raw), src, file, WORDS);
  const parsed = schemaProblems(trainingSchema, src, file, WORDS);
  problems.push(...parsed.problems);
  if (!parsed.value || problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  const p = parsed.value;
  return {
    ok: true,
    value: {
      id: p.id,
      version: p.version,
      title: p.title,
      ...(p.summary !== undefined && { summary: p.summary }),
      domains: p.domains,
      interventions: p.interventions,
      agenda: p.agenda.map((a) => ({
        minutes: a.minutes,
        title: a.title,
        ...(a.description !== undefined && { description: a.description }),
      })),
      check: {
        items: p.check.items.map((i) => ({
          id: i.id,
          text: i.text,
          options: i.options.map((o) => ({ id: o.id, label: o.label, correct: o.correct })),
          ...(i.explanation !== undefined && { explanation: i.explanation }),
        })),
      },
      practices: p.practices.map((x) => ({ id: x.id, text: x.text })),
    },
  };
}

/** Unique ids, and exactly one correct option per item, read defensively from the raw document. */
function documentRules(raw: unknown): { path: Path; message: string }[] {
  const root = obj(raw);
  const items = obj(root.check).items;
  const out = [
    ...controlCharacters(raw),
    ...duplicateIds(items, ['check', 'items'], 'item'),
    ...duplicateIds(root.practices, ['practices'], 'practice'),
  ];
  list(items).forEach((item, i) => {
    const options = list(obj(item).options);
    out.push(...duplicateIds(options, ['check', 'items', i, 'options'], 'option'));
    if (options.length < 2) return;
    const correct = options.map((o) => obj(o)).filter((o) => o.correct === true);
    if (correct.length === 0) {
      out.push({ path: ['check', 'items', i], message: 'no option is marked `correct: true`; exactly one must be' });
    } else if (correct.length > 1) {
      const ids = correct.map((o) => (typeof o.id === 'string' ? `\`${o.id}\`` : '?')).join(', ');
      out.push({
        path: ['check', 'items', i],
        message: `${correct.length} options are marked correct (${ids}); exactly one must be`,
      });
    }
  });
  return out;
}
