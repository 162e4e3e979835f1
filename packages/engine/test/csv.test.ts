import { parse as csvParse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvLine, parseCsv } from '../src/index.js';

const fields = (text: string) => parseCsv(text, 'a.csv').records.map((r) => r.fields);

describe('reading CSV', () => {
  it('reads plain lines with LF or CRLF, with or without a byte-order mark', () => {
    expect(fields('a,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('\uFEFFa,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    expect(fields('x,"a, ""b""\nc",y\r\nz,"",\n')).toEqual([
      ['x', 'a, "b"\nc', 'y'],
      ['z', '', ''],
    ]);
  });

  it('gives each record the physical line it starts on, after multi-line fields', () => {
    const { records } = parseCsv('h1,h2\r\n1,"two\r\nlines\r\nhere"\r\n3,4\r\n', 'a.csv');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1]!.fields[1]).toBe('two\r\nlines\r\nhere');
  });

  it('names the line where an unclosed quote was opened', () => {
    const { problems } = parseCsv('a,b\n1,2\n3,"never closed\n4,5\n', 'a.csv');
    expect(problems).toEqual([{ file: 'a.csv', line: 3, message: expect.stringMatching(/never closed/) }]);
  });

  it('names the line of a stray quote in an unquoted field or after a closing quote', () => {
    const { records, problems } = parseCsv('a,b\n1,x"y\n"q"z,2\n3,4\n', 'a.csv');
    expect(problems.map((p) => p.line)).toEqual([2, 3]);
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['3', '4'],
    ]);
  });

  it('reads every file csv-parse reads, to the same fields, with any separator and line end', () => {
    const cell = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'ë', 'Ж', ' ', ',', ';', '\t', '"', '\n', '\r', '\r\n', '=', 'x') }),
      fc.stringMatching(/^[a-z0-9 .-]{0,8}$/),
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.constantFrom(',', ';', '\t'),
        fc.boolean(),
        fc.boolean(),
        (rows, eol, delimiter, bom, quoteAll) => {
          // Single empty-field rows are indistinguishable from blank lines; csv-parse drops them.
          const data = rows.filter((r) => !(r.length === 1 && r[0] === ''));
          fc.pre(data.length > 0);
          const text =
            (bom ? '\uFEFF' : '') +
            data
              .map((r) => r.map((c) => (quoteAll ? `"${c.replace(/"/g, '""')}"` : csvField(c))).join(delimiter))
              .join(eol) +
            eol;
          const ours = parseCsv(text, 'p.csv', { delimiter });
          expect(ours.problems).toEqual([]);
          const theirs = csvParse(text, {
            bom: true,
            delimiter,
            relax_column_count: true,
            skip_empty_lines: true,
            record_delimiter: [eol],
          }) as string[][];
          expect(ours.records.map((r) => r.fields).filter((f) => !(f.length === 1 && f[0] === ''))).toEqual(theirs);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('writes fields that read back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 2, maxLength: 6 }), (values) => {
        expect(fields(`${csvLine(values)}\n`)).toEqual([values]);
      }),
    );
  });

  it('neutralises cells a spreadsheet would run as formulas, only when asked', () => {
    expect(csvField('=HYPERLINK("x")', true)).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvLine(['+1', '-2', '@a', 'ok'], true)).toBe("'+1,'-2,'@a,ok");
    // A value that already looks neutralised gets one more apostrophe, so reading takes one off.
    expect(csvLine(["'=1", "''+2", "'ok"], true)).toBe("''=1,'''+2,'ok");
    expect(csvField('=1+1')).toBe('=1+1');
  });
});
