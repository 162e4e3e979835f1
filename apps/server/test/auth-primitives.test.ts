import { parseOptions } from '@node-rs/argon2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DUMMY_HASH,
  PASSWORD_HASH_OPTIONS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  checkPasswordPolicy,
  commonPasswords,
  hashPassword,
  passwordHashNeedsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from '../src/modules/auth/auth-passwords.js';
import {
  hashRecoveryCode,
  hashToken,
  newRecoveryCodes,
  newToken,
  normaliseRecoveryCode,
  safeEqual,
} from '../src/modules/auth/auth-tokens.js';
import { newId } from '../src/ids.js';
import { newTotpSecret, totpCode, totpStep, totpUri, verifyTotp } from '../src/modules/auth/auth-totp.js';

const NO_CONTEXT = {};

function policyCode(password: string, context: { email?: string; displayName?: string } = NO_CONTEXT) {
  const result = checkPasswordPolicy(password, context);
  return result.ok ? 'ok' : result.code;
}

describe('password policy', () => {
  it('refuses a 14-character password and accepts a 15-character passphrase', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(15);
    expect(policyCode('tulip engine o')).toBe('too_short');
    expect(policyCode('tulip engine ox')).toBe('ok');
  });

  it('tells the user in plain words how long the password must be', () => {
    const result = checkPasswordPolicy('tulip engine o', NO_CONTEXT);
    expect(result).toMatchObject({ ok: false, code: 'too_short' });
    expect(result.ok ? '' : result.message).toMatch(/at least 15 characters \(this one has 14\)/);
  });

  it('counts a multi-byte character as one character', () => {
    // 15 code points, 30 bytes of UTF-8: long enough (refused only as a repeated pattern).
    expect(policyCode('ë'.repeat(15))).toBe('common');
    expect(policyCode('ë'.repeat(14))).toBe('too_short');
    // 15 code points but 18 UTF-16 units (three emoji are surrogate pairs).
    expect(policyCode('ëndër çaji 🔐🌿🦉✨')).toBe('ok');
    // 14 code points in 17 UTF-16 units is still too short.
    expect(policyCode('ëndër çaji 🔐🌿🦉')).toBe('too_short');
  });

  it('counts characters after NFC normalisation, so a decomposed "ë" is one character', () => {
    const decomposed = 'e\u0308ndër çaji 🔐🌿🦉'; // 15 code points as typed, 14 after NFC
    expect(decomposed.normalize('NFC')).not.toBe(decomposed);
    expect(policyCode(decomposed)).toBe('too_short');
  });

  it('refuses a password longer than 256 characters', () => {
    expect(PASSWORD_MAX_LENGTH).toBe(256);
    const words = ['tulip', 'engine', 'harbour', 'violet', 'marble', 'kettle', 'saffron', 'glacier'];
    let long = '';
    for (let i = 0; long.length < 300; i++) long += `${words[i % words.length] ?? ''}${i} `;
    expect(policyCode(long.slice(0, 256))).toBe('ok');
    expect(policyCode(long.slice(0, 257))).toBe('too_long');
    expect(policyCode('x'.repeat(1_000_000))).toBe('too_long');
  });

  it('loads the offline common-password list', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThan(40_000);
    expect(list.has('password')).toBe(true);
    expect(list.has('iloveyou')).toBe(true);
    expect(list.has('passwordpassword')).toBe(true);
    expect([...list].some((entry) => entry.startsWith('# '))).toBe(false);
  });

  it('refuses passwords on the list that are long enough, whatever their case', () => {
    // Entries of the list that are 15 characters or longer.
    expect(policyCode('1qaz2wsx3edc4rfv')).toBe('common');
    expect(policyCode('qazwsxedcrfvtgb')).toBe('common');
    expect(policyCode('1234567890QWERTY')).toBe('common');
    expect(policyCode('PasswordPassword')).toBe('common');
  });

  it('refuses a common password with digits, punctuation or symbols added at either end', () => {
    expect(policyCode('iloveyou12345678!')).toBe('common');
    expect(policyCode('Password2024!!!!')).toBe('common');
    expect(policyCode('2024!!sunshine2024')).toBe('common');
    expect(policyCode('football #1 0000000')).toBe('common');
  });

  it('refuses a common password repeated, even with the last copy cut short', () => {
    expect(policyCode('dragondragondragon')).toBe('common');
    expect(policyCode('dragondragondra')).toBe('common');
    expect(policyCode('trustno1trustno1')).toBe('common');
    expect(policyCode('monkey monkey monkey')).toBe('common');
    expect(policyCode('letmeinletmein!!!')).toBe('common');
  });

  it('refuses one to three characters written over and over', () => {
    expect(policyCode('aaaaaaaaaaaaaaa')).toBe('common');
    expect(policyCode('abababababababab')).toBe('common');
    expect(policyCode('xyzxyzxyzxyzxyz')).toBe('common');
    expect(policyCode('zzzzzz123456789!')).toBe('common');
  });

  it('refuses full-width look-alikes of a common password', () => {
    expect(policyCode('ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ')).toBe('common');
  });

  it('accepts passphrases that merely contain common words', () => {
    expect(policyCode('correct horse battery staple')).toBe('ok');
    expect(policyCode('my dragon eats clouds')).toBe('ok');
    expect(policyCode('password is not my password')).toBe('ok');
    // A keyboard walk that is not on the list is not detected: the list is the only source.
    expect(policyCode('qwertyuiopasdfgh')).toBe('ok');
  });

  it('refuses a password containing the email local part', () => {
    const email = 'amina.hoxha@example.org';
    expect(policyCode('amina.hoxha keeps bees', { email })).toBe('contains_identity');
    expect(policyCode('I am AminaHoxha from Tirana', { email })).toBe('contains_identity');
    expect(policyCode('hoxha keeps bees on the roof', { email })).toBe('ok');
    // A "+tag" is not part of the person's address.
    expect(policyCode('amina keeps bees on the roof', { email: 'amina+kalaja@example.org' })).toBe('contains_identity');
  });

  it('refuses a password containing the display name', () => {
    const displayName = 'Amina Hoxha';
    expect(policyCode('tirana-amina hoxha-2025', { displayName })).toBe('contains_identity');
    expect(policyCode('tirana amina keeps bees', { displayName })).toBe('ok');
  });

  it('does not look for an email local part or display name shorter than four characters', () => {
    expect(policyCode('jo tulip engine ox', { email: 'jo@example.org', displayName: 'Jo' })).toBe('ok');
    expect(policyCode('joan tulip engine ox', { email: 'joan@example.org' })).toBe('contains_identity');
  });
});

describe('password hashing', () => {
  // Each argon2 hash takes ~50 ms: one for the whole suite.
  const password = 'ëndër çaji 🔐🌿🦉✨';
  const stored = hashPassword(password);

  it('hashes with argon2id at the OWASP minimum and verifies the same password', async () => {
    const hash = await stored;
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, password)).toBe(true);
    // NFC first: the same password typed with a decomposed "ë" still matches.
    expect(await verifyPassword(hash, password.normalize('NFD'))).toBe(true);
    expect(passwordHashNeedsRehash(hash)).toBe(false);
  });

  it('verifies a wrong password as false', async () => {
    expect(await verifyPassword(await stored, 'ëndër çaji 🔐🌿🦉✨!')).toBe(false);
    expect(await verifyPassword(await stored, '')).toBe(false);
  });

  it('verifies against a garbage hash as false without throwing', async () => {
    for (const garbage of [
      '',
      'garbage',
      '$argon2id$v=19$m=19456,t=2,p=1$bad',
      '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy',
    ]) {
      await expect(verifyPassword(garbage, password)).resolves.toBe(false);
    }
  });

  it('has a dummy hash made with the same parameters as real hashes', async () => {
    const real = parseOptions(await stored);
    expect(parseOptions(DUMMY_HASH)).toEqual(real);
    expect(real).toMatchObject({
      algorithm: PASSWORD_HASH_OPTIONS.algorithm,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    await expect(verifyAgainstDummy(password)).resolves.toBe(false);
  });

  it('asks for a rehash when a stored hash is weaker or unreadable', () => {
    const weaker = DUMMY_HASH.replace('m=19456,t=2,p=1', 'm=4096,t=3,p=1');
    expect(passwordHashNeedsRehash(DUMMY_HASH)).toBe(false);
    expect(passwordHashNeedsRehash(weaker)).toBe(true);
    expect(passwordHashNeedsRehash('garbage')).toBe(true);
  });
});

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2025, 4, 17, 12, 0, 10);
  const step = totpStep(now);

  it('makes Base32 secrets of 160 bits', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 32 × 5 bits
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('builds an otpauth URI for the QR code', () => {
    const uri = new URL(totpUri(secret, 'amina@example.org'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.href.startsWith('otpauth://totp/Kalaja:amina%40example.org?')).toBe(true);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Kalaja');
    expect(() => totpUri(secret, 'a:b')).toThrow(RangeError);
  });

  it('matches the RFC 6238 SHA-1 test vectors', () => {
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // ASCII "12345678901234567890"
    expect(totpCode(rfcSecret, 59_000)).toBe('287082');
    expect(totpCode(rfcSecret, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(rfcSecret, 1_234_567_890_000)).toBe('005924');
    expect(totpCode(rfcSecret, 20_000_000_000_000)).toBe('353130');
  });

  it('verifies a code from totpCode and returns its step', () => {
    expect(verifyTotp(secret, totpCode(secret, now), now)).toEqual({ ok: true, step });
  });

  it('verifies any current code (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (t) => {
        expect(verifyTotp(secret, totpCode(secret, t), t)).toEqual({ ok: true, step: totpStep(t) });
      }),
      { numRuns: 50 },
    );
  });

  it('accepts a code one step early or late', () => {
    expect(verifyTotp(secret, totpCode(secret, now - 30_000), now)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(secret, totpCode(secret, now + 30_000), now)).toEqual({ ok: true, step: step + 1 });
  });

  it('refuses a code from two steps ago or two steps ahead', () => {
    expect(verifyTotp(secret, totpCode(secret, now - 60_000), now)).toEqual({ ok: false });
    expect(verifyTotp(secret, totpCode(secret, now + 60_000), now)).toEqual({ ok: false });
  });

  it('refuses a replay of the same step, or an older one', () => {
    const code = totpCode(secret, now);
    const first = verifyTotp(secret, code, now);
    expect(first).toEqual({ ok: true, step });
    expect(verifyTotp(secret, code, now + 5_000, step)).toEqual({ ok: false });
    expect(verifyTotp(secret, totpCode(secret, now - 30_000), now, step)).toEqual({ ok: false });
    // The next step's code is still fine.
    expect(verifyTotp(secret, totpCode(secret, now + 30_000), now + 30_000, step)).toEqual({
      ok: true,
      step: step + 1,
    });
  });

  it('refuses everything when the last used step is ahead of the window or not a number', () => {
    const code = totpCode(secret, now);
    expect(verifyTotp(secret, code, now, step + 5)).toEqual({ ok: false });
    expect(verifyTotp(secret, code, now, Number.NaN)).toEqual({ ok: false });
    expect(verifyTotp(secret, code, now, -1)).toEqual({ ok: true, step });
  });

  it('verifies codes typed with spaces', () => {
    const code = totpCode(secret, now);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now).ok).toBe(true);
    expect(verifyTotp(secret, ` ${code}\t\n`, now).ok).toBe(true);
  });

  it('refuses letters and anything that is not six digits', () => {
    const code = totpCode(secret, now);
    for (const bad of [
      'abcdef',
      `${code.slice(0, 5)}a`,
      code.slice(0, 5),
      `${code}0`,
      '',
      `${code.slice(0, 3)}-${code.slice(3)}`,
    ]) {
      expect(verifyTotp(secret, bad, now)).toEqual({ ok: false });
    }
    // Full-width digits are not ASCII digits.
    const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    expect(verifyTotp(secret, fullWidth, now)).toEqual({ ok: false });
  });

  it('refuses, rather than throws, with a malformed secret', () => {
    expect(verifyTotp('not base32!', '123456', now)).toEqual({ ok: false });
    expect(verifyTotp('JBSWY3DPEHPK3PXP', '123456', now)).toEqual({ ok: false }); // 80 bits: too short
  });
});

describe('tokens and recovery codes', () => {
  it('makes tokens of 43 base64url characters that are all different', () => {
    const tokens = Array.from({ length: 1000 }, () => newToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('hashes tokens with SHA-256', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = newToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(newToken()));
  });

  it('makes ten distinct recovery codes from an unambiguous alphabet', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    const many = newRecoveryCodes(100);
    expect(new Set(many).size).toBe(100);
    expect(() => newRecoveryCodes(0)).toThrow(RangeError);
    expect(() => newRecoveryCodes(1.5)).toThrow(RangeError);
  });

  it('hashes a recovery code the same regardless of case, spaces and dashes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...newRecoveryCodes(20)),
        fc.boolean(),
        fc.constantFrom('', ' ', '  ', '\u2013'),
        (code, upper, separator) => {
          const typed = (upper ? code.toUpperCase() : code).replaceAll('-', separator);
          expect(hashRecoveryCode(typed)).toBe(hashRecoveryCode(code));
        },
      ),
    );
    expect(hashRecoveryCode(' 7K3M Q9XD-2hfa 0wve ')).toBe(hashRecoveryCode('7k3m-q9xd-2hfa-0wve'));
  });

  it('reads o as 0 and i or l as 1 when a recovery code is typed back', () => {
    expect(normaliseRecoveryCode('OIL0-1abc')).toBe('01101abc');
    expect(hashRecoveryCode('1o0l-aaaa-bbbb-cccc')).toBe(hashRecoveryCode('1001-aaaa-bbbb-cccc'));
    expect(hashRecoveryCode('1001-aaaa-bbbb-cccc')).not.toBe(hashRecoveryCode('1001-aaaa-bbbb-cccd'));
  });

  it('compares strings in constant time and gets the answer right', () => {
    const token = newToken();
    expect(safeEqual(token, `${token}`)).toBe(true);
    expect(safeEqual(token, newToken())).toBe(false);
    expect(safeEqual(token, token.slice(0, 42))).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('', 'a')).toBe(false);
  });
});

describe('ids', () => {
  it('never start with a dash, which a command line would read as an option', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id))).toBe(true);
  });
});
