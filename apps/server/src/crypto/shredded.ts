import { AppError } from '../errors.js';
import { NoKeyError } from './vault.js';

/**
 * Opening sealed data of a crypto-shredded organisation fails with NoKeyError: its data key is
 * destroyed. That is not a server fault but a fact about the data, so services answer 410
 * `gone` with a plain message instead of a 500.
 *
 * @example const note = await openedOrGone(ctx.vault.openTextFor(orgId, 'interview_notes.body', id, sealed));
 */
export async function openedOrGone<T>(opening: Promise<T>): Promise<T> {
  try {
    return await opening;
  } catch (error) {
    if (error instanceof NoKeyError) throw shredded();
    throw error;
  }
}

/** The 410 for data whose organisation was crypto-shredded. */
export const shredded = () =>
  new AppError(
    'gone',
    'This organisation\u2019s data was erased: its encryption key was destroyed, so it can never be read again.',
  );
