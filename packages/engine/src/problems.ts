/**
 * A problem found in user input, positioned so that a person can find and fix it.
 * Every parser in the engine reports all problems it finds at once, never the first only.
 *
 * @example { file: "cso-media.yaml", line: 12, col: 7, message: "unknown key `wieght`" }
 */
export interface Problem {
  /** The file (or other source name) the input came from, as the user gave it. */
  file: string;
  /** 1-based physical line, when the problem has a position. */
  line?: number;
  /** 1-based column, when known. */
  col?: number;
  message: string;
}

/** `file:line:col: message` — the form editors and terminals recognise as a link. */
export function formatProblem(p: Problem): string {
  let where = p.file;
  if (p.line !== undefined) where += `:${p.line}`;
  if (p.line !== undefined && p.col !== undefined) where += `:${p.col}`;
  return `${where}: ${p.message}`;
}

/** Either a value or the complete list of problems that prevented it. */
export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Sorts problems by line then column, keeping the order of problems on the same spot. */
export function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.col ?? 0) - (b.p.col ?? 0) || a.i - b.i)
    .map((x) => x.p);
}

/**
 * Decodes bytes as UTF-8 (with or without BOM). Invalid bytes are a problem on the line where
 * they occur: the usual cause is a spreadsheet saved in a legacy encoding.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): Result<string> {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, value: text };
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const at = lossy.indexOf('\uFFFD');
    const { line, col } = lineColAt(lossy, at < 0 ? 0 : at);
    return {
      ok: false,
      problems: [
        {
          file,
          line,
          col,
          message: 'the file is not valid UTF-8; save it as "CSV UTF-8" (or UTF-8 text) and try again',
        },
      ],
    };
  }
}

/**
 * 1-based line and column of a character offset in a text. CRLF, LF and a CR on its own each end
 * a line, as the CSV reader counts them.
 */
export function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/** How much of a person's input a message quotes back, at most. */
export const ECHO_LIMIT = 80;

/**
 * Input quoted in a message, cut to `max` characters with an ellipsis: a message must stay
 * readable, and must not carry back a whole file that was, say, read as one header line.
 */
export function clip(text: string, max = ECHO_LIMIT): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}
