import type { Vault } from '../../crypto/vault.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { PAD_TO } from '../assessments/answer-sealing.js';
import type { PlanTexts } from './plan-types.js';

/** The associated data's field: an item's texts open only in their own row of `plan_items`. */
const FIELD = 'plan_items.texts';

/**
 * An item's texts as sealed: title, notes and drop reason in one JSON value, padded like
 * answers to a multiple of PAD_TO bytes, so that the ciphertext's size tells nothing of how
 * much was written or whether an item was dropped.
 */
export function textsPlaintext(t: PlanTexts): string {
  const body = (p: string) => JSON.stringify({ t: t.title, n: t.notes, r: t.dropReason, p });
  const length = Buffer.byteLength(body(''), 'utf8');
  return body(' '.repeat(Math.ceil(length / PAD_TO) * PAD_TO - length));
}

/** Seals an item's texts under its organisation's key, bound to the item; done before the transaction. */
export function sealTexts(
  vault: Pick<Vault, 'sealFor'>,
  organisationId: string,
  itemId: string,
  texts: PlanTexts,
): Promise<Uint8Array> {
  return vault.sealFor(organisationId, FIELD, itemId, textsPlaintext(texts));
}

/** Opens an item's texts; a crypto-shredded organisation's answer 410 gone. */
export async function openTexts(
  vault: Pick<Vault, 'openTextFor'>,
  organisationId: string,
  itemId: string,
  sealed: Uint8Array,
): Promise<PlanTexts> {
  const { t, n, r } = JSON.parse(await openedOrGone(vault.openTextFor(organisationId, FIELD, itemId, sealed))) as {
    t: string | null;
    n: string;
    r: string | null;
  };
  return { title: t, notes: n, dropReason: r };
}
