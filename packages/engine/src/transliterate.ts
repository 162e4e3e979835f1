/**
 * Serbian is written once, in Latin script, and its Cyrillic is derived here: the web app's
 * catalogues, the content (framework, interventions, trainings, handbook), the reports and the
 * content checks all call `latinToCyrillic`, so the two scripts can never drift apart.
 *
 * Serbian Latin maps to Cyrillic letter by letter, with `lj`, `nj` and `dž` each one letter
 * (`Lj`/`LJ` → `Љ`). What must not change stays Latin:
 *
 * - placeholders (`{name}`, `{{count}}`), markup tags (`<0>`, `</1>`, `<br/>`), code in
 *   backticks, Markdown link targets (`](handbook:backups)`), addresses (`https://…`,
 *   `www.…`, `name@example.org`), file names and paths (`answers.csv`, `/check`);
 * - words written with letters Serbian does not have (q, w, x, y), or with a capital inside
 *   (`WhatsApp`, `iPhone`, `KeePassXC`), which are foreign names;
 * - the names, acronyms and product names in `LATIN_WORDS` (`Signal`, `DMARC`, `VPN`, …);
 * - and, inside a word, the letter pairs of `SPLIT_DIGRAPHS`, where `nj`, `lj` or `dž` are two
 *   letters (`injekcija` → `инјекција`, `nadživeti` → `надживети`).
 *
 * @example latinToCyrillic('Kritične kontrole (ograničenje)') // 'Критичне контроле (ограничење)'
 * @example latinToCyrillic('Uključite prijavu u dva koraka na Signal nalogu') // '…на Signal налогу'
 */

const LETTERS: Readonly<Record<string, string>> = {
  A: 'А', B: 'Б', C: 'Ц', Č: 'Ч', Ć: 'Ћ', D: 'Д', Đ: 'Ђ', E: 'Е', F: 'Ф', G: 'Г', H: 'Х', I: 'И', J: 'Ј',
  K: 'К', L: 'Л', M: 'М', N: 'Н', O: 'О', P: 'П', R: 'Р', S: 'С', Š: 'Ш', T: 'Т', U: 'У', V: 'В', Z: 'З',
  Ž: 'Ж', a: 'а', b: 'б', c: 'ц', č: 'ч', ć: 'ћ', d: 'д', đ: 'ђ', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и',
  j: 'ј', k: 'к', l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', š: 'ш', t: 'т', u: 'у', v: 'в',
  z: 'з', ž: 'ж',
}; // prettier-ignore

const DIGRAPHS: Readonly<Record<string, string>> = {
  Lj: 'Љ', LJ: 'Љ', lj: 'љ', Nj: 'Њ', NJ: 'Њ', nj: 'њ', Dž: 'Џ', DŽ: 'Џ', dž: 'џ',
}; // prettier-ignore

/**
 * Words that stay in Latin script in a Cyrillic text: acronyms practitioners write in Latin,
 * and names of products, services, standards and organisations that the rules below would
 * otherwise transliterate (names with q, w, x, y or an inner capital stay Latin on their own).
 * Compared without regard to case; a word's grammatical endings after a hyphen (`VPN-a`) are
 * Serbian and are transliterated.
 */
export const LATIN_WORDS: ReadonlySet<string> = new Set(
  [
    // Acronyms and technical terms
    'MFA',
    '2FA',
    'VPN',
    'DNS',
    'DMARC',
    'CC',
    'CC0',
    'SPF',
    'DKIM',
    'DDoS',
    'USB',
    'PIN',
    'PINs',
    'GDPR',
    'CVSS',
    'SIM',
    'eSIM',
    'URL',
    'URLs',
    'HTTP',
    'HTTPS',
    'TLS',
    'SSL',
    'SMS',
    'PDF',
    'CSV',
    'DOCX',
    'HTML',
    'JSON',
    'YAML',
    'SARIF',
    'TOTP',
    'ID',
    'IT',
    'IP',
    'OS',
    'AES',
    'GCM',
    'API',
    'CMS',
    'CIS',
    'NIST',
    'CSF',
    'OWASP',
    'ZAP',
    'ISP',
    'NAS',
    'SSD',
    'PGP',
    'GPG',
    'FIDO',
    'FIDO2',
    'U2F',
    'NFC',
    'QR',
    'OTP',
    'CISA',
    'KCSS',
    'ODK',
    'SHA',
    'HMAC',
    'CVE',
    'CWE',
    'DFAK',
    'IG1',
    'IG2',
    'IG3',
    'ISO',
    'UTF',
    'RAM',
    'BIOS',
    'UEFI',
    'LTS',
    'TPM',
    'SSH',
    'FTP',
    'SFTP',
    'WPA2',
    'WPA3',
    'WPS',
    'SSID',
    'MAC',
    'LAN',
    // Products, services and names
    'Signal',
    'Google',
    'Gmail',
    'Android',
    'Apple',
    'Microsoft',
    'Windows',
    'Office',
    'Outlook',
    'OneDrive',
    'Teams',
    'Zoom',
    'Jitsi',
    'Meet',
    'Telegram',
    'Viber',
    'Facebook',
    'Instagram',
    'TikTok',
    'Threads',
    'Bitwarden',
    'VeraCrypt',
    'BitLocker',
    'FileVault',
    'Linux',
    'Ubuntu',
    'Chrome',
    'Chromium',
    'Firefox',
    'Safari',
    'Tor',
    'Proton',
    'ProtonMail',
    'Tresorit',
    'Nextcloud',
    'Cloudflare',
    'Shield',
    'Deflect',
    'Galaxy',
    'Pixel',
    'Mac',
    'MacBook',
    'Machine',
    'History',
    'Takeout',
    'Drive',
    'Workspace',
    'Authenticator',
    'Aegis',
    'Ente',
    'Auth',
    'Duo',
    'Okta',
    'Amnesty',
    'Citizen',
    'Helpline',
    'Frontline',
    'Defenders',
    'SAFETAG',
    'Kalaja',
    'Nuclei',
    'Lockdown',
    'Advanced',
    'Protection',
    'Passkey',
    'Passkeys',
    'passkey',
    'passkeys',
    'Word',
    'Excel',
    'LibreOffice',
    'Dropbox',
    'iCloud',
    'Slack',
    'Matrix',
    'Briar',
    'OnionShare',
    'SecureDrop',
    'GlobaLeaks',
    'Mullvad',
    'Outline',
    'Psiphon',
    'WordPress',
    'Joomla',
    'Drupal',
    'Encrypt',
    'Pwned',
    'Mailvelope',
    'Thunderbird',
    'Enigmail',
    'Bitdefender',
    'Defender',
    'Kaspersky',
    'Avast',
    'Malwarebytes',
    'Stalkerware',
    'MVT',
    'Pegasus',
    'Predator',
    'NSO',
    'Intellexa',
    'Cellebrite',
    'GrapheneOS',
    'LineageOS',
    'iOS',
    'iPadOS',
    'macOS',
    'ChromeOS',
    'Ledger',
  ].map((w) => w.toLowerCase()),
);

/**
 * Letter pairs that are two letters inside a word, not one (after prefixes such as `in-`,
 * `kon-`, `nad-`, `pod-`, `od-`): the pair at that place is transliterated letter by letter.
 * Each entry is the start of a word stem, lower case.
 */
export const SPLIT_DIGRAPHS: readonly string[] = [
  'injek',
  'konjug',
  'konjunk',
  'konjunkt',
  'injunk',
  'vanjez',
  'tanjug',
  'nadživ',
  'nadžnje',
  'nadždrel',
  'podžanr',
  'podžup',
  'odživ',
  'nadžup',
  'predžel',
  'odžal',
  'podžel',
];

/** Latin letters Serbian does not write: a word with one of them is a foreign name. */
const FOREIGN = /[qwxyQWXYäöüÄÖÜéèêÉàáíóúëçÇ]/;

// The runs of text that stay exactly as written, in the order they are tried.
const KEEP = new RegExp(
  [
    // Names of several words, some of them Serbian-looking ("Let", "Time", "Kit").
    "Let's Encrypt",
    'Security in a Box',
    'ACTION SEE',
    'Digital First Aid Kit',
    'Access Now',
    'Time Machine',
    'File History',
    'Have I Been Pwned',
    'Citizen Lab',
    'Front Line Defenders',
    'Frontline Defenders',
    'Advanced Protection Program',
    'Lockdown Mode',
    'Microsoft 365',
    'Google Workspace',
    'Google Takeout',
    'Amnesty Tech',
    'Mobile Verification Toolkit',
    'Project Shield',
    'Wi-Fi',
    '\\{\\{[^{}]*\\}\\}', // {{count}}
    '\\{[^{}]*\\}', // {name}
    '<\\/?[A-Za-z0-9]+\\s*\\/?>', // <0>, </0>, <br/>, <strong>
    '`[^`]*`', // `code`
    '\\]\\([^)\\s]*\\)', // ](handbook:backups)
    '(?:https?|mailto|handbook):[^\\s)<>"“”„]*[^\\s)<>"“”„.,;:!?]', // addresses
    'www\\.[^\\s)<>]*[^\\s)<>.,;:!?]',
    '[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+', // e-mail addresses
    '(?<![\\p{L}\\p{N}])/[\\w.-]+(?:/[\\w.-]+)*/?', // paths such as /check (but not i/ili)
    '[\\w.-]+/[\\w.-]+/[\\w./-]*', // and content/handbook/sq
    '[\\w-]+\\.(?:csv|json|yaml|yml|pdf|docx|html|txt|md|zip|sarif|jsonl|xml|org|com|net|eu|rs|al)\\b', // file and domain names
  ].join('|'),
  'gu',
);

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

function keepsLatin(word: string): boolean {
  if (LATIN_WORDS.has(word.toLowerCase())) return true;
  if (FOREIGN.test(word)) return true;
  // An inner capital after a lower-case letter: WhatsApp, iPhone, KeePassXC, LibreOffice.
  if (/\p{Ll}\p{Lu}/u.test(word)) return true;
  return false;
}

function splitAt(word: string): Set<number> {
  const lower = word.toLowerCase();
  const at = new Set<number>();
  for (const stem of SPLIT_DIGRAPHS) {
    const i = lower.indexOf(stem);
    if (i < 0) continue;
    // The pair inside the stem that is two letters: the first n/l/d followed by j/ž.
    const pair = /(?:n|l)j|dž/.exec(stem);
    if (pair) at.add(i + pair.index);
  }
  return at;
}

function word(w: string): string {
  if (keepsLatin(w)) return w;
  const split = splitAt(w);
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const pair = w.slice(i, i + 2);
    const digraph = DIGRAPHS[pair];
    if (digraph !== undefined && !split.has(i)) {
      // "LJ" inside an all-capitals word; "Lj" at a word's start.
      out += digraph;
      i++;
      continue;
    }
    const c = w[i]!;
    out += LETTERS[c] ?? c;
  }
  return out;
}

function plain(text: string): string {
  return text.replace(WORD, word);
}

/** Serbian Latin to Serbian Cyrillic (see the module's comment for what stays Latin). */
export function latinToCyrillic(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(KEEP)) {
    out += plain(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + plain(text.slice(last));
}

/** Whether a text holds a Cyrillic letter (a Serbian Latin text must not). */
export function hasCyrillic(text: string): boolean {
  return /\p{Script=Cyrillic}/u.test(text);
}

/**
 * Every string of a catalogue (nested objects of strings, as the web app's JSON files are)
 * transliterated; keys stay.
 */
export function cyrillicCatalogue<T>(catalogue: T): T {
  if (typeof catalogue === 'string') return latinToCyrillic(catalogue) as T;
  if (Array.isArray(catalogue)) return catalogue.map((v: unknown) => cyrillicCatalogue(v)) as T;
  if (catalogue !== null && typeof catalogue === 'object') {
    return Object.fromEntries(Object.entries(catalogue).map(([k, v]) => [k, cyrillicCatalogue(v)])) as T;
  }
  return catalogue;
}
