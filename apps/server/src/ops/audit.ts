import { AuditChainVerifier, type AuditVerification } from '../modules/audit/audit-chain.js';
import type { AuditStore } from '../modules/audit/audit-store.js';

/** Rows read per query: the log is walked in pages, so its length is bounded only by the hash map. */
const PAGE = 5000;

/** Verifies the stored audit chain, reading `audit_log` in `seq` order one page at a time. */
export async function verifyStoredAuditChain(
  audit: Pick<AuditStore, 'page'>,
  options: { expectHead?: string | undefined } = {},
): Promise<AuditVerification> {
  const verifier = new AuditChainVerifier();
  let after: number | null = null;
  for (;;) {
    const rows = await audit.page(after, PAGE);
    for (const row of rows) verifier.add({ ...row, seq: Number(row.seq) });
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  return verifier.finish(options);
}
