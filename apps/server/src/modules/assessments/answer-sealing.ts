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
