import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { KeyError } from './kek.js';
import { KEY_BYTES, SealError, open, seal } from './seal.js';

/**
 * Envelope encryption for the server. Each organisation has its own random data key, stored
 * only wrapped (sealed) under the key-encryption key (KEK); answers, notes and evidence are
 * sealed under the organisation's data key. Deleting the wrapped key therefore makes all of
 * that organisation's data unreadable (crypto-shredding) without finding every copy of it,
 * backups included.
 *
 * Every sealed field is bound to its place by the associated data
 * `org:<organisationId>|<field>|<rowId>`: a ciphertext moved to another row, field or
 * organisation fails to open.
 */

/**
 * Where wrapped data keys live; implemented by the storage layer. `putWrappedKey` should
 * insert, not upsert: the vault checks for an existing key first, but only the database can
 * make that check atomic between two processes.
 */
export interface KeyStore {
  getWrappedKey(organisationId: string): Promise<Uint8Array | undefined>;
  putWrappedKey(organisationId: string, wrapped: Uint8Array): Promise<void>;
  /** Several organisations' wrapped keys in one read (those without one are absent), for `preload`. */
  getWrappedKeys?(organisationIds: readonly string[]): Promise<Map<string, Uint8Array>>;
}

/** The organisation has no data key: it was never created, or it was crypto-shredded. */
export class NoKeyError extends Error {
  override readonly name = 'NoKeyError';
  constructor(readonly organisationId: string) {
    super(`organisation ${organisationId} has no data key`);
  }
}

/**
 * Unwrapped data keys kept in memory; each miss costs a database read and an unwrap. Sized for a
 * regional instance (5,000 organisations and more): 10,000 keys are about 1 MB.
 */
export const MAX_CACHED_KEYS = 10_000;

const INSTANCE_INFO = 'kalaja instance secrets';
const CHECK_AAD = 'kalaja key check';
/** Not secret: the check proves which KEK sealed it, by opening, not by hiding this value. */
const CHECK_PLAINTEXT = Buffer.from('kalaja key-encryption key check v1', 'utf8');

/**
 * The parts of associated data are joined with `|`, so none may contain one: otherwise field
 * `a|b` of row `c` and field `a` of row `b|c` would share associated data.
 */
function part(name: string, value: string): string {
  if (typeof value !== 'string' || value === '' || value.includes('|')) {
    throw new TypeError(`${name} must be a non-empty string without "|"`);
  }
  return value;
}

function orgAad(organisationId: string, field: string, rowId: string): string {
  return `org:${part('organisationId', organisationId)}|${part('field', field)}|${part('rowId', rowId)}`;
}

function wrapAad(organisationId: string): string {
  return `orgkey:${part('organisationId', organisationId)}`;
}

export class Vault {
  // Private fields (#) are invisible to util.inspect, JSON.stringify and Object.keys, so the
  // KEK and data keys cannot reach a log by serialising the vault.
  readonly #kek: Buffer;
  readonly #instanceKey: Buffer;
  readonly #store: KeyStore;
  /** Insertion-ordered: the first entry is the least recently used, evicted first. */
  readonly #cache = new Map<string, Buffer>();
  /**
   * Lookups under way, by organisation: an import seals thousands of rows of the same few
   * organisations at once, and each would otherwise miss the cache and query for its own
   * wrapped key (4,000 queries at once: 1.3 s against 47 ms one at a time).
   */
  readonly #inFlight = new Map<string, Promise<Buffer>>();
  /**
   * Bumped by every `forget`. A lookup that started before a `forget` does not cache what it
   * read, so a shredded key cannot come back into the cache from a request already in flight.
   */
  #forgets = 0;

  constructor(kek: Buffer, store: KeyStore) {
    if (!(kek instanceof Uint8Array) || kek.length !== KEY_BYTES) {
      throw new KeyError(`the key-encryption key must be ${KEY_BYTES} bytes`);
    }
    // A copy, so the caller may wipe its buffer.
    this.#kek = Buffer.from(kek);
    this.#instanceKey = Buffer.from(hkdfSync('sha256', this.#kek, Buffer.alloc(0), INSTANCE_INFO, KEY_BYTES));
    this.#store = store;
  }

  /**
   * Creates and stores a new random 32-byte data key for an organisation, wrapped as
   * `seal(kek, key, "orgkey:<id>")`. Throws if the organisation already has one: replacing
   * a key would make everything sealed under the old one unreadable.
   */
  async createOrganisationKey(organisationId: string): Promise<void> {
    part('organisationId', organisationId); // refuse a bad id before touching the store
    if ((await this.#store.getWrappedKey(organisationId)) !== undefined) {
      throw new Error(`organisation ${organisationId} already has a data key`);
    }
    await this.#store.putWrappedKey(organisationId, this.newWrappedKey(organisationId));
  }

  /**
   * A fresh random data key for an organisation, already wrapped under the KEK, for a caller
   * that stores it itself — in the same transaction as the organisation row, so an
   * organisation never exists without its key. The unwrapped key is not kept or returned.
   * The caller must not replace an existing key with it (the `organisation_keys` primary key
   * prevents that).
   */
  newWrappedKey(organisationId: string): Uint8Array {
    return seal(this.#kek, randomBytes(KEY_BYTES), wrapAad(organisationId));
  }

  /** Seals one field of one row of an organisation under that organisation's data key. */
  async sealFor(
    organisationId: string,
    field: string,
    rowId: string,
    plaintext: string | Uint8Array,
  ): Promise<Uint8Array> {
    const aad = orgAad(organisationId, field, rowId);
    return seal(await this.#dataKey(organisationId), plaintext, aad);
  }

  /** Opens what `sealFor` sealed for the same organisation, field and row; `SealError` otherwise. */
  async openFor(organisationId: string, field: string, rowId: string, sealed: Uint8Array): Promise<Buffer> {
    const aad = orgAad(organisationId, field, rowId);
    return open(await this.#dataKey(organisationId), sealed, aad);
  }

  /**
   * Opens many values of one organisation and one field at once, with one lookup of the data
   * key: what a cold results call does for thousands of answers. Throws as `openFor` does on
   * the first value that does not open.
   */
  async openManyFor(
    organisationId: string,
    field: string,
    items: readonly { rowId: string; sealed: Uint8Array }[],
  ): Promise<Buffer[]> {
    const prefix = `org:${part('organisationId', organisationId)}|${part('field', field)}|`;
    const key = await this.#dataKey(organisationId);
    return items.map((x) => open(key, x.sealed, prefix + part('rowId', x.rowId)));
  }

  /**
   * Reads the data keys of many organisations in one go — one query for a programme's
   * thousand organisations instead of a thousand — into the cache, before they are used. A
   * lookup of the same organisation meanwhile shares it; an organisation without a key fails
   * only when its key is used (NoKeyError), as before.
   */
  async preload(organisationIds: readonly string[]): Promise<void> {
    const store = this.#store;
    if (!store.getWrappedKeys) return;
    const missing = [...new Set(organisationIds)].filter((id) => !this.#cache.has(id) && !this.#inFlight.has(id));
    if (missing.length === 0) return;
    const forgets = this.#forgets;
    for (const id of missing) part('organisationId', id);
    const read = store.getWrappedKeys(missing);
    for (const id of missing) {
      const lookup = read
        .then((wrapped) => this.#unwrap(id, wrapped.get(id), forgets))
        .finally(() => {
          if (this.#inFlight.get(id) === lookup) this.#inFlight.delete(id);
        });
      // Whoever uses the key hears of a failure; nobody may be listening yet.
      lookup.catch(() => undefined);
      this.#inFlight.set(id, lookup);
    }
    await read;
  }

  /** `openFor`, decoded as UTF-8. */
  async openTextFor(organisationId: string, field: string, rowId: string, sealed: Uint8Array): Promise<string> {
    return (await this.openFor(organisationId, field, rowId, sealed)).toString('utf8');
  }

  /** Drops a cached data key, e.g. after its wrapped key was deleted (crypto-shredding). */
  forget(organisationId: string): void {
    this.#forgets += 1;
    this.#cache.delete(organisationId);
    // A lookup already under way is not shared with anyone who asks after the forget.
    this.#inFlight.delete(organisationId);
  }

  /**
   * Seals an instance-level secret that belongs to no organisation (e.g. a user's TOTP secret)
   * under a key derived from the KEK with HKDF-SHA256, so it never shares a key with the
   * wrapped organisation keys. Bound to `instance|<field>|<rowId>`.
   */
  sealInstance(field: string, rowId: string, plaintext: string | Uint8Array): Uint8Array {
    return seal(this.#instanceKey, plaintext, `instance|${part('field', field)}|${part('rowId', rowId)}`);
  }

  /**
   * A keyed hash (HMAC-SHA256, hex) of a short secret, under a key derived from the instance
   * key for `purpose`: deterministic, so it can be looked up, but a copy of the database alone
   * does not let anyone try every short code (a training check's eight characters) against it.
   */
  instanceMac(purpose: string, value: string): string {
    return createHmac('sha256', this.#instanceKey)
      .update(`${part('purpose', purpose)}|${value}`, 'utf8')
      .digest('hex');
  }

  /** Opens what `sealInstance` sealed for the same field and row; `SealError` otherwise. */
  openInstance(field: string, rowId: string, sealed: Uint8Array): Buffer {
    return open(this.#instanceKey, sealed, `instance|${part('field', field)}|${part('rowId', rowId)}`);
  }

  /**
   * A sealed known value for the server to store at first start. Comparing it later with
   * `verifyCheck` tells "this is the wrong KEK" apart from "the data is damaged", before any
   * data is sealed under a key that does not match the existing data.
   */
  checkValue(): Uint8Array {
    return seal(this.#kek, CHECK_PLAINTEXT, CHECK_AAD);
  }

  /** True when `sealed` was made by `checkValue` under this vault's KEK. */
  verifyCheck(sealed: Uint8Array): boolean {
    let opened: Buffer;
    try {
      opened = open(this.#kek, sealed, CHECK_AAD);
    } catch (error) {
      if (error instanceof SealError) return false;
      throw error;
    }
    return opened.length === CHECK_PLAINTEXT.length && timingSafeEqual(opened, CHECK_PLAINTEXT);
  }

  /** What `util.inspect` and `console.log` show: nothing about the keys. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Vault {}';
  }

  /** The organisation's unwrapped data key, from the cache or from the store. */
  async #dataKey(organisationId: string): Promise<Buffer> {
    const cached = this.#cache.get(organisationId);
    if (cached) {
      // Move to the end: the cache evicts the least recently used key.
      this.#cache.delete(organisationId);
      this.#cache.set(organisationId, cached);
      return cached;
    }
    const pending = this.#inFlight.get(organisationId);
    if (pending) return pending;
    const lookup = this.#load(organisationId).finally(() => {
      if (this.#inFlight.get(organisationId) === lookup) this.#inFlight.delete(organisationId);
    });
    this.#inFlight.set(organisationId, lookup);
    return lookup;
  }

  /** Reads, unwraps and caches one organisation's data key. */
  async #load(organisationId: string): Promise<Buffer> {
    const forgets = this.#forgets;
    return this.#unwrap(organisationId, await this.#store.getWrappedKey(organisationId), forgets);
  }

  /**
   * Unwraps a data key read from the store and caches it, unless a `forget` came after the
   * read started (`forgets` is the count when it started).
   */
  #unwrap(organisationId: string, wrapped: Uint8Array | undefined, forgets: number): Buffer {
    if (wrapped === undefined) throw new NoKeyError(organisationId);
    let dataKey: Buffer;
    try {
      dataKey = open(this.#kek, wrapped, wrapAad(organisationId));
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      throw new SealError(
        `the data key of organisation ${organisationId} does not open under the configured key-encryption key`,
      );
    }
    if (dataKey.length !== KEY_BYTES) {
      throw new SealError(`the data key of organisation ${organisationId} has the wrong length`);
    }
    if (forgets === this.#forgets) {
      this.#cache.set(organisationId, dataKey);
      while (this.#cache.size > MAX_CACHED_KEYS) {
        const oldest = this.#cache.keys().next();
        if (oldest.done) break;
        this.#cache.delete(oldest.value);
      }
    }
    return dataKey;
  }
}
