import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cyrillicCatalogue, hasCyrillic, LATIN_WORDS, latinToCyrillic, textFor } from '../src/index.js';

// An independent oracle: Cyrillic back to Latin is unambiguous (Љ, Њ, Џ are one letter each).
const BACK: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj',
  м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č',
  џ: 'dž', ш: 'š',
}; // prettier-ignore
function toLatin(text: string): string {
  return [...text]
    .map((c) => {
      const lower = BACK[c.toLowerCase()];
      if (lower === undefined) return c;
      return c === c.toLowerCase() ? lower : lower[0]!.toUpperCase() + lower.slice(1);
    })
    .join('');
}

const SERBIAN_LETTERS = [...'abcčćdđefghijklmnoprsštuvzž'];
const serbianWord = fc
  .array(fc.constantFrom(...SERBIAN_LETTERS), { minLength: 1, maxLength: 12 })
  .map((ls) => ls.join(''))
  .filter((w) => !LATIN_WORDS.has(w));
const sentence = fc
  .array(fc.tuple(serbianWord, fc.boolean()), { minLength: 1, maxLength: 10 })
  .map((ws) => ws.map(([w, cap]) => (cap ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' '));

describe('latinToCyrillic', () => {
  it('writes Serbian words in Cyrillic, with lj, nj and dž as one letter', () => {
    expect(latinToCyrillic('Kritične kontrole (ograničenje)')).toBe('Критичне контроле (ограничење)');
    expect(latinToCyrillic('Ljiljana, Njegoš, džep, Đurđevak')).toBe('Љиљана, Његош, џеп, Ђурђевак');
    expect(latinToCyrillic('LJUBAV I NJIVA')).toBe('ЉУБАВ И ЊИВА');
  });

  it('keeps lj, nj and dž as two letters where a prefix meets a stem', () => {
    expect(latinToCyrillic('injekcija')).toBe('инјекција');
    expect(latinToCyrillic('nadživeti')).toBe('надживети');
    expect(latinToCyrillic('Konjunkcija')).toBe('Конјункција');
    expect(latinToCyrillic('podžanr')).toBe('поджанр');
  });

  it('leaves names, acronyms and product names in Latin, and declines them in Cyrillic', () => {
    expect(latinToCyrillic('Uključite prijavu u dva koraka na Signal nalogu')).toBe(
      'Укључите пријаву у два корака на Signal налогу',
    );
    expect(latinToCyrillic('DMARC, SPF i DKIM za domen')).toBe('DMARC, SPF и DKIM за домен');
    expect(latinToCyrillic('preko VPN-a')).toBe('преко VPN-а');
    expect(latinToCyrillic('WhatsApp i KeePassXC')).toBe('WhatsApp и KeePassXC');
    expect(latinToCyrillic('Security in a Box i Digital First Aid Kit')).toBe(
      'Security in a Box и Digital First Aid Kit',
    );
    expect(latinToCyrillic("sertifikat od Let's Encrypt")).toBe("сертификат од Let's Encrypt");
    expect(latinToCyrillic('mreže ACTION SEE, licenca CC BY ili CC0')).toBe('мреже ACTION SEE, лиценца CC BY или CC0');
    // A Serbian acronym is Serbian: organizacije civilnog društva.
    expect(latinToCyrillic('OCD')).toBe('ОЦД');
  });

  it('leaves placeholders, tags, code, links and addresses as written', () => {
    expect(latinToCyrillic('{{count}} organizacija')).toBe('{{count}} организација');
    expect(latinToCyrillic('Izveštaj za {organisation}')).toBe('Извештај за {organisation}');
    expect(latinToCyrillic('Pročitajte <0>uputstvo</0>')).toBe('Прочитајте <0>упутство</0>');
    expect(latinToCyrillic('Vidi [rezervne kopije](handbook:backups).')).toBe(
      'Види [резервне копије](handbook:backups).',
    );
    expect(latinToCyrillic('Otvorite https://securityinabox.org/sr/ ili pišite na help@accessnow.org.')).toBe(
      'Отворите https://securityinabox.org/sr/ или пишите на help@accessnow.org.',
    );
    expect(latinToCyrillic('Pokrenite `kalaja score` nad answers.csv na /check')).toBe(
      'Покрените `kalaja score` над answers.csv на /check',
    );
    expect(latinToCyrillic('i/ili')).toBe('и/или');
  });

  it('turns every Serbian Latin letter into Cyrillic, and the oracle reads it back', () => {
    fc.assert(
      fc.property(sentence, (text) => {
        const cyr = latinToCyrillic(text);
        expect(cyr).not.toMatch(/[a-zA-ZčćžšđČĆŽŠĐ]/);
        // Back to Latin gives the text, except where a split pair was kept apart on purpose.
        if (!/(nj|lj|dž)/i.test(text)) expect(toLatin(cyr)).toBe(text);
      }),
    );
  });

  it('keeps any placeholder intact wherever it sits', () => {
    const placeholder = fc.stringMatching(/^[a-zA-Z]{1,10}$/).map((n) => `{{${n}}}`);
    fc.assert(
      fc.property(sentence, placeholder, sentence, (a, p, b) => {
        expect(latinToCyrillic(`${a} ${p} ${b}`)).toContain(p);
      }),
    );
  });

  it('is the identity on text with no Serbian Latin letters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9 .,:;!?()–—-]*$/), (text) => {
        expect(latinToCyrillic(text)).toBe(text);
      }),
    );
  });
});

describe('Cyrillic from Latin elsewhere', () => {
  it('derives a Cyrillic text when a map has Serbian Latin but no Cyrillic', () => {
    expect(textFor({ en: 'Backups', 'sr-Latn': 'Rezervne kopije' }, 'sr-Cyrl')).toBe('Резервне копије');
    expect(textFor({ en: 'Backups', 'sr-Latn': 'Rezervne kopije', 'sr-Cyrl': 'Бекап' }, 'sr-Cyrl')).toBe('Бекап');
    expect(textFor({ en: 'Backups' }, 'sr-Cyrl')).toBe('Backups');
  });

  it('transliterates a nested catalogue value by value, keys untouched', () => {
    const out = cyrillicCatalogue({ save: 'Sačuvaj', nested: { orgs_few: '{{count}} organizacije' } });
    expect(out).toEqual({ save: 'Сачувај', nested: { orgs_few: '{{count}} организације' } });
    expect(hasCyrillic(out.save)).toBe(true);
    expect(hasCyrillic('Sačuvaj')).toBe(false);
  });

  it('gives the glossary a Cyrillic column that is exactly the transliterated Latin one', () => {
    const glossary = readFileSync(new URL('../../../docs/glossary.md', import.meta.url), 'utf8');
    const rows = glossary
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| English') && !l.startsWith('| ---'))
      .map((l) => l.split('|').map((c) => c.trim()));
    expect(rows.length).toBeGreaterThan(100);
    for (const [, en, sq, latin, cyrillic] of rows) {
      expect(sq, en).not.toBe('');
      expect(cyrillic, en).toBe(latinToCyrillic(latin!));
    }
  });
});

describe('picking a text', () => {
  it('looks only at the map\u2019s own languages: a locale named like an Object property finds nothing', () => {
    for (const odd of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      expect(textFor({ en: 'Backups', sq: 'Kopjet rezervë' }, odd)).toBe('Backups');
    expect(textFor({ en: 'Backups', sq: 'Kopjet rezervë' }, 'sq')).toBe('Kopjet rezervë');
  });
});
