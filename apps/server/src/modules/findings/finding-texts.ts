import type { Vault } from '../../crypto/vault.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { PAD_TO } from '../assessments/answer-sealing.js';
import type { FindingTexts } from './finding-types.js';

/** The associated data's fields: a finding's texts open only in their own row. */
const FIELD = 'findings.texts';
const COMMENT = 'finding_events.comment';

/** A finding's texts as sealed: one JSON value, padded like answers so that its size tells little. */
function padded(value: unknown): string {
  const body = (p: string) => JSON.stringify({ v: value, p });
  const length = Buffer.byteLength(body(''), 'utf8');
  return body(' '.repeat(Math.ceil(length / PAD_TO) * PAD_TO - length));
}

/** Seals a finding's texts under its organisation's key, bound to the finding; done before the transaction. */
export function sealFindingTexts(
  vault: Pick<Vault, 'sealFor'>,
  organisationId: string,
  findingId: string,
  texts: FindingTexts,
): Promise<Uint8Array> {
  return vault.sealFor(organisationId, FIELD, findingId, padded(texts));
}

/** Opens a finding's texts; a crypto-shredded organisation's answer 410 gone. */
export async function openFindingTexts(
  vault: Pick<Vault, 'openTextFor'>,
  organisationId: string,
  findingId: string,
  sealed: Uint8Array,
): Promise<FindingTexts> {
  return (
    JSON.parse(await openedOrGone(vault.openTextFor(organisationId, FIELD, findingId, sealed))) as { v: FindingTexts }
  ).v;
}

/** A reviewer's comment, sealed under the organisation's key, bound to its finding. */
export function sealComment(
  vault: Pick<Vault, 'sealFor'>,
  organisationId: string,
  findingId: string,
  comment: string,
): Promise<Uint8Array> {
  return vault.sealFor(organisationId, COMMENT, findingId, padded(comment));
}

export async function openComment(
  vault: Pick<Vault, 'openTextFor'>,
  organisationId: string,
  findingId: string,
  sealed: Uint8Array,
): Promise<string> {
  return (
    JSON.parse(await openedOrGone(vault.openTextFor(organisationId, COMMENT, findingId, sealed))) as { v: string }
  ).v;
}
