/**
 * @kalaja/engine/sheets — answers in spreadsheets: the first sheet of an .xlsx or .ods file read
 * as rows of cell text (`readSpreadsheet`, for `readAnswers` and `parseAnswersSheet`), and a
 * one-sheet .xlsx written with drop-down lists (`writeXlsx`, for `kalaja template`). An entry of
 * its own so that the engine's main entry stays free of zip and XML code: only the command line
 * and the server load it.
 */
export { readSpreadsheet, cellRef, generalNumber, serialDate } from './sheets/read.js';
export { writeXlsx, type XlsxSheet } from './sheets/write.js';
export { SHEET_LIMITS, type SheetLimits } from './sheets/limits.js';
export type { SheetRows } from './answers/parse.js';
