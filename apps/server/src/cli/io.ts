import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  decodeTextFile,
  decodeUtf8,
  formatProblem,
  loadCatalogue,
  loadFramework,
  loadTrainingModule,
  readAnswers,
  type AnswerSet,
  type Framework,
  type InterventionCatalogue,
  type Problem,
  type TrainingModule,
  type SheetRows,
} from '@kalaja/engine/files';
import { CliError, EXIT } from './errors.js';

/** Where a command writes; tests pass collectors, the bin passes the process streams. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export { CliError, EXIT, isCliError, isUsageError, UsageError } from './errors.js';

/** At most this many problems are printed; the count of the rest follows. */
export const MAX_PRINTED_PROBLEMS = 1000;

export function printProblems(io: CliIo, problems: Problem[]): void {
  for (const p of problems.slice(0, MAX_PRINTED_PROBLEMS)) io.stderr(`${formatProblem(p)}\n`);
  if (problems.length > MAX_PRINTED_PROBLEMS) {
    io.stderr(`… and ${problems.length - MAX_PRINTED_PROBLEMS} more problems\n`);
  }
}

/**
 * Reads a UTF-8 text file, turning every way it can fail into a plain message. With `csv`, a
 * spreadsheet's file: UTF-16 with a byte-order mark is read too, and a file that is not text
 * (a workbook, a PDF) is refused saying what it looks like (`decodeTextFile`).
 */
export function readText(path: string, what: string, options: { csv?: boolean } = {}): string {
  const bytes = readBytes(path, what);
  const text = options.csv ? decodeTextFile(bytes, path) : decodeUtf8(bytes, path);
  if (!text.ok) throw new CliError(`${what} ${path} has problems`, EXIT.invalid, text.problems);
  return text.value;
}

/**
 * Reads an answers file: a spreadsheet (an Excel .xlsx or LibreOffice .ods file, known by its
 * bytes, whatever its name) as the rows of its first sheet, anything else as CSV or JSON text.
 * The spreadsheet reader (zip and XML) is loaded only for a spreadsheet.
 */
export async function readAnswersInput(path: string): Promise<string | SheetRows> {
  const bytes = readBytes(path, 'answers file');
  if (isZip(bytes)) {
    const { readSpreadsheet } = await import('@kalaja/engine/sheets');
    const sheet = readSpreadsheet(bytes, path);
    if (!sheet.ok) throw new CliError(`answers file ${path} has problems`, EXIT.invalid, sheet.problems);
    return sheet.value;
  }
  const text = decodeTextFile(bytes, path);
  if (!text.ok) throw new CliError(`answers file ${path} has problems`, EXIT.invalid, text.problems);
  return text.value;
}

/** The zip signature every .xlsx and .ods file starts with (an empty archive's too). */
function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && bytes[3] === bytes[2] + 1;
}

function readBytes(path: string, what: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? 'unreadable');
    throw new CliError(`cannot read ${what} ${path}: ${reason}`);
  }
  return bytes;
}

export function readFramework(path: string): Framework {
  const loaded = loadFramework(readText(path, 'framework'), { file: path });
  if (!loaded.ok) {
    throw new CliError(
      `framework ${path} has ${count(loaded.problems.length, 'problem')}`,
      EXIT.invalid,
      loaded.problems,
    );
  }
  return loaded.value;
}

export async function readAnswerFile(fw: Framework, path: string): Promise<AnswerSet> {
  const read = readAnswers(fw, await readAnswersInput(path), { file: path });
  if (!read.ok) {
    throw new CliError(
      `answers file ${path} has ${count(read.problems.length, 'problem')}`,
      EXIT.invalid,
      read.problems,
    );
  }
  return read.value;
}

/**
 * Writes a file whole or not at all: into a temporary file beside it, then renamed over the
 * target, so a failure never leaves half a file where the user expects a result.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CliError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function readCatalogue(path: string): InterventionCatalogue {
  const loaded = loadCatalogue(readText(path, 'interventions catalogue'), { file: path });
  if (!loaded.ok) {
    throw new CliError(
      `catalogue ${path} has ${count(loaded.problems.length, 'problem')}`,
      EXIT.invalid,
      loaded.problems,
    );
  }
  return loaded.value;
}

export function readTrainingModule(path: string): TrainingModule {
  const loaded = loadTrainingModule(readText(path, 'training module'), { file: path });
  if (!loaded.ok) {
    throw new CliError(
      `training module ${path} has ${count(loaded.problems.length, 'problem')}`,
      EXIT.invalid,
      loaded.problems,
    );
  }
  return loaded.value;
}
