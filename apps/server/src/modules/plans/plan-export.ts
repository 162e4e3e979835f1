import { csvLine, textFor } from '@kalaja/engine';
import { writeXlsx } from '@kalaja/engine/sheets';
import type { PlanItemForReport } from './plan-service.js';

export type PlanExportFormat = 'csv' | 'xlsx';

/** An item as an export lists it: opened, with its organisation's name. */
export type PlanExportItem = PlanItemForReport & { organisation: string };

const STATUS: Record<string, string> = {
  planned: 'planned',
  in_progress: 'in progress',
  done: 'done',
  dropped: 'dropped',
};

/**
 * A plan as a table, one row per item: the "plan of action and milestones" programmes keep in a
 * spreadsheet — what was chosen for which round's gap, who owns it, when it is due, where it
 * stands, and what shows it was done. Organisations by name, then round, then as added.
 */
export function planRows(items: readonly PlanExportItem[]): string[][] {
  const header = [
    'organisation',
    'round',
    'intervention',
    'title',
    'kind',
    'effort',
    'cost',
    'owner',
    'due',
    'status',
    'overdue',
    'done on',
    'drop reason',
    'notes',
    'evidence',
  ];
  // Array.prototype.sort is stable: within an organisation and round, items stay as added.
  const sorted = [...items].sort(
    (a, b) => a.organisation.localeCompare(b.organisation) || a.roundPosition - b.roundPosition,
  );
  return [
    header,
    ...sorted.map((i) => [
      i.organisation,
      i.round,
      i.intervention?.id ?? '',
      i.intervention ? textFor(i.intervention.title) : (i.title ?? ''),
      i.kind,
      i.intervention?.effort ?? '',
      i.intervention?.cost ?? '',
      i.owner ?? '',
      i.dueOn ?? '',
      STATUS[i.status] ?? i.status,
      i.overdue ? 'yes' : '',
      i.doneAt ?? '',
      i.dropReason ?? '',
      i.notes,
      i.evidence.join('; '),
    ]),
  ];
}

const MEDIA = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * The table as a file. CSV: UTF-8 with a byte-order mark (so Excel reads the letters right),
 * CRLF, cells that look like formulas neutralised. XLSX: one sheet of text cells, never a formula.
 */
export function planSheet(rows: readonly (readonly string[])[], format: PlanExportFormat) {
  if (format === 'csv') {
    const text = `\uFEFF${rows.map((r) => csvLine(r, true)).join('\r\n')}\r\n`;
    return { bytes: new TextEncoder().encode(text), mediaType: MEDIA.csv };
  }
  return {
    bytes: writeXlsx({ name: 'Plan', rows, widths: [24, 14, 22, 40, 10, 8, 8, 20, 12, 12, 8, 12, 30, 40, 30] }),
    mediaType: MEDIA.xlsx,
  };
}
