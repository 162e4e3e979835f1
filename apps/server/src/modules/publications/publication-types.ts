import type { DB } from '../../db/schema.js';

/**
 * A stored published version (`publications`), as the schema declares it. What crosses HTTP is
 * in @kalaja/contracts (`publicationSummary`, `publicationPreview`, `publicationList`).
 */
export type PublicationRow = DB['publications'];
