import { strToU8, zipSync } from 'fflate';
import { cellRef } from './read.js';

/**
 * Writes a one-sheet Excel workbook (.xlsx) of text cells, with a drop-down list (data
 * validation) on the cells given. Every cell is an inline string: nothing is ever a formula,
 * whatever it starts with. The bytes are the same for the same input (fixed file times).
 */
export interface XlsxSheet {
  /** The sheet's name (at most 31 characters, none of []:*?/\). */
  name: string;
  /** Rows of text, the first one the header (shown bold, kept in view when scrolling). */
  rows: readonly (readonly string[])[];
  /** Column widths, in characters. */
  widths?: readonly number[];
  /** Drop-down lists: the cells of `column` in `rows` (1-based row numbers) offer `values`. */
  lists?: readonly { column: number; rows: readonly number[]; values: readonly string[] }[];
}

/** Excel's own bound on a list written into the validation itself is 255 characters; a margin. */
const INLINE_LIST = 250;

export function writeXlsx(sheet: XlsxSheet): Uint8Array {
  const lists = groupLists(sheet.lists ?? []);
  // A list longer than Excel allows inline is written on a hidden sheet and referred to there.
  const long = lists.filter((l) => l.values.join(',').length > INLINE_LIST);
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': xml(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
        `<Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
        `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
        (long.length > 0
          ? `<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
          : '') +
        `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
        `</Types>`,
    ),
    '_rels/.rels': xml(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
        `</Relationships>`,
    ),
    'xl/workbook.xml': xml(
      `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
        `<sheets><sheet name="${esc(sheet.name)}" sheetId="1" r:id="rId1"/>` +
        (long.length > 0 ? `<sheet name="lists" sheetId="2" state="hidden" r:id="rId3"/>` : '') +
        `</sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': xml(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
        (long.length > 0
          ? `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>`
          : '') +
        `</Relationships>`,
    ),
    'xl/styles.xml': xml(
      `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
        `<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
        `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
        `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
        `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
        // Style 1: bold, for the header. Style 2: text (@), wrapped, for every other cell.
        `<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
        `<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>` +
        `<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>` +
        `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
        `</styleSheet>`,
    ),
    'xl/worksheets/sheet1.xml': xml(worksheet(sheet, lists, long)),
  };
  if (long.length > 0) files['xl/worksheets/sheet2.xml'] = xml(listSheet(long));
  return zipSync(files, { level: 6, mtime: new Date(2000, 0, 1) });
}

interface List {
  values: readonly string[];
  column: number;
  rows: number[];
}

/** Lists of the same values and column are one validation, over all their cells. */
function groupLists(lists: XlsxSheet['lists'] & object): List[] {
  const byKey = new Map<string, List>();
  for (const l of lists) {
    const key = `${l.column}\u0000${l.values.join('\u0000')}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = { values: l.values, column: l.column, rows: [] }));
    for (const row of l.rows) list.rows.push(row);
  }
  return [...byKey.values()];
}

function worksheet(sheet: XlsxSheet, lists: List[], long: List[]): string {
  // A loop, not Math.max(...rows): a sheet may have more rows than a call takes arguments.
  const width = sheet.rows.reduce((w, r) => Math.max(w, r.length), 1);
  const last = cellRef(width - 1, Math.max(1, sheet.rows.length));
  const cols = (sheet.widths ?? [])
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
    .join('');
  const rows = sheet.rows
    .map((row, r) => {
      const style = r === 0 ? 1 : 2;
      const cells = row
        .map((text, c) =>
          text === ''
            ? `<c r="${cellRef(c, r + 1)}" s="${style}"/>`
            : `<c r="${cellRef(c, r + 1)}" s="${style}" t="inlineStr"><is><t xml:space="preserve">${esc(text)}</t></is></c>`,
        )
        .join('');
      return `<row r="${r + 1}">${cells}</row>`;
    })
    .join('');
  const validations = lists
    .map((l) => {
      const at = long.indexOf(l);
      const formula =
        at >= 0
          ? `lists!$${cellRef(at, 1).replace(/\d+$/, '')}$1:$${cellRef(at, 1).replace(/\d+$/, '')}$${l.values.length}`
          : `"${l.values.join(',').replace(/"/g, '""')}"`;
      return (
        `<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorTitle="Not a choice of this question" ` +
        `error="${esc(`Choose one of: ${l.values.join(', ')}, or leave it empty`.slice(0, 225))}" sqref="${ranges(l.column, l.rows)}">` +
        `<formula1>${esc(formula)}</formula1></dataValidation>`
      );
    })
    .join('');
  return (
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
    `<dimension ref="A1:${last}"/>` +
    `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
    (cols ? `<cols>${cols}</cols>` : '') +
    `<sheetData>${rows}</sheetData>` +
    (validations ? `<dataValidations count="${lists.length}">${validations}</dataValidations>` : '') +
    `</worksheet>`
  );
}

/** The hidden sheet of long lists: one list a column. */
function listSheet(long: List[]): string {
  const height = long.reduce((h, l) => Math.max(h, l.values.length), 0);
  const rows: string[] = [];
  for (let r = 0; r < height; r++) {
    const cells = long
      .map((l, c) =>
        l.values[r] === undefined
          ? ''
          : `<c r="${cellRef(c, r + 1)}" t="inlineStr"><is><t>${esc(l.values[r]!)}</t></is></c>`,
      )
      .join('');
    rows.push(`<row r="${r + 1}">${cells}</row>`);
  }
  return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`;
}

/** "D2:D9 D15": the cells of one column in these rows, runs of rows as ranges. */
function ranges(column: number, rows: readonly number[]): string {
  const sorted = [...rows].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? cellRef(column, sorted[i]!) : `${cellRef(column, sorted[i]!)}:${cellRef(column, sorted[j]!)}`);
    i = j + 1;
  }
  return out.join(' ');
}

function xml(body: string): Uint8Array {
  return strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`);
}

/** Text for XML: the five escapes, and characters XML 1.0 cannot hold left out. */
function esc(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are exactly the characters to drop
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}
