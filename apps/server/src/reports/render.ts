import type { Report } from '@kalaja/engine';

export const REPORT_FORMATS = ['pdf', 'docx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What each format is served as. */
export const REPORT_MEDIA_TYPES: Readonly<Record<ReportFormat, string>> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
};

/**
 * Renders a report model; each renderer (and its libraries: pdfmake, docx, ECharts) is loaded
 * only when it is first used. Used by `kalaja report` and by the server's report jobs.
 */
export async function renderReport(model: Report, format: ReportFormat): Promise<Uint8Array> {
  if (format === 'pdf') return (await import('./render-pdf.js')).renderPdf(model);
  if (format === 'docx') return (await import('./render-docx.js')).renderDocx(model);
  return new TextEncoder().encode((await import('./render-html.js')).renderHtml(model));
}
