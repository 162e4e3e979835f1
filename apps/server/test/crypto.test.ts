import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyError, loadKeyEncryptionKey } from '../src/crypto/kek.js';
import { SEAL_OVERHEAD, SealError, open, openText, seal } from '../src/crypto/seal.js';
import { MAX_CACHED_KEYS, NoKeyError, Vault, type KeyStore } from '../src/crypto/vault.js';

const posix = process.platform !== 'win32';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalaja-crypto-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The storage layer's KeyStore, in memory, counting reads so caching can be observed. */
class MemoryKeyStore implements KeyStore {
  readonly rows = new Map<string, Uint8Array>();
  reads = 0;
  async getWrappedKey(organisationId: string): Promise<Uint8Array | undefined> {
    this.reads += 1;
    return this.rows.get(organisationId);
  }
  async putWrappedKey(organisationId: string, wrapped: Uint8Array): Promise<void> {
    if (this.rows.has(organisationId)) throw new Error('duplicate key row');
    this.rows.set(organisationId, wrapped);
  }
  async getWrappedKeys(organisationIds: readonly string[]): Promise<Map<string, Uint8Array>> {
    this.reads += 1;
    return new Map(organisationIds.flatMap((id) => (this.rows.has(id) ? [[id, this.rows.get(id)!] as const] : [])));
  }
}

const key = () => randomBytes(32);
const flip = (bytes: Uint8Array, index: number, bit = 0): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ (1 << bit);
  return copy;
};

describe('seal and open', () => {
  const k = key();
  const aad = 'org:o1|answers.own|a1/q1';

  it('round-trips text and bytes', () => {
    expect(openText(k, seal(k, 'Only the director, so far — ëç 🔐', aad), aad)).toBe(
      'Only the director, so far — ëç 🔐',
    );
    const bytes = randomBytes(1000);
    expect(open(k, seal(k, bytes, aad), aad).equals(bytes)).toBe(true);
    expect(open(k, seal(k, '', aad), aad).length).toBe(0);
  });

  it('writes version 1, a 12-byte IV, the ciphertext and a 16-byte tag', () => {
    const sealed = seal(k, 'abc', aad);
    expect(sealed.length).toBe(SEAL_OVERHEAD + 3);
    expect(sealed[0]).toBe(0x01);
  });

  it('opens a sealed value that is a view into a larger buffer', () => {
    const sealed = seal(k, 'stored in a row', aad);
    const larger = new Uint8Array(sealed.length + 10);
    larger.set(sealed, 5);
    expect(openText(k, larger.subarray(5, 5 + sealed.length), aad)).toBe('stored in a row');
  });

  it('fails with another row, another field or another organisation as associated data', () => {
    const sealed = seal(k, 'secret', aad);
    for (const other of ['org:o1|answers.own|a1/q2', 'org:o1|notes|a1/q1', 'org:o2|answers.own|a1/q1', '']) {
      expect(() => open(k, sealed, other)).toThrow(SealError);
    }
  });

  it('fails when any single bit is flipped', () => {
    const sealed = seal(k, 'twelve bytes', aad);
    for (let i = 0; i < sealed.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        expect(() => open(k, flip(sealed, i, bit), aad)).toThrow(SealError);
      }
    }
  });

  it('fails under a wrong key', () => {
    expect(() => open(key(), seal(k, 'secret', aad), aad)).toThrow(SealError);
  });

  it('fails on truncated input and on an unknown version', () => {
    const sealed = seal(k, 'secret', aad);
    for (let n = 0; n < sealed.length; n++) expect(() => open(k, sealed.subarray(0, n), aad)).toThrow(SealError);
    const v2 = Uint8Array.from(sealed);
    v2[0] = 0x02;
    expect(() => open(k, v2, aad)).toThrow(/unknown sealed value version 2/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => seal(randomBytes(16), 'x', aad)).toThrow(SealError);
    expect(() => open(randomBytes(16), seal(k, 'x', aad), aad)).toThrow(SealError);
  });

  it('gives different bytes for each seal of the same plaintext', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(Buffer.from(seal(k, 'same', aad)).toString('hex'));
    expect(seen.size).toBe(100);
  });

  it('never gives two seals the same IV, across many refills of the pool IVs are drawn from', () => {
    const ivs = new Set<string>();
    const n = 5000; // about fifteen refills of the 4 KiB pool
    for (let i = 0; i < n; i++)
      ivs.add(
        Buffer.from(seal(k, 'same', aad))
          .subarray(1, 13)
          .toString('hex'),
      );
    expect(ivs.size).toBe(n);
  });

  it('says nothing about the key or the plaintext when it fails', () => {
    const plaintext = 'the director reuses one password';
    try {
      open(key(), seal(k, plaintext, aad), aad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SealError);
      const text = `${String(error)} ${inspect(error)}`;
      expect(text).not.toContain(k.toString('hex'));
      expect(text).not.toContain(k.toString('base64'));
      expect(text).not.toContain(plaintext);
      expect((error as Error).cause).toBeUndefined();
    }
  });

  it('refuses associated data that is not well-formed Unicode', () => {
    expect(() => seal(k, 'x', 'org:\ud800')).toThrow(TypeError);
  });

  it('opens what it sealed, for arbitrary bytes and associated data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.string({ unit: 'grapheme' }), (plaintext, data) => {
        const opened = open(k, seal(k, plaintext, data), data);
        expect(Buffer.from(plaintext).equals(opened)).toBe(true);
      }),
    );
  });

  it('opens what it sealed, for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(openText(k, seal(k, text, aad), aad)).toBe(text);
      }),
    );
  });
});

describe('the key-encryption key', () => {
  const base64Key = () => randomBytes(32).toString('base64');

  it('is read from KALAJA_KEY', () => {
    const value = base64Key();
    expect(loadKeyEncryptionKey({ kind: 'env', value }).equals(Buffer.from(value, 'base64'))).toBe(true);
    expect(loadKeyEncryptionKey({ kind: 'env', value: ` ${value}\n` }).toString('base64')).toBe(value);
  });

  it('accepts the URL-safe alphabet without padding', () => {
    const bytes = randomBytes(32);
    expect(loadKeyEncryptionKey({ kind: 'env', value: bytes.toString('base64url') }).equals(bytes)).toBe(true);
  });

  it('refuses a KALAJA_KEY that is not base64 or not 32 bytes, naming the variable', () => {
    for (const value of [
      '',
      'not base64 at all!',
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
    ]) {
      expect(() => loadKeyEncryptionKey({ kind: 'env', value })).toThrow(KeyError);
      expect(() => loadKeyEncryptionKey({ kind: 'env', value })).toThrow(/KALAJA_KEY/);
    }
    // Buffer.from(…, 'base64') would skip the stray characters and decode 32 bytes anyway.
    const sloppy = `${base64Key().slice(0, 20)}!!${base64Key().slice(20)}`;
    expect(() => loadKeyEncryptionKey({ kind: 'env', value: sloppy })).toThrow(KeyError);
  });

  it.runIf(posix)('creates the key file with mode 0600 in a new 0700 directory, and reuses it on the next load', () => {
    const path = join(dir, 'fresh', 'nested', 'kalaja.key');
    const first = loadKeyEncryptionKey({ kind: 'file', path, create: true });
    expect(first.length).toBe(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'fresh', 'nested')).mode & 0o077).toBe(0);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.toString('base64'));
    const second = loadKeyEncryptionKey({ kind: 'file', path, create: true });
    expect(second.equals(first)).toBe(true);
    expect(loadKeyEncryptionKey({ kind: 'file', path, create: false }).equals(first)).toBe(true);
  });

  it('never overwrites an existing key file', () => {
    const path = join(dir, 'existing.key');
    const value = base64Key();
    writeFileSync(path, `${value}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    expect(loadKeyEncryptionKey({ kind: 'file', path, create: true }).toString('base64')).toBe(value);
    expect(readFileSync(path, 'utf8')).toBe(`${value}\n`);
  });

  it('does not overwrite an existing but malformed key file either', () => {
    const path = join(dir, 'malformed.key');
    writeFileSync(path, 'garbage', { mode: 0o600 });
    chmodSync(path, 0o600);
    expect(() => loadKeyEncryptionKey({ kind: 'file', path, create: true })).toThrow(KeyError);
    expect(readFileSync(path, 'utf8')).toBe('garbage');
  });

  it.runIf(posix)('refuses a key file that other users can read, telling the user to chmod 600 it', () => {
    const path = join(dir, 'open.key');
    writeFileSync(path, base64Key());
    chmodSync(path, 0o644);
    expect(() => loadKeyEncryptionKey({ kind: 'file', path, create: true })).toThrow(KeyError);
    expect(() => loadKeyEncryptionKey({ kind: 'file', path, create: true })).toThrow(`chmod 600 ${path}`);
    chmodSync(path, 0o640);
    expect(() => loadKeyEncryptionKey({ kind: 'file', path, create: false })).toThrow(/chmod 600/);
    chmodSync(path, 0o400);
    expect(loadKeyEncryptionKey({ kind: 'file', path, create: false }).length).toBe(32);
  });

  it('refuses a key file that is not base64 or not 32 bytes, naming the file', () => {
    for (const [name, text] of [
      ['short.key', randomBytes(16).toString('base64')],
      ['long.key', randomBytes(48).toString('base64')],
      ['text.key', 'correct horse battery staple'],
      ['empty.key', ''],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, text, { mode: 0o600 });
      chmodSync(path, 0o600);
      expect(() => loadKeyEncryptionKey({ kind: 'file', path, create: false })).toThrow(KeyError);
      expect(() => loadKeyEncryptionKey({ kind: 'file', path, create: false })).toThrow(path);
    }
  });

  it('refuses a missing key file when it may not create one, naming the file and KALAJA_KEY_FILE', () => {
    const path = join(dir, 'missing.key');
    expect(() => loadKeyEncryptionKey({ kind: 'file', path, create: false })).toThrow(KeyError);
    expect(() => loadKeyEncryptionKey({ kind: 'file', path, create: false })).toThrow(/KALAJA_KEY_FILE/);
    expect(existsSync(path)).toBe(false);
  });

  it('trims whitespace around the key in a file', () => {
    const path = join(dir, 'spaced.key');
    const value = base64Key();
    writeFileSync(path, `\n  ${value}  \r\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    expect(loadKeyEncryptionKey({ kind: 'file', path, create: false }).toString('base64')).toBe(value);
  });
});

describe('the vault', () => {
  const setup = async (...organisations: string[]) => {
    const kek = key();
    const store = new MemoryKeyStore();
    const vault = new Vault(kek, store);
    for (const id of organisations) await vault.createOrganisationKey(id);
    return { kek, store, vault };
  };

  it('round-trips an organisation field', async () => {
    const { vault } = await setup('o1');
    const sealed = await vault.sealFor('o1', 'answers.own', 'a1/q1', 'partial');
    expect(await vault.openTextFor('o1', 'answers.own', 'a1/q1', sealed)).toBe('partial');
    const bytes = randomBytes(64);
    expect(
      (await vault.openFor('o1', 'evidence', 'e1', await vault.sealFor('o1', 'evidence', 'e1', bytes))).equals(bytes),
    ).toBe(true);
  });

  it('seals two organisations under different keys, so org A ciphertext does not open as org B', async () => {
    const { vault, store, kek } = await setup('org-a', 'org-b');
    const a = store.rows.get('org-a');
    const b = store.rows.get('org-b');
    expect(a && b && open(kek, a, 'orgkey:org-a').equals(open(kek, b, 'orgkey:org-b'))).toBe(false);
    const sealed = await vault.sealFor('org-a', 'answers.own', 'a1/q1', 'none');
    await expect(vault.openFor('org-b', 'answers.own', 'a1/q1', sealed)).rejects.toThrow(SealError);
  });

  it('binds each field to its organisation, field and row', async () => {
    const { vault } = await setup('o1');
    const sealed = await vault.sealFor('o1', 'answers.own', 'a1/q1', 'none');
    await expect(vault.openFor('o1', 'answers.own', 'a1/q2', sealed)).rejects.toThrow(SealError);
    await expect(vault.openFor('o1', 'notes', 'a1/q1', sealed)).rejects.toThrow(SealError);
  });

  it('refuses a wrapped key moved to another organisation', async () => {
    const { vault, store } = await setup('o1');
    store.rows.set('o2', store.rows.get('o1') ?? new Uint8Array());
    await expect(vault.sealFor('o2', 'notes', 'n1', 'x')).rejects.toThrow(/organisation o2/);
  });

  it('refuses parts of the associated data that contain "|" or are empty', async () => {
    const { vault } = await setup('o1');
    await expect(vault.sealFor('o1', 'answers|own', 'r', 'x')).rejects.toThrow(TypeError);
    await expect(vault.sealFor('o1', 'answers', 'a|b', 'x')).rejects.toThrow(TypeError);
    await expect(vault.sealFor('o1', '', 'r', 'x')).rejects.toThrow(TypeError);
    await expect(vault.createOrganisationKey('o|2')).rejects.toThrow(TypeError);
    expect(() => vault.sealInstance('totp', 'u|1', 'x')).toThrow(TypeError);
  });

  it('wraps a new key for a caller that stores it in its own transaction', async () => {
    const { vault, store } = await setup();
    const wrapped = vault.newWrappedKey('o1');
    await store.putWrappedKey('o1', wrapped);
    const sealed = await vault.sealFor('o1', 'notes', 'n1', 'x');
    expect(await vault.openTextFor('o1', 'notes', 'n1', sealed)).toBe('x');
    expect(Buffer.from(vault.newWrappedKey('o1')).equals(Buffer.from(wrapped))).toBe(false);
  });

  it('refuses to create a second key for an organisation', async () => {
    const { vault, store } = await setup('o1');
    const before = store.rows.get('o1');
    await expect(vault.createOrganisationKey('o1')).rejects.toThrow(/already has a data key/);
    expect(store.rows.get('o1')).toBe(before);
  });

  it('throws NoKeyError for an organisation without a key', async () => {
    const { vault } = await setup();
    await expect(vault.sealFor('nobody', 'notes', 'n1', 'x')).rejects.toThrow(NoKeyError);
  });

  it('crypto-shreds: once the key row is removed and forgotten, openFor throws NoKeyError', async () => {
    const { vault, store } = await setup('o1');
    const sealed = await vault.sealFor('o1', 'notes', 'n1', 'we were phished in March');
    expect(await vault.openTextFor('o1', 'notes', 'n1', sealed)).toBe('we were phished in March');
    store.rows.delete('o1');
    vault.forget('o1');
    await expect(vault.openFor('o1', 'notes', 'n1', sealed)).rejects.toThrow(NoKeyError);
  });

  it('does not cache a key that was read before a forget', async () => {
    const kek = key();
    const store = new MemoryKeyStore();
    await new Vault(kek, store).createOrganisationKey('o1');
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowStore: KeyStore = {
      getWrappedKey: async (id) => {
        const wrapped = await store.getWrappedKey(id);
        await gate;
        return wrapped;
      },
      putWrappedKey: (id, wrapped) => store.putWrappedKey(id, wrapped),
    };
    const vault = new Vault(kek, slowStore);
    const inFlight = vault.sealFor('o1', 'notes', 'n1', 'x');
    store.rows.delete('o1');
    vault.forget('o1');
    release();
    await inFlight;
    await expect(vault.sealFor('o1', 'notes', 'n1', 'x')).rejects.toThrow(NoKeyError);
  });

  it('shares one lookup among the seals that ask for the same key at once', async () => {
    const { vault, store } = await setup('o1');
    store.reads = 0;
    await Promise.all(Array.from({ length: 500 }, (_, i) => vault.sealFor('o1', 'answers.own', `r${i}`, 'x')));
    expect(store.reads).toBe(1);
  });

  it('reads many organisations’ keys in one go, and opens many values with one key', async () => {
    const { vault, store, kek } = await setup('o1', 'o2', 'o3');
    const sealed = await Promise.all(
      ['o1', 'o2', 'o3'].map((o) => vault.sealFor(o, 'answers.own', `${o}/q1`, `answer of ${o}`)),
    );
    // A vault that has just started: nothing cached.
    const cold = new Vault(kek, store);
    store.reads = 0;
    await cold.preload(['o1', 'o2', 'o3', 'o2', 'shredded']);
    expect(store.reads).toBe(1);
    const opened = await Promise.all(
      ['o1', 'o2', 'o3'].map((o, i) => cold.openManyFor(o, 'answers.own', [{ rowId: `${o}/q1`, sealed: sealed[i]! }])),
    );
    expect(opened.map(([b]) => b!.toString('utf8'))).toEqual(['answer of o1', 'answer of o2', 'answer of o3']);
    expect(store.reads).toBe(1);
    // An organisation without a key fails when its key is used, as without preloading.
    await expect(cold.sealFor('shredded', 'notes', 'n1', 'x')).rejects.toThrow(NoKeyError);
    // A value of another place does not open, whichever batch it is in.
    await expect(
      cold.openManyFor('o1', 'answers.own', [
        { rowId: 'o1/q1', sealed: sealed[0]! },
        { rowId: 'o1/q2', sealed: sealed[0]! },
      ]),
    ).rejects.toThrow(SealError);
  });

  it('does not cache a preloaded key forgotten while it was read', async () => {
    const { store, kek } = await setup('o1');
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: KeyStore = {
      getWrappedKey: (id) => store.getWrappedKey(id),
      putWrappedKey: (id, w) => store.putWrappedKey(id, w),
      getWrappedKeys: async (ids) => {
        const keys = await store.getWrappedKeys(ids);
        await gate;
        return keys;
      },
    };
    const cold = new Vault(kek, slow);
    const loading = cold.preload(['o1']);
    store.rows.delete('o1');
    cold.forget('o1');
    release();
    await loading;
    await expect(cold.sealFor('o1', 'notes', 'n1', 'x')).rejects.toThrow(NoKeyError);
  });

  it('caches unwrapped keys and evicts the least recently used beyond the bound', async () => {
    const { vault, store } = await setup();
    const ids = Array.from({ length: MAX_CACHED_KEYS + 1 }, (_, i) => `o${i}`);
    for (const id of ids) await vault.createOrganisationKey(id);
    for (const id of ids.slice(0, MAX_CACHED_KEYS)) await vault.sealFor(id, 'f', 'r', 'x');
    store.reads = 0;
    await vault.sealFor('o0', 'f', 'r', 'x');
    expect(store.reads).toBe(0);
    await vault.sealFor(`o${MAX_CACHED_KEYS}`, 'f', 'r', 'x'); // evicts o1, the least recently used
    expect(store.reads).toBe(1);
    await vault.sealFor('o0', 'f', 'r', 'x');
    expect(store.reads).toBe(1);
    await vault.sealFor('o1', 'f', 'r', 'x');
    expect(store.reads).toBe(2);
  });

  it('round-trips instance secrets, bound to field and row', () => {
    const kek = key();
    const vault = new Vault(kek, new MemoryKeyStore());
    const sealed = vault.sealInstance('totp', 'user-1', 'JBSWY3DPEHPK3PXP');
    expect(vault.openInstance('totp', 'user-1', sealed).toString('utf8')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => vault.openInstance('totp', 'user-2', sealed)).toThrow(SealError);
    expect(() => vault.openInstance('recovery', 'user-1', sealed)).toThrow(SealError);
    // Derived, not the KEK itself.
    expect(() => open(kek, sealed, 'instance|totp|user-1')).toThrow(SealError);
    // The same KEK derives the same instance key in another process.
    expect(new Vault(kek, new MemoryKeyStore()).openInstance('totp', 'user-1', sealed).toString('utf8')).toBe(
      'JBSWY3DPEHPK3PXP',
    );
    expect(() => new Vault(key(), new MemoryKeyStore()).openInstance('totp', 'user-1', sealed)).toThrow(SealError);
  });

  it('verifies its check value, and not under another KEK', () => {
    const kek = key();
    const check = new Vault(kek, new MemoryKeyStore()).checkValue();
    expect(new Vault(Buffer.from(kek), new MemoryKeyStore()).verifyCheck(check)).toBe(true);
    expect(new Vault(key(), new MemoryKeyStore()).verifyCheck(check)).toBe(false);
    expect(new Vault(kek, new MemoryKeyStore()).verifyCheck(flip(check, 20))).toBe(false);
    expect(new Vault(kek, new MemoryKeyStore()).verifyCheck(new Uint8Array(3))).toBe(false);
  });

  it('refuses a KEK that is not 32 bytes', () => {
    expect(() => new Vault(randomBytes(31), new MemoryKeyStore())).toThrow(KeyError);
  });

  it('shows no key bytes when inspected or serialised', async () => {
    const { vault, kek, store } = await setup('o1');
    await vault.sealFor('o1', 'notes', 'n1', 'x'); // a data key is now cached
    const dataKey = open(kek, store.rows.get('o1') ?? new Uint8Array(), 'orgkey:o1');
    const shown = [
      inspect(vault),
      inspect(vault, { showHidden: true, depth: Infinity }),
      JSON.stringify(vault),
      String(vault),
    ];
    expect(inspect(vault)).toBe('Vault {}');
    for (const text of shown) {
      expect(text).not.toContain(kek.toString('base64'));
      expect(text).not.toContain(kek.toString('hex'));
      expect(text).not.toContain(dataKey.toString('base64'));
      expect(text).not.toContain(dataKey.toString('hex'));
    }
  });
});
