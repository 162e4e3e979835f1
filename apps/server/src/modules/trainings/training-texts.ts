import type { Vault } from '../../crypto/vault.js';
import { PAD_TO } from '../assessments/answer-sealing.js';
import type { ParticipantTexts, ResultBody } from './training-types.js';

/** The associated data's fields: each ciphertext opens only in its own row. */
const PARTICIPANT = 'training_participants.texts';
const RESULT = 'training_results.body';

/** JSON padded to a multiple of PAD_TO bytes, so that a ciphertext's size tells nothing of what it holds. */
function padded(value: Record<string, unknown>): string {
  const body = (p: string) => JSON.stringify({ ...value, p });
  const length = Buffer.byteLength(body(''), 'utf8');
  return body(' '.repeat(Math.ceil(length / PAD_TO) * PAD_TO - length));
}

/** Seals a participant's name and role under their organisation's key, bound to the participant. */
export function sealParticipant(
  vault: Pick<Vault, 'sealFor'>,
  organisationId: string,
  participantId: string,
  texts: ParticipantTexts,
): Promise<Uint8Array> {
  return vault.sealFor(organisationId, PARTICIPANT, participantId, padded({ n: texts.name, r: texts.role }));
}

export async function openParticipant(
  vault: Pick<Vault, 'openTextFor'>,
  organisationId: string,
  participantId: string,
  sealed: Uint8Array,
): Promise<ParticipantTexts> {
  const { n, r } = JSON.parse(await vault.openTextFor(organisationId, PARTICIPANT, participantId, sealed)) as {
    n: string;
    r: string;
  };
  return { name: n, role: r };
}

/** Seals what a participant gave in one phase, bound to the result's row. */
export function sealResult(
  vault: Pick<Vault, 'sealFor'>,
  organisationId: string,
  resultId: string,
  body: ResultBody,
): Promise<Uint8Array> {
  return vault.sealFor(organisationId, RESULT, resultId, padded({ ...body }));
}

export async function openResult(
  vault: Pick<Vault, 'openTextFor'>,
  organisationId: string,
  resultId: string,
  sealed: Uint8Array,
): Promise<ResultBody> {
  const b = JSON.parse(await vault.openTextFor(organisationId, RESULT, resultId, sealed)) as ResultBody;
  return {
    answers: b.answers,
    score: b.score,
    confidence: b.confidence,
    reaction: b.reaction,
    practices: b.practices,
  };
}
