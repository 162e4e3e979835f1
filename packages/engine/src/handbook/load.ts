import { latinToCyrillic } from '../transliterate.js';
import markdownIt, { type Token } from 'markdown-it';
import { sortProblems, type Problem, type Result } from '../problems.js';
import { positioned, readDocument, schemaProblems, type Vocabulary } from '../documents/document.js';
import { FRONT_MATTER_KEYS, handbookFrontMatter } from './schema.js';
import {
  HANDBOOK_PHASES,
  type Handbook,
  type HandbookBlock,
  type HandbookInline,
  type HandbookLink,
  type HandbookSection,
} from './types.js';

/**
 * CommonMark with tables, and nothing that lets a file reach the page as code: raw HTML stays
 * text (`html: false`), no autolinking or typographic replacements, and only the links below.
 */
const markdown = markdownIt('commonmark', { html: false, linkify: false, typographer: false }).enable('table');
// markdown-it refuses javascript: and the like; `handbook:` is ours, and the rest is checked below.
markdown.validateLink = () => true;

const WORDS: Vocabulary = { context: () => 'front matter: ', allowedKeys: () => FRONT_MATTER_KEYS };

/** How long a section's summary in the contents may be, in characters. */
export const SUMMARY_LENGTH = 200;

/**
 * Reads one handbook section: YAML front matter between two `---` lines (id, title, phase,
 * domains, interventions, reviewed; unknown keys are errors), then a CommonMark body read
 * into blocks. Every problem is positioned in the file. Links to other sections are written
 * `[text](handbook:section-id)`; whether they exist is checked by `loadHandbook`, which sees
 * them all.
 *
 * @example
 * const r = parseHandbookSection(text, { file: 'content/handbook/en/passwords.md' });
 */
export function parseHandbookSection(text: string, options: { file: string }): Result<HandbookSection> {
  const { file } = options;
  const source = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const front = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(source);
  if (!front) {
    return {
      ok: false,
      problems: [
        { file, line: 1, col: 1, message: 'a handbook section must start with front matter between two `---` lines' },
      ],
    };
  }
  const problems: Problem[] = [];
  // The front matter's own line 1 is the file's line 2.
  const shift = (p: Problem): Problem => (p.line === undefined ? p : { ...p, line: p.line + 1 });
  const read = readDocument(front[1]!, { file, format: 'yaml', what: 'handbook front matter' });
  let meta: ReturnType<typeof handbookFrontMatter.parse> | undefined;
  if (!read.ok) problems.push(...read.problems.map(shift));
  else if (read.value.raw === null || typeof read.value.raw !== 'object' || Array.isArray(read.value.raw)) {
    problems.push({
      file,
      line: 2,
      col: 1,
      message: 'the front matter must be a mapping of keys (id, title, phase, …)',
    });
  } else {
    const parsed = schemaProblems(handbookFrontMatter, read.value, file, WORDS);
    problems.push(...parsed.problems.map(shift));
    meta = parsed.value;
    const expected = /([^/\\]+)\.md$/i.exec(file)?.[1];
    if (meta && expected !== undefined && meta.id !== expected) {
      const at = positioned([{ path: ['id'], message: '' }], read.value, file, WORDS)[0]!;
      problems.push(
        shift({
          ...at,
          message: `front matter: id \`${meta.id}\` must be the file's name without .md (\`${expected}\`)`,
        }),
      );
    }
  }

  const bodyStart = front[0].split('\n').length - (front[0].endsWith('\n') ? 1 : 0) + 1;
  const body = source.slice(front[0].length);
  const reader = new BodyReader(file, bodyStart);
  const blocks = reader.blocks(markdown.parse(body, {}));
  problems.push(...reader.problems);
  if (!meta || problems.length > 0) return { ok: false, problems: sortProblems(problems) };

  const first = blocks.find((b) => b.t === 'paragraph');
  return {
    ok: true,
    value: {
      id: meta.id,
      title: meta.title,
      phase: meta.phase,
      domains: meta.domains,
      interventions: meta.interventions,
      reviewed: meta.reviewed,
      summary: first ? summarise(plainInline(first.children)) : '',
      text: blocks.map(plainBlock).join('\n'),
      blocks,
      links: reader.links,
    },
  };
}

/**
 * Reads one language's handbook from its files and checks it whole: one section per id, and
 * every `handbook:` link to a section that exists (a dead link is a problem at its file and
 * line). With `domains` or `interventions`, the ids the sections name must be among them.
 * Sections come in reading order: prepare, respond, recover, and by title within each part.
 */
export function loadHandbook(
  files: readonly { file: string; text: string }[],
  options: {
    lang: string;
    domains?: ReadonlySet<string>;
    interventions?: ReadonlySet<string>;
    /** The English handbook: a section this language lacks is read from it, marked `lang: 'en'`. */
    fallback?: Handbook;
  },
): Result<Handbook> {
  const problems: Problem[] = [];
  const sections: { file: string; section: HandbookSection }[] = [];
  const seen = new Map<string, string>();
  for (const { file, text } of files) {
    const r = parseHandbookSection(text, { file });
    if (!r.ok) {
      problems.push(...r.problems);
      continue;
    }
    const earlier = seen.get(r.value.id);
    if (earlier !== undefined) {
      problems.push({ file, line: 2, message: `a second section with id \`${r.value.id}\` (also in ${earlier})` });
      continue;
    }
    seen.set(r.value.id, file);
    sections.push({ file, section: r.value });
  }
  const exists = (id: string) => seen.has(id) || options.fallback?.byId.has(id) === true;
  for (const { file, section } of sections) {
    for (const link of section.links) {
      if (!exists(link.id))
        problems.push({
          file,
          line: link.line,
          message: `a link to the handbook section \`${link.id}\`, which does not exist`,
        });
    }
    const unknown = (ids: string[], known: ReadonlySet<string> | undefined, what: string) => {
      for (const id of ids)
        if (known && !known.has(id))
          problems.push({ file, line: 2, message: `front matter: unknown ${what} \`${id}\`` });
    };
    unknown(section.domains, options.domains, 'domain');
    unknown(section.interventions, options.interventions, 'intervention');
  }
  if (problems.length > 0) {
    // By file in the order given, then by line within each (the sort is stable).
    const order = new Map(files.map((f, i) => [f.file, i]));
    const sorted = sortProblems(problems).sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
    return { ok: false, problems: sorted };
  }
  for (const section of options.fallback?.sections ?? [])
    if (!seen.has(section.id)) sections.push({ file: '', section: { ...section, lang: options.fallback!.lang } });
  const phase = (s: HandbookSection) => HANDBOOK_PHASES.indexOf(s.phase);
  const collator = new Intl.Collator(options.lang === 'en' ? 'en' : [options.lang, 'en']);
  const ordered = sections
    .map((s) => s.section)
    .sort((a, b) => phase(a) - phase(b) || collator.compare(a.title, b.title) || (a.id < b.id ? -1 : 1));
  return { ok: true, value: { lang: options.lang, sections: ordered, byId: new Map(ordered.map((s) => [s.id, s])) } };
}

/**
 * A Serbian Latin handbook in Cyrillic script: every text a reader sees is transliterated
 * (`latinToCyrillic`, which keeps names, addresses and code in Latin); code, link targets and
 * section ids stay. Sections that fell back to English stay English.
 */
export function cyrillicHandbook(book: Handbook): Handbook {
  const inline = (n: HandbookInline): HandbookInline => {
    switch (n.t) {
      case 'text':
        return { t: 'text', text: latinToCyrillic(n.text) };
      case 'strong':
      case 'em':
        return { t: n.t, children: n.children.map(inline) };
      case 'link':
        return { t: 'link', href: n.href, children: n.children.map(inline) };
      case 'section':
        return { t: 'section', id: n.id, children: n.children.map(inline) };
      default:
        return n;
    }
  };
  const block = (b: HandbookBlock): HandbookBlock => {
    switch (b.t) {
      case 'heading':
        return { ...b, children: b.children.map(inline) };
      case 'paragraph':
        return { t: 'paragraph', children: b.children.map(inline) };
      case 'list':
        return { ...b, items: b.items.map((item) => item.map(block)) };
      case 'quote':
        return { t: 'quote', blocks: b.blocks.map(block) };
      case 'table':
        return {
          t: 'table',
          head: b.head.map((cell) => cell.map(inline)),
          rows: b.rows.map((row) => row.map((cell) => cell.map(inline))),
        };
      default:
        return b;
    }
  };
  const sections = book.sections.map((s) =>
    s.lang !== undefined
      ? s
      : {
          ...s,
          title: latinToCyrillic(s.title),
          summary: latinToCyrillic(s.summary),
          text: latinToCyrillic(s.text),
          blocks: s.blocks.map(block),
        },
  );
  return { lang: 'sr-Cyrl', sections, byId: new Map(sections.map((s) => [s.id, s])) };
}

/** A section's text without its structure: what search reads. */
export function plainBlock(b: HandbookBlock): string {
  switch (b.t) {
    case 'heading':
    case 'paragraph':
      return plainInline(b.children);
    case 'list':
      return b.items.map((item) => item.map(plainBlock).join('\n')).join('\n');
    case 'quote':
      return b.blocks.map(plainBlock).join('\n');
    case 'code':
      return b.text;
    case 'table':
      return [b.head, ...b.rows].map((row) => row.map(plainInline).join(' ')).join('\n');
    case 'rule':
      return '';
  }
}

export function plainInline(children: readonly HandbookInline[]): string {
  return children
    .map((c) =>
      c.t === 'text' || c.t === 'code'
        ? c.text
        : c.t === 'break'
          ? ' '
          : 'children' in c
            ? plainInline(c.children)
            : '',
    )
    .join('');
}

/** At most SUMMARY_LENGTH characters, cut at a word with an ellipsis. */
function summarise(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= SUMMARY_LENGTH) return flat;
  const cut = flat.slice(0, SUMMARY_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUMMARY_LENGTH / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** An anchor for a heading: lower-case words joined by `-`, unique in the section. */
function anchorOf(text: string, used: Set<string>): string {
  const base =
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'part';
  let anchor = base;
  for (let n = 2; used.has(anchor); n++) anchor = `${base}-${n}`;
  used.add(anchor);
  return anchor;
}

/**
 * A heading's own anchor, written after it as `{#anchor}`: a translated section keeps the
 * anchors of the English one where the reader relies on them (`related`, `further-reading`,
 * the step that says when to call for help), whatever the heading says in its language.
 */
function explicitAnchor(inline: HandbookInline[]): { inline: HandbookInline[]; anchor?: string } {
  const last = inline[inline.length - 1];
  const m = last?.t === 'text' ? /\s*\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}\s*$/.exec(last.text) : null;
  if (!last || last.t !== 'text' || !m) return { inline };
  const text = last.text.slice(0, m.index);
  return { inline: [...inline.slice(0, -1), ...(text ? [{ ...last, text }] : [])], anchor: m[1]! };
}

const SECTION_LINK = /^handbook:([a-z0-9]+(?:[-_][a-z0-9]+)*)$/;
const WEB_LINK = /^(https:\/\/[^\s]+|mailto:[^\s]+)$/i;

/** Turns markdown-it's token stream into blocks, collecting links and problems on the way. */
class BodyReader {
  readonly problems: Problem[] = [];
  readonly links: HandbookLink[] = [];
  private readonly anchors = new Set<string>();

  constructor(
    private readonly file: string,
    /** The file's line of the body's first line. */
    private readonly firstLine: number,
  ) {}

  private lineOf(token: Token | undefined, extra = 0): number {
    return this.firstLine + (token?.map?.[0] ?? 0) + extra;
  }

  private problem(token: Token | undefined, message: string, extra = 0) {
    this.problems.push({ file: this.file, line: this.lineOf(token, extra), message });
  }

  blocks(tokens: Token[]): HandbookBlock[] {
    const pos = { i: 0 };
    return this.until(tokens, pos, null);
  }

  /** Blocks up to the closing token of type `close` (or the end). */
  private until(tokens: Token[], pos: { i: number }, close: string | null): HandbookBlock[] {
    const out: HandbookBlock[] = [];
    while (pos.i < tokens.length) {
      const tok = tokens[pos.i]!;
      if (close !== null && tok.type === close) {
        pos.i++;
        return out;
      }
      pos.i++;
      switch (tok.type) {
        case 'heading_open': {
          const own = explicitAnchor(this.inline(tokens[pos.i]!));
          const inline = own.inline;
          pos.i += 2;
          const level = Number(tok.tag.slice(1));
          if (level < 2 || level > 4) {
            this.problem(
              tok,
              'headings start at `##`: the section title comes from the front matter, and `#####` is too deep',
            );
          }
          const clamped = Math.min(4, Math.max(2, level)) as 2 | 3 | 4;
          out.push({
            t: 'heading',
            level: clamped,
            anchor:
              own.anchor !== undefined
                ? anchorOf(own.anchor, this.anchors)
                : anchorOf(plainInline(inline), this.anchors),
            children: inline,
          });
          break;
        }
        case 'paragraph_open': {
          const children = this.inline(tokens[pos.i]!);
          pos.i += 2;
          out.push({ t: 'paragraph', children });
          break;
        }
        case 'bullet_list_open':
        case 'ordered_list_open': {
          const ordered = tok.type === 'ordered_list_open';
          const closeList = ordered ? 'ordered_list_close' : 'bullet_list_close';
          const items: HandbookBlock[][] = [];
          while (pos.i < tokens.length && tokens[pos.i]!.type !== closeList) {
            if (tokens[pos.i]!.type === 'list_item_open') {
              pos.i++;
              items.push(this.until(tokens, pos, 'list_item_close'));
            } else pos.i++;
          }
          pos.i++;
          const start = Number(tok.attrGet('start') ?? 1);
          out.push({ t: 'list', ordered, ...(ordered && start !== 1 && { start }), items });
          break;
        }
        case 'blockquote_open':
          out.push({ t: 'quote', blocks: this.until(tokens, pos, 'blockquote_close') });
          break;
        case 'fence':
        case 'code_block':
          out.push({ t: 'code', text: tok.content.replace(/\n$/, '') });
          break;
        case 'hr':
          out.push({ t: 'rule' });
          break;
        case 'table_open':
          out.push(this.table(tokens, pos));
          break;
        case 'html_block':
          // Not produced with `html: false`; kept as text should the options ever change.
          out.push({ t: 'paragraph', children: [{ t: 'text', text: tok.content }] });
          break;
        default:
          break;
      }
    }
    return out;
  }

  private table(tokens: Token[], pos: { i: number }): HandbookBlock {
    const head: HandbookInline[][] = [];
    const rows: HandbookInline[][][] = [];
    let inHead = false;
    let row: HandbookInline[][] | null = null;
    while (pos.i < tokens.length) {
      const tok = tokens[pos.i++]!;
      if (tok.type === 'table_close') break;
      if (tok.type === 'thead_open') inHead = true;
      else if (tok.type === 'thead_close') inHead = false;
      else if (tok.type === 'tr_open') row = [];
      else if (tok.type === 'tr_close' && row) {
        if (inHead) head.push(...row);
        else rows.push(row);
        row = null;
      } else if (tok.type === 'inline' && row) row.push(this.inline(tok));
    }
    return { t: 'table', head, rows };
  }

  /** An inline token's children as inline nodes; `handbook:` links recorded with their line. */
  private inline(token: Token): HandbookInline[] {
    const children = token.children ?? [];
    const content = token.content;
    const stack: { node: HandbookInline[]; close: string; make: (c: HandbookInline[]) => HandbookInline | null }[] = [];
    let current: HandbookInline[] = [];
    const root = current;
    for (const c of children) {
      switch (c.type) {
        case 'text':
        case 'text_special':
          if (c.content) current.push({ t: 'text', text: c.content });
          break;
        case 'softbreak':
          current.push({ t: 'text', text: ' ' });
          break;
        case 'hardbreak':
          current.push({ t: 'break' });
          break;
        case 'code_inline':
          current.push({ t: 'code', text: c.content });
          break;
        case 'html_inline':
          current.push({ t: 'text', text: c.content });
          break;
        case 'image':
          this.problem(token, 'images are not allowed in the handbook: describe the picture in words', 0);
          break;
        case 'strong_open':
        case 'em_open':
        case 's_open':
        case 'link_open': {
          const kind = c.type.replace(/_open$/, '');
          let make: (x: HandbookInline[]) => HandbookInline | null;
          if (kind === 'strong') make = (x) => ({ t: 'strong', children: x });
          else if (kind === 'em') make = (x) => ({ t: 'em', children: x });
          else if (kind === 's') make = () => null;
          else {
            const href = String(c.attrGet('href') ?? '');
            const at = content.indexOf(`](${href}`);
            const extra = at < 0 ? 0 : content.slice(0, at).split('\n').length - 1;
            const section = SECTION_LINK.exec(href);
            if (section) {
              this.links.push({ id: section[1]!, line: this.lineOf(token, extra) });
              make = (x) => ({ t: 'section', id: section[1]!, children: x });
            } else if (WEB_LINK.test(href)) {
              make = (x) => ({ t: 'link', href, children: x });
            } else {
              this.problem(
                token,
                `the link \`${href.slice(0, 80)}\` must be \`handbook:section-id\`, an https:// address or mailto:`,
                extra,
              );
              make = () => null;
            }
          }
          stack.push({ node: current, close: `${kind}_close`, make });
          current = [];
          break;
        }
        case 'strong_close':
        case 'em_close':
        case 's_close':
        case 'link_close': {
          const top = stack.pop();
          if (!top) break;
          const made = top.make(current);
          const inner = current;
          current = top.node;
          if (made) current.push(made);
          else current.push(...inner);
          break;
        }
        default:
          break;
      }
    }
    return mergeText(root);
  }
}

/** Adjacent text nodes as one. */
function mergeText(nodes: HandbookInline[]): HandbookInline[] {
  const out: HandbookInline[] = [];
  for (const n of nodes) {
    const last = out[out.length - 1];
    if (n.t === 'text' && last?.t === 'text') out[out.length - 1] = { t: 'text', text: last.text + n.text };
    else out.push(n);
  }
  return out;
}
