/**
 * The bounds every spreadsheet is read within. A spreadsheet is a zip of XML: a few kilobytes
 * can declare (or inflate to) gigabytes, and a sheet can repeat one row a million times in one
 * element. Each bound is checked while reading, before anything past it is made.
 */
export interface SheetLimits {
  /** Files in the zip archive. */
  entries: number;
  /** Bytes one part (the sheet's XML, the shared strings) may inflate to. */
  partBytes: number;
  /** Bytes all the parts read may inflate to, together. */
  totalBytes: number;
  /** The last row read: a spreadsheet's own last row (Excel and LibreOffice: 1,048,576). */
  rows: number;
  /** The last column read: XFD, a spreadsheet's own last column. */
  columns: number;
  /** Cells of the first sheet, empty ones between cells with text included. */
  cells: number;
  /** Characters of text in all the cells (and shared strings) together. */
  chars: number;
}

const MiB = 1024 * 1024;

export const SHEET_LIMITS: Readonly<SheetLimits> = Object.freeze({
  entries: 10_000,
  partBytes: 64 * MiB,
  totalBytes: 96 * MiB,
  rows: 1_048_576,
  columns: 16_384,
  cells: 5_000_000,
  chars: 64 * MiB,
});

/** "128 MiB", "5,000,000": a bound as a person reads it. */
export function bytesText(n: number): string {
  return n >= MiB ? `${Math.round(n / MiB)} MiB` : `${Math.round(n / 1024)} KiB`;
}
