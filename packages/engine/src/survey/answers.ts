import type { SurveyQuestion } from '../framework/types.js';
import { clip } from '../problems.js';

/**
 * One survey answer: the option id of a `single` question, the option ids of a `multiple` one
 * (in the framework's order, each once), the number of a `number` one, the words of a `text`
 * one. An unanswered question has no value at all.
 */
export type SurveyValue = string | readonly string[] | number;

/** One organisation's survey answers in one round: question id → value. */
export type SurveyAnswers = ReadonlyMap<string, SurveyValue>;

/**
 * How the options of a `multiple` answer are joined in a cell of the exchange file: `|`, which
 * no option id (a slug) can hold and no spreadsheet takes for a separator.
 */
export const MULTIPLE_SEPARATOR = '|';

export type SurveyParse = { ok: true; value: SurveyValue | null } | { ok: false; message: string };

/**
 * Reads one cell of the exchange file (or one value the app sent as text) as the answer to a
 * survey question. Empty is unanswered (`value: null`). The message names the question and
 * says what is wrong and what is expected; the caller adds the line.
 *
 * @example
 * parseSurveyAnswer(q, 'phishing|ddos') // a multiple choice
 * parseSurveyAnswer(q, '12,5')          // a number, decimal comma as Albanian and Serbian Excel write it
 */
export function parseSurveyAnswer(q: SurveyQuestion, cell: string): SurveyParse {
  const text = cell.trim();
  if (text === '') return { ok: true, value: null };
  switch (q.type) {
    case 'single': {
      if (text.includes(MULTIPLE_SEPARATOR)) {
        return {
          ok: false,
          message: `question \`${q.id}\` takes one answer, not several (\`${clip(text)}\`); choose one of: ${ids(q)}`,
        };
      }
      return q.options.some((o) => o.id === text)
        ? { ok: true, value: text }
        : {
            ok: false,
            message: `question \`${q.id}\` has no option \`${clip(text)}\`; choose one of: ${ids(q)}, or leave it empty`,
          };
    }
    case 'multiple': {
      const parts = text.split(MULTIPLE_SEPARATOR).map((p) => p.trim());
      const known = new Set(q.options.map((o) => o.id));
      const unknown = parts.filter((p) => !known.has(p));
      if (unknown.length > 0) {
        const what = unknown.map((p) => (p === '' ? 'an empty choice' : `\`${clip(p)}\``)).join(', ');
        return {
          ok: false,
          message: `question \`${q.id}\` has no option ${what}; write the chosen options joined by ${MULTIPLE_SEPARATOR} from: ${ids(q)}`,
        };
      }
      const twice = parts.find((p, i) => parts.indexOf(p) !== i);
      if (twice !== undefined) {
        return { ok: false, message: `question \`${q.id}\`: option \`${twice}\` is chosen twice` };
      }
      const chosen = new Set(parts);
      return { ok: true, value: q.options.map((o) => o.id).filter((id) => chosen.has(id)) };
    }
    case 'number': {
      if (/^[+-]?\d{1,3}[.,]\d{3}$/.test(text) && text.includes(',')) {
        // 1,500 is one and a half in Albanian and Serbian and fifteen hundred in English.
        return {
          ok: false,
          message: `question \`${q.id}\`: \`${text}\` could be read two ways; write it without a thousands separator (1500) or with a decimal point (1.5)`,
        };
      }
      const n = readNumber(text);
      if (n === null) {
        return { ok: false, message: `question \`${q.id}\` takes a number, not \`${clip(text)}\`` };
      }
      if (q.integer && !Number.isInteger(n)) {
        return { ok: false, message: `question \`${q.id}\` takes a whole number, not ${text}` };
      }
      if (q.min !== undefined && q.max !== undefined && (n < q.min || n > q.max)) {
        return { ok: false, message: `question \`${q.id}\`: ${text} is outside ${q.min} to ${q.max}` };
      }
      if (q.min !== undefined && n < q.min) {
        return { ok: false, message: `question \`${q.id}\`: ${text} is below the smallest allowed, ${q.min}` };
      }
      if (q.max !== undefined && n > q.max) {
        return { ok: false, message: `question \`${q.id}\`: ${text} is above the largest allowed, ${q.max}` };
      }
      return { ok: true, value: n };
    }
    case 'text': {
      const length = [...text].length;
      const max = q.maxLength ?? Infinity;
      return length > max
        ? { ok: false, message: `question \`${q.id}\` takes at most ${max} characters; this answer has ${length}` }
        : { ok: true, value: text };
    }
  }
}

/**
 * Checks a value that arrived already typed (from the app's JSON) against its question: the
 * same rules as the exchange file, so that one answer is refused the same way both ways in.
 */
export function checkSurveyValue(q: SurveyQuestion, value: unknown): SurveyParse {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (q.type) {
    case 'single':
      if (Array.isArray(value)) {
        return {
          ok: false,
          message: `question \`${q.id}\` takes one answer, not ${value.length}; choose one of: ${ids(q)}`,
        };
      }
      if (typeof value !== 'string')
        return { ok: false, message: `question \`${q.id}\` takes an option id; choose one of: ${ids(q)}` };
      return parseSurveyAnswer(q, value);
    case 'multiple':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        return { ok: false, message: `question \`${q.id}\` takes a list of option ids from: ${ids(q)}` };
      }
      if (value.length === 0) return { ok: true, value: null };
      if (value.some((v) => v.includes(MULTIPLE_SEPARATOR))) {
        return { ok: false, message: `question \`${q.id}\` has no option \`${clip(value.join(', '))}\`` };
      }
      return parseSurveyAnswer(q, value.join(MULTIPLE_SEPARATOR));
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return { ok: false, message: `question \`${q.id}\` takes a number` };
      }
      return parseSurveyAnswer(q, String(value));
    case 'text':
      if (typeof value !== 'string') return { ok: false, message: `question \`${q.id}\` takes a text` };
      return parseSurveyAnswer(q, value);
  }
}

/** The cell an answer is written as in the exchange file; `parseSurveyAnswer` reads it back. */
export function writeSurveyAnswer(value: SurveyValue): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  return value.join(MULTIPLE_SEPARATOR);
}

const NUMBER = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/** `12`, `12.5`, `12,5`, `-3`, `1e3`; never a thousands separator, which `1,500` would be read as 1.5 by. */
function readNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

function ids(q: SurveyQuestion): string {
  return q.options.map((o) => o.id).join(', ');
}
