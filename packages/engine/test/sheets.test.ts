import { deflateSync, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { formatProblem, readAnswers, type SheetRows } from '../src/index.js';
import { readSpreadsheet, SHEET_LIMITS, writeXlsx, type SheetLimits } from '../src/sheets.js';
import { small } from './fixtures/frameworks.js';

// Spreadsheets made here by hand, as small as Excel and LibreOffice files can be, with the
// details those programs write: shared strings, formulas with their cached values, date
// styles, rich text, repeated rows and columns, comments in cells.

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function xlsx(sheet: string, extra: { shared?: string[]; styles?: string; workbook?: string } = {}): Uint8Array {
  const files: Zippable = {
    '[Content_Types].xml': strToU8(
      `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    ),
    '_rels/.rels': strToU8(
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    'xl/workbook.xml': strToU8(
      `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}">${extra.workbook ?? ''}<sheets><sheet name="Përgjigjet" sheetId="1" r:id="rId7"/><sheet name="Other" sheetId="2" r:id="rId8"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId8" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId7" Type="${REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>` +
        `<Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` +
        `<Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    ),
    // The second sheet in the zip is the first in the workbook: the order of the tabs counts.
    'xl/worksheets/sheet1.xml': strToU8(
      `${XML}<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not this one</t></is></c></row></sheetData></worksheet>`,
    ),
    'xl/worksheets/sheet2.xml': strToU8(`${XML}<worksheet xmlns="${MAIN}"><sheetData>${sheet}</sheetData></worksheet>`),
    'xl/sharedStrings.xml': strToU8(
      `${XML}<sst xmlns="${MAIN}">${(extra.shared ?? []).map((s) => `<si>${s.startsWith('<') ? s : `<t>${s}</t>`}</si>`).join('')}</sst>`,
    ),
    'xl/styles.xml': strToU8(
      `${XML}<styleSheet xmlns="${MAIN}">${extra.styles ?? '<cellXfs count="1"><xf numFmtId="0"/></cellXfs>'}</styleSheet>`,
    ),
  };
  return zipSync(files);
}

const ODS_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"';

function ods(tables: string, mimetype = 'application/vnd.oasis.opendocument.spreadsheet'): Uint8Array {
  return zipSync({
    // An OpenDocument file starts with its mimetype, stored.
    mimetype: [strToU8(mimetype), { level: 0 }],
    'META-INF/manifest.xml': strToU8(
      `${XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`,
    ),
    'content.xml': strToU8(
      `${XML}<office:document-content ${ODS_NS} office:version="1.3"><office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`,
    ),
  });
}

const p = (text: string) => `<text:p>${text}</text:p>`;
const c = (text: string, attrs = '') =>
  `<table:table-cell office:value-type="string"${attrs}>${p(text)}</table:table-cell>`;
const row = (...cells: string[]) => `<table:table-row>${cells.join('')}</table:table-row>`;

function read(bytes: Uint8Array, limits?: SheetLimits): SheetRows {
  const r = readSpreadsheet(bytes, 'a.xlsx', limits);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.value;
}

function refusal(bytes: Uint8Array, limits?: SheetLimits): string[] {
  const r = readSpreadsheet(bytes, 'a.xlsx', limits);
  return r.ok ? [] : r.problems.map(formatProblem);
}

const cells = (s: SheetRows) => s.rows.map((r) => [r.line, ...r.cells]);

describe('reading .xlsx', () => {
  it('reads the first sheet by tab order: shared and inline strings, rich text, cached formula values, numbers', () => {
    const sheet =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>answer</t></is></c></row>' +
      // Row 2 is missing: a blank row still counts.
      '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>2024</v></c><c r="D3" t="str"><f>LOWER("ALL")</f><v>all</v></c><c r="E3"><f>0.1+0.2</f><v>0.30000000000000004</v></c></row>' +
      '<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" t="b"><v>1</v></c><c r="C4" t="e"><v>#N/A</v></c></row>';
    const s = read(
      xlsx(sheet, {
        shared: [
          'organisation',
          'round',
          'Zëri &amp; Drita',
          '<r><t>Va</t></r><r><rPr><b/></rPr><t>tra</t></r><rPh><t>ヴァ</t></rPh>',
        ],
      }),
    );
    expect(s.format).toBe('xlsx');
    expect(s.sheet).toBe('Përgjigjet');
    expect(cells(s)).toEqual([
      [1, 'organisation', 'round', '', 'answer'],
      [3, 'Zëri & Drita', '2024', '', 'all', '0.3'],
      [4, 'Vatra', 'TRUE', '#N/A'],
    ]);
  });

  it('shows dates, times and percentages by their cell style, not as serial numbers', () => {
    const styles =
      '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode="&quot;h&quot;0.00"/></numFmts>' +
      '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="22"/><xf numFmtId="9"/><xf numFmtId="165"/></cellXfs>';
    const sheet =
      '<row r="1"><c r="A1" s="1"><v>45292</v></c><c r="B1" s="2"><v>45366</v></c><c r="C1" s="3"><v>45292.75</v></c><c r="D1" s="4"><v>0.25</v></c><c r="E1" s="5"><v>7</v></c></row>';
    expect(cells(read(xlsx(sheet, { styles })))).toEqual([
      [1, '2024-01-01', '2024-03-15', '2024-01-01 18:00', '25%', '7'],
    ]);
    // The 1904 date system of old Mac workbooks.
    expect(cells(read(xlsx(sheet, { styles, workbook: '<workbookPr date1904="1"/>' })))[0]![1]).toBe('2028-01-02');
  });

  it('places cells without a reference one after another, and rows without one below the last', () => {
    const sheet =
      '<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row><row><c r="C2"><v>1</v></c></row>';
    expect(cells(read(xlsx(sheet)))).toEqual([
      [1, 'a', 'b'],
      [2, '', '', '1'],
    ]);
  });
});

describe('reading .ods', () => {
  it('reads the text each cell shows, repeated cells and rows, without comments or shapes', () => {
    const table =
      '<table:table table:name="Answers"><table:table-column table:number-columns-repeated="1024"/>' +
      row(c('organisation'), c('round'), c('question'), c('answer'), c('note')) +
      // A float shows as the locale wrote it; a formula's shown value is what is read.
      row(
        c('Drita'),
        '<table:table-cell office:value-type="float" office:value="2024"><text:p>2024</text:p></table:table-cell>',
        c('access.mfa'),
        '<table:table-cell table:formula="of:=LOWER(&quot;ALL&quot;)" office:value-type="string" office:string-value="all"><text:p>all</text:p></table:table-cell>',
        '<table:table-cell office:value-type="string"><office:annotation><dc:creator>Ana</dc:creator><text:p>a comment</text:p></office:annotation>' +
          '<text:p>two<text:s text:c="2"/>spaces</text:p><text:p>and a <text:span>second</text:span> line</text:p><draw:frame><draw:text-box><text:p>shape</text:p></draw:text-box></draw:frame></table:table-cell>',
        '<table:table-cell table:number-columns-repeated="1019"/>',
      ) +
      '<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>' +
      '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/>' +
      c('x', ' table:number-columns-repeated="2"') +
      '</table:table-row>' +
      '<table:table-row><table:table-cell office:value-type="percentage" office:value="0.5"/><table:table-cell office:value-type="date" office:date-value="2024-03-15"/></table:table-row>' +
      // LibreOffice ends a sheet with its empty rows, repeated to the last row there is.
      '<table:table-row table:number-rows-repeated="1048568"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>' +
      '</table:table>' +
      `<table:table table:name="Second">${row(c('not this one'))}</table:table>`;
    const s = read(ods(table));
    expect(s.format).toBe('ods');
    expect(s.sheet).toBe('Answers');
    expect(cells(s)).toEqual([
      [1, 'organisation', 'round', 'question', 'answer', 'note'],
      [2, 'Drita', '2024', 'access.mfa', 'all', 'two  spaces\nand a second line'],
      [6, '', '', 'x', 'x'],
      [7, '', '', 'x', 'x'],
      [8, '50%', '2024-03-15'],
    ]);
  });

  it('refuses an OpenDocument text and a zip that is no spreadsheet, saying what they are', () => {
    expect(refusal(ods('', 'application/vnd.oasis.opendocument.text'))).toEqual([
      'a.xlsx: this is an OpenDocument file but not a spreadsheet (application/vnd.oasis.opendocument.text); save the answers as .ods, .xlsx or CSV',
    ]);
    expect(refusal(zipSync({ 'photo.txt': strToU8('hello') }))).toEqual([
      'a.xlsx: this zip archive is not a spreadsheet (.xlsx or .ods); save the answers from the spreadsheet as .xlsx, .ods or CSV',
    ]);
  });
});

describe('answers from a spreadsheet', () => {
  it('go through the same checks as CSV, each problem at its spreadsheet row', () => {
    const table =
      '<table:table table:name="Sheet1">' +
      row(c('Organisation '), c('round'), c('question'), c('answer')) +
      row() +
      row(c('Drita'), c('baseline'), c('access.mfa'), c('NA')) +
      row(c('Drita'), c('baseline'), c('access.mfa'), c('all')) +
      // The CSV export's apostrophe comes off here too.
      row(c("'=Vatra"), c('baseline'), c('backup.offline'), c('yes')) +
      row(c(''), c('baseline'), c('backup.offline'), c('yes')) +
      '</table:table>';
    const r = readAnswers(small(), read(ods(table)), { file: 'a.ods' });
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([
      'a.ods:3: question `access.mfa` has no option `NA`; choose one of: none, dont-know, some, all, or leave it empty',
      'a.ods:4: duplicate answer for organisation "Drita", round "baseline", question `access.mfa`: line 4 repeats line 3',
      'a.ods:6: organisation is empty',
    ]);
    const ok = readAnswers(
      small(),
      read(
        ods(
          table
            .replace(c('NA'), c('some'))
            .replace(row(c('Drita'), c('baseline'), c('access.mfa'), c('all')), '')
            .replace(row(c(''), c('baseline'), c('backup.offline'), c('yes')), ''),
        ),
      ),
      { file: 'a.ods' },
    );
    expect(ok.ok && [...ok.value.assessments.keys()]).toEqual(['Drita', '=Vatra']);
  });

  it('say when the first sheet is empty', () => {
    const r = readAnswers(small(), read(ods('<table:table table:name="Leeg"/>')), { file: 'a.ods' });
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([
      'a.ods:1: the first sheet ("Leeg") is empty; it needs a header row: organisation,round,question,answer,note',
    ]);
  });
});

describe('writing .xlsx', () => {
  it('writes text cells only, with drop-down lists, and reads back as written', () => {
    const rows = [
      ['organisation', 'round', 'question', 'answer'],
      ['=HYPERLINK("x")', 'baseline', 'access.mfa', ''],
      ['Zëri, Lajmi & <Media>', 'baseline', 'access.admin', ''],
      ['Zëri, Lajmi & <Media>', 'baseline', 'access.mfa', '12'],
    ];
    const long = Array.from({ length: 40 }, (_, i) => `option-number-${i}`);
    const bytes = writeXlsx({
      name: 'answers',
      rows,
      lists: [
        { column: 3, rows: [2, 4], values: ['none', 'some', 'all'] },
        { column: 3, rows: [3], values: long },
      ],
    });
    expect(cells(read(bytes))).toEqual(rows.map((r, i) => [i + 1, ...r.slice(0, r[3] === '' ? 3 : 4)]));
    const parts = unzipSync(bytes);
    const sheet = new TextDecoder().decode(parts['xl/worksheets/sheet1.xml']);
    expect(sheet).not.toContain('<f>');
    expect(sheet).toContain(
      '<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorTitle="Not a choice of this question" error="Choose one of: none, some, all, or leave it empty" sqref="D2 D4"><formula1>&quot;none,some,all&quot;</formula1></dataValidation>',
    );
    // A list longer than Excel's 255 characters lives on a hidden sheet.
    expect(sheet).toContain('sqref="D3"><formula1>lists!$A$1:$A$40</formula1>');
    expect(new TextDecoder().decode(parts['xl/workbook.xml'])).toContain(
      '<sheet name="lists" sheetId="2" state="hidden" r:id="rId3"/>',
    );
    // More rows than a function call takes arguments.
    const many = Array.from({ length: 200_000 }, (_, i) => [`org ${i}`]);
    expect(read(writeXlsx({ name: 'many', rows: many })).rows).toHaveLength(200_000);
    // The same input, the same bytes.
    expect(writeXlsx({ name: 'answers', rows })).toEqual(writeXlsx({ name: 'answers', rows }));
  });
});

describe('bounds', () => {
  const tight: SheetLimits = { ...SHEET_LIMITS, partBytes: 64 * 1024, totalBytes: 96 * 1024, cells: 10, rows: 100 };

  it('refuses a zip bomb: a part that inflates past its bound stops there', () => {
    // 70 MiB of spaces in the sheet's XML: about 70 kB as a file.
    const spaces = new Uint8Array(70 * 1024 * 1024).fill(32);
    const bomb = zipSync({
      '_rels/.rels': strToU8(
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
      'xl/workbook.xml': strToU8(
        `${XML}<workbook xmlns="${MAIN}"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>`,
      ),
      'xl/worksheets/sheet1.xml': [spaces, { level: 1 }],
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(refusal(bomb)).toEqual([
      'a.xlsx: the spreadsheet is too large to read: its part xl/worksheets/sheet1.xml decompresses to more than 64 MiB (or all its parts to more than 96 MiB); keep only the answers in the file and try again',
    ]);
  });

  it('does not trust the sizes a zip declares', () => {
    const big = xlsx(`<row r="1"><c r="A1" t="inlineStr"><is><t>${'x'.repeat(100_000)}</t></is></c></row>`);
    // Every entry declares it inflates to 10 bytes, in its local header and in the directory.
    const view = new DataView(big.buffer, big.byteOffset, big.byteLength);
    for (let i = 0; i + 4 <= big.length; i++) {
      if (view.getUint32(i, true) === 0x04034b50) view.setUint32(i + 22, 10, true);
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 10, true);
    }
    expect(refusal(big, tight)[0]).toMatch(/its part xl\/worksheets\/sheet2\.xml decompresses to more than 64 KiB/);
  });

  it('refuses a sheet with more cells or rows than the bounds, naming the row', () => {
    const many = Array.from({ length: 4 }, () => row(c('a'), c('b'), c('c'))).join('');
    expect(refusal(ods(`<table:table table:name="S">${many}</table:table>`), tight)).toEqual([
      'a.xlsx:4: the sheet holds more than 10 cells (at row 4); keep only the answers in the file',
    ]);
    // One row repeated a million times is a million rows, made one by one only up to the bound.
    const repeated = `<table:table table:name="S"><table:table-row table:number-rows-repeated="1000000">${c('a')}</table:table-row></table:table>`;
    expect(refusal(ods(repeated), { ...tight, cells: 1_000_000 })).toEqual([
      'a.xlsx:101: row 101 is past the last row read (100); keep the answers in the rows above',
    ]);
    expect(refusal(xlsx('<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t></is></c></row>'))).toEqual([
      'a.xlsx:2000000: row 2000000 is past the last row read (1,048,576); keep the answers in the rows above',
    ]);
  });

  it('refuses damaged and unusual archives with a plain message', () => {
    const good = xlsx('<row r="1"><c r="A1"><v>1</v></c></row>');
    expect(refusal(good.subarray(0, good.length - 10))).toEqual([
      'a.xlsx: the spreadsheet cannot be read: it is not a complete zip archive (its directory at the end is missing)',
    ]);
    expect(refusal(xlsx('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'))).toEqual([
      'a.xlsx:1: the spreadsheet is damaged: cell A1 points to shared text 7, which the workbook does not have',
    ]);
    expect(refusal(xlsx('<row r="1"><c r="A1"><v>1</c></row>'))[0]).toMatch(
      /^a\.xlsx: the spreadsheet is damaged: its part xl\/worksheets\/sheet2\.xml is not well-formed XML/,
    );
    const entity = `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>`;
    const withDoctype = zipSync({ ...unzipSync(xlsx('')), 'xl/worksheets/sheet2.xml': strToU8(`${XML}${entity}`) });
    expect(refusal(withDoctype)[0]).toMatch(/holds a DOCTYPE, which spreadsheets never have/);
    // A damaged deflate stream.
    const broken = zipSync({ 'content.xml': [strToU8('x'.repeat(1000)), { level: 9 }] });
    const at = broken.indexOf(deflateSync(strToU8('x'.repeat(1000)), { level: 9 })[0]!, 40);
    broken.fill(0xff, at, at + 4);
    expect(refusal(broken)).toEqual([
      'a.xlsx: the spreadsheet cannot be read: it is damaged (the part content.xml does not decompress)',
    ]);
  });
});
