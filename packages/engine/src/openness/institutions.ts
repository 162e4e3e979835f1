/**
 * The institutions file of an openness index: a CSV with a header naming `name` and, in any
 * order and each optional, `type`, `level` and `country`; other columns are ignored. Separators,
 * encodings and line ends as for the answers file (docs/contracts.md, §3). Every problem is
 * named at its line: a header without `name`, an empty name, a name given twice.
 */
import { detectDelimiter, forEachCsvRecord } from '../answers/csv.js';
import { isBlank, readColumns, trimCell } from '../answers/parse.js';
import { clip, type Problem, type Result } from '../problems.js';
import type { InstitutionInfo } from './model.js';

export const INSTITUTION_COLUMNS = ['type', 'level', 'country'] as const;

export function parseInstitutionsCsv(text: string, file: string): Result<InstitutionInfo[]> {
  const problems: Problem[] = [];
  const out: InstitutionInfo[] = [];
  const seen = new Map<string, number>();
  let columns: Record<'name' | (typeof INSTITUTION_COLUMNS)[number], number> | undefined;
  let header = false;
  problems.push(
    ...forEachCsvRecord(
      text,
      file,
      (fields, line) => {
        if (fields.every(isBlank)) return;
        if (!header) {
          header = true;
          columns = readColumns(fields, line, file, ['name'], INSTITUTION_COLUMNS, problems);
          return;
        }
        if (!columns) return;
        const cell = (i: number) => (i < 0 ? '' : trimCell(fields[i]));
        const name = cell(columns.name);
        if (name === '') {
          problems.push({
            file,
            line,
            message: 'empty `name`: every institution needs its name as the answers file writes it',
          });
          return;
        }
        const earlier = seen.get(name);
        if (earlier !== undefined) {
          problems.push({
            file,
            line,
            message: `institution "${clip(name)}" is listed twice (first at line ${earlier})`,
          });
          return;
        }
        seen.set(name, line);
        const info: InstitutionInfo = { name };
        for (const c of INSTITUTION_COLUMNS) {
          const v = cell(columns[c]);
          if (v !== '') info[c] = v;
        }
        out.push(info);
      },
      { delimiter: detectDelimiter(text, ['name']) },
    ),
  );
  if (!header) problems.push({ file, line: 1, message: 'the file is empty: it needs a header row naming `name`' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out };
}
