import { SaxesParser } from 'saxes';
import { readDocument, list, obj } from '../documents/document.js';
import type { Problem } from '../problems.js';
import { cleanText } from './import-fns.js';

/**
 * An OSCAL catalog read from its XML or its JSON form into one small shape: what the importer
 * needs and nothing else (groups, controls, their props and parts, the metadata's title and
 * version, the back-matter's links).
 */

export interface OscalProp {
  name: string;
  value: string;
}

export interface OscalPart {
  name: string;
  prose: string;
  parts: OscalPart[];
}

export interface OscalControl {
  id: string;
  class?: string;
  title: string;
  props: OscalProp[];
  parts: OscalPart[];
  controls: OscalControl[];
  /** The 1-based line where the control starts, when read from text with positions. */
  line?: number;
}

export interface OscalGroup {
  id?: string;
  title: string;
  props: OscalProp[];
  parts: OscalPart[];
  groups: OscalGroup[];
  controls: OscalControl[];
  line?: number;
}

export interface OscalCatalog {
  title: string;
  version: string;
  props: OscalProp[];
  groups: OscalGroup[];
  controls: OscalControl[];
  /** The canonical link of the metadata, resolved through the back-matter when it is a `#uuid`. */
  canonical?: string;
}

export type Read<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Reads an OSCAL catalog, XML when the text starts with `<`, JSON (or YAML) otherwise. */
export function readOscal(text: string, file: string): Read<OscalCatalog> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.trimStart().startsWith('<') ? fromXml(body, file) : fromJson(body, file);
}

interface El {
  name: string;
  attrs: Record<string, string>;
  children: (El | string)[];
  line: number;
}

const BLOCK = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'tr', 'blockquote']);

function textOf(el: El): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** Prose of markup-multiline: each block (paragraph, list item) a paragraph of its own. */
function proseOf(el: El): string {
  const blocks: string[] = [];
  let inline = '';
  const flush = () => {
    if (inline.trim() !== '') blocks.push(cleanText(inline));
    inline = '';
  };
  for (const c of el.children) {
    if (typeof c === 'string') inline += c;
    else if (['part', 'prop', 'link', 'title'].includes(c.name)) continue;
    else if (BLOCK.has(c.name)) {
      flush();
      blocks.push(cleanText(textOf(c)));
    } else if (['ol', 'ul', 'table'].includes(c.name)) {
      flush();
      const p = proseOf(c);
      if (p) blocks.push(p);
    } else inline += textOf(c);
  }
  flush();
  return blocks.filter(Boolean).join('\n\n');
}

const kids = (el: El, name: string) => el.children.filter((c): c is El => typeof c !== 'string' && c.name === name);
const kid = (el: El, name: string) => kids(el, name)[0];

function fromXml(text: string, file: string): Read<OscalCatalog> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: El[] = [];
  let root: El | undefined;
  let failure: Problem | undefined;
  parser.on('error', (e) => {
    failure ??= {
      file,
      line: parser.line,
      col: parser.column,
      message: `is not well-formed XML (${e.message.replace(/^.*?:\d+:\d+: /, '')})`,
    };
  });
  parser.on('opentag', (tag) => {
    const name = tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = String(v);
    const el: El = { name, attrs, children: [], line: parser.line };
    stack.at(-1)?.children.push(el);
    root ??= el;
    stack.push(el);
  });
  parser.on('text', (t) => stack.at(-1)?.children.push(t));
  parser.on('cdata', (t) => stack.at(-1)?.children.push(t));
  parser.on('closetag', () => void stack.pop());
  try {
    parser.write(text).close();
  } catch {
    // The error handler has the first problem.
  }
  if (failure) return { ok: false, problems: [failure] };
  if (!root || root.name !== 'catalog')
    return {
      ok: false,
      problems: [
        {
          file,
          line: root?.line ?? 1,
          col: 1,
          message: `the root element is \`${root?.name ?? 'none'}\`, not \`catalog\`: this is not an OSCAL catalog`,
        },
      ],
    };
  const props = (el: El) => kids(el, 'prop').map((p) => ({ name: p.attrs.name ?? '', value: p.attrs.value ?? '' }));
  const part = (el: El): OscalPart => ({
    name: el.attrs.name ?? '',
    prose: proseOf(el),
    parts: kids(el, 'part').map(part),
  });
  const control = (el: El): OscalControl => ({
    id: el.attrs.id ?? '',
    ...(el.attrs.class !== undefined && { class: el.attrs.class }),
    title: cleanText(textOf(kid(el, 'title') ?? { name: 'title', attrs: {}, children: [], line: 0 })),
    props: props(el),
    parts: kids(el, 'part').map(part),
    controls: kids(el, 'control').map(control),
    line: el.line,
  });
  const group = (el: El): OscalGroup => ({
    ...(el.attrs.id !== undefined && { id: el.attrs.id }),
    title: cleanText(textOf(kid(el, 'title') ?? { name: 'title', attrs: {}, children: [], line: 0 })),
    props: props(el),
    parts: kids(el, 'part').map(part),
    groups: kids(el, 'group').map(group),
    controls: kids(el, 'control').map(control),
    line: el.line,
  });
  const metadata = kid(root, 'metadata');
  const title = metadata && kid(metadata, 'title');
  if (!metadata || !title)
    return {
      ok: false,
      problems: [{ file, line: root.line, col: 1, message: 'the catalog has no `metadata` with a `title`' }],
    };
  const version = kid(metadata, 'version');
  const resources = new Map<string, string>();
  const back = kid(root, 'back-matter');
  if (back)
    for (const r of kids(back, 'resource')) {
      const rlink = kid(r, 'rlink');
      if (r.attrs.uuid && rlink?.attrs.href) resources.set(r.attrs.uuid, rlink.attrs.href);
    }
  const canonical = kids(metadata, 'link').find((l) => l.attrs.rel === 'canonical')?.attrs.href;
  return {
    ok: true,
    value: {
      title: cleanText(textOf(title)),
      version: cleanText(version ? textOf(version) : ''),
      props: props(metadata),
      groups: kids(root, 'group').map(group),
      controls: kids(root, 'control').map(control),
      ...(canonical !== undefined && { canonical: resolve(canonical, resources) }),
    },
  };
}

const resolve = (href: string, resources: Map<string, string>) =>
  href.startsWith('#') ? (resources.get(href.slice(1)) ?? href) : href;

function fromJson(text: string, file: string): Read<OscalCatalog> {
  const read = readDocument(text, { file, format: 'json', what: 'an OSCAL catalog' });
  if (!read.ok) {
    // Not JSON: perhaps the YAML form of OSCAL.
    const yaml = readDocument(text, { file, format: 'yaml', what: 'an OSCAL catalog' });
    if (!yaml.ok) return read;
    return fromRaw(yaml.value.raw, file, yaml.value.locate);
  }
  return fromRaw(read.value.raw, file, read.value.locate);
}

function fromRaw(
  raw: unknown,
  file: string,
  locate: (path: readonly PropertyKey[]) => { line?: number; col?: number },
): Read<OscalCatalog> {
  const catalog = obj(raw).catalog;
  if (catalog === null || typeof catalog !== 'object' || Array.isArray(catalog))
    return {
      ok: false,
      problems: [{ file, line: 1, col: 1, message: 'there is no `catalog` at the top: this is not an OSCAL catalog' }],
    };
  const c = obj(catalog);
  const metadata = obj(c.metadata);
  if (typeof metadata.title !== 'string')
    return {
      ok: false,
      problems: [{ file, ...locate(['catalog']), message: 'the catalog has no `metadata` with a `title`' }],
    };
  const props = (v: unknown) =>
    list(obj(v).props).map((p) => ({ name: String(obj(p).name ?? ''), value: String(obj(p).value ?? '') }));
  const part = (v: unknown): OscalPart => ({
    name: String(obj(v).name ?? ''),
    prose: cleanText(obj(v).prose),
    parts: list(obj(v).parts).map(part),
  });
  const control = (v: unknown, path: PropertyKey[]): OscalControl => {
    const o = obj(v);
    return {
      id: String(o.id ?? ''),
      ...(typeof o.class === 'string' && { class: o.class }),
      title: cleanText(o.title),
      props: props(v),
      parts: list(o.parts).map(part),
      controls: list(o.controls).map((x, i) => control(x, [...path, 'controls', i])),
      ...(locate(path).line !== undefined && { line: locate(path).line }),
    };
  };
  const group = (v: unknown, path: PropertyKey[]): OscalGroup => {
    const o = obj(v);
    return {
      ...(typeof o.id === 'string' && { id: o.id }),
      title: cleanText(o.title),
      props: props(v),
      parts: list(o.parts).map(part),
      groups: list(o.groups).map((x, i) => group(x, [...path, 'groups', i])),
      controls: list(o.controls).map((x, i) => control(x, [...path, 'controls', i])),
      ...(locate(path).line !== undefined && { line: locate(path).line }),
    };
  };
  const resources = new Map<string, string>();
  for (const r of list(obj(c['back-matter']).resources)) {
    const href = obj(list(obj(r).rlinks)[0]).href;
    if (typeof obj(r).uuid === 'string' && typeof href === 'string') resources.set(obj(r).uuid as string, href);
  }
  const canonical = list(metadata.links)
    .map(obj)
    .find((l) => l.rel === 'canonical')?.href;
  return {
    ok: true,
    value: {
      title: cleanText(metadata.title),
      version: cleanText(metadata.version),
      props: props(metadata),
      groups: list(c.groups).map((g, i) => group(g, ['catalog', 'groups', i])),
      controls: list(c.controls).map((x, i) => control(x, ['catalog', 'controls', i])),
      ...(typeof canonical === 'string' && { canonical: resolve(canonical, resources) }),
    },
  };
}
