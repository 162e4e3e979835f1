import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cyrillicHandbook,
  loadHandbook,
  parseHandbookSection,
  type HandbookBlock,
  type HandbookInline,
  type HandbookSection,
} from '../src/index.js';

const root = new URL('../../../', import.meta.url);
const shipped = readdirSync(new URL('content/handbook/en/', root))
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({
    file: `content/handbook/en/${f}`,
    text: readFileSync(new URL(`content/handbook/en/${f}`, root), 'utf8'),
  }));

const front = (over: Record<string, string> = {}) => {
  const keys = {
    id: 'passwords',
    title: 'Passwords and password managers',
    phase: 'prepare',
    domains: '[access]',
    interventions: '[]',
    reviewed: '2026-12-02',
    ...over,
  };
  return `---\n${Object.entries(keys)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n`;
};

const parse = (text: string, file = 'en/passwords.md') => parseHandbookSection(text, { file });
const ok = (text: string, file?: string): HandbookSection => {
  const r = parse(text, file);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  return r.value;
};
const messages = (text: string, file?: string) => {
  const r = parse(text, file);
  return r.ok ? [] : r.problems.map((p) => `${p.line}: ${p.message}`);
};

/** Every string anywhere in a section's blocks, and every href. */
function strings(blocks: HandbookBlock[]): string[] {
  const out: string[] = [];
  const inl = (c: HandbookInline) => {
    if (c.t === 'text' || c.t === 'code') out.push(c.text);
    if (c.t === 'link') out.push(c.href);
    if ('children' in c) c.children.forEach(inl);
  };
  const blk = (b: HandbookBlock) => {
    if (b.t === 'heading' || b.t === 'paragraph') b.children.forEach(inl);
    if (b.t === 'list') b.items.forEach((i) => i.forEach(blk));
    if (b.t === 'quote') b.blocks.forEach(blk);
    if (b.t === 'code') out.push(b.text);
    if (b.t === 'table') [b.head, ...b.rows].forEach((r) => r.forEach((cell) => cell.forEach(inl)));
  };
  blocks.forEach(blk);
  return out;
}

describe('the shipped English handbook', () => {
  const loaded = loadHandbook(shipped, { lang: 'en' });

  it('loads whole: every section valid, every link to a section that exists', () => {
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
  });

  it('has the three parts in order, and every section says when it was last reviewed', () => {
    if (!loaded.ok) return;
    const phases = loaded.value.sections.map((s) => s.phase);
    expect([...new Set(phases)]).toEqual(['prepare', 'respond', 'recover']);
    expect(loaded.value.sections).toHaveLength(shipped.length);
    for (const s of loaded.value.sections) {
      expect(s.reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(s.summary.length).toBeGreaterThan(20);
      expect(s.summary.length).toBeLessThanOrEqual(200);
    }
  });

  it('gives every respond path a "when to call for help" part', () => {
    if (!loaded.ok) return;
    const respond = loaded.value.sections.filter((s) => s.phase === 'respond');
    expect(respond.length).toBeGreaterThanOrEqual(7);
    for (const s of respond) {
      const headings = s.blocks.filter((b) => b.t === 'heading').map((b) => strings([b]).join(''));
      expect(
        headings.some((h) => /call for help|when and who/i.test(h)),
        s.id,
      ).toBe(true);
    }
  });
});

describe('a handbook section', () => {
  it('reads headings, lists, quotes, tables, code and links into blocks', () => {
    const s = ok(
      `${front()}Intro with **bold**, *em*, \`code\` and [a page](https://example.org/x).\n\n## Steps in order\n\n1. First [see](handbook:backups)\n2. Second\n\n> A quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\`\`\`\nplain\n\`\`\`\n`,
    );
    expect(s.summary).toBe('Intro with bold, em, code and a page.');
    expect(s.blocks.map((b) => b.t)).toEqual(['paragraph', 'heading', 'list', 'quote', 'table', 'code']);
    expect(s.blocks[1]).toMatchObject({ t: 'heading', level: 2, anchor: 'steps-in-order' });
    expect(s.blocks[2]).toMatchObject({ t: 'list', ordered: true });
    expect(s.links).toEqual([{ id: 'backups', line: 13 }]);
    expect(s.blocks[4]).toMatchObject({ t: 'table', head: [[{ t: 'text', text: 'a' }], [{ t: 'text', text: 'b' }]] });
  });

  it('keeps raw HTML as text, never as markup', () => {
    const s = ok(`${front()}Hello <script>alert(1)</script> and <img src=x onerror=alert(1)>\n\n<div>block</div>\n`);
    expect(strings(s.blocks).join('')).toContain('<script>alert(1)</script>');
    expect(s.blocks.every((b) => b.t === 'paragraph')).toBe(true);
  });

  it('refuses javascript: and relative links, and images, at their line', () => {
    expect(messages(`${front()}\nline\n[x](javascript:alert(1))\n`)).toEqual([
      '11: the link `javascript:alert(1)` must be `handbook:section-id`, an https:// address or mailto:',
    ]);
    expect(messages(`${front()}[x](other.md)\n`)[0]).toMatch(/^9: the link `other.md` must be/);
    expect(messages(`${front()}![a picture](https://example.org/a.png)\n`)[0]).toMatch(/^9: images are not allowed/);
  });

  it('names every front-matter problem with its line', () => {
    expect(messages(`${front({ phase: 'during', reviewd: '2026-01-01', reviewed: '' })}Text\n`)).toEqual([
      '2: front matter: missing required key `reviewed`',
      '4: front matter: phase must be one of prepare, respond, recover',
      '7: front matter: unknown key `reviewd` (did you mean `reviewed`?)',
    ]);
    expect(messages(`${front({ reviewed: '2026-02-30' })}Text\n`)).toEqual([
      '7: front matter: reviewed must be a date that exists',
    ]);
    expect(messages(`${front({ id: 'backups' })}Text\n`)).toEqual([
      "2: front matter: id `backups` must be the file's name without .md (`passwords`)",
    ]);
    expect(messages('No front matter\n')).toEqual([
      '1: a handbook section must start with front matter between two `---` lines',
    ]);
  });

  it('reads CRLF files and a BOM the same as LF', () => {
    const text = `${front()}Intro.\n\n## Part\n\n[x](handbook:backups)\n`;
    const crlf = ok(`\uFEFF${text.replace(/\n/g, '\r\n')}`);
    expect(crlf).toEqual(ok(text));
  });
});

describe('loading a handbook', () => {
  const section = (id: string, phase: string, title: string, body: string) => ({
    file: `en/${id}.md`,
    text: `${front({ id, phase, title })}${body}\n`,
  });

  it('reports a dead link with its file and line, and a section id used twice', () => {
    const r = loadHandbook(
      [
        section('a', 'prepare', 'A', 'See [b](handbook:b).'),
        section('b', 'respond', 'B', 'Text\n\nand [gone](handbook:gone)'),
        { file: 'en/copy/a.md', text: `${front({ id: 'a' })}Text\n` },
      ],
      { lang: 'en' },
    );
    expect(r.ok ? [] : r.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      'en/b.md:11: a link to the handbook section `gone`, which does not exist',
      'en/copy/a.md:2: a second section with id `a` (also in en/a.md)',
    ]);
  });

  it('checks domains and interventions against the ones given', () => {
    const r = loadHandbook([section('a', 'prepare', 'A', 'Text')], {
      lang: 'en',
      domains: new Set(['devices']),
      interventions: new Set(),
    });
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual(['front matter: unknown domain `access`']);
  });

  it('orders sections by part, then by title', () => {
    const r = loadHandbook(
      [
        section('z', 'recover', 'Alpha', 'x'),
        section('y', 'respond', 'Beta', 'x'),
        section('x', 'prepare', 'Gamma', 'x'),
        section('w', 'prepare', 'Delta', 'x'),
      ],
      { lang: 'en' },
    );
    expect(r.ok && r.value.sections.map((s) => s.id)).toEqual(['w', 'x', 'y', 'z']);
  });
});

describe('properties', () => {
  const body = fc.array(
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '<script>x</script>',
        '<b onclick="x">',
        '[a](javascript:x)',
        '[a](handbook:a)',
        '## h',
        '- i',
        '1. i',
        '> q',
        '|a|\n|-|\n|b|',
        '```\n<i>\n```',
        '**',
        '\\',
        '&amp;',
      ),
    ),
    { maxLength: 12 },
  );

  it('never throws, and what it reads has no markup and no link but https, mailto and sections', () => {
    fc.assert(
      fc.property(body, (parts) => {
        const r = parse(`${front({ id: 'a' })}${parts.join('\n')}`, 'a.md');
        if (!r.ok) {
          for (const p of r.problems) expect(p.line).toBeGreaterThanOrEqual(1);
          return;
        }
        const visit = (c: HandbookInline) => {
          expect(['text', 'strong', 'em', 'code', 'link', 'section', 'break']).toContain(c.t);
          if (c.t === 'link') expect(c.href).toMatch(/^(https:\/\/|mailto:)/i);
          if ('children' in c) c.children.forEach(visit);
        };
        const walk = (b: HandbookBlock) => {
          if (b.t === 'heading' || b.t === 'paragraph') b.children.forEach(visit);
          if (b.t === 'list') b.items.forEach((i) => i.forEach(walk));
          if (b.t === 'quote') b.blocks.forEach(walk);
          if (b.t === 'table') [b.head, ...b.rows].forEach((row) => row.forEach((cell) => cell.forEach(visit)));
        };
        r.value.blocks.forEach(walk);
        expect(r.value.summary.length).toBeLessThanOrEqual(200);
      }),
      { numRuns: 300 },
    );
  });

  it('finds every section link, each on a line of the file that holds it', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }), (lines) => {
        const text = `${front({ id: 'a' })}${lines.map((l, i) => (l ? `See [s${i}](handbook:s${i}).` : `Line ${i}.`)).join('\n\n')}\n`;
        const s = ok(text, 'a.md');
        const rows = text.split('\n');
        expect(s.links.map((l) => l.id)).toEqual(lines.flatMap((l, i) => (l ? [`s${i}`] : [])));
        for (const l of s.links) expect(rows[l.line - 1]).toContain(`handbook:${l.id})`);
      }),
    );
  });
});

describe('a handbook in another language', () => {
  const english = loadHandbook(shipped, { lang: 'en' });
  if (!english.ok) throw new Error('the English handbook');

  it('keeps the anchor written after a heading, whatever the heading says', () => {
    const s = ok(
      `${front()}Intro.\n\n## Kur të kërkoni ndihmë {#when-to-call-for-help}\n\nTekst.\n\n## Të lidhura {#related}\n`,
    );
    const headings = s.blocks.filter((b) => b.t === 'heading');
    expect(headings.map((b) => (b.t === 'heading' ? b.anchor : ''))).toEqual(['when-to-call-for-help', 'related']);
    expect(headings.map((b) => (b.t === 'heading' ? b.children : []))).toEqual([
      [{ t: 'text', text: 'Kur të kërkoni ndihmë' }],
      [{ t: 'text', text: 'Të lidhura' }],
    ]);
  });

  it('shows the English section, marked as English, where a language lacks one, and links to it', () => {
    const own = {
      file: 'sq/passwords.md',
      text: `${front({ title: 'Fjalëkalimet' })}Shihni [kopjet](handbook:backups).\n`,
    };
    const book = loadHandbook([own], { lang: 'sq', fallback: english.value });
    expect(book.ok).toBe(true);
    if (!book.ok) return;
    expect(book.value.sections).toHaveLength(english.value.sections.length);
    expect(book.value.byId.get('passwords')).toMatchObject({ title: 'Fjalëkalimet' });
    expect(book.value.byId.get('passwords')!.lang).toBeUndefined();
    expect(book.value.byId.get('backups')).toMatchObject({
      lang: 'en',
      title: english.value.byId.get('backups')!.title,
    });
    // Without the English beside it, the same link is to a section that does not exist.
    const alone = loadHandbook([own], { lang: 'sq' });
    expect(alone.ok).toBe(false);
  });

  it('writes a Serbian Latin handbook in Cyrillic, leaving code, links and English fallbacks as they are', () => {
    const own = {
      file: 'sr-Latn/passwords.md',
      text: `${front({ title: 'Lozinke' })}Koristite \`KeePassXC\` i [rezervne kopije](handbook:backups) na https://example.org.\n`,
    };
    const latin = loadHandbook([own], { lang: 'sr-Latn', fallback: english.value });
    if (!latin.ok) throw new Error('sr-Latn');
    const cyr = cyrillicHandbook(latin.value);
    const s = cyr.byId.get('passwords')!;
    expect(cyr.lang).toBe('sr-Cyrl');
    expect(s.title).toBe('Лозинке');
    expect(s.blocks[0]).toEqual({
      t: 'paragraph',
      children: [
        { t: 'text', text: 'Користите ' },
        { t: 'code', text: 'KeePassXC' },
        { t: 'text', text: ' и ' },
        { t: 'section', id: 'backups', children: [{ t: 'text', text: 'резервне копије' }] },
        { t: 'text', text: ' на https://example.org.' },
      ],
    });
    expect(cyr.byId.get('backups')).toEqual(latin.value.byId.get('backups'));
  });
});
