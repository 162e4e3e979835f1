import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkText, decodeBytes, decodeCsv, decodeTextFile, formatProblem, parseAnswersCsv } from '../src/index.js';

const utf16 = (text: string, order: 'le' | 'be') => {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const [a, b] = order === 'le' ? [c & 0xff, c >> 8] : [c >> 8, c & 0xff];
    out[2 + 2 * i] = a;
    out[3 + 2 * i] = b;
  }
  return out;
};
const refusal = (bytes: Uint8Array) => {
  const r = decodeTextFile(bytes, 'a.csv');
  return r.ok ? 'read' : r.problems.map(formatProblem).join('\n');
};
const bytesOf = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

describe('decoding an answers file', () => {
  const csv = 'Organisation\tRound\tQuestion\tAnswer\tNote\r\nZëri i Lirë\tbaseline\taccess.mfa\tsome\t"Глас, ok"\r\n';

  it('reads UTF-8 with or without a byte-order mark', () => {
    expect(decodeBytes(new TextEncoder().encode(csv))).toEqual({ ok: true, text: csv, encoding: 'utf-8' });
    expect(decodeBytes(bytesOf([0xef, 0xbb, 0xbf], csv))).toEqual({ ok: true, text: csv, encoding: 'utf-8' });
  });

  it('reads UTF-16 LE and BE with a byte-order mark, as Excel writes "Unicode text"', () => {
    for (const order of ['le', 'be'] as const) {
      const decoded = decodeBytes(utf16(csv, order));
      expect(decoded).toEqual({ ok: true, text: csv, encoding: `utf-16${order}` });
      const { records, problems } = parseAnswersCsv(decoded.ok ? decoded.text : '', 'a.csv');
      expect(problems).toEqual([]);
      expect(records[0]).toMatchObject({ organisation: 'Zëri i Lirë', answer: 'some', note: 'Глас, ok' });
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.constantFrom('le' as const, 'be' as const), (text, order) => {
        fc.pre(!text.includes('\0'));
        expect(decodeBytes(utf16(text, order))).toEqual({ ok: true, text, encoding: `utf-16${order}` });
      }),
    );
  });

  it('says what a file that is not CSV looks like, instead of a flood of parse errors', () => {
    const says = (what: RegExp, bytes: Uint8Array) =>
      expect(refusal(bytes)).toMatch(new RegExp(`^a\\.csv:1: this is not a CSV file \\(it looks like ${what.source}`));
    says(/an Excel workbook \(\.xlsx\), a LibreOffice spreadsheet \(\.ods\)/, bytesOf('PK', [3, 4, 20, 0, 6, 0]));
    says(/a PDF document/, bytesOf('%PDF-1.7\n%', [0xe2, 0xe3]));
    says(/an old Excel workbook \(\.xls\)/, bytesOf([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]));
    says(/a gzip-compressed file/, bytesOf([0x1f, 0x8b, 8, 0]));
    says(/an image/, bytesOf([0x89], 'PNG\r\n'));
    says(/UTF-32 text/, bytesOf([0xff, 0xfe, 0, 0, 0x6f, 0, 0, 0]));
    says(/UTF-16 text without a byte-order mark/, utf16('organisation,round,question,answer\r\n', 'le').subarray(2));
    expect(refusal(bytesOf('organisation,round\nA,b\nA', [0], 'b'))).toBe(
      'a.csv:3:2: this is not a CSV file (it looks like binary data: it holds NUL bytes); save it from the spreadsheet as "CSV UTF-8" and try again',
    );
  });

  it('names the line of bytes that are not UTF-8 or not UTF-16', () => {
    expect(refusal(bytesOf('a,b\r1,', [0xeb], '\r'))).toBe(
      'a.csv:2:3: the file is not valid UTF-8; save it as "CSV UTF-8" (or UTF-8 text) and try again',
    );
    expect(refusal(bytesOf([0xff, 0xfe, 0x61, 0, 0x0a, 0, 0x00, 0xd8, 0x62, 0]))).toMatch(
      /^a\.csv:2:1: the file starts as UTF-16 text but is not valid UTF-16 here/,
    );
  });
});

describe('checking text that reached the server', () => {
  it('refuses U+FFFD, NUL and binary signatures, naming the line', () => {
    expect(checkText('organisation,round\r\nZ\uFFFDri,b\r\n')).toEqual({ kind: 'replacement', line: 2, col: 2 });
    expect(checkText('a\rb\r\0')).toEqual({ kind: 'binary', looksLike: 'nul', line: 3, col: 1 });
    const lossy = (bytes: number[]) => new TextDecoder().decode(new Uint8Array(bytes));
    expect(checkText(lossy([0x50, 0x4b, 3, 4, 0xff]))).toMatchObject({ kind: 'binary', looksLike: 'zip' });
    expect(checkText(lossy([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toMatchObject({
      kind: 'binary',
      looksLike: 'ole',
    });
    expect(checkText('organisation,round,question,answer\n')).toBeUndefined();
  });

  it('checks bytes and then their text before an upload', () => {
    expect(decodeCsv(utf16('a,b\r\n1,2\r\n', 'be'))).toEqual({ ok: true, text: 'a,b\r\n1,2\r\n' });
    expect(decodeCsv(bytesOf('a,b\n', [0xef, 0xbf, 0xbd], '\n'))).toEqual({
      ok: false,
      reason: { kind: 'replacement', line: 2, col: 1 },
    });
    expect(decodeCsv(bytesOf('%PDF-1.4'))).toEqual({
      ok: false,
      reason: { kind: 'binary', looksLike: 'pdf', line: 1 },
    });
  });

  it('makes the answers reader give one problem, not hundreds', () => {
    const text = new TextDecoder().decode(bytesOf('PK', [3, 4], 'x,"'.repeat(500)));
    expect(parseAnswersCsv(text, 'a.csv').problems.map(formatProblem)).toEqual([
      'a.csv:1: this is not a CSV file (it looks like an Excel workbook (.xlsx), a LibreOffice spreadsheet (.ods) or another zip archive); save it from the spreadsheet as "CSV UTF-8" and try again',
    ]);
    expect(parseAnswersCsv('organisation,round,question,answer\nZ\uFFFDri,b,q,a\n', 'a.csv').problems).toEqual([
      {
        file: 'a.csv',
        line: 2,
        col: 2,
        message:
          'the file is not UTF-8: this line holds U+FFFD, the character left where bytes were decoded with the wrong encoding; save the file as "CSV UTF-8" and try again',
      },
    ]);
  });
});
