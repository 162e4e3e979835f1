import type { Vault } from '../../crypto/vault.js';
import { openedOrGone } from '../../crypto/shredded.js';
import type { Layer } from './assessment-types.js';

/**
 * What is sealed for one answer layer: the chosen option (or `na`, or null) and the note.
 *
 * Sealing hides the content but not the length, and option ids differ in length ("none",
 * "all-some-sms"): without padding, a copy of the database would tell most answers apart by
 * the size of their ciphertext. Every sealed answer is padded to a multiple of PAD_TO bytes,
 * so that an answer without a long note is indistinguishable from any other.
 */
export interface SealedAnswer {
  a: string | null;
  n: string;
}

export const PAD_TO = 256;

export function answerPlaintext(answer: string | null, note: string): string {
  const body = JSON.stringify({ a: answer, n: note, p: '' });
  const length = Buffer.byteLength(body, 'utf8');
  const target = Math.ceil(length / PAD_TO) * PAD_TO;
  return JSON.stringify({ a: answer, n: note, p: ' '.repeat(target - length) });
}

export function readAnswerPlaintext(text: string): SealedAnswer {
  const { a, n } = JSON.parse(text) as SealedAnswer;
  return { a, n };
}

/**
 * What is sealed per answer row: the organisation's own answer, the assessor's validated one,
 * and the answer carried over from the round before (to confirm or change; counted nowhere).
 */
export type SealedLayer = Layer | 'carried';

/** Where one layer of one answer belongs: the associated data binds it to its assessment, question and layer. */
const field = (layer: SealedLayer) => `answers.${layer}`;
const rowId = (assessmentId: string, questionId: string) => `${assessmentId}/${questionId}`;

/** Where an answer layer is, as sealing and opening need it. */
export interface AnswerPlace {
  organisationId: string;
  assessmentId: string;
  questionId: string;
  layer: SealedLayer;
}

/**
 * Seals one answer layer under the organisation's key, or null for a cleared layer (no
 * option and no note). Done before the transaction that saves it.
 */
export async function sealAnswer(
  vault: Pick<Vault, 'sealFor'>,
  place: AnswerPlace,
  input: { answer: string | null; note: string },
): Promise<Uint8Array | null> {
  if (input.answer === null && input.note === '') return null;
  return vault.sealFor(
    place.organisationId,
    field(place.layer),
    rowId(place.assessmentId, place.questionId),
    answerPlaintext(input.answer, input.note),
  );
}

/** Opens one answer layer; null when the layer is empty. A crypto-shredded organisation's answers answer 410 gone. */
export async function openAnswer(
  vault: Pick<Vault, 'openTextFor'>,
  place: AnswerPlace,
  sealed: Uint8Array | null,
): Promise<SealedAnswer | null> {
  if (!sealed) return null;
  return readAnswerPlaintext(
    await openedOrGone(
      vault.openTextFor(place.organisationId, field(place.layer), rowId(place.assessmentId, place.questionId), sealed),
    ),
  );
}
