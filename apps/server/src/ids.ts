import { randomBytes } from 'node:crypto';

/**
 * A new id: 16 random bytes, base64url (22 characters). Ids are random rather than sequential
 * so that they reveal neither counts nor order, and guessing another tenant's id is hopeless.
 */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}
