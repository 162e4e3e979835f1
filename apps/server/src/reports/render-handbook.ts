import type { Handbook } from '@kalaja/engine';
import { layoutHandbook } from './handbook-layout.js';

/** The handbook of one language as PDF bytes; pdfmake is loaded only when first asked for. */
export async function renderHandbookPdf(book: Handbook): Promise<Uint8Array> {
  const { renderLayoutPdf } = await import('./render-pdf.js');
  return renderLayoutPdf(layoutHandbook(book));
}
