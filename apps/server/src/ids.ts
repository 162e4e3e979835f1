import { randomBytes } from 'node:crypto';

/**
 * A new id: 16 random bytes, base64url (22 characters). Ids are random rather than sequential
 * so that they reveal neither counts nor order, and guessing another tenant's id is hopeless.
 * None starts with `-`: on a command line (`kalaja plans export --programme <id>`) such an id
 * reads as an option. Drawing again when it would (1 time in 64) keeps every id uniform over
 * the others.
 */
export function newId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
