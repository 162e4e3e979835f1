import { fileURLToPath } from 'node:url';

/**
 * content/fonts — Noto Sans (OFL) regular, bold, italic and bold italic, as TrueType: the PDF
 * embeds them and the DOCX charts are rasterised with them. Found from this module, which sits
 * at the same depth in src/ and dist/.
 */
export const FONTS_DIR = fileURLToPath(new URL('../../../../content/fonts/', import.meta.url));
